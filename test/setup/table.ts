import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
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

/** The same table, but every `TransactWriteItems` fails with `error` (fault injection for one write path). */
export function failingTransactions(db: Db, error: Error): Db {
  const doc = {
    send: (command: unknown) =>
      command instanceof TransactWriteCommand ? Promise.reject(error) : db.doc.send(command as never),
  } as unknown as DynamoDBDocumentClient;
  return { tableName: db.tableName, doc };
}
