import { handle } from 'hono/aws-lambda';
import { gatewayAuthenticator } from '../lib/authenticate.js';
import { readConfig } from '../lib/config.js';
import { createRuntime } from '../lib/runtime.js';
import { signInFrom } from './deps.js';
import { reportApp } from './wiring.js';

// Once per cold start. The HTTP API's JWT authorizer verifies tokens before this function runs;
// the lead pages sign in through the Cognito hosted UI when the OIDC_* variables are set.
const config = readConfig();
export const handler = handle(
  reportApp(createRuntime(config), gatewayAuthenticator(), signInFrom(config), config.IMPACT_MAX_AGE_SECONDS * 1000),
);
