import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { DeleteObjectsCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type DiscardableSink, type ExportStorage, exportContentType } from '../../shared/export/jobs.js';
import type { ExportFile } from '../../shared/export/run.js';

/** The longest a download link may live (the limit: 15 minutes). */
export const MAX_LINK_SECONDS = 900;

/**
 * Part size of the multipart uploads. With two parts in flight an export file holds at most about
 * 3 x 8 MB in memory however large it grows; 10,000 parts allow files up to 80 GB.
 */
const PART_BYTES = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

/** An export file could not be stored (the S3 error is the cause; the export is discarded). */
export class ExportUploadError extends Error {
  constructor(name: string, options?: ErrorOptions) {
    super(`the upload of ${name} to the export bucket failed`, options);
    this.name = 'ExportUploadError';
  }
}

/** One file streamed into S3 as a multipart upload, written with back-pressure. */
function uploadFile(client: S3Client, bucket: string, key: string): ExportFile & { abort(): Promise<void> } {
  const body = new PassThrough();
  const upload = new Upload({
    client,
    params: { Bucket: bucket, Key: key, Body: body, ContentType: exportContentType(key) },
    partSize: PART_BYTES,
    queueSize: PARTS_IN_FLIGHT,
    leavePartsOnError: false,
  });
  const name = key.slice(key.lastIndexOf('/') + 1);
  const done = upload.done().catch((error: unknown) => {
    throw new ExportUploadError(name, { cause: error });
  });
  // Observed here so a failure before close is not unhandled; write and close see it too.
  const failed = done.then(() => new Promise<never>(() => {}));
  failed.catch(() => {});
  return {
    async write(chunk) {
      // An upload that failed stops reading: waiting for drain would wait for ever.
      // A body the upload gave up on errors too: then the upload's own failure is the answer.
      if (!body.write(chunk)) await Promise.race([once(body, 'drain').catch(() => failed), failed]);
    },
    async close() {
      body.end();
      await done;
    },
    async abort() {
      body.destroy();
      await upload.abort().catch(() => {});
      await done.catch(() => {});
    },
  };
}

/**
 * Export storage in an S3 bucket (AWS): files at `{prefix}{surveyId}/{exportId}/{file}`, written by
 * multipart uploads as the export streams, fetched through presigned GET links that live at most 15
 * minutes. The bucket keeps them private (block public access, SSL only) and expires them after 7
 * days (the CDK stack).
 */
export function s3Storage(
  client: S3Client,
  bucket: string,
  options: { linkSeconds?: number; prefix?: string; now?: () => Date } = {},
): ExportStorage {
  const linkSeconds = Math.min(options.linkSeconds ?? 300, MAX_LINK_SECONDS);
  const prefix = options.prefix ?? '';
  const now = options.now ?? (() => new Date());
  const keyOf = (surveyId: string, exportId: string, name: string) => `${prefix}${surveyId}/${exportId}/${name}`;
  return {
    sink(surveyId, exportId): DiscardableSink {
      const open = new Map<string, ReturnType<typeof uploadFile>>();
      return {
        open(name) {
          const key = keyOf(surveyId, exportId, name);
          const file = uploadFile(client, bucket, key);
          open.set(key, file);
          return file;
        },
        async discard() {
          await Promise.all([...open.values()].map((file) => file.abort()));
          if (open.size === 0) return;
          // Files already complete are deleted; a delete that fails leaves them to the lifecycle rule.
          await client
            .send(
              new DeleteObjectsCommand({
                Bucket: bucket,
                Delete: { Objects: [...open.keys()].map((Key) => ({ Key })), Quiet: true },
              }),
            )
            .catch(() => {});
        },
      };
    },
    async download(surveyId, exportId, name, as) {
      // Names come from the record's own list of files; this check keeps any other key out.
      if (!/^[a-z][a-z0-9.-]*$/i.test(name) || !/^[0-9a-f-]{36}$/.test(exportId)) return undefined;
      const issuedAt = now();
      const url = await getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket: bucket,
          Key: keyOf(surveyId, exportId, name),
          ResponseContentDisposition: `attachment; filename="${as.filename}"`,
          ResponseContentType: as.contentType,
          ResponseCacheControl: 'no-store',
        }),
        { expiresIn: linkSeconds, signingDate: issuedAt },
      );
      return { kind: 'link', url, expiresAt: new Date(issuedAt.getTime() + linkSeconds * 1000) };
    },
  };
}
