import { join } from 'node:path';
import { createDb, type Db, ensureTable } from '../shared/data/table.js';
import { type DynamoDbLocal, localClient, startDynamoDbLocal } from './dynamodb-local.js';
import { liveEndpoint, removeEndpointFile, writeEndpointFile } from './endpoint-file.js';
import { privateDir } from './private-files.js';

export interface LocalDbSession {
  db: Db;
  /** Where the database came from, for a line of output. */
  source: string;
}

/**
 * Runs `work` against the local database of `dataDir`: through the running `npm start` when there
 * is one (two Java processes must never open the same files), otherwise with a DynamoDB Local of
 * its own that is stopped again afterwards. Used by the command-line tools.
 */
export async function withLocalDb<T>(dataDir: string, work: (session: LocalDbSession) => Promise<T>): Promise<T> {
  privateDir(dataDir);
  const running = await liveEndpoint(dataDir);
  const tableName = running?.tableName ?? 'resonanz-local';
  let own: DynamoDbLocal | undefined;
  if (!running) {
    own = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') });
    await writeEndpointFile(dataDir, { endpoint: own.endpoint, tableName, pid: process.pid, owner: 'demo' });
  }
  const endpoint = running?.endpoint ?? own?.endpoint ?? '';
  const client = localClient(endpoint);
  try {
    if (own) await ensureTable(client, tableName);
    const source = running
      ? `the running local system (${endpoint})`
      : `DynamoDB Local on ${dataDir} (started for this run)`;
    return await work({ db: createDb(client, tableName), source });
  } finally {
    client.destroy();
    if (own) {
      await removeEndpointFile(dataDir);
      await own.stop();
    }
  }
}
