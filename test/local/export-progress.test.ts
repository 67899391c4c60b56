import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../local/export-progress.js';

/** A stream that says it is a terminal, as stderr does in an interactive shell. */
function fakeTerminal() {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return { stream, text: () => chunks.join('') };
}

describe('export progress', () => {
  it('draws a bar for each pass on a terminal (responses read; rows written, rows/s and ETA), and no plain lines', async () => {
    const terminal = fakeTerminal();
    const lines: string[] = [];
    const progress = progressReporter(true, (line) => lines.push(line), terminal.stream);
    progress.update({ pass: 'read', rows: 500 });
    progress.update({ pass: 'read', rows: 1000 });
    progress.update({ pass: 'write', rows: 0, total: 1000 });
    progress.update({ pass: 'write', rows: 400, total: 1000 });
    progress.update({ pass: 'write', rows: 1000, total: 1000 });
    progress.stop();
    await new Promise((resolve) => setImmediate(resolve));
    const drawn = terminal.text();
    expect(drawn).toMatch(/reading 1000 responses \| \d+ rows\/s/);
    expect(drawn).toMatch(/writing =+ 1000\/1000 rows \| \d+ rows\/s \| ETA 0s/);
    // Cursor control: the bar redraws in place instead of scrolling.
    expect(drawn).toContain('\u001b[');
    expect(lines).toEqual([]);
  });

  it('prints plain lines with the same figures when not on a terminal', () => {
    const terminal = fakeTerminal();
    const lines: string[] = [];
    const progress = progressReporter(false, (line) => lines.push(line), terminal.stream);
    progress.update({ pass: 'read', rows: 500 });
    progress.update({ pass: 'write', rows: 1000, total: 1000 });
    progress.stop();
    expect(lines).toEqual([
      expect.stringMatching(/^reading: 500 responses, \d+ rows\/s$/),
      expect.stringMatching(/^writing: 1000\/1000 rows, \d+ rows\/s, ETA 0 s$/),
    ]);
    expect(terminal.text()).toBe('');
  });
});
