import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportFile, ExportSink } from '../shared/export/run.js';

/** An export sink writing files into a local folder, honouring back-pressure (memory stays flat). */
export function folderSink(dir: string): ExportSink {
  mkdirSync(dir, { recursive: true });
  return {
    open(name: string): ExportFile {
      const stream = createWriteStream(join(dir, name), { encoding: 'utf8' });
      return {
        async write(chunk) {
          if (!stream.write(chunk)) await once(stream, 'drain');
        },
        async close() {
          stream.end();
          await once(stream, 'finish');
        },
      };
    },
  };
}
