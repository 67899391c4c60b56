import { en } from 'zod/locales';
import * as z from 'zod/mini';

/*
 * English error messages for zod/mini schemas. `zod` sets them when its first schema is built;
 * zod/mini sets none, and without a locale every issue reads "Invalid input". The schemas the
 * respondent function loads are zod/mini (its cold start, docs/benchmarks.md), and their messages
 * reach people (validation problems, configuration errors), so every module that builds them
 * imports this one. Like `zod`, it leaves a locale someone configured alone.
 */
if (!z.config().localeError) z.config(en());
