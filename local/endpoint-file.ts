import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { localClient } from './dynamodb-local.js';
import { writePrivateFile } from './private-files.js';

/**
 * `<dataDir>/endpoint.json` says which process runs DynamoDB Local on that folder's database and
 * where. Two Java processes must never open the same database files, so `npm start` refuses to
 * start a second one and `npm run demo` writes through the running one instead. Owner-only (0600),
 * as everything under the data folder.
 */
export const EndpointFile = z.object({
  endpoint: z.url(),
  tableName: z.string().min(1),
  pid: z.number().int(),
  owner: z.enum(['start', 'demo']),
});
export type EndpointFile = z.infer<typeof EndpointFile>;

const FILE = 'endpoint.json';

export async function writeEndpointFile(dataDir: string, entry: EndpointFile): Promise<void> {
  await writePrivateFile(join(dataDir, FILE), `${JSON.stringify(entry, null, 2)}\n`);
}

export async function removeEndpointFile(dataDir: string, pid = process.pid): Promise<void> {
  // Only the owner removes it: a late stop must not delete the file of a newer run.
  const current = await readEndpointFile(dataDir);
  if (current?.pid === pid) await rm(join(dataDir, FILE), { force: true });
}

export async function readEndpointFile(dataDir: string): Promise<EndpointFile | undefined> {
  const text = await readFile(join(dataDir, FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = EndpointFile.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The endpoint of a DynamoDB Local that is running on this data folder now, if any; a stale file is ignored. */
export async function liveEndpoint(dataDir: string): Promise<EndpointFile | undefined> {
  const entry = await readEndpointFile(dataDir);
  if (!entry || !isAlive(entry.pid)) return undefined;
  const client = localClient(entry.endpoint);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
    return entry;
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}
