import type { DeployedName } from '../functions/jobs.js';

/**
 * What each function may do with the survey table, by partition key prefix (see shared/data/table.ts):
 * the four behind the HTTP API, and the scheduled retention run.
 * The stack turns every entry into one IAM statement on the table (never its indexes) with the
 * condition `ForAllValues:StringLike` on `dynamodb:LeadingKeys`, so e.g. the respondent function can
 * write a response but never read an export record, nothing but the export function reads
 * responses in bulk, and nothing but the retention run deletes them (and reads only their expiry,
 * which it sets anew when a publish changed the survey's retention rule). test/infra/least-privilege.test.ts drives every function through all its routes
 * against DynamoDB Local, records each table call, and checks both ways against these statements as
 * synthesized: every call is allowed, and every action x key pattern here is used by some call (an
 * unused grant fails the test). What only the operator's CLI does (`npm run admin -- recompute`
 * rebuilds aggregates with a `ConditionCheck` and drops impact snapshots with `BatchWriteItem`;
 * `responses delete` deletes responses; `retention apply` sets their `expiresAt`, with
 * `--invitations` after a `Scan` for a survey's tokens) runs with the
 * operator's own credentials and is granted to no function.
 *
 * A condition on leading keys cannot tell items of one partition apart, so what a function may
 * write lives in partitions of its own: the respondent function counts an invitation's use on its
 * batch under `INVBATCH#`, not in the survey's partition with the definition and the waves.
 *
 * No function gets `Scan`: a scan has no leading key, and `ForAllValues` over an empty set of keys is
 * true, so a key condition would not limit it.
 */
export interface TableAccess {
  actions: string[];
  /** Partition key patterns (`*` matches any characters). */
  keys: string[];
}

const READ = ['dynamodb:GetItem', 'dynamodb:Query'];

export const TABLE_ACCESS: Record<DeployedName, TableAccess[]> = {
  respond: [
    { actions: READ, keys: ['SURVEY#*'] },
    // An invitation by its token's hash, and its batch; a stored response by its key, to answer a
    // retried submission.
    { actions: ['dynamodb:GetItem'], keys: ['INV#*', 'INVBATCH#*', 'RESP#*'] },
    // Quota progress, from the aggregate cells.
    { actions: ['dynamodb:Query'], keys: ['AGG#*'] },
    { actions: ['dynamodb:PutItem'], keys: ['RESP#*'] },
    // Aggregate counters; an invitation marked used, and its batch counting the use.
    { actions: ['dynamodb:UpdateItem'], keys: ['AGG#*', 'INV#*', 'INVBATCH#*'] },
  ],
  admin: [
    { actions: READ, keys: ['SURVEY#*', 'INVBATCH#*'] },
    { actions: ['dynamodb:Query'], keys: ['AGG#*'] },
    { actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], keys: ['SURVEY#*'] },
    { actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], keys: ['INVBATCH#*'] },
    { actions: ['dynamodb:BatchWriteItem'], keys: ['INV#*'] },
  ],
  report: [
    { actions: READ, keys: ['SURVEY#*'] },
    // Aggregate cells, impact snapshots, and the invitation batches' response rates.
    { actions: ['dynamodb:Query'], keys: ['AGG#*', 'IMPACT#*', 'INVBATCH#*'] },
    // A new impact snapshot, and the chunks of a longer one it replaces.
    { actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'], keys: ['IMPACT#*'] },
  ],
  export: [
    { actions: READ, keys: ['SURVEY#*'] },
    { actions: ['dynamodb:Query'], keys: ['RESP#*'] },
    { actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], keys: ['SURVEY#*'] },
  ],
  // The weekly retention run (functions/retention): pools small cells of responses past retention.
  retention: [
    // The survey index, each survey's pointer and current definition.
    { actions: READ, keys: ['SURVEY#*'] },
    // Which retention rule a survey's responses carry, recorded after they were brought to a new one.
    { actions: ['dynamodb:PutItem'], keys: ['SURVEY#*'] },
    // Responses past retention that TTL has not reached yet, read as keys, wave and expiresAt only
    // (keys, day and expiresAt when a publish changed the retention rule),
    // and deleted on the condition that their expiresAt is still the one read; after a publish that
    // changed the retention rule, each response's expiresAt set to the new rule.
    { actions: ['dynamodb:Query', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'], keys: ['RESP#*'] },
    // A small cell moves in one transaction: its items deleted, its counters added to a coarser cell.
    { actions: ['dynamodb:Query', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'], keys: ['AGG#*'] },
    // Impact snapshots made from the cells before they moved.
    { actions: ['dynamodb:Query', 'dynamodb:BatchWriteItem'], keys: ['IMPACT#*'] },
  ],
};
