import { defineConfig } from 'vitest/config';

// Node 20 is supported here until the SDK drops it (Lambda runs 24): silence its support notice in
// the main process and the forked workers. Documented switch: github.com/aws/aws-sdk-js-v3/issues/7983
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/setup/dynamodb-local.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
