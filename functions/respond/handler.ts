import { handle } from 'hono/aws-lambda';
import { readConfig } from '../lib/config.js';
import { createRuntime } from '../lib/runtime.js';
import { respondApp } from './wiring.js';

// Module scope runs once per cold start: a bad environment fails here, before any request, and the
// DynamoDB client and catalog cache are reused by every invocation of this instance.
const app = respondApp(createRuntime(readConfig()));

export const handler = handle(app);
