import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chromiumPath, missingTools, missingToolsMessage } from '../setup/tools.js';

describe('the tools npm test needs (pretest)', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const program = (name: string, body: string) => {
    const path = join(dir as string, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };

  it('names every missing program in one message with the Debian packages to install', () => {
    // Prepare: a PATH with nothing on it, and no Chromium where it is looked for
    dir = mkdtempSync(join(tmpdir(), 'resonanz-tools-'));
    const env = { PATH: dir, RESONANZ_CHROMIUM: join(dir, 'no-chromium') };
    // Act
    const missing = missingTools(env);
    const message = missingToolsMessage(missing);
    // Assess
    expect(missing.map((t) => t.name)).toEqual(['Java 17 or later', 'Chromium', 'GNU PSPP', 'R (Rscript)']);
    expect(message).toContain(
      'sudo apt-get install --no-install-recommends openjdk-17-jre-headless chromium pspp r-base-core',
    );
  });

  it('finds them on PATH, wants Java 17 or later, and takes Chromium from RESONANZ_CHROMIUM', () => {
    dir = mkdtempSync(join(tmpdir(), 'resonanz-tools-'));
    program('pspp', 'exit 0');
    program('Rscript', 'exit 0');
    const java = program('java', 'echo \'openjdk version "11.0.2" 2019-01-15\' >&2');
    const chromium = program('my-chromium', 'exit 0');
    const env = { PATH: dir, RESONANZ_CHROMIUM: chromium };

    expect(missingTools(env).map((t) => t.name)).toEqual(['Java 17 or later']);
    writeFileSync(java, '#!/bin/sh\necho \'openjdk version "17.0.9" 2023-10-17\' >&2\n');
    expect(missingTools(env)).toEqual([]);
    expect(chromiumPath(env)).toBe(chromium);
    expect(chromiumPath({ PATH: dir })).toBe('/usr/bin/chromium');
    program('chromium', 'exit 0');
    expect(chromiumPath({ PATH: dir })).toBe(join(dir, 'chromium'));
  });
});
