import { createReadStream } from 'node:fs';
import { type FileHandle, mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from './rows.js';

/** Folder name prefix of every spool: what `sweepStaleSpools` may remove. */
export const SPOOL_PREFIX = 'resonanz-export-spool-';

/** Characters of rows collected before they are written, and read back at a time. */
const CHUNK_CHARS = 256 * 1024;

/**
 * Coded rows parked on disk between the two passes of an export, so the responses are read from
 * DynamoDB once and memory stays flat: one JSON array of values per line, in `names` order. The
 * folder is the process's own (mode 0700, from `mkdtemp`), the file 0600, and `dispose` removes both;
 * call it in `finally`. The rows are coded already (no ids, no exact days, free text left out or
 * scrubbed) but not yet k-anonymous, so they must not outlive the export.
 */
export interface RowSpool {
  /** The spool file, for a look from tests. */
  readonly file: string;
  add(row: Row): Promise<void>;
  /** Ends writing and reads every row back once, in the order added. */
  rows(): AsyncGenerator<Row>;
  /** Removes the file and its folder (also when reading stopped half-way, or never began). */
  dispose(): Promise<void>;
}

export async function openRowSpool(names: readonly string[], dir: string = tmpdir()): Promise<RowSpool> {
  await sweepStaleSpools(dir);
  const folder = await mkdtemp(join(dir, SPOOL_PREFIX));
  const file = join(folder, 'rows.jsonl');
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'wx', 0o600);
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  let buffered = '';
  const values: (number | string | null)[] = new Array(names.length);
  const flush = async () => {
    if (buffered === '') return;
    const chunk = buffered;
    buffered = '';
    await handle?.write(chunk);
  };
  return {
    file,
    async add(row) {
      for (let i = 0; i < names.length; i++) values[i] = row[names[i] as string] ?? null;
      buffered += `${JSON.stringify(values)}\n`;
      if (buffered.length >= CHUNK_CHARS) await flush();
    },
    async *rows() {
      await flush();
      await handle?.close();
      handle = undefined;
      let rest = '';
      for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: CHUNK_CHARS })) {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) yield rowOf(names, line);
      }
      if (rest !== '') yield rowOf(names, rest);
    },
    async dispose() {
      await handle?.close().catch(() => {});
      handle = undefined;
      await rm(folder, { recursive: true, force: true });
    },
  };
}

function rowOf(names: readonly string[], line: string): Row {
  const values = JSON.parse(line) as (number | string | null)[];
  const row: Row = {};
  for (let i = 0; i < names.length; i++) {
    const value = values[i];
    if (value !== null && value !== undefined) row[names[i] as string] = value;
  }
  return row;
}

/**
 * How old a spool folder must be before another export removes it: an export that crashed without
 * its `finally` (a Lambda function that timed out keeps its /tmp for the next invocation). Older
 * than any export may run (`RUNNING_LIMIT_MS` in jobs.ts is the same hour), so a live one is never hit.
 */
export const STALE_SPOOL_MS = 60 * 60 * 1000;

/** Removes spool folders in `dir` whose file (or, without one, the folder) is older than `STALE_SPOOL_MS`. */
export async function sweepStaleSpools(dir: string, now = Date.now()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(SPOOL_PREFIX)) continue;
    const path = join(dir, name);
    const changed = await stat(join(path, 'rows.jsonl'))
      .catch(() => stat(path))
      .then(
        (s) => s.mtimeMs,
        () => now,
      );
    if (now - changed > STALE_SPOOL_MS) {
      await rm(path, { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}
