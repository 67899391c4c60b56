import { handle } from 'hono/aws-lambda';
import { gatewayAuthenticator } from '../lib/authenticate.js';
import { readConfig } from '../lib/config.js';
import { createRuntime } from '../lib/runtime.js';
import { adminApp } from './wiring.js';

// Once per cold start. The HTTP API's JWT authorizer verifies tokens before this function runs.
const app = adminApp(createRuntime(readConfig()), gatewayAuthenticator());

export const handler = handle(app);
