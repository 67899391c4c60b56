import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Row } from '../../shared/export/rows.js';
import { openRowSpool, SPOOL_PREFIX, STALE_SPOOL_MS, sweepStaleSpools } from '../../shared/export/spool.js';

describe('row spool', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'resonanz-spool-unit-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives back every row in order, with text, numbers and missing values as they were', async () => {
    // Prepare: texts a line-based file could trip over, and enough rows for several chunks.
    const names = ['row_id', 'wave', 'period', 'seen_what'];
    const texts = ['Zeile 1\nZeile 2', 'Anführungszeichen " und \\ Backslash', '=HYPERLINK("x")', '', 'Ümlaut 😀'];
    const rows: Row[] = Array.from({ length: 20_000 }, (_, i) => ({
      row_id: 0,
      wave: (i % 3) + 1,
      ...(i % 7 === 0 ? {} : { period: `2027-W${String((i % 52) + 1).padStart(2, '0')}` }),
      seen_what: texts[i % texts.length] as string,
    }));
    const spool = await openRowSpool(names, dir);
    try {
      // Act
      for (const row of rows) await spool.add(row);
      const back: Row[] = [];
      for await (const row of spool.rows()) back.push(row);
      // Assess
      expect(back).toEqual(rows);
    } finally {
      await spool.dispose();
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes its folder when disposed before reading, or after reading stopped half-way', async () => {
    const first = await openRowSpool(['a'], dir);
    await first.add({ a: 1 });
    expect(readdirSync(dir)).toHaveLength(1);
    await first.dispose();
    const second = await openRowSpool(['a'], dir);
    for (let i = 0; i < 10; i++) await second.add({ a: i });
    for await (const row of second.rows()) if (row.a === 3) break;
    await second.dispose();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('sweeps spools left by a crashed export once they are older than any export runs, and nothing else', async () => {
    // Prepare: a live spool, then an abandoned one and a folder of someone else's, both old.
    const live = await openRowSpool(['a'], dir);
    await live.add({ a: 1 });
    const now = Date.now();
    const old = new Date(now - STALE_SPOOL_MS - 60_000);
    const abandoned = join(dir, `${SPOOL_PREFIX}abandoned`);
    const other = join(dir, 'someone-elses-folder');
    for (const folder of [abandoned, other]) {
      mkdirSync(folder);
      writeFileSync(join(folder, 'rows.jsonl'), '[1]\n');
      utimesSync(join(folder, 'rows.jsonl'), old, old);
      utimesSync(folder, old, old);
    }
    // Act
    const removed = await sweepStaleSpools(dir, now);
    // Assess
    expect(removed).toBe(1);
    expect(readdirSync(dir).sort()).toEqual([live.file.split('/').at(-2), 'someone-elses-folder'].sort());
    const back: Row[] = [];
    for await (const row of live.rows()) back.push(row);
    expect(back).toEqual([{ a: 1 }]);
    await live.dispose();
  });

  it('sweeps stale spools whenever a new one opens', async () => {
    const old = new Date(Date.now() - STALE_SPOOL_MS - 60_000);
    const abandoned = join(dir, `${SPOOL_PREFIX}abandoned`);
    mkdirSync(abandoned);
    utimesSync(abandoned, old, old);
    const spool = await openRowSpool(['a'], dir);
    expect(readdirSync(dir)).toEqual([spool.file.split('/').at(-2)]);
    await spool.dispose();
  });
});
