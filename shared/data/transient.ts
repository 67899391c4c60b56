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
