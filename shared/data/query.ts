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
  // An attribute with dots is a document path (`answers.city`): each segment gets its own name.
  const names: Record<string, string> = {};
  const projection =
    attributes &&
    ['pk', 'sk', ...attributes].map((path) =>
      path
        .split('.')
        .map((segment) => {
          const placeholder = `#a${Object.keys(names).length}`;
          names[placeholder] = segment;
          return placeholder;
        })
        .join('.'),
    );
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
        ...(projection ? { ProjectionExpression: projection.join(', '), ExpressionAttributeNames: names } : {}),
      }),
    );
    yield page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}
