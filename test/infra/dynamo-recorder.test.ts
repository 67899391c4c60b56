import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { recordingDb, tableCallsOf } from '../setup/dynamo-recorder.js';
import { freshTable } from '../setup/table.js';

describe('dynamo-recorder', () => {
  describe('tableCallsOf', () => {
    it('takes the partition key of a single-item call, plain or marshalled', () => {
      expect(tableCallsOf('GetItemCommand', { Key: { pk: 'SURVEY#mini', sk: 'META' } })).toEqual([
        { action: 'dynamodb:GetItem', keys: ['SURVEY#mini'], index: undefined, command: 'GetItem' },
      ]);
      expect(tableCallsOf('PutItemCommand', { Item: { pk: { S: 'RESP#mini#3' }, sk: { S: 'r1' } } })).toMatchObject([
        { action: 'dynamodb:PutItem', keys: ['RESP#mini#3'] },
      ]);
    });

    it("reads a query's partition key from its key condition, through attribute names too, and notes an index", () => {
      const input = {
        KeyConditionExpression: 'begins_with(sk, :p) AND #k = :v',
        ExpressionAttributeNames: { '#k': 'pk' },
        ExpressionAttributeValues: { ':p': 'WAVE#', ':v': 'SURVEY#mini' },
        IndexName: 'byState',
      };
      expect(tableCallsOf('QueryCommand', input)).toMatchObject([
        { action: 'dynamodb:Query', keys: ['SURVEY#mini'], index: 'byState' },
      ]);
      expect(() => tableCallsOf('QueryCommand', { KeyConditionExpression: 'sk = :v' })).toThrow(/no partition key/);
    });

    it('splits a transaction into the actions IAM checks, one per part', () => {
      const calls = tableCallsOf('TransactWriteItemsCommand', {
        TransactItems: [
          { Put: { Item: { pk: 'RESP#m#1', sk: 'r' } } },
          { Update: { Key: { pk: 'AGG#m#w0#2', sk: 'c' } } },
          { Delete: { Key: { pk: 'IMPACT#m', sk: 'WAVE#w0#2' } } },
          { ConditionCheck: { Key: { pk: 'SURVEY#m', sk: 'META' } } },
        ],
      });
      expect(calls.map((c) => [c.action, c.keys, c.command])).toEqual([
        ['dynamodb:PutItem', ['RESP#m#1'], 'TransactWriteItems'],
        ['dynamodb:UpdateItem', ['AGG#m#w0#2'], 'TransactWriteItems'],
        ['dynamodb:DeleteItem', ['IMPACT#m'], 'TransactWriteItems'],
        ['dynamodb:ConditionCheckItem', ['SURVEY#m'], 'TransactWriteItems'],
      ]);
    });

    it("keeps a batch's own action, with each request's key", () => {
      const write = tableCallsOf('BatchWriteItemCommand', {
        RequestItems: {
          t: [
            { PutRequest: { Item: { pk: 'INV#a', sk: 'INV' } } },
            { DeleteRequest: { Key: { pk: 'INV#b', sk: 'INV' } } },
          ],
        },
      });
      expect(write.map((c) => [c.action, c.keys])).toEqual([
        ['dynamodb:BatchWriteItem', ['INV#a']],
        ['dynamodb:BatchWriteItem', ['INV#b']],
      ]);
      const get = tableCallsOf('BatchGetItemCommand', {
        RequestItems: { t: { Keys: [{ pk: 'SURVEY#a', sk: 'META' }] } },
      });
      expect(get.map((c) => [c.action, c.keys])).toEqual([['dynamodb:BatchGetItem', ['SURVEY#a']]]);
    });

    it('gives a scan and table-level calls no leading key', () => {
      expect(tableCallsOf('ScanCommand', {})).toMatchObject([{ action: 'dynamodb:Scan', keys: [] }]);
      expect(tableCallsOf('DescribeTableCommand', {})).toMatchObject([{ action: 'dynamodb:DescribeTable', keys: [] }]);
    });
  });

  describe('recordingDb', () => {
    it('records the calls of the document client and of the client under it, failed ones too', async () => {
      const { endpoint, tableName } = await freshTable();
      const db = recordingDb(endpoint, tableName);
      await db.doc.send(new PutCommand({ TableName: tableName, Item: { pk: 'SURVEY#mini', sk: 'META' } }));
      const base = new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'INV#x' }, sk: { S: 'INV' } } });
      await db.doc.send(base as never);
      const conditional = {
        TableName: tableName,
        Item: { pk: 'SURVEY#mini', sk: 'META' },
        ConditionExpression: 'attribute_not_exists(pk)',
      };
      await expect(db.doc.send(new PutCommand(conditional))).rejects.toThrow();
      expect(db.calls.map((c) => [c.action, c.keys])).toEqual([
        ['dynamodb:PutItem', ['SURVEY#mini']],
        ['dynamodb:GetItem', ['INV#x']],
        ['dynamodb:PutItem', ['SURVEY#mini']],
      ]);
    });
  });
});
