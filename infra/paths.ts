import { fileURLToPath } from 'node:url';

/** The repository root: functions are bundled from here, with its package-lock.json. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
