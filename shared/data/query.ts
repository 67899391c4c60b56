import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './table.js';

/**
 * Every item of one partition (optionally only sort keys starting with `prefix`), paginated,
 * consistent; with `attributes`, only those (and the keys) come back, which is far less to read
 * when items hold many counters and a caller needs a few. An attribute may be a document path
 * (`answers.city`).
 */
export async function queryAll(
  db: Db,
  pk: string,
  prefix?: string,
  attributes?: readonly string[],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of queryPages(db, pk, prefix, attributes)) items.push(...page);
  return items;
}

/**
 * As `queryAll`, one page (up to 1 MB, or up to `limit` items) at a time, so a caller can fold pages
 * without holding them all.
 */
export async function* queryPages(
  db: Db,
  pk: string,
  prefix?: string,
  attributes?: readonly string[],
  limit?: number,
): AsyncGenerator<Record<string, unknown>[]> {
  const projection = attributes && projectionOf(attributes);
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: prefix === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: prefix === undefined ? { ':pk': pk } : { ':pk': pk, ':prefix': prefix },
        ExclusiveStartKey: start,
        ConsistentRead: true,
        Limit: limit,
        ...(projection
          ? { ProjectionExpression: projection.expression, ExpressionAttributeNames: projection.names }
          : {}),
      }),
    );
    yield page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}

/** DynamoDB's limit on the length of any expression string (4 KB), a projection's included. */
export const MAX_EXPRESSION_LENGTH = 4096;

/**
 * The projection expression of a read of `attributes` (and the keys), with a placeholder per name
 * (`#a0`, ...): names may hold characters an expression cannot (`#`, `-`). An attribute with dots
 * is a document path (`answers.city`): each segment gets its own placeholder.
 */
export function projectionOf(attributes: readonly string[]): { expression: string; names: Record<string, string> } {
  const names: Record<string, string> = {};
  const paths = ['pk', 'sk', ...attributes].map((path) =>
    path
      .split('.')
      .map((segment) => {
        const placeholder = `#a${Object.keys(names).length}`;
        names[placeholder] = segment;
        return placeholder;
      })
      .join('.'),
  );
  return { expression: paths.join(', '), names };
}

/** Whether a read of just these attributes can be asked for in one request (see `MAX_EXPRESSION_LENGTH`). */
export function fitsProjection(attributes: readonly string[]): boolean {
  return projectionOf(attributes).expression.length <= MAX_EXPRESSION_LENGTH;
}
