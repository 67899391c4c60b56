import { createHash } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_LINK_SECONDS, s3Storage } from '../../functions/export/s3-storage.js';
import type { ExportDownload } from '../../shared/export/jobs.js';
import { EXPORT_BUCKET, type LocalS3, startLocalS3 } from '../setup/s3.js';

const EXPORT_ID = '0f8b8c1e-4a7e-4d5c-9a51-3c2b1a0f9e8d';
const AS = { filename: 'mini-data.csv', contentType: 'text/csv; charset=utf-8' };

describe('S3 export storage', () => {
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startLocalS3();
  });
  afterAll(() => s3.stop());
  beforeEach(() => {
    s3.sent.length = 0;
  });

  const keysUnder = async (prefix: string) =>
    ((await s3.client.send(new ListObjectsV2Command({ Bucket: EXPORT_BUCKET, Prefix: prefix }))).Contents ?? []).map(
      (o) => o.Key,
    );
  const linkOf = (download: ExportDownload | undefined) => {
    if (download?.kind !== 'link') throw new Error(`expected a link, got ${download?.kind}`);
    return download;
  };

  it('streams a large file as a multipart upload and serves it through a presigned link of 5 minutes', async () => {
    const storage = s3Storage(s3.client, EXPORT_BUCKET, { prefix: 'big/' });
    const sink = storage.sink('mini', EXPORT_ID);
    const file = sink.open('data.csv');
    const line = `${'x'.repeat(1023)}\n`;
    const hash = createHash('md5');
    // 20 MB in 1 KB writes: three 8 MB parts, never the whole file in memory.
    for (let i = 0; i < 20 * 1024; i++) {
      await file.write(line);
      hash.update(line);
    }
    await file.close();
    expect(s3.sent.filter((c) => c === 'CreateMultipartUpload')).toHaveLength(1);
    expect(s3.sent.filter((c) => c === 'UploadPart')).toHaveLength(3);
    expect(s3.sent.filter((c) => c === 'CompleteMultipartUpload')).toHaveLength(1);
    expect(s3.sent).not.toContain('PutObject');

    const before = Date.now();
    const link = linkOf(await storage.download('mini', EXPORT_ID, 'data.csv', AS));
    const url = new URL(link.url);
    expect(url.pathname).toBe(`/${EXPORT_BUCKET}/big/mini/${EXPORT_ID}/data.csv`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(link.expiresAt.getTime() - before).toBeGreaterThanOrEqual(299_000);
    expect(link.expiresAt.getTime() - before).toBeLessThanOrEqual(301_000);
    const res = await fetch(link.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="mini-data.csv"');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBe(20 * 1024 * 1024);
    expect(createHash('md5').update(body).digest('hex')).toBe(hash.digest('hex'));
  });

  it('puts a small file in one request, typed by its name', async () => {
    const storage = s3Storage(s3.client, EXPORT_BUCKET, { prefix: 'small/' });
    const file = storage.sink('mini', EXPORT_ID).open('codebook.json');
    await file.write('{"surveyId":"mini"}');
    await file.close();
    expect(s3.sent).toEqual(['PutObject']);
    const link = linkOf(await storage.download('mini', EXPORT_ID, 'codebook.json', AS));
    expect(await (await fetch(link.url)).text()).toBe('{"surveyId":"mini"}');
  });

  it('never hands out a link that lives longer than 15 minutes, and an expired link is refused', async () => {
    const long = s3Storage(s3.client, EXPORT_BUCKET, { prefix: 'small/', linkSeconds: 24 * 3600 });
    const link = linkOf(await long.download('mini', EXPORT_ID, 'codebook.json', AS));
    expect(new URL(link.url).searchParams.get('X-Amz-Expires')).toBe(String(MAX_LINK_SECONDS));

    // Signed 20 minutes ago for 5 minutes: S3 refuses it.
    const past = new Date(Date.now() - 20 * 60_000);
    const stale = s3Storage(s3.client, EXPORT_BUCKET, { prefix: 'small/', now: () => past });
    const expired = linkOf(await stale.download('mini', EXPORT_ID, 'codebook.json', AS));
    expect(expired.expiresAt.getTime()).toBeLessThan(Date.now());
    expect((await fetch(expired.url)).status).toBe(403);
  });

  it('refuses names that are not export files instead of signing them', async () => {
    const storage = s3Storage(s3.client, EXPORT_BUCKET);
    expect(await storage.download('mini', EXPORT_ID, '../other/data.csv', AS)).toBeUndefined();
    expect(await storage.download('mini', 'not-an-export', 'data.csv', AS)).toBeUndefined();
  });

  it('aborts the multipart upload when a part fails, and discards every file of the export', async () => {
    let parts = 0;
    const failSecondPart = 'failSecondPart';
    s3.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UploadPartCommand' && ++parts === 2) throw new Error('connection reset');
        return next(args);
      },
      { step: 'initialize', name: failSecondPart },
    );
    try {
      const storage = s3Storage(s3.client, EXPORT_BUCKET, { prefix: 'failing/' });
      const sink = storage.sink('mini', EXPORT_ID);
      const codebook = sink.open('codebook.md');
      await codebook.write('# Codebook');
      await codebook.close();
      const data = sink.open('data.csv');
      const chunk = 'y'.repeat(64 * 1024);
      await expect(
        (async () => {
          for (let i = 0; i < 40 * 16; i++) await data.write(chunk);
          await data.close();
        })(),
      ).rejects.toThrow('the upload of data.csv to the export bucket failed');
      await sink.discard();
      expect(s3.sent).toContain('AbortMultipartUpload');
      expect(s3.sent).not.toContain('CompleteMultipartUpload');
      expect(s3.sent.at(-1)).toBe('DeleteObjects');
      expect(await keysUnder('failing/')).toEqual([]);
    } finally {
      s3.client.middlewareStack.remove(failSecondPart);
    }
  });
});
