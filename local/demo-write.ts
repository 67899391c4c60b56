import { contributionOf } from '../shared/aggregate/contribution.js';
import { saveResponse } from '../shared/data/response-store.js';
import type { Db } from '../shared/data/table.js';
import { type BuildInput, buildResponse } from '../shared/response/build.js';
import { checkAnswers } from '../shared/survey/answers.js';

export interface WriteSummary {
  created: number;
  /** Already stored earlier (same seed again): counted once, as for a retried submission. */
  replayed: number;
}

/**
 * Stores generated submissions the way `submit` does — checked answers, `buildResponse`, one
 * transaction with the aggregate contribution — but into the wave each input names, so past
 * waves can be filled while another one is open. Some writes run at once: DynamoDB Local on disk
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
      const spec = input.definition.audiences[input.audience];
      const checked = spec ? checkAnswers(spec, input.answers) : undefined;
      if (!checked?.ok) {
        const issues = checked ? JSON.stringify(checked.issues) : 'unknown audience';
        throw new Error(`demo response ${i} for ${input.audience} is invalid: ${issues}`);
      }
      const response = buildResponse({ ...input, answers: checked.answers });
      const outcome = await saveResponse(
        db,
        response,
        contributionOf(input.definition, response),
        input.definition.settings.aggregateShards,
      );
      summary[outcome.status]++;
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 16) }, worker));
  return summary;
}
