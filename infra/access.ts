import type { FunctionName } from '../functions/routes.js';

/**
 * What each function may do with the survey table, by partition key prefix (see shared/data/table.ts).
 * The stack turns every entry into one IAM statement on the table (never its indexes) with the
 * condition `ForAllValues:StringLike` on `dynamodb:LeadingKeys`, so e.g. the respondent function can
 * write a response but never read an export record, and nothing but the export function reads
 * responses. test/infra/least-privilege.test.ts drives every function against DynamoDB Local and
 * checks each call it makes against these statements as synthesized.
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

export const TABLE_ACCESS: Record<FunctionName, TableAccess[]> = {
  respond: [
    { actions: READ, keys: ['SURVEY#*', 'INV#*', 'AGG#*', 'RESP#*'] },
    { actions: ['dynamodb:PutItem'], keys: ['RESP#*'] },
    { actions: ['dynamodb:UpdateItem'], keys: ['AGG#*', 'INV#*'] },
    { actions: ['dynamodb:ConditionCheckItem'], keys: ['SURVEY#*', 'INV#*'] },
  ],
  admin: [
    { actions: READ, keys: ['SURVEY#*', 'INV#*', 'AGG#*'] },
    { actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], keys: ['SURVEY#*'] },
    { actions: ['dynamodb:PutItem', 'dynamodb:BatchWriteItem'], keys: ['INV#*'] },
  ],
  report: [
    { actions: READ, keys: ['SURVEY#*', 'AGG#*', 'IMPACT#*'] },
    { actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'], keys: ['IMPACT#*'] },
  ],
  export: [
    { actions: READ, keys: ['SURVEY#*', 'RESP#*'] },
    { actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], keys: ['SURVEY#*'] },
  ],
};
