import { describe, expect, it } from 'vitest';
import type { TableCall } from '../setup/dynamo-recorder.js';
import { isAllowed, stringLike } from '../setup/iam-policy.js';
import type { Statement } from './synth.js';

const TABLE = { 'Fn::GetAtt': ['SurveysTable', 'Arn'] };
const OTHER_TABLE = { 'Fn::GetAtt': ['OtherTable', 'Arn'] };

const allow = (actions: string[], keys?: string[], resource: unknown = TABLE): Statement => ({
  Effect: 'Allow',
  Action: actions.length === 1 ? (actions[0] as string) : actions,
  Resource: resource,
  ...(keys ? { Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keys } } } : {}),
});
const call = (action: string, keys: string[], index?: string): TableCall => ({
  action: `dynamodb:${action}`,
  keys,
  index,
  command: action,
});

describe('iam-policy', () => {
  describe('stringLike', () => {
    it('matches * against any run of characters, ? against one, and nothing else loosely', () => {
      expect(stringLike('SURVEY#*', 'SURVEY#mini')).toBe(true);
      expect(stringLike('SURVEY#*', 'SURVEY#')).toBe(true);
      expect(stringLike('SURVEY#*', 'RESP#mini#3')).toBe(false);
      expect(stringLike('AGG#?', 'AGG#1')).toBe(true);
      expect(stringLike('AGG#?', 'AGG#12')).toBe(false);
      expect(stringLike('a.b', 'axb')).toBe(false);
      expect(stringLike('survey#*', 'SURVEY#mini')).toBe(false);
      expect(stringLike('dynamodb:getitem', 'dynamodb:GetItem', true)).toBe(true);
    });
  });

  describe('isAllowed', () => {
    const policy = [allow(['dynamodb:GetItem', 'dynamodb:Query'], ['SURVEY#*', 'AGG#*'])];

    it('allows a call whose action is granted and whose every key matches a pattern', () => {
      expect(isAllowed(policy, TABLE, call('GetItem', ['SURVEY#mini']))).toBe(true);
      expect(isAllowed(policy, TABLE, call('Query', ['AGG#mini#w0#2']))).toBe(true);
    });

    it('denies a key outside the patterns, and a call with one such key among others', () => {
      expect(isAllowed(policy, TABLE, call('GetItem', ['RESP#mini#3']))).toBe(false);
      expect(isAllowed(policy, TABLE, call('GetItem', ['SURVEY#mini', 'RESP#mini#3']))).toBe(false);
    });

    it('denies an action that is not granted, and matches wildcard actions case-insensitively', () => {
      expect(isAllowed(policy, TABLE, call('PutItem', ['SURVEY#mini']))).toBe(false);
      const wide = [allow(['dynamodb:*'], ['SURVEY#*'])];
      expect(isAllowed(wide, TABLE, call('DeleteItem', ['SURVEY#mini']))).toBe(true);
      expect(isAllowed([allow(['DynamoDB:get*'], ['SURVEY#*'])], TABLE, call('GetItem', ['SURVEY#x']))).toBe(true);
    });

    it('lets a scan through any key condition (no leading key), so only withholding the action stops it', () => {
      expect(isAllowed([allow(['dynamodb:Scan'], ['SURVEY#*'])], TABLE, call('Scan', []))).toBe(true);
      expect(isAllowed(policy, TABLE, call('Scan', []))).toBe(false);
    });

    it('allows an index only where a resource names it, and nothing on another table', () => {
      expect(isAllowed(policy, TABLE, call('Query', ['SURVEY#mini'], 'byState'))).toBe(false);
      const indexes = { 'Fn::Join': ['', [TABLE, '/index/*']] };
      expect(
        isAllowed([allow(['dynamodb:Query'], ['SURVEY#*'], indexes)], TABLE, call('Query', ['SURVEY#m'], 'byState')),
      ).toBe(true);
      expect(
        isAllowed([allow(['dynamodb:GetItem'], ['SURVEY#*'], OTHER_TABLE)], TABLE, call('GetItem', ['SURVEY#m'])),
      ).toBe(false);
      expect(isAllowed([allow(['dynamodb:GetItem'], undefined, '*')], TABLE, call('GetItem', ['RESP#m#1']))).toBe(true);
    });

    it('lets an explicit Deny win over an Allow', () => {
      const denyResponses: Statement = { ...allow(['dynamodb:*'], ['RESP#*']), Effect: 'Deny' };
      expect(isAllowed([allow(['dynamodb:GetItem']), denyResponses], TABLE, call('GetItem', ['RESP#m#1']))).toBe(false);
      expect(isAllowed([allow(['dynamodb:GetItem']), denyResponses], TABLE, call('GetItem', ['SURVEY#m']))).toBe(true);
    });

    it('refuses to judge a condition it does not model', () => {
      const other: Statement = {
        ...allow(['dynamodb:GetItem']),
        Condition: { StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' } },
      };
      expect(() => isAllowed([other], TABLE, call('GetItem', ['SURVEY#m']))).toThrow(/not supported/);
    });
  });
});
