import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDb } from '../shared/data/table.js';
import { UsageError } from './admin-cli/command.js';
import { type LocalDbSession, withLocalDb } from './local-db.js';

/** The options every script that opens the database takes (no defaults: `--data-dir` and `--table` exclude each other). */
export const TARGET_OPTIONS = {
  'data-dir': { type: 'string' },
  table: { type: 'string' },
  region: { type: 'string' },
} as const;

/** Lines for a --help text, aligned like the rest of it (`width` = column of the descriptions). */
export function targetHelp(width: number): string[] {
  const lines: [string, string][] = [
    ['--data-dir DIR', 'local data folder (default .data, or RESONANZ_DATA_DIR)'],
    ['--table NAME', 'a deployed table instead (the stack output TableName); no DynamoDB Local'],
    ['--region R', 'its region (default: AWS_REGION or the profile; the stack deploys to eu-central-1)'],
  ];
  return lines.map(([option, text]) => `  ${option.padEnd(width - 2)}${text}`);
}

/** A deployed table that cannot be used as asked: one line, no stack trace. */
export class TargetTableError extends UsageError {
  override name = 'TargetTableError';
}

type Values = Record<string, unknown>;

/**
 * Runs `work` against the database the options name: with `--table`, that DynamoDB table through
 * the SDK's default credential chain and region (or `--region`); without it, the local database of
 * `--data-dir` as before. The session's `source` names the database for a line of output (the
 * region, never anything about credentials).
 */
export async function withTargetDb<T>(values: Values, work: (session: LocalDbSession) => Promise<T>): Promise<T> {
  const table = optional(values, 'table');
  const region = optional(values, 'region');
  const dataDir = optional(values, 'data-dir');
  if (table === undefined) {
    if (region !== undefined) throw new UsageError('--region goes with --table');
    return withLocalDb(resolve(dataDir ?? (process.env.RESONANZ_DATA_DIR || '.data')), work);
  }
  if (dataDir !== undefined) throw new UsageError('give --table or --data-dir, not both');
  const client = new DynamoDBClient(region ? { region } : {});
  try {
    const source = `table ${table} in ${await regionOf(client)}`;
    return await work({ db: createDb(client, table), source }).catch((error: unknown) => {
      throw explained(error, source) ?? error;
    });
  } finally {
    client.destroy();
  }
}

function optional(values: Values, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} needs a value`);
  return value;
}

async function regionOf(client: DynamoDBClient): Promise<string> {
  try {
    return await client.config.region();
  } catch {
    throw new TargetTableError(
      'no AWS region configured: give --region (the stack deploys to eu-central-1) or set AWS_REGION',
    );
  }
}

/** AWS errors a wrong table, region or sign-in cause, as one line naming what to check. */
function explained(error: unknown, source: string): TargetTableError | undefined {
  const name = (error as Error | undefined)?.name;
  const message = (error as Error | undefined)?.message;
  if (name === 'ResourceNotFoundException')
    return new TargetTableError(`${source} does not exist: check --table (the stack output TableName) and --region`);
  if (name === 'CredentialsProviderError')
    return new TargetTableError(`no AWS credentials found for ${source} (${message})`);
  if (
    name === 'AccessDeniedException' ||
    name === 'UnrecognizedClientException' ||
    name === 'ExpiredTokenException' ||
    name === 'InvalidSignatureException'
  )
    return new TargetTableError(`AWS refused access to ${source}: ${name}: ${message}`);
  return undefined;
}
