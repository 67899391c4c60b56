import type { Context } from 'hono';
import type { ZodError } from 'zod';
import { formatPath } from '../../shared/survey/validate.js';
import { problem, problemResponse } from './problem.js';

type HookResult = { success: true } | { success: false; error: ZodError; target?: string };

/** Turns a failed request validation into a 400 problem listing every invalid field. */
export function validationHook(result: HookResult, c: Context): Response | undefined {
  if (result.success) return undefined;
  const errors = result.error.issues.map((i) => {
    const keys = i.code === 'unrecognized_keys' ? i.keys.join(', ') : '';
    const path = formatPath(i.path);
    return {
      field: path || (keys ? keys : '(body)'),
      code: i.code === 'unrecognized_keys' ? 'unknown_key' : 'invalid',
      message: keys ? `unknown key(s): ${keys}` : i.message,
    };
  });
  return problemResponse(
    c,
    problem(400, 'validation', 'The request is not valid', `${errors.length} invalid field(s)`, errors),
  );
}
