import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { isRetryableWriteError, isTransientStorageError } from '../../shared/data/transient.js';

const named = (name: string) => Object.assign(new Error(name), { name });
const network = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:8000`), { code });

describe('transient storage errors', () => {
  it('calls throttling, timeouts and an unreachable database "not now"', () => {
    for (const error of [
      named('ProvisionedThroughputExceededException'),
      named('ThrottlingException'),
      named('TimeoutError'),
      network('ECONNREFUSED'),
      network('ECONNRESET'),
      network('EPIPE'),
      network('ETIMEDOUT'),
    ]) {
      expect(isTransientStorageError(error), error.message).toBe(true);
      expect(isRetryableWriteError(error), error.message).toBe(true);
    }
  });

  it('does not call a bad request, a missing table or a failed condition transient', () => {
    const conditionFailed = new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
    });
    for (const error of [
      named('ValidationException'),
      named('ResourceNotFoundException'),
      network('ENOENT'),
      conditionFailed,
      'ECONNREFUSED',
    ]) {
      expect(isTransientStorageError(error)).toBe(false);
      expect(isRetryableWriteError(error)).toBe(false);
    }
  });
});
