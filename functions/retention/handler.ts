import { readConfig } from '../lib/config.js';
import { createRuntime } from '../lib/runtime.js';
import { runRetention } from './run.js';

// Once per cold start. Invoked by its schedule (EventBridge), never through the HTTP API; the
// event carries nothing the run needs.
const runtime = createRuntime(readConfig());

export const handler = async (): Promise<unknown> => runRetention(runtime, new Date());
