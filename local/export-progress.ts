import { SingleBar } from 'cli-progress';
import type { ExportProgress } from '../shared/export/run.js';

/** Progress as a bar (rows, rows/s, ETA) on a terminal, or a plain line every few seconds in a log. */
export function progressReporter(
  tty: boolean,
  print: (line: string) => void,
  stream: NodeJS.WritableStream = process.stderr,
) {
  let started = Date.now();
  let bar: SingleBar | undefined;
  let lastLine = 0;
  let pass: ExportProgress['pass'] | undefined;
  const rate = (rows: number) => rows / Math.max(0.001, (Date.now() - started) / 1000);
  return {
    update(p: ExportProgress) {
      if (p.pass !== pass) {
        // Each pass has its own bar and its own rate: reading from the database is the slow one.
        bar?.stop();
        bar = undefined;
        pass = p.pass;
        started = Date.now();
      }
      if (p.pass === 'read') {
        // How many responses there are is known only at the end of this pass: no total, no ETA.
        if (tty) {
          bar ??= new SingleBar({ format: 'reading {value} responses | {speed} rows/s', hideCursor: true, stream });
          if (!bar.isActive) bar.start(0, 0, { speed: 0 });
          bar.update(p.rows, { speed: Math.round(rate(p.rows)) });
        } else if (Date.now() - lastLine > 2000) {
          print(`reading: ${p.rows} responses, ${Math.round(rate(p.rows))} rows/s`);
          lastLine = Date.now();
        }
        return;
      }
      const total = p.total ?? p.rows;
      if (tty) {
        bar ??= new SingleBar({
          format: 'writing {bar} {value}/{total} rows | {speed} rows/s | ETA {eta}s',
          hideCursor: true,
          stream,
        });
        if (!bar.isActive) bar.start(total, 0, { speed: 0 });
        bar.update(p.rows, { speed: Math.round(rate(p.rows)) });
      } else if (Date.now() - lastLine > 2000 || p.rows === total) {
        const eta = rate(p.rows) > 0 ? Math.round((total - p.rows) / rate(p.rows)) : 0;
        print(`writing: ${p.rows}/${total} rows, ${Math.round(rate(p.rows))} rows/s, ETA ${eta} s`);
        lastLine = Date.now();
      }
    },
    stop() {
      bar?.stop();
    },
  };
}
