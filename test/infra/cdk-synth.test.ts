import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEPLOYED_NAMES } from '../../functions/jobs.js';
import { ROUTES } from '../../functions/routes.js';
import { BUNDLING } from '../../infra/constructs/app-function.js';
import { publishDefinition, setWaveState } from '../../shared/data/survey-store.js';
import { miniSurvey } from '../fixtures/mini-survey.js';
import { freshTable } from '../setup/table.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Violation {
  ruleName: string;
  violatingConstructs: { constructPath: string }[];
  reason?: string;
}
interface ValidationReport {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: Violation[];
    suppressedViolations: Violation[];
  }[];
}

/**
 * The real `npm run synth`, as a county's IT team runs it before `cdk deploy`: the CDK CLI, the app
 * in infra/bin/app.ts, esbuild bundling of every function and cdk-nag's AWS Solutions checks, offline
 * and without AWS credentials. Then the bundles themselves are loaded, as Lambda loads them.
 */
describe('npm run synth (CDK CLI, bundling, cdk-nag)', () => {
  const out = mkdtempSync(join(tmpdir(), 'resonanz-synth-'));
  let result: { code: number | null; output: string };
  let template: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

  beforeAll(async () => {
    result = await new Promise((resolve) => {
      const child = spawn('npm', ['run', 'synth', '--', '--output', out], {
        cwd: ROOT,
        // No credentials and no profile: synth must not need them.
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: '',
          AWS_SECRET_ACCESS_KEY: '',
          AWS_PROFILE: '',
          AWS_CONFIG_FILE: join(out, 'none'),
          AWS_SHARED_CREDENTIALS_FILE: join(out, 'none'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        output += d.toString();
      });
      child.on('close', (code) => resolve({ code, output }));
    });
    if (result.code === 0) template = JSON.parse(readFileSync(join(out, 'Resonanz-dev.template.json'), 'utf8'));
  }, 240_000);

  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('synthesizes offline without credentials', () => {
    expect(result.code, result.output).toBe(0);
    expect(Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function')).toHaveLength(
      DEPLOYED_NAMES.length,
    );
  });

  it('passes the cdk-nag AWS Solutions checks, every acknowledgement with a reason', () => {
    const report = JSON.parse(readFileSync(join(out, 'validation-report.json'), 'utf8')) as ValidationReport;
    const nag = report.pluginReports.find((p) => p.pluginName === 'AwsSolutions');
    expect(nag?.conclusion).toBe('success');
    expect(nag?.violations).toEqual([]);
    const acknowledged = nag?.suppressedViolations ?? [];
    expect(acknowledged.map((v) => v.ruleName.replace(/\[.*$/, '')).sort()).toEqual([
      ...ROUTES.filter((r) => r.auth === 'public').map(() => 'AwsSolutions-APIG4'),
      // The export bucket's objects, and X-Ray's two writes on "*" for each function's tracing.
      'AwsSolutions-IAM5',
      ...DEPLOYED_NAMES.map(() => 'AwsSolutions-IAM5'),
      'AwsSolutions-S1',
    ]);
    const tracing = acknowledged.filter((v) => v.ruleName === 'AwsSolutions-IAM5[Resource::*]');
    expect(tracing).toHaveLength(DEPLOYED_NAMES.length);
    for (const v of acknowledged) expect(v.reason?.length ?? 0, v.ruleName).toBeGreaterThan(60);
  });

  describe('function bundles', () => {
    const assetOf = (fn: string) => {
      const resource = Object.entries(template.Resources).find(
        ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.toLowerCase().startsWith(fn),
      )?.[1];
      if (!resource) throw new Error(`no function ${fn} in the template`);
      const key = (resource.Properties.Code as { S3Key: string }).S3Key;
      return join(out, `asset.${key.replace(/\.zip$/, '')}`);
    };

    it('are one ES module each, with a source map, and the report function has the population files', () => {
      for (const fn of DEPLOYED_NAMES) {
        const dir = assetOf(fn);
        expect(readdirSync(dir).sort(), fn).toEqual(expect.arrayContaining(['index.mjs', 'index.mjs.map']));
        // An ES module: the banner that gives bundled CommonJS code its `require` comes first.
        expect(readFileSync(join(dir, 'index.mjs'), 'utf8').startsWith(BUNDLING.banner), fn).toBe(true);
        expect(statSync(join(dir, 'index.mjs')).size, fn).toBeLessThan(3 * 1024 * 1024);
      }
      const population = join(assetOf('report'), 'population');
      expect(existsSync(population)).toBe(true);
      expect(readdirSync(population).length).toBeGreaterThan(0);
    });

    it('load in plain Node without node_modules; the respondent bundle answers an API Gateway event, the retention bundle runs', async () => {
      const table = await freshTable();
      await publishDefinition(table, miniSurvey);
      await setWaveState(table, miniSurvey.id, { waveId: 'w0', state: 'open' });
      const event = readFileSync(new URL('../fixtures/events/get-survey.json', import.meta.url), 'utf8');
      for (const fn of DEPLOYED_NAMES) {
        const bundle = pathToFileURL(join(assetOf(fn), 'index.mjs')).href;
        const script =
          fn === 'respond'
            ? `const { handler } = await import(${JSON.stringify(bundle)}); const r = await handler(${event}); console.log(JSON.stringify({ status: r.statusCode, body: JSON.parse(r.body) }));`
            : fn === 'retention'
              ? `const { handler } = await import(${JSON.stringify(bundle)}); console.log(JSON.stringify(await handler({ 'detail-type': 'Scheduled Event' })));`
              : `const m = await import(${JSON.stringify(bundle)}); console.log(JSON.stringify({ handler: typeof m.handler }));`;
        // Run from the bundle's own folder (as /var/task): nothing may come from the repository's node_modules.
        const run = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
          cwd: assetOf(fn),
          encoding: 'utf8',
          env: {
            PATH: process.env.PATH,
            TABLE_NAME: table.tableName,
            DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
            LOG_LEVEL: 'silent',
            AWS_REGION: 'eu-central-1',
            EXPORT_BUCKET: 'resonanz-exports',
            AWS_LAMBDA_FUNCTION_NAME: 'resonanz-export',
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          },
        });
        expect(run.status, `${fn}: ${run.stderr}`).toBe(0);
        const printed = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
        if (fn === 'respond') {
          expect(printed.status).toBe(200);
          expect(printed.body.definition.id).toBe('mini');
        } else if (fn === 'retention') {
          expect(printed).toEqual({ surveys: 1, expiredDeleted: 0, pooled: 0, failed: 0 });
        } else {
          expect(printed).toEqual({ handler: 'function' });
        }
      }
    });
  });
});
