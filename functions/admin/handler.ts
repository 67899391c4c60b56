import { handle } from 'hono/aws-lambda';
import { gatewayAuthenticator } from '../lib/authenticate.js';
import { readConfig } from '../lib/config.js';
import { createRuntime } from '../lib/runtime.js';
import { adminApp } from './wiring.js';

// Once per cold start. The HTTP API's JWT authorizer verifies tokens before this function runs.
const config = readConfig();
const app = adminApp(createRuntime(config), gatewayAuthenticator(), config.PUBLIC_BASE_URL);

export const handler = handle(app);
