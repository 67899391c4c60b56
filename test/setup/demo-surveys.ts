import { readFileSync } from 'node:fs';
import { generateDemoResponses } from '../../local/demo-data.js';
import { seededRandom } from '../../local/random.js';
import { publishDefinition } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import { storeResponse } from '../../shared/response/submit.js';
import { formatFileIssues, parseSurveyFile } from '../../shared/survey/parse-file.js';
import type { SurveyDefinition } from '../../shared/survey/schema.js';

/** A survey file of `surveys/` as the loader reads it; a file that does not parse fails the test. */
export function loadSurveyFile(file: string): SurveyDefinition {
  const parsed = parseSurveyFile(file, readFileSync(file, 'utf8'));
  if (!parsed.ok) throw new Error(formatFileIssues(parsed));
  return parsed.definition;
}

/**
 * Publishes `definition` and stores `count` demo responses of `npm start` (local/demo-data.ts),
 * seeded so that a test sees the same figures run after run.
 */
export async function publishWithDemo(db: Db, definition: SurveyDefinition, count: number, seed: number) {
  await publishDefinition(db, definition);
  const inputs = generateDemoResponses(definition, {
    count,
    random: seededRandom(seed),
    now: new Date('2027-06-30T12:00:00Z'),
  });
  for (let i = 0; i < inputs.length; i += 25) {
    await Promise.all(inputs.slice(i, i + 25).map((input) => storeResponse(db, input)));
  }
}
