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

/**
 * The database could not be reached or dropped the connection (restarting, failing over, a network
 * blip): the request may or may not have arrived. Writes are safe to retry (a response is guarded by
 * `attribute_not_exists`, so a retry of a write that did commit is recognised as a replay).
 */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

export function isTransientStorageError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return TRANSIENT.has(error.name) || UNREACHABLE.has(String((error as NodeJS.ErrnoException).code));
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
