import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Single-table design. Every item has a string partition key `pk` and sort key `sk`:
 *
 * | item            | pk                                  | sk                      |
 * |-----------------|-------------------------------------|-------------------------|
 * | survey pointer  | SURVEY#{surveyId}                   | META                    |
 * | survey index    | SURVEY#_index                       | {surveyId}              |
 * | definition      | SURVEY#{surveyId}                   | DEF#{version}           |
 * | wave state      | SURVEY#{surveyId}                   | WAVE#{waveId}           |
 * | channel         | SURVEY#{surveyId}                   | CHANNEL#{code}          |
 * | quota           | SURVEY#{surveyId}                   | QUOTA#{quotaId}         |
 * | export record   | SURVEY#{surveyId}                   | EXPORT#{exportId}       |
 * | response        | RESP#{surveyId}#{shard}             | {responseId}            |
 * | aggregate cell  | AGG#{surveyId}#{waveId}#{shard}     | {cellKey}[#p{part}]     |
 * | invite batch    | INVBATCH#{surveyId}                 | {batchId}               |
 * | invitation      | INV#{sha256(token)}                 | INV                     |
 * | impact snapshot | IMPACT#{surveyId}                   | WAVE#{waveId}[#{chunk}] |
 *
 * Responses are keyed without the wave so a retried submission maps to one item whatever wave is
 * open when the retry arrives. Invitations are keyed by the token's hash alone (the plain token is
 * never stored) and share no key part with responses: see `shared/data/invitation-store.ts`.
 * Invitation batches have a partition of their own, not the survey's: the respondent function
 * counts a use on its batch, and its grant to update `INVBATCH#*` items (infra/access.ts) then
 * reaches no definition, wave or channel.
 * The survey index repeats every pointer in one partition, so surveys are listed by a Query (no
 * function may Scan); `_index` can never be a survey id, which starts with a letter.
 */
export const keys = {
  survey: (surveyId: string) => ({ pk: `SURVEY#${surveyId}`, sk: 'META' }),
  surveyIndexPartition: 'SURVEY#_index',
  surveyIndex: (surveyId: string) => ({ pk: 'SURVEY#_index', sk: surveyId }),
  definition: (surveyId: string, version: string) => ({ pk: `SURVEY#${surveyId}`, sk: `DEF#${version}` }),
  /** Which retention rule the survey's stored responses carry (`shared/data/response-retention.ts`). */
  retentionApplied: (surveyId: string) => ({ pk: `SURVEY#${surveyId}`, sk: 'RETENTION' }),
  wave: (surveyId: string, waveId: string) => ({ pk: `SURVEY#${surveyId}`, sk: `WAVE#${waveId}` }),
  channel: (surveyId: string, code: string) => ({ pk: `SURVEY#${surveyId}`, sk: `CHANNEL#${code}` }),
  quota: (surveyId: string, quotaId: string) => ({ pk: `SURVEY#${surveyId}`, sk: `QUOTA#${quotaId}` }),
  exportRecord: (surveyId: string, exportId: string) => ({ pk: `SURVEY#${surveyId}`, sk: `EXPORT#${exportId}` }),
  responsePartition: (surveyId: string, shard: number) => `RESP#${surveyId}#${shard}`,
  aggregatePartition: (surveyId: string, waveId: string, shard: number) => `AGG#${surveyId}#${waveId}#${shard}`,
  invitationBatch: (surveyId: string, batchId: string) => ({ pk: `INVBATCH#${surveyId}`, sk: batchId }),
  invitationBatchPartition: (surveyId: string) => `INVBATCH#${surveyId}`,
  invitation: (tokenHash: string) => ({ pk: `INV#${tokenHash}`, sk: 'INV' }),
  impactSnapshotPartition: (surveyId: string) => `IMPACT#${surveyId}`,
  impactSnapshot: (surveyId: string, waveId: string, chunk?: number) => ({
    pk: `IMPACT#${surveyId}`,
    sk: chunk === undefined ? `WAVE#${waveId}` : `WAVE#${waveId}#${chunk}`,
  }),
  /** A wave's released figures: its first settled snapshot, kept (see impact-snapshot-store.ts). */
  impactRelease: (surveyId: string, waveId: string) => ({ pk: `IMPACT#${surveyId}`, sk: `RELEASE#${waveId}` }),
};

/** How many partitions responses of one survey are spread over (fixed: exports query them all). */
export const RESPONSE_SHARDS = 16;

export interface Db {
  doc: DynamoDBDocumentClient;
  tableName: string;
}

export function createDb(client: DynamoDBClient, tableName: string): Db {
  return {
    doc: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    tableName,
  };
}

/** Creates the table as the CDK stack does (on-demand, pk/sk, TTL is set in AWS). Idempotent. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
}
