/**
 * Functions that run on a schedule, never behind the HTTP API (`functions/routes.ts` lists those):
 * each has a `functions/{name}/handler.ts` and its own role (infra/access.ts).
 */
export const JOB_NAMES = ['retention'] as const;
export type JobName = (typeof JOB_NAMES)[number];
