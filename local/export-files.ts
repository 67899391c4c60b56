import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ExportStorage } from '../shared/export/jobs.js';
import type { ExportFile, ExportSink } from '../shared/export/run.js';
import { PRIVATE_FILE, privateDir } from './private-files.js';

/**
 * An export sink writing files into a local folder, honouring back-pressure (memory stays flat).
 * `private`: the folder and its files are owner-only (as under `.data/`); otherwise the umask decides.
 */
export function folderSink(dir: string, options: { private?: boolean } = {}): ExportSink {
  if (options.private) privateDir(dir);
  else mkdirSync(dir, { recursive: true });
  const mode = options.private ? PRIVATE_FILE : undefined;
  return {
    open(name: string): ExportFile {
      const stream = createWriteStream(join(dir, name), { encoding: 'utf8', mode });
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

/**
 * Export storage in a local folder: `{root}/{surveyId}/{exportId}/{file}` (under `.data/exports` for
 * `npm start`), every folder and file owner-only.
 */
export function folderStorage(root: string): ExportStorage {
  const dirOf = (surveyId: string, exportId: string) => join(root, surveyId, exportId);
  return {
    sink(surveyId, exportId) {
      const dir = dirOf(surveyId, exportId);
      // The folders of earlier exports' parents may predate owner-only modes: tightened too.
      for (const parent of [root, join(root, surveyId)]) privateDir(parent);
      return {
        ...folderSink(dir, { private: true }),
        discard: () => rm(dir, { recursive: true, force: true }).catch(() => {}),
      };
    },
    async download(surveyId, exportId, name) {
      // Names come from the route's own list of files; this check keeps any other path out.
      if (!/^[a-z][a-z0-9.-]*$/i.test(name) || !/^[0-9a-f-]{36}$/.test(exportId)) return undefined;
      const file = join(dirOf(surveyId, exportId), name);
      try {
        await stat(file);
      } catch {
        return undefined;
      }
      return { kind: 'stream', body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array> };
    },
  };
}

/**
 * Storage of one command-line export into a folder the user chose (`npm run export -- --out DIR`):
 * files go straight into it, and a failed export removes only the files it wrote there.
 */
export function outputFolder(dir: string): ExportStorage {
  return {
    sink() {
      const sink = folderSink(dir);
      const written = new Set<string>();
      return {
        open(name) {
          written.add(name);
          return sink.open(name);
        },
        discard: async () => {
          await Promise.all([...written].map((name) => rm(join(dir, name), { force: true }).catch(() => {})));
        },
      };
    },
    // The files are in the folder already: nothing to hand out.
    download: async () => undefined,
  };
}
