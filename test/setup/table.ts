import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { localClient } from '../../local/dynamodb-local.js';
import { createDb, type Db, ensureTable } from '../../shared/data/table.js';

/** A fresh table in the run's DynamoDB Local, so test files never see each other's data. */
export async function freshTable(): Promise<Db & { endpoint: string }> {
  const endpoint = inject('dynamoEndpoint');
  const client = localClient(endpoint);
  const tableName = `t-${randomUUID()}`;
  await ensureTable(client, tableName);
  return { ...createDb(client, tableName), endpoint };
}
