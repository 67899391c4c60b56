import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyCommand } from '../../infra/constructs/app-function.js';

describe('bundling hooks', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('copy data folders with Node, not with a POSIX-only cp, and keep nested files and spaces in paths', () => {
    // Prepare: a folder like population/, in a path with a space (e.g. a Windows user folder)
    dir = mkdtempSync(join(tmpdir(), 'resonanz hooks '));
    const from = join(dir, 'in put', 'population');
    mkdirSync(join(from, 'nested'), { recursive: true });
    writeFileSync(join(from, 'kreis.yaml'), 'id: kreis\n');
    writeFileSync(join(from, 'nested', 'more.yaml'), 'id: more\n');
    const to = join(dir, 'out', 'population');
    // Act
    const command = copyCommand(from, to);
    execSync(command, { stdio: 'pipe' });
    // Assess
    expect(command).toMatch(/^node -e /);
    expect(command).not.toMatch(/\bcp\b/);
    expect(readFileSync(join(to, 'kreis.yaml'), 'utf8')).toBe('id: kreis\n');
    expect(readFileSync(join(to, 'nested', 'more.yaml'), 'utf8')).toBe('id: more\n');
  });
});
