import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDefinition, listSurveys, publishDefinition } from '../../shared/data/survey-store.js';
import type { Db } from '../../shared/data/table.js';
import { submitMini } from '../fixtures/mini-response.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { runScript } from '../setup/run-script.js';
import { freshTable } from '../setup/table.js';

const STACK_TRACE = /\n\s+at /;

/**
 * The scripts with `--table`, against a fresh table in the test run's DynamoDB Local, reached the
 * way a deployed table is: through the SDK's default chain (endpoint, region and credentials from
 * the environment). PATH holds node alone, so a script that tried to start DynamoDB Local would
 * fail with "Java 17 or newer is needed": every run here proves `--table` starts no Java.
 */
describe('scripts with --table', () => {
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'resonanz-table-cli-'));
    const bin = join(dir, 'bin');
    await mkdir(bin);
    await symlink(process.execPath, join(bin, 'node'));
    const probe = await freshTable();
    env = {
      PATH: bin,
      AWS_ENDPOINT_URL_DYNAMODB: probe.endpoint,
      AWS_REGION: 'eu-central-1',
      // DynamoDB Local keeps tables per access key id: the one `freshTable()` creates them with.
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'x',
      // Would be used without --table: must not be.
      RESONANZ_DATA_DIR: join(dir, 'never-created'),
    };
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const admin = (...args: string[]) => runScript('scripts/admin.ts', args, env);

  it('publishes the shipped surveys once, lists them, and refuses changed content under the same version', async () => {
    // Prepare
    const db = await freshTable();
    const table = ['--table', db.tableName];
    const changed = join(dir, 'changed.yaml');
    const original = await readFile('surveys/handwerk-recklinghausen.yaml', 'utf8');
    await writeFile(changed, original.replace('Wie sehen Sie das Handwerk?', 'Wie sehen Sie das Handwerk heute?'));

    // Act
    const first = await admin('surveys', 'publish', 'surveys/handwerk-recklinghausen.yaml', ...table);
    const again = await admin('surveys', 'publish', 'surveys', ...table);
    const [listed, conflict] = await Promise.all([
      admin('surveys', 'list', ...table),
      admin('surveys', 'publish', changed, ...table),
    ]);

    // Assess
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`database: table ${db.tableName} in eu-central-1`);
    expect(first.stdout).toMatch(
      /^published: handwerk-recklinghausen v1\.5 from surveys\/handwerk-recklinghausen\.yaml$/m,
    );
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^unchanged \(already published\): handwerk-recklinghausen v1\.5/m);
    expect(again.stdout).toMatch(/^published: handwerk-unna v/m);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(
      /^handwerk-recklinghausen v1\.5 {2}campaign wertschaetzung-handwerk-recklinghausen {2}"Wie sehen Sie das Handwerk\?"$/m,
    );
    expect(listed.stdout).toMatch(/^ {2}waves: w0-baseline closed, w1-followup closed, w2-followup closed$/m);
    expect(listed.stdout).toMatch(/^handwerk-unna v/m);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr.trim()).toBe(
      'survey "handwerk-recklinghausen" version 1.5 is already published with different content: ' +
        'bump "version" in the survey file (responses record the version they were given under)',
    );
    expect((await getDefinition(db, 'handwerk-recklinghausen')).title.de).toBe('Wie sehen Sie das Handwerk?');
  }, 40_000);

  it('keeps the current version when an older file is published again, until --make-current', async () => {
    // Prepare: the shipped file is published, then a newer version of it.
    const db = await freshTable();
    const table = ['--table', db.tableName];
    const original = await readFile('surveys/handwerk-unna.yaml', 'utf8');
    const newer = join(dir, 'unna-newer.yaml');
    await writeFile(
      newer,
      original.replace(/^version: "[^"]+"$/m, 'version: "9.1"').replace('Wie sehen Sie das Handwerk?', 'Neu?'),
    );
    expect((await admin('surveys', 'publish', 'surveys/handwerk-unna.yaml', ...table)).code).toBe(0);
    const shipped = (await getDefinition(db, 'handwerk-unna')).version;
    expect((await admin('surveys', 'publish', newer, ...table)).code).toBe(0);

    // Act
    const stale = await admin('surveys', 'publish', 'surveys/handwerk-unna.yaml', ...table);
    const afterStale = (await getDefinition(db, 'handwerk-unna')).version;
    const rollback = await admin('surveys', 'publish', 'surveys/handwerk-unna.yaml', '--make-current', ...table);

    // Assess
    expect(stale.code, stale.stderr).toBe(0);
    expect(stale.stdout).toContain(
      `not made current: handwerk-unna v${shipped} from surveys/handwerk-unna.yaml was published before, ` +
        `and v9.1 is current; respondents keep getting v9.1 (--make-current goes back)`,
    );
    expect(afterStale).toBe('9.1');
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(rollback.stdout).toMatch(new RegExp(`^published: handwerk-unna v${shipped.replace('.', '\\.')} from`, 'm'));
    expect((await getDefinition(db, 'handwerk-unna')).version).toBe(shipped);
  }, 40_000);

  it('writes nothing when a file is invalid or names a missing population file', async () => {
    // Prepare
    const db = await freshTable();
    const original = await readFile('surveys/handwerk-recklinghausen.yaml', 'utf8');
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'id: bad\nversion: one\n');
    const unweighable = join(dir, 'unweighable.yaml');
    await writeFile(
      unweighable,
      original
        .replace('id: handwerk-recklinghausen', 'id: unweighable')
        .replace('population: kreis-recklinghausen', 'population: nowhere'),
    );

    const files = ['surveys/handwerk-unna.yaml', broken, unweighable];

    // Act: the valid file comes first, and still is not published. Without --table the files are
    // checked before DynamoDB Local would start (here it could not: no Java on PATH).
    const [run, local] = await Promise.all([
      admin('surveys', 'publish', ...files, '--table', db.tableName),
      admin('surveys', 'publish', ...files),
    ]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/broken\.yaml:2: version: use a version such as/);
    expect(run.stderr).toMatch(
      /unweighable\.yaml: settings\.weighting\.population: population file population\/nowhere\.yaml cannot be used/,
    );
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stdout).toBe(''); // not even the database line: checked before it opens
    expect(await listSurveys(db)).toEqual([]);
    expect(local.code).toBe(1);
    expect(local.stderr).toBe(run.stderr);
  }, 20_000);

  it('opens and lists waves, verifies and exports a survey in the table', async () => {
    // Prepare
    const db: Db = await freshTable();
    await publishDefinition(db, miniSurvey);
    await submitMini(db, 6, (i) => ({ city: i % 2 ? 'alpha' : 'beta' }), 'plakat-alpha');
    const table = ['--table', db.tableName];
    const out = join(dir, 'export');

    // Act
    const opened = await admin('waves', 'open', '--survey', 'mini', '--wave', 'w1', ...table);
    const [listed, verified, exported] = await Promise.all([
      admin('waves', 'list', '--survey', 'mini', ...table),
      runScript('scripts/verify.ts', ['--survey', 'mini', ...table], env),
      runScript('scripts/export.ts', ['--survey', 'mini', '--out', out, ...table], env),
    ]);

    // Assess
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.stdout).toMatch(/^\* w1\s+\S+\s+open/m);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^\* w1\s+\S+\s+open/m);
    expect(listed.stdout).toMatch(/^ {2}w0\s+\S+\s+closed/m);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain(`verifying mini in table ${db.tableName} in eu-central-1`);
    expect(verified.stdout).toContain('mini: aggregates match the responses (drift 0)');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(`exported 6 responses of mini from table ${db.tableName} in eu-central-1`);
  }, 30_000);

  it('explains --table, refuses it with --data-dir before connecting, and names a table that does not exist', async () => {
    const both = ['--table', 'any', '--data-dir', join(dir, 'data')];
    // No endpoint at all: a run that tried to connect would fail differently.
    const unreachable = { ...env, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' };
    const [help, ...runs] = await Promise.all([
      admin('--help'),
      runScript('scripts/admin.ts', ['surveys', 'list', ...both], unreachable),
      runScript('scripts/verify.ts', ['--survey', 'mini', ...both], unreachable),
      runScript('scripts/export.ts', ['--survey', 'mini', '--out', join(dir, 'x'), ...both], unreachable),
    ]);
    for (const text of ['surveys publish PATH...', 'surveys list', '--table NAME', '--region R', 'eu-central-1'])
      expect(help.stdout).toContain(text);
    for (const run of runs) {
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toBe('give --table or --data-dir, not both');
      expect(run.stdout).toBe('');
    }

    const missing = await admin('waves', 'list', '--survey', 'mini', '--table', 'resonanz-prod-typo');
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(
      'table resonanz-prod-typo in eu-central-1 does not exist: check --table (the stack output TableName) and --region',
    );
    expect(missing.stderr).not.toMatch(STACK_TRACE);
  }, 30_000);
});
