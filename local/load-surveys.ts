import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { loadPopulation } from '../shared/data/population-files.js';
import { checkPopulationFit } from '../shared/stats/population.js';
import { type FileResult, formatFileIssues, parseSurveyFile } from '../shared/survey/parse-file.js';
import type { SurveyDefinition } from '../shared/survey/schema.js';
import type { DefinitionIssue } from '../shared/survey/validate.js';

const SURVEY_FILE = /\.(ya?ml|json)$/i;

/** How a path is named in messages: relative to `cwd` when inside it, as given otherwise. */
function displayName(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Survey files of a folder (YAML or JSON), sorted so output and publishing order are stable. */
export async function surveyFilesIn(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names
    .filter((name) => SURVEY_FILE.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/** Expands folders to their survey files; plain files are kept as given. */
export async function expandPaths(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new Error(`${path}: no such file or folder`);
    if (info.isDirectory()) files.push(...(await surveyFilesIn(path)));
    else files.push(path);
  }
  return files;
}

/**
 * A survey that is weighted must name a population file that exists, is valid and fits it (its
 * margins use dimensions and codes the survey asks, every campaign city has a population).
 */
async function populationIssues(definition: SurveyDefinition, dir: string): Promise<DefinitionIssue[]> {
  const id = definition.settings.weighting?.population;
  if (!id) return [];
  const where = 'settings.weighting.population';
  try {
    const population = await loadPopulation(id, dir);
    return checkPopulationFit(population, definition).map((i) => ({
      path: `${where} (population/${id}.yaml): ${i.path}`,
      message: i.message,
    }));
  } catch (error) {
    return [
      { path: where, message: `population file population/${id}.yaml cannot be used: ${(error as Error).message}` },
    ];
  }
}

/**
 * Parses and validates files. Names in results are relative to `cwd` so messages read
 * `surveys/x.yaml: path: reason`. A survey id defined in two files is an error of the later file.
 */
export async function checkSurveyFiles(files: string[], cwd = process.cwd()): Promise<FileResult[]> {
  const results: FileResult[] = [];
  const owners = new Map<string, string>();
  for (const path of files) {
    const file = displayName(path, cwd);
    const result = parseSurveyFile(file, await readFile(path, 'utf8'));
    if (result.ok) {
      const owner = owners.get(result.definition.id);
      if (owner) {
        results.push({
          ok: false,
          file,
          issues: [{ path: 'id', message: `survey id "${result.definition.id}" is also defined in ${owner}` }],
        });
        continue;
      }
      owners.set(result.definition.id, file);
      const weighting = await populationIssues(result.definition, join(cwd, 'population'));
      if (weighting.length > 0) {
        results.push({ ok: false, file, issues: weighting });
        continue;
      }
    }
    results.push(result);
  }
  return results;
}

export class SurveyFilesInvalidError extends Error {
  constructor(readonly failures: Extract<FileResult, { ok: false }>[]) {
    super(failures.map(formatFileIssues).join('\n'));
    this.name = 'SurveyFilesInvalidError';
  }
}

/** Every definition in a folder; throws `SurveyFilesInvalidError` (one `file:line: path: reason` line each) if any file is broken. */
export async function loadSurveys(dir: string, cwd = process.cwd()): Promise<SurveyDefinition[]> {
  const files = await surveyFilesIn(dir);
  if (files.length === 0) {
    throw new SurveyFilesInvalidError([
      {
        ok: false,
        file: displayName(dir, cwd),
        issues: [{ path: '(folder)', message: 'contains no .yaml, .yml or .json survey file' }],
      },
    ]);
  }
  return (await validSurveyFiles(files, cwd)).map((r) => r.definition);
}

/** Checks files as `checkSurveyFiles` does; throws `SurveyFilesInvalidError` unless every one is valid. */
export async function validSurveyFiles(
  files: string[],
  cwd = process.cwd(),
): Promise<Extract<FileResult, { ok: true }>[]> {
  const results = await checkSurveyFiles(files, cwd);
  const failures = results.filter((r): r is Extract<FileResult, { ok: false }> => !r.ok);
  if (failures.length > 0) throw new SurveyFilesInvalidError(failures);
  return results.filter((r): r is Extract<FileResult, { ok: true }> => r.ok);
}
