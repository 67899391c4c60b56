import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { StorageBusyError } from '../errors.js';
import type { RetryPolicy, TransactItem } from './response-store.js';
import type { Db } from './table.js';
import { backoffDelay, cancellationReasons, isRetryableWriteError } from './transient.js';

/**
 * Runs a conditional write: true when it was made, false when its condition did not hold
 * (`ConditionalCheckFailedException`); any other error is thrown.
 */
export async function writtenIf(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/**
 * Writes `items` in one transaction, retrying what is retryable (conflicts, throttling, an
 * unreachable database) with full jitter: true when it was written, false when a condition of one of
 * the items did not hold. After `retry.attempts` busy tries it throws `StorageBusyError`.
 */
export async function transactedIf(
  db: Db,
  items: TransactItem[],
  retry: Omit<RetryPolicy, 'retryAfterSeconds'>,
): Promise<boolean> {
  const command = new TransactWriteCommand({ TransactItems: items });
  for (let attempt = 1; ; attempt++) {
    try {
      await db.doc.send(command);
      return true;
    } catch (error) {
      if (cancellationReasons(error)?.some((r) => r.Code === 'ConditionalCheckFailed')) return false;
      if (!isRetryableWriteError(error)) throw error;
      if (attempt >= retry.attempts) throw new StorageBusyError(2, { cause: error });
      await retry.sleep(backoffDelay(retry, attempt));
    }
  }
}
