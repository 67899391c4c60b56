import { beforeAll, describe, expect, it } from 'vitest';
import { createCatalog } from '../../shared/data/catalog.js';
import { createChannel } from '../../shared/data/channel-store.js';
import type { Db } from '../../shared/data/table.js';
import { freshTable } from '../setup/table.js';

const label = { de: 'Kanal', en: 'Channel' };

describe('catalog', () => {
  let db: Db;

  beforeAll(async () => {
    db = await freshTable();
  });

  it('caches the registered channels of a survey for its TTL', async () => {
    // Prepare
    let now = 0;
    const catalog = createCatalog(db, { ttlMs: 1000, clock: () => now });
    await createChannel(db, 'cached', { code: 'first', label, kind: 'web' }, new Date());
    expect((await catalog.channels('cached')).map((c) => c.code)).toEqual(['first']);
    // Act
    await createChannel(db, 'cached', { code: 'second', label, kind: 'web' }, new Date());
    // Assess
    expect((await catalog.channels('cached')).map((c) => c.code)).toEqual(['first']);
    now = 1000;
    expect((await catalog.channels('cached')).map((c) => c.code)).toEqual(['first', 'second']);
  });
});
