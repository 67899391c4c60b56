import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The programs the test suite runs besides Node: Java for DynamoDB Local, Chromium for the pages,
 * GNU PSPP and R for the files evaluators open. `missingTools` names what a machine lacks, so
 * `npm test` can stop at once with one message instead of failing in six files with launcher errors.
 */
export interface Tool {
  name: string;
  /** What the suite uses it for. */
  why: string;
  /** Debian/Ubuntu package, and a hint for other systems. */
  apt: string;
  elsewhere: string;
}

const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A program's path on PATH, or undefined. */
export function onPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The Chromium the browser tests launch: `RESONANZ_CHROMIUM` if set, else the first of chromium,
 * chromium-browser, google-chrome on PATH, else /usr/bin/chromium (where Debian puts it).
 */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const own = env.RESONANZ_CHROMIUM;
  if (own) return own;
  for (const name of CHROMIUM_NAMES) {
    const found = onPath(name, env.PATH);
    if (found) return found;
  }
  return '/usr/bin/chromium';
}

/** Java 17 or later (DynamoDB Local needs it). */
function javaOk(env: NodeJS.ProcessEnv): boolean {
  const run = spawnSync('java', ['-version'], { encoding: 'utf8', env });
  if (run.error || run.status !== 0) return false;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${run.stderr}${run.stdout}`);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : 0;
  return major >= 17;
}

/** The tools this machine lacks for `npm test` (empty when it has them all). */
export function missingTools(env: NodeJS.ProcessEnv = process.env): Tool[] {
  const missing: Tool[] = [];
  if (!javaOk(env)) {
    missing.push({
      name: 'Java 17 or later',
      why: 'DynamoDB Local, the storage every data test runs against',
      apt: 'openjdk-17-jre-headless',
      elsewhere: 'any JDK or JRE 17+ (e.g. Temurin), with `java` on PATH',
    });
  }
  if (!executable(chromiumPath(env))) {
    missing.push({
      name: 'Chromium',
      why: 'the page tests (screens, accessibility, phone layouts)',
      apt: 'chromium',
      elsewhere: 'Chromium or Google Chrome on PATH, or its path in RESONANZ_CHROMIUM',
    });
  }
  if (!onPath('pspp', env.PATH)) {
    missing.push({
      name: 'GNU PSPP',
      why: 'runs the SPSS syntax of the exports',
      apt: 'pspp',
      elsewhere: 'https://www.gnu.org/software/pspp/ (Homebrew: pspp)',
    });
  }
  if (!onPath('Rscript', env.PATH)) {
    missing.push({
      name: 'R (Rscript)',
      why: 'runs the R script of the exports',
      apt: 'r-base-core',
      elsewhere: 'https://cran.r-project.org/ (Homebrew: r)',
    });
  }
  return missing;
}

/** The one message `npm test` prints when tools are missing. */
export function missingToolsMessage(missing: readonly Tool[]): string {
  return [
    `npm test needs ${missing.length === 1 ? 'a program' : 'programs'} this machine lacks:`,
    ...missing.map((t) => `  - ${t.name}: ${t.why} (elsewhere: ${t.elsewhere})`),
    'On Debian or Ubuntu:',
    `  sudo apt-get install --no-install-recommends ${missing.map((t) => t.apt).join(' ')}`,
    '(.ci/run installs them itself.)',
  ].join('\n');
}
