import * as z from 'zod';

/*
 * The schema of a problem, for the OpenAPI documents. The functions build problems with
 * `problem()` (problem.ts) and need only its type, so the respondent function, which builds no
 * document, does not load zod's classes for it (docs/benchmarks.md, bundles).
 */

/** RFC 9457 problem details. `errors` lists every invalid field of a validation problem. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })).optional(),
    /** A survey file's problems, each with where it is (`path`) and, when known, its line. */
    problems: z
      .array(z.object({ path: z.string(), message: z.string(), line: z.number().int().optional() }))
      .optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });
export type Problem = z.infer<typeof Problem>;
