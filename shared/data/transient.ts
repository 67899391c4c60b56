/**
 * Storage errors that say "not now" rather than "never": throttling, contention, timeouts. Writes
 * retry them; whatever still fails this way reaches the client as 503 with Retry-After.
 */
const TRANSIENT = new Set([
  'TimeoutError',
  'TransactionConflictException',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionInProgressException',
]);

export function isTransientStorageError(error: unknown): boolean {
  return error instanceof Error && TRANSIENT.has(error.name);
}

interface CancellationReason {
  Code?: string;
}

/** Why each item of a cancelled transaction failed (in item order); undefined for any other error. */
export function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  if (error instanceof Error && error.name === 'TransactionCanceledException') {
    return (error as Error & { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
  }
  return undefined;
}

const RETRYABLE_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

/** A write worth trying again: a transient error, or a transaction cancelled by contention or throttling. */
export function isRetryableWriteError(error: unknown): boolean {
  const reasons = cancellationReasons(error);
  return reasons
    ? reasons.some((r) => r.Code !== undefined && RETRYABLE_REASONS.has(r.Code))
    : isTransientStorageError(error);
}

/** Full jitter: spreads retries of contending writers so they stop colliding. */
export function backoffDelay(
  retry: { baseDelayMs: number; maxDelayMs: number; random: () => number },
  attempt: number,
) {
  const cap = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  return Math.floor(retry.random() * cap);
}
