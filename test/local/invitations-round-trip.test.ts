import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSystem, startLocal } from '../../local/start.js';
import { runScript } from '../setup/run-script.js';

const SURVEYS_DIR = fileURLToPath(new URL('../../surveys', import.meta.url));
const SURVEY = 'handwerk-recklinghausen';

describe('invitations round trip', () => {
  let dir: string;
  let system: LocalSystem;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'resonanz-roundtrip-'));
    system = await startLocal({
      dataDir: join(dir, 'data'),
      surveysDir: SURVEYS_DIR,
      port: 0,
      demoResponses: 0,
      logLevel: 'silent',
    });
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates links from a CSV, answers through each link once, and shows the batch response rate', async () => {
    // Prepare: a recipients file and the mail-merge CSV made by the CLI against the running system.
    const env = { RESONANZ_DATA_DIR: join(dir, 'data') };
    const recipients = join(dir, 'recipients.csv');
    const out = join(dir, 'merge.csv');
    await writeFile(
      recipients,
      'Betrieb,Ort\nBäckerei A,Marl\nTischlerei B,Dorsten\nElektro C,Herten\nMaler D,Datteln\n',
    );
    const created = await runScript(
      'scripts/admin.ts',
      [
        'invitations',
        'create',
        '--survey',
        SURVEY,
        '--audience',
        'business',
        '--from',
        recipients,
        '--out',
        out,
        '--base-url',
        system.url,
      ],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const rows: string[][] = parse(await readFile(out, 'utf8'));
    const links = rows.slice(1).map((row) => row[2] ?? '');
    expect(links).toHaveLength(4);
    const definition = system.surveys.find((s) => s.definition.id === SURVEY)?.definition;
    const role = definition?.audiences.business?.sections
      .flatMap((s) => s.questions)
      .find((q) => q.id === 'business_role');
    const roleCode = role && 'options' in role ? role.options[0]?.code : undefined;

    // Act: three of four recipients answer (one of them twice); one does not.
    const answer = async (link: string) => {
      const token = new URL(link).pathname.split('/').pop();
      const page = await fetch(link);
      const res = await fetch(`${system.url}/api/v1/surveys/${SURVEY}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          submissionId: randomUUID(),
          audience: 'business',
          invitation: token,
          answers: { consent: 'self', city: 'marl', business_role: roleCode },
        }),
      });
      return [page.status, res.status];
    };
    const statuses = [];
    for (const link of links.slice(0, 3)) statuses.push(await answer(link));
    const second = await answer(links[0] ?? '');
    const listed = await runScript('scripts/admin.ts', ['invitations', 'list', '--survey', SURVEY], env);

    // Assess: issued 4, used 3, nothing revoked or expired, 1 open.
    expect(statuses).toEqual([
      [200, 201],
      [200, 201],
      [200, 201],
    ]);
    // A used link shows the "already answered" page and refuses a new submission.
    expect(second).toEqual([409, 409]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/\sbusiness\s+\S+\s+-\s+4\s+3\s+0\s+0\s+1$/m);
  }, 120_000);
});
