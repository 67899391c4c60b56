import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClient } from '../../local/dynamodb-local.js';
import { createDb, type Db } from '../../shared/data/table.js';

/**
 * One table access as IAM sees it: the action it is authorised as and its leading (partition) keys.
 * A transaction is authorised part by part (a `Put` needs `dynamodb:PutItem`), so each part is a call
 * of its own; so is each request of a batch, under the batch's own action.
 */
export interface TableCall {
  action: string;
  /** Partition key values, `dynamodb:LeadingKeys` (empty for a scan). */
  keys: string[];
  /** Set when the call reads an index rather than the table. */
  index?: string | undefined;
  /** The SDK command that made the call, for messages (e.g. `TransactWriteItems`). */
  command: string;
}

/** The table's partition key attribute (shared/data/table.ts). */
const PK = 'pk';

const TRANSACT_PARTS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

type Input = Record<string, unknown>;
type KeyHolder = Record<string, unknown> | undefined;

/**
 * A key value as the document client passes it (`'SURVEY#x'`) or as the base client does
 * (`{ S: 'SURVEY#x' }`): the middleware sits in front of the document client's marshalling.
 */
function stringOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { S?: unknown }).S === 'string') {
    return (value as { S: string }).S;
  }
  throw new Error(`not a string key value: ${JSON.stringify(value)}`);
}

const pkOf = (holder: KeyHolder): string => stringOf(holder?.[PK]);

/** The partition key value a query's key condition names (`pk = :v`, or through `#name`). */
function queryKey(input: Input): string {
  const expression = String(input.KeyConditionExpression ?? '');
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
  for (const [, name, placeholder] of expression.matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    if ((name?.startsWith('#') ? names[name] : name) === PK) return stringOf(values[placeholder ?? '']);
  }
  throw new Error(`no partition key in key condition "${expression}"`);
}

/** The table calls one SDK command makes. */
export function tableCallsOf(commandName: string, input: Input): TableCall[] {
  const command = commandName.replace(/Command$/, '');
  const call = (action: string, keys: string[], index?: unknown): TableCall => ({
    action: `dynamodb:${action}`,
    keys,
    index: typeof index === 'string' ? index : undefined,
    command,
  });
  switch (command) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
      return [call(command, [pkOf(input.Key as KeyHolder)])];
    case 'PutItem':
      return [call(command, [pkOf(input.Item as KeyHolder)])];
    case 'Query':
      return [call(command, [queryKey(input)], input.IndexName)];
    case 'Scan':
      return [call(command, [], input.IndexName)];
    case 'TransactWriteItems':
    case 'TransactGetItems':
      return (input.TransactItems as Record<string, Input>[]).map((item) => {
        const [part, body] = Object.entries(item)[0] ?? [];
        const action = TRANSACT_PARTS[part ?? ''];
        if (!action || !body) throw new Error(`unknown transaction part ${part}`);
        return { ...call(action, [pkOf((body.Key ?? body.Item) as KeyHolder)]), command };
      });
    case 'BatchWriteItem':
      return Object.values(input.RequestItems as Record<string, Input[]>).flatMap((requests) =>
        requests.map((r) => {
          const put = r.PutRequest as { Item: KeyHolder } | undefined;
          const del = r.DeleteRequest as { Key: KeyHolder } | undefined;
          return call(command, [pkOf(put ? put.Item : del?.Key)]);
        }),
      );
    case 'BatchGetItem':
      return Object.values(input.RequestItems as Record<string, { Keys: KeyHolder[] }>).flatMap((request) =>
        request.Keys.map((key) => call(command, [pkOf(key)])),
      );
    default:
      // Table-level calls (DescribeTable, ...) have no leading key.
      return [call(command, [])];
  }
}

export interface RecordingDb extends Db {
  /** Every table call made through this db so far, in order. */
  calls: TableCall[];
}

/** Adds a middleware to `client` that appends each command's table calls to `calls`. */
export function recordCalls(client: DynamoDBClient, calls: TableCall[]): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(...tableCallsOf(context.commandName ?? '', args.input as Input));
      return next(args);
    },
    // At `initialize` the document client's commands still carry plain values (they marshal just
    // before serializing); the document client shares the base client's stack, so this sees both.
    { step: 'initialize', name: 'recordTableCalls' },
  );
}

/** A db on `tableName` in the DynamoDB Local at `endpoint` whose every call is recorded. */
export function recordingDb(endpoint: string, tableName: string): RecordingDb {
  const client = localClient(endpoint);
  const calls: TableCall[] = [];
  recordCalls(client, calls);
  return { ...createDb(client, tableName), calls };
}
