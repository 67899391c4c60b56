import { isDeepStrictEqual } from 'node:util';
import { actionsOf, type Statement } from '../infra/synth.js';
import type { TableCall } from './dynamo-recorder.js';

/**
 * Just enough of IAM's policy evaluation to judge a table call against a role's statements as
 * synthesized: an explicit Deny wins, otherwise some Allow must match action, resource and
 * condition. Resources are compared as template values (`{ 'Fn::GetAtt': [table, 'Arn'] }`), since
 * the ARN is only known once deployed. The one condition our stack writes is supported,
 * `ForAllValues:StringLike` on `dynamodb:LeadingKeys`; any other makes the evaluator throw rather
 * than guess.
 */

/** IAM's `StringLike`: `*` any run of characters, `?` any one; case-sensitive. */
export function stringLike(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

/** Action names are case-insensitive and may hold wildcards (`dynamodb:Get*`, `*`). */
const actionMatches = (s: Statement, action: string) => actionsOf(s).some((a) => stringLike(a, action, true));

/**
 * The table itself, or one of its indexes: an index is `<table arn>/index/<name>`, which only a
 * `*` or a resource naming indexes (`Fn::Join` of the table ARN and `/index/...`) covers.
 */
function resourceMatches(s: Statement, table: unknown, call: TableCall): boolean {
  const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
  return resources.some((r) => {
    if (r === '*') return true;
    if (call.index === undefined) return isDeepStrictEqual(r, table);
    const joined = (r as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join']?.[1] ?? [];
    const [base, suffix] = joined;
    return (
      joined.length === 2 &&
      isDeepStrictEqual(base, table) &&
      typeof suffix === 'string' &&
      stringLike(suffix, `/index/${call.index}`)
    );
  });
}

/**
 * `ForAllValues:StringLike` on `dynamodb:LeadingKeys`: every key matches some pattern. Over no keys
 * at all (a scan) it holds, which is why a key condition cannot limit a scan.
 */
function conditionHolds(s: Statement, call: TableCall): boolean {
  for (const [operator, entries] of Object.entries(s.Condition ?? {})) {
    for (const [key, value] of Object.entries(entries)) {
      if (operator !== 'ForAllValues:StringLike' || key !== 'dynamodb:LeadingKeys') {
        throw new Error(`condition ${operator} on ${key} is not supported by this evaluator`);
      }
      const patterns = (Array.isArray(value) ? value : [value]) as string[];
      if (!call.keys.every((k) => patterns.some((p) => stringLike(p, k)))) return false;
    }
  }
  return true;
}

const matches = (s: Statement, table: unknown, call: TableCall) =>
  actionMatches(s, call.action) && resourceMatches(s, table, call) && conditionHolds(s, call);

/** Whether `statements` let the call through on the table whose ARN the template writes as `table`. */
export function isAllowed(statements: Statement[], table: unknown, call: TableCall): boolean {
  if (statements.some((s) => s.Effect === 'Deny' && matches(s, table, call))) return false;
  return statements.some((s) => s.Effect === 'Allow' && matches(s, table, call));
}
