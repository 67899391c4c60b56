import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type Catalog, createCatalog } from '../../shared/data/catalog.js';
import { createDb, type Db } from '../../shared/data/table.js';
import type { Config } from './config.js';
import { jsonLogger, type Logger } from './logger.js';

/** What every function builds once per process from its configuration, and shares across requests. */
export interface Runtime {
  client: DynamoDBClient;
  db: Db;
  catalog: Catalog;
  logger: Logger;
}

export function dynamoClientFor(config: Config): DynamoDBClient {
  if (!config.DYNAMODB_ENDPOINT) return new DynamoDBClient({ region: config.AWS_REGION });
  // A custom endpoint is DynamoDB Local, which accepts any credentials: fixed ones keep a local run
  // from picking up (or needing) a developer's real AWS profile.
  return new DynamoDBClient({
    region: config.AWS_REGION,
    endpoint: config.DYNAMODB_ENDPOINT,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Used by every `handler.ts` and by the local server, so both run the same wiring. */
export function createRuntime(config: Config, client: DynamoDBClient = dynamoClientFor(config)): Runtime {
  const db = createDb(client, config.TABLE_NAME);
  return {
    client,
    db,
    catalog: createCatalog(db),
    logger: jsonLogger(undefined, config.LOG_LEVEL),
  };
}
