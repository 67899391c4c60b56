import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { EXPORT_NODE_OPTIONS } from '../functions/export/node-options.js';
import { FUNCTION_NAMES } from '../functions/routes.js';
import { BUNDLING } from '../infra/constructs/app-function.js';

/**
 * Bundle budget: each function bundled exactly as the CDK stack bundles it (`BUNDLING`, the options
 * NodejsFunction turns into esbuild flags), beside a baseline bundle of the least a Hono + DynamoDB
 * Lambda needs (bench/baseline-handler.ts). Prints the size of each `.mjs`, its gzip size (Lambda
 * zips the asset) and the source map's, and the cold import time: a fresh `node` per measurement
 * timing `await import(bundle)` inside the process (reading, compiling and running the module
 * scope: config parse, SDK clients; not node's own start, not Lambda's init, no network), with
 * `NODE_OPTIONS` as the stack sets them (`--enable-source-maps`) and without source maps.
 * Target: the respondent function's import time ≤ 1.3x the baseline's (it cold-starts in front of
 * the public); its size ratio is printed too.
 */
const REPETITIONS = 7;
const TARGET = 1.3;
const BASELINE = 'baseline';

/** What the handlers' module scope reads (functions/lib/config.ts): harmless values, no network at import. */
const CHILD_ENV = {
  PATH: process.env.PATH ?? '',
  TABLE_NAME: 'bench-bundles',
  AWS_REGION: 'eu-central-1',
  LOG_LEVEL: 'info',
  EXPORT_BUCKET: 'bench-bundles',
  AWS_LAMBDA_FUNCTION_NAME: 'bench-bundles',
  // Local runs only (Lambda runs Node 24); the SDK's warning about older Node is not what we measure.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

interface Bundle {
  name: string;
  file: string;
  nodeOptions: string;
  bytes: number;
  gzipBytes: number;
  mapBytes: number;
  metafile: Metafile;
}

async function bundle(name: string, entry: string, dir: string): Promise<Bundle> {
  const file = join(dir, name, 'index.mjs');
  const { metafile } = await build({
    ...BUNDLING,
    mainFields: [...BUNDLING.mainFields],
    // NodejsFunction passes its string banner as `--banner:js`.
    banner: { js: BUNDLING.banner },
    bundle: true,
    platform: 'node',
    entryPoints: [entry],
    outfile: file,
    metafile: true,
    logLevel: 'error',
  });
  const code = readFileSync(file);
  return {
    name,
    file,
    nodeOptions: name === 'export' ? EXPORT_NODE_OPTIONS : '',
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    mapBytes: statSync(`${file}.map`).size,
    metafile,
  };
}

/** Milliseconds `await import(file)` takes in a fresh node process. */
function importMs(file: string, nodeOptions: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...CHILD_ENV, NODE_OPTIONS: nodeOptions },
  });
  return Number(stdout.trim().split('\n').at(-1));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const kb = (bytes: number) => (bytes / 1024).toFixed(0);

/** Bytes in the bundle by package (`node_modules/<package>`) or by our folder (`functions/respond`). */
function bytesBySource(metafile: Metafile): [string, number][] {
  const sizes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs))
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? path.split('/').slice(0, 2).join('/');
      sizes.set(pkg, (sizes.get(pkg) ?? 0) + bytesInOutput);
    }
  return [...sizes].sort((a, b) => b[1] - a[1]);
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'resonanz-bundles-'));
  try {
    const base = await bundle(BASELINE, 'bench/baseline-handler.ts', dir);
    const bundles = [
      base,
      ...(await Promise.all(FUNCTION_NAMES.map((name) => bundle(name, `functions/${name}/handler.ts`, dir)))),
    ];
    // An empty module: what any import costs (the ESM loader), for scale.
    const empty = join(dir, 'empty.mjs');
    writeFileSync(empty, '');
    const targets = [...bundles, { name: 'empty', file: empty, nodeOptions: '' }].map((target) => ({
      target,
      // As the stack sets NODE_OPTIONS, and the same without source maps, to show what they cost.
      maps: [] as number[],
      plain: [] as number[],
    }));
    // One unmeasured round fills the file cache; then rounds alternate bundles (rotating the order),
    // so drift of the machine hits all of them alike.
    for (const { target } of targets) importMs(target.file, target.nodeOptions);
    for (let round = 0; round < REPETITIONS; round++)
      for (let i = 0; i < targets.length; i++) {
        const t = targets[(i + round) % targets.length];
        if (!t) continue;
        t.maps.push(importMs(t.target.file, `--enable-source-maps ${t.target.nodeOptions}`.trim()));
        t.plain.push(importMs(t.target.file, t.target.nodeOptions));
      }

    const baseMaps = targets.find((t) => t.target === base)?.maps ?? [];
    console.log(
      `lambda bundles: the functions as the stack bundles them vs a minimal Hono + DynamoDB handler; import in a fresh node ${process.version}, median (min) of ${REPETITIONS}`,
    );
    console.log(
      '  function  | .mjs KB | gzip KB | map KB | import ms, source maps on (as deployed) | import ms, maps off | size / baseline | import / baseline',
    );
    for (const { target, maps, plain } of targets) {
      const b = 'bytes' in target ? target : undefined;
      console.log(
        [
          `  ${target.name.padEnd(9)}`,
          (b ? kb(b.bytes) : '-').padStart(7),
          (b ? kb(b.gzipBytes) : '-').padStart(7),
          (b ? kb(b.mapBytes) : '-').padStart(6),
          `${median(maps).toFixed(1)} (${Math.min(...maps).toFixed(1)})`.padStart(39),
          `${median(plain).toFixed(1)} (${Math.min(...plain).toFixed(1)})`.padStart(18),
          (b ? `${(b.bytes / base.bytes).toFixed(2)}x` : '-').padStart(15),
          (b ? `${(median(maps) / median(baseMaps)).toFixed(2)}x` : '-').padStart(17),
        ].join(' | '),
      );
    }
    const respond = targets.find((t) => t.target.name === 'respond');
    if (respond && 'bytes' in respond.target) {
      const importRatio = median(respond.maps) / median(baseMaps);
      const minRatio = Math.min(...respond.maps) / Math.min(...baseMaps);
      const sizeRatio = respond.target.bytes / base.bytes;
      console.log(
        `  respond / baseline: import ${importRatio.toFixed(2)}x in the median, ${minRatio.toFixed(2)}x in the min (target ≤ ${TARGET}: ${importRatio <= TARGET ? 'met' : 'NOT met'}; the target is on import time, the cold start cost); size ${sizeRatio.toFixed(2)}x (${sizeRatio <= TARGET ? 'within' : 'above'} ${TARGET}, for information)`,
      );
      console.log(
        `  respond's largest parts (KB in the .mjs): ${bytesBySource(respond.target.metafile)
          .slice(0, 10)
          .map(([source, bytes]) => `${source} ${kb(bytes)}`)
          .join(', ')}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
