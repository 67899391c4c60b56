import { SingleBar } from 'cli-progress';
import type { ExportProgress } from '../shared/export/run.js';

/** Progress as a bar (rows, rows/s, ETA) on a terminal, or a plain line every few seconds in a log. */
export function progressReporter(
  tty: boolean,
  print: (line: string) => void,
  stream: NodeJS.WritableStream = process.stderr,
) {
  const started = Date.now();
  let bar: SingleBar | undefined;
  let lastLine = 0;
  return {
    update(p: ExportProgress) {
      if (p.pass === 'count') {
        if (!tty && Date.now() - lastLine > 2000) {
          print(`counting: ${p.rows} responses`);
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
        const seconds = (Date.now() - started) / 1000;
        bar.update(p.rows, { speed: seconds > 0 ? Math.round(p.rows / seconds) : 0 });
      } else if (Date.now() - lastLine > 2000 || p.rows === total) {
        const seconds = Math.max(0.001, (Date.now() - started) / 1000);
        const rate = p.rows / seconds;
        const eta = rate > 0 ? Math.round((total - p.rows) / rate) : 0;
        print(`writing: ${p.rows}/${total} rows, ${Math.round(rate)} rows/s, ETA ${eta} s`);
        lastLine = Date.now();
      }
    },
    stop() {
      bar?.stop();
    },
  };
}
