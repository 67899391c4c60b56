import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkSurveyFiles, expandPaths, loadSurveys, SurveyFilesInvalidError } from '../../local/load-surveys.js';
import { miniSurveyInput } from '../fixtures/mini-survey.js';

describe('load-surveys', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'resonanz-load-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads YAML and JSON files of a folder in name order', async () => {
    const folder = join(dir, 'ok');
    await mkdir(folder);
    await writeFile(join(folder, 'b.json'), JSON.stringify({ ...miniSurveyInput, id: 'mini-b' }));
    await writeFile(join(folder, 'a.yaml'), stringify(miniSurveyInput));
    await writeFile(join(folder, 'notes.txt'), 'not a survey');

    const definitions = await loadSurveys(folder);

    expect(definitions.map((d) => d.id)).toEqual(['mini', 'mini-b']);
  });

  it('checks that a weighted survey names a population file that exists and fits it', async () => {
    const folder = join(dir, 'weighted');
    await mkdir(join(folder, 'population'), { recursive: true });
    const weighted = (population: string) => ({
      ...miniSurveyInput,
      id: `mini-${population}`,
      settings: { ...miniSurveyInput.settings, weighting: { population } },
    });
    await writeFile(join(folder, 'missing.yaml'), stringify(weighted('nowhere')));
    await writeFile(join(folder, 'misfit.yaml'), stringify(weighted('kreis-recklinghausen')));
    // A real population file, but for other towns than the mini survey's campaign.
    await writeFile(
      join(folder, 'population', 'kreis-recklinghausen.yaml'),
      await readFile('population/kreis-recklinghausen.yaml', 'utf8'),
    );

    const results = await checkSurveyFiles([join(folder, 'missing.yaml'), join(folder, 'misfit.yaml')], folder);

    expect(results.map((r) => r.ok)).toEqual([false, false]);
    const [missing, misfit] = results.map((r) =>
      r.ok ? '' : r.issues.map((i) => `${i.path}: ${i.message}`).join('\n'),
    );
    expect(missing).toMatch(
      /^settings\.weighting\.population: population file population\/nowhere\.yaml cannot be used/,
    );
    expect(misfit).toContain('settings.weighting.population (population/kreis-recklinghausen.yaml)');
    expect(misfit).toMatch(/alpha/);
  });

  it('accepts every shipped survey with its population file', async () => {
    const files = await expandPaths(['surveys']);
    const results = await checkSurveyFiles(files);
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(results.map((r) => (r.ok ? 'ok' : r.issues.map((i) => i.message).join('; ')))).toEqual(
      files.map(() => 'ok'),
    );
  });

  it('reports a survey id defined twice as an error of the later file', async () => {
    const a = join(dir, 'one.yaml');
    const b = join(dir, 'two.yaml');
    await writeFile(a, stringify(miniSurveyInput));
    await writeFile(b, stringify(miniSurveyInput));

    const results = await checkSurveyFiles([a, b], dir);

    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect(results[1]).toMatchObject({
      file: 'two.yaml',
      issues: [{ path: 'id', message: expect.stringContaining('one.yaml') }],
    });
  });

  it('fails for a folder without survey files', async () => {
    const empty = await mkdtemp(join(dir, 'empty-'));

    await expect(loadSurveys(empty)).rejects.toBeInstanceOf(SurveyFilesInvalidError);
  });

  it('names a path that does not exist', async () => {
    await expect(expandPaths([join(dir, 'missing')])).rejects.toThrow('no such file or folder');
  });
});
