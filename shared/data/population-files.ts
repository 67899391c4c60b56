import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Population, PopulationFileError, parsePopulationFile } from '../stats/population.js';
import type { SurveyDefinition } from '../survey/schema.js';

/**
 * Reads population margin files from `population/` (or another folder), once per process: they
 * change with a new release, never while it runs. A missing or invalid file fails loudly with
 * `file: path: reason`, because a weighted figure on wrong margins is worse than none.
 */
const cache = new Map<string, Promise<Population>>();

async function read(file: string): Promise<Population> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new PopulationFileError(file, [{ path: '(file)', message: 'cannot be read' }], { cause: error });
  }
  const result = parsePopulationFile(file, text);
  if (!result.ok) throw new PopulationFileError(file, result.issues);
  return result.population;
}

export function loadPopulation(id: string, dir = 'population'): Promise<Population> {
  const file = join(dir, `${id}.yaml`);
  let pending = cache.get(file);
  if (!pending) {
    pending = read(file);
    // A failed read is not kept: the next call tries again (and fails again with the reason).
    pending.catch(() => cache.delete(file));
    cache.set(file, pending);
  }
  return pending;
}

/** The population file a survey is weighted to, or undefined when it sets no `settings.weighting`. */
export async function populationFor(definition: SurveyDefinition, dir = 'population'): Promise<Population | undefined> {
  const weighting = definition.settings.weighting;
  return weighting ? loadPopulation(weighting.population, dir) : undefined;
}
