import type { Context } from 'hono';
import type { $ZodError } from 'zod/v4/core';
import type { FieldIssue } from '../../shared/errors.js';
import { formatPath } from '../../shared/survey/field-path.js';
import { problem, problemResponse } from './problem.js';

type HookResult = { success: true } | { success: false; error: $ZodError; target?: string };

/** Every zod issue as a field problem (`unknown_key` for keys the strict schema does not know). */
export function zodFieldIssues(error: $ZodError): FieldIssue[] {
  return error.issues.map((i) => {
    const keys = i.code === 'unrecognized_keys' ? i.keys.join(', ') : '';
    const path = formatPath(i.path);
    return {
      field: path || (keys ? keys : '(body)'),
      code: i.code === 'unrecognized_keys' ? 'unknown_key' : 'invalid',
      message: keys ? `unknown key(s): ${keys}` : i.message,
    };
  });
}

/** The one shape of a validation problem, whichever layer found the fields. */
export function validationProblem(errors: FieldIssue[]) {
  return problem(400, 'validation', 'The request is not valid', `${errors.length} invalid field(s)`, errors);
}

/** Turns a failed request validation into a 400 problem listing every invalid field. */
export function validationHook(result: HookResult, c: Context): Response | undefined {
  if (result.success) return undefined;
  return problemResponse(c, validationProblem(zodFieldIssues(result.error)));
}
