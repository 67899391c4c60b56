import { LambdaClient } from '@aws-sdk/client-lambda';
import { gatewayAuthenticator } from '../lib/authenticate.js';
import { readConfig } from '../lib/config.js';
import { createRuntime } from '../lib/runtime.js';
import { exportLambda, exportStorageFor, lambdaDispatcher, workerFunctionOf } from './lambda.js';

// Once per cold start. The HTTP API's JWT authorizer verifies tokens before this function runs;
// exports are written in asynchronous invocations of this same function, into the export bucket.
const config = readConfig();
const runtime = createRuntime(config);
const now = () => new Date();
export const handler = exportLambda({
  db: runtime.db,
  catalog: runtime.catalog,
  logger: runtime.logger,
  now,
  authenticate: gatewayAuthenticator(),
  storage: exportStorageFor(config, now),
  dispatch: lambdaDispatcher(new LambdaClient({ region: config.AWS_REGION }), workerFunctionOf(config)),
});
