import { handle } from 'hono/aws-lambda';
import { gatewayAuthenticator } from '../lib/authenticate.js';
import { readConfig } from '../lib/config.js';
import { createRuntime } from '../lib/runtime.js';
import { reportApp } from './wiring.js';

// Once per cold start. The HTTP API's JWT authorizer verifies tokens before this function runs.
export const handler = handle(reportApp(createRuntime(readConfig()), gatewayAuthenticator()));
