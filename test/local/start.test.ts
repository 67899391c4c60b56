import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardLink, fieldworkLink, formatBanner, signInLink, surveyLink } from '../../local/banner.js';
import { generateDemoResponses } from '../../local/demo-data.js';
import { localClient } from '../../local/dynamodb-local.js';
import { SurveyFilesInvalidError } from '../../local/load-surveys.js';
import { seededRandom } from '../../local/random.js';
import { AlreadyRunningError, type LocalSystem, type StartLocalOptions, startLocal } from '../../local/start.js';
import { getResponse } from '../../shared/data/response-store.js';
import { createDb } from '../../shared/data/table.js';
import { json } from '../setup/respond-app.js';

const SURVEYS_DIR = fileURLToPath(new URL('../../surveys', import.meta.url));
const SLOW = 90_000;

describe('startLocal', () => {
  let dataDir: string;
  let options: StartLocalOptions;
  let system: LocalSystem | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'resonanz-start-'));
    // As a .data made before the folder was kept owner-only: the start must tighten it.
    await chmod(dataDir, 0o755);
    options = { dataDir, surveysDir: SURVEYS_DIR, port: 0, demoResponses: 12, logLevel: 'silent' };
  });

  afterAll(async () => {
    await system?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'serves every survey with an open wave and fills demo data once',
    async () => {
      system = await startLocal(options);

      const health = await fetch(`${system.url}/health`);
      expect(health.status).toBe(200);
      expect(system.surveys.map((s) => s.definition.id).sort()).toEqual([
        'handwerk-recklinghausen',
        'handwerk-unna',
        'reallabor-handwerk-bottrop',
        'unternehmensbefragung-emscher-lippe',
      ]);
      for (const survey of system.surveys) {
        for (const audience of survey.audiences) {
          const page = await fetch(surveyLink(system.url, survey.definition.id, audience));
          expect(page.status, `${survey.definition.id} ${audience}`).toBe(200);
          expect(page.headers.get('content-type')).toContain('text/html');
        }
        const res = await fetch(`${system.url}/api/v1/surveys/${survey.definition.id}`);
        expect(res.status, survey.definition.id).toBe(200);
        expect((await json(res)).wave.id).toBe(survey.openWave);
        // With demo data the latest wave collects; the earlier ones are over, with figures to show.
        expect(survey.openWave).toBe(survey.definition.waves.at(-1)?.id);
        expect(survey.demoPlanned).toBe(12);
      }
      const banner = formatBanner(system);
      expect(banner).toContain(`${system.url}/health`);
      expect(banner).toContain('npm run token -- --role lead --campaign');
      expect(banner).toContain(signInLink(system.url, system.signInToken));
      const me = await fetch(`${system.url}/api/v1/reports/me`, {
        headers: { authorization: `Bearer ${system.signInToken}` },
      });
      expect(await json(me)).toEqual({ sub: 'local-dev', roles: ['lead', 'admin'], campaigns: ['*'] });
      for (const survey of system.surveys) {
        const page = await fetch(fieldworkLink(system.url, survey.definition.id));
        expect(page.status).toBe(200);
        expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
        expect(banner).toContain(`${survey.definition.campaign.name.de} (${survey.definition.id},`);
        expect(banner).toContain(fieldworkLink(system.url, survey.definition.id));
        expect(banner).toContain(dashboardLink(system.url, survey.definition.id));
        expect((await fetch(dashboardLink(system.url, survey.definition.id))).status).toBe(200);
        // Weighted where the survey names population margins; the Emscher-Lippe survey is unweighted.
        // Without an audience the report shows the survey's first (the business survey has no public).
        const weighted = survey.definition.settings.weighting !== undefined;
        const impact = await fetch(`${system.url}/api/v1/surveys/${survey.definition.id}/impact?weighted=${weighted}`, {
          headers: { authorization: `Bearer ${system.signInToken}` },
        });
        expect(impact.status).toBe(200);
        const figures = await json(impact);
        expect(figures.weighted).toBe(weighted);
        expect(figures.audience).toBe(survey.audiences[0]);
        const report = await fetch(`${system.url}/api/v1/surveys/${survey.definition.id}/fieldwork`, {
          headers: { authorization: `Bearer ${system.signInToken}`, accept: 'text/html' },
        });
        expect(report.status).toBe(200);
        expect(await report.text()).toMatch(/^<div class="report" lang="de">/);
        for (const audience of survey.audiences) {
          expect(banner).toContain(surveyLink(system.url, survey.definition.id, audience));
        }
      }
      const demo = await system.demo;
      expect(demo.map((d) => [d.surveyId, d.created, d.error])).toEqual(
        system.surveys.map((s) => [s.definition.id, 12, undefined]),
      );
    },
    SLOW,
  );

  it('keeps the data folder, the database folder, the endpoint file and the dev key owner-only', async () => {
    const modeOf = async (path: string) => (await stat(path)).mode & 0o777;
    expect(await modeOf(dataDir)).toBe(0o700);
    expect(await modeOf(join(dataDir, 'dynamodb'))).toBe(0o700);
    expect(await modeOf(join(dataDir, 'endpoint.json'))).toBe(0o600);
    expect(await modeOf(join(dataDir, 'dev-key'))).toBe(0o600);
  });

  it('refuses a second start on the same data folder', async () => {
    await expect(startLocal(options)).rejects.toBeInstanceOf(AlreadyRunningError);
  });

  it(
    'keeps a submitted response across a restart and stops DynamoDB Local',
    async () => {
      if (!system) throw new Error('the first test did not start the system');
      const survey = system.surveys[0];
      if (!survey) throw new Error('no survey');
      const [input] = generateDemoResponses(survey.definition, { count: 1, random: seededRandom(3), now: new Date() });
      const body = JSON.stringify({
        submissionId: input?.submissionId,
        audience: input?.audience,
        answers: input?.answers,
      });
      const post = () =>
        fetch(`${system?.url}/api/v1/surveys/${survey.definition.id}/responses`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
      const created = await post();
      expect(created.status).toBe(201);
      const { responseId } = await json(created);
      const stopped = localClient(system.endpoint);

      await system.stop();
      await expect(stopped.send(new ListTablesCommand({}))).rejects.toThrow();
      stopped.destroy();
      system = await startLocal(options);

      expect(system.surveys.map((s) => s.demoPlanned)).toEqual(system.surveys.map(() => 0));
      const replay = await post();
      expect(replay.status).toBe(200);
      const client = localClient(system.endpoint);
      const stored = await getResponse(createDb(client, system.tableName), survey.definition.id, responseId);
      client.destroy();
      expect(stored).toMatchObject({ waveId: survey.openWave });
    },
    SLOW,
  );

  it('fails with file, path and reason for a broken survey file', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'resonanz-surveys-'));
    await writeFile(join(broken, 'broken.yaml'), 'id: Not-A-Code\nversion: "1"\n');

    const started = startLocal({ ...options, dataDir: join(broken, 'data'), surveysDir: broken });

    await expect(started).rejects.toBeInstanceOf(SurveyFilesInvalidError);
    await expect(started).rejects.toThrow(/broken\.yaml:1: id: use lower-case letters/);
    await rm(broken, { recursive: true, force: true });
  });
});
