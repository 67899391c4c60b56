import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

export const EXPORT_BUCKET = 'resonanz-exports';

export interface LocalS3 {
  endpoint: string;
  /** A client of the server that records the name of every command it sends, in order. */
  client: S3Client;
  sent: string[];
  stop(): Promise<void>;
}

/**
 * An S3-compatible server (s3rver) on a free port with the export bucket, files in a temporary
 * folder. It speaks the S3 REST API the SDK uses (multipart uploads, presigned GETs with expiry);
 * it does not check V4 signatures, which is S3's part, not ours.
 */
export async function startLocalS3(): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 'resonanz-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: EXPORT_BUCKET }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    region: 'eu-central-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const sent: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  return {
    endpoint,
    client,
    sent,
    async stop() {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
