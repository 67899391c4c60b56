import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDevKey } from '../../local/dev-token.js';
import { readEndpointFile, writeEndpointFile } from '../../local/endpoint-file.js';
import { folderStorage, outputFolder } from '../../local/export-files.js';
import { withLocalDb } from '../../local/local-db.js';
import { privateDir } from '../../local/private-files.js';
import { freshTable } from '../setup/table.js';

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

/** Writes one file through an export storage's sink, as an export does. */
async function writeThrough(sink: ReturnType<ReturnType<typeof folderStorage>['sink']>, name: string) {
  const file = sink.open(name);
  await file.write('a,b\r\n');
  await file.close();
}

describe('local files', () => {
  let base: string;
  /** A folder as a user would have made it before: readable by everyone (0755). */
  let open: string;

  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'resonanz-private-'));
    open = join(base, 'data');
    await mkdir(open);
    await chmod(open, 0o755);
  });

  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('makes a new data folder owner-only, parents included, and tightens one that was there', async () => {
    // Act
    privateDir(join(base, 'new', '.data'));
    privateDir(open);

    // Assess
    expect(await modeOf(join(base, 'new'))).toBe(0o700);
    expect(await modeOf(join(base, 'new', '.data'))).toBe(0o700);
    expect(await modeOf(open)).toBe(0o700);
  });

  it('tightens the data folder when it reads the dev key from it', async () => {
    // Prepare: a key made earlier.
    const key = await loadDevKey(open);
    await chmod(open, 0o755);

    // Act
    const again = await loadDevKey(open);

    // Assess
    expect(again).toEqual(key);
    expect(await modeOf(open)).toBe(0o700);
    expect(await modeOf(join(open, 'dev-key'))).toBe(0o600);
  });

  it('writes endpoint.json owner-only, also over a file everyone could read', async () => {
    // Prepare
    const entry = { endpoint: 'http://127.0.0.1:8000', tableName: 't', pid: 1, owner: 'start' as const };
    await writeFile(join(open, 'endpoint.json'), '{}\n', { mode: 0o644 });

    // Act
    await writeEndpointFile(open, entry);

    // Assess
    expect(await modeOf(join(open, 'endpoint.json'))).toBe(0o600);
    expect(await readEndpointFile(open)).toEqual(entry);
  });

  it('tightens the data folder when a command uses it through the running system', async () => {
    // Prepare: the folder names a running DynamoDB Local (the test run's).
    const db = await freshTable();
    await writeEndpointFile(open, { endpoint: db.endpoint, tableName: db.tableName, pid: process.pid, owner: 'start' });
    await chmod(open, 0o755);

    // Act
    const source = await withLocalDb(open, async (session) => session.source);

    // Assess
    expect(source).toContain(db.endpoint);
    expect(await modeOf(open)).toBe(0o700);
  });

  it('keeps local exports owner-only: every folder down to the export, and its files', async () => {
    // Prepare: an exports folder and a survey folder left by earlier exports, readable by everyone.
    const root = join(open, 'exports');
    await mkdir(join(root, 'mini'), { recursive: true });
    await chmod(root, 0o755);
    await chmod(join(root, 'mini'), 0o755);
    const exportId = '00000000-0000-4000-8000-000000000001';

    // Act
    await writeThrough(folderStorage(root).sink('mini', exportId), 'data.csv');

    // Assess
    for (const dir of [root, join(root, 'mini'), join(root, 'mini', exportId)]) expect(await modeOf(dir)).toBe(0o700);
    expect(await modeOf(join(root, 'mini', exportId, 'data.csv'))).toBe(0o600);
    expect(await readFile(join(root, 'mini', exportId, 'data.csv'), 'utf8')).toBe('a,b\r\n');
  });

  it('leaves the folder a user names with --out as it was', async () => {
    // Act
    await writeThrough(outputFolder(open).sink('mini', 'cli'), 'data.csv');

    // Assess: the umask decides, as for any file written there.
    await writeFile(join(open, 'plain.txt'), '');
    expect(await modeOf(open)).toBe(0o755);
    expect(await modeOf(join(open, 'data.csv'))).toBe(await modeOf(join(open, 'plain.txt')));
  });
});
