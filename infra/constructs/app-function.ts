import { join } from 'node:path';
import { type Duration, type RemovalPolicy, type Size, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { DeployedName } from '../../functions/jobs.js';
import { PROJECT_ROOT } from '../paths.js';

/**
 * How every function is bundled, as esbuild options: the same object `npm run bench` (bench/bundles.ts)
 * builds with, so the bundle sizes it reports are the deployed ones. One ESM file per function with
 * the AWS SDK inside (it loads faster bundled than from the runtime's copy, and its version is ours),
 * minified, with a source map so stack traces in the logs point at our TypeScript (file and line). The banner gives
 * the CommonJS parts of dependencies the `require` an ES module lacks.
 */
export const BUNDLING = {
  target: 'node22',
  format: 'esm',
  minify: true,
  sourcemap: true,
  // The map without the sources in it: stack traces still name our files and lines, and Node reads
  // a map of 1.3 MB instead of 3.6 MB at every cold start (20-45 ms, docs/benchmarks.md).
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
} as const;

/** The runtime every function runs on: set explicitly (NodejsFunction's default is old), newest LTS. */
export const RUNTIME = Runtime.NODEJS_24_X;

/** How long function logs are kept: long enough to look into an incident, short for privacy. */
export const LOG_RETENTION = RetentionDays.ONE_MONTH;

export interface AppFunctionProps {
  /** The folder under `functions/`; its `handler.ts` exports `handler`. */
  readonly name: DeployedName;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Room in `/tmp` (default Lambda's 512 MiB). */
  readonly ephemeralStorageSize?: Size;
  readonly environment: Record<string, string>;
  /** Extra `NODE_OPTIONS` (source maps are always on). */
  readonly nodeOptions?: string;
  /** Folders of data files the function reads at run time, copied beside the bundle (e.g. `population`). */
  readonly dataFolders?: string[];
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * One Lambda function running one of the Hono apps (or a scheduled job): ARM64, the runtime above, an esbuild bundle, its
 * own log group with a retention, and its own role that starts with nothing but writing to that log
 * group (no managed policy); each grant beyond that is made in the stack and tested.
 */
export class AppFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', { retention: LOG_RETENTION, removalPolicy: props.logRemovalPolicy });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Resonanz ${props.name} function`,
    });
    this.logGroup.grantWrite(this.role);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords take no resource-level ' +
        'permissions, so X-Ray requires Resource "*" for them; nothing else is granted on "*".',
    });
    const dataFolders = props.dataFolders ?? [];
    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, 'functions', props.name, 'handler.ts'),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      ephemeralStorageSize: props.ephemeralStorageSize,
      role: this.role,
      // X-Ray traces of every invocation (cold start, duration, errors) at no cost to the bundle: no
      // tracer SDK is imported. The role gets xray:PutTraceSegments and PutTelemetryRecords.
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        ...props.environment,
        NODE_OPTIONS: ['--enable-source-maps', props.nodeOptions].filter(Boolean).join(' '),
      },
      bundling: {
        target: BUNDLING.target,
        format: OutputFormat.ESM,
        minify: BUNDLING.minify,
        sourceMap: BUNDLING.sourcemap,
        sourcesContent: BUNDLING.sourcesContent,
        mainFields: [...BUNDLING.mainFields],
        banner: BUNDLING.banner,
        // Bundle the AWS SDK too (the default leaves it to the runtime's copy).
        bundleAwsSDK: true,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          // Local bundling runs these as shell commands (sh, or cmd on Windows): a copy by Node.
          afterBundling: (inputDir: string, outputDir: string) =>
            dataFolders.map((folder) => copyCommand(join(inputDir, folder), join(outputDir, folder))),
        },
      },
    });
  }
}

/**
 * A shell command that copies a folder with Node, the same on Linux, macOS and Windows (`cp -R`
 * exists only where there is a POSIX shell). Double quotes and single quotes inside them mean the
 * same to sh and to cmd; the paths are arguments, so Node reads them as they are.
 */
export function copyCommand(from: string, to: string): string {
  return `node -e "require('node:fs').cpSync(process.argv[1], process.argv[2], { recursive: true })" "${from}" "${to}"`;
}
