import type { Db } from '../shared/data/table.js';
import { InvalidSubmissionError } from '../shared/errors.js';
import type { BuildInput } from '../shared/response/build.js';
import { storeResponse } from '../shared/response/submit.js';

export interface WriteSummary {
  created: number;
  /** Already stored earlier (same seed again): counted once, as for a retried submission. */
  replayed: number;
}

/**
 * Stores generated submissions through `storeResponse`, the path `submit` uses, but into the wave
 * each input names, so past waves can be filled while another one is open. Some writes run at once: DynamoDB Local on disk
 * takes ~7 ms per transaction and gains nothing beyond ~16 in flight.
 */
export async function writeDemoResponses(
  db: Db,
  inputs: BuildInput[],
  options: { concurrency?: number; signal?: AbortSignal } = {},
): Promise<WriteSummary> {
  const summary: WriteSummary = { created: 0, replayed: 0 };
  let next = 0;
  async function worker(): Promise<void> {
    // An abort (the local system stopping) lets writes in flight finish and starts no new ones.
    for (let i = next++; i < inputs.length && !options.signal?.aborted; i = next++) {
      const input = inputs[i];
      if (!input) continue;
      const outcome = await storeResponse(db, input).catch((error: unknown) => {
        const detail = error instanceof InvalidSubmissionError ? JSON.stringify(error.issues) : String(error);
        throw new Error(`demo response ${i} for ${input.audience} could not be stored: ${detail}`, { cause: error });
      });
      summary[outcome.status]++;
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 16) }, worker));
  return summary;
}
