import { FUNCTION_NAMES, type FunctionName } from './routes.js';

/**
 * Functions that run on a schedule, never behind the HTTP API (`functions/routes.ts` lists those):
 * each has a `functions/{name}/handler.ts` and its own role (infra/access.ts).
 */
export const JOB_NAMES = ['retention'] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** Every deployed function: the apps behind the HTTP API and the scheduled jobs, each with its own role. */
export const DEPLOYED_NAMES = [...FUNCTION_NAMES, ...JOB_NAMES] as const;
export type DeployedName = FunctionName | JobName;
