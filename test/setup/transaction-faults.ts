import { type DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { seededRandom } from '../../local/random.js';

/**
 * The faults DynamoDB answers a contended or throttled `TransactWriteItems` with: a cancellation
 * whose reasons say conflict or throttling, or a throttling error for the whole request.
 */
export const conflict = () =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
  });
export const throttledReason = () =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'ThrottlingError' }, { Code: 'None' }],
  });
export const throttled = () =>
  Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
export const throttling = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

/** Every kind above, for cases that go through them in turn. */
export const TRANSACTION_FAULTS = [conflict, throttledReason, throttled, throttling] as const;

/** What a plan is shown of a transaction: its items, as the document client was given them. */
export interface TransactionInput {
  TransactItems?: { Put?: { Item?: Record<string, unknown> }; Update?: { Key?: Record<string, unknown> } }[];
}

/** Decides, per transaction attempt, whether it fails and how; `undefined` lets it through. */
export type FaultPlan = (input: TransactionInput) => Error | undefined;

export const noFaults: FaultPlan = () => undefined;

/** The next attempts fail with `faults`, one each, in order; the ones after go through. */
export function faultsInOrder(faults: readonly (() => Error)[]): FaultPlan {
  let next = 0;
  return () => faults[next++]?.();
}

/**
 * Each attempt fails with probability `rate`, with one of `TRANSACTION_FAULTS` drawn at random. The
 * draws are per transaction (keyed by its first item), each from its own stream seeded by `seed`
 * and that key: which submission meets which faults does not depend on how parallel requests
 * interleave, so a seed reproduces a run.
 */
export function faultsAtRate(rate: number, seed: number): FaultPlan {
  const streams = new Map<string, () => number>();
  return (input) => {
    const first = input.TransactItems?.[0];
    const key = JSON.stringify(first?.Put?.Item ? [first.Put.Item.pk, first.Put.Item.sk] : first?.Update?.Key);
    let random = streams.get(key);
    if (!random) {
      random = seededRandom(seed ^ hashOf(key));
      streams.set(key, random);
    }
    if (random() >= rate) return undefined;
    return TRANSACTION_FAULTS[Math.floor(random() * TRANSACTION_FAULTS.length)]?.();
  };
}

/** FNV-1a: a stable 32-bit number for a string. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

export interface TransactionFaults {
  /** Replaces the plan; attempts from now on follow it. */
  plan(plan: FaultPlan): void;
  /** Transaction attempts seen, and how many of them failed, since the client was armed. */
  readonly attempts: number;
  readonly injected: number;
}

/**
 * Arms a real client: every `TransactWriteItems` it sends (also through a document client made from
 * it) asks the plan first and throws the plan's fault before any request leaves; every other call,
 * and every transaction the plan lets through, reaches the database. Unlike `aws-sdk-client-mock`,
 * which replaces `send`, the rest of the client stays real.
 */
export function injectTransactionFaults(client: DynamoDBClient): TransactionFaults {
  let plan = noFaults;
  let attempts = 0;
  let injected = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand') {
        attempts++;
        const fault = plan(args.input as TransactionInput);
        if (fault) {
          injected++;
          throw fault;
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'transactionFaults' },
  );
  return {
    plan: (next) => {
      plan = next;
    },
    get attempts() {
      return attempts;
    },
    get injected() {
      return injected;
    },
  };
}
