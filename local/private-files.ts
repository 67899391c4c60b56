import { chmodSync, mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Owner-only modes for the local data folder (`.data/`: the database, dev key, endpoint file and
 * exports) and what is written under it, as `.data/dev-key` always was.
 */
export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

/**
 * Makes `dir` (and any missing parent) readable by its owner only. mkdir's mode reaches only the
 * folders it creates, so one that was already there is tightened too.
 */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  chmodSync(dir, PRIVATE_DIR);
}

/** Writes `text` to `path` readable by its owner only, also when the file was there before with wider rights. */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  const file = await open(path, 'w', PRIVATE_FILE);
  try {
    // Tightened before the text goes in: the open mode only applies to a file it creates.
    await file.chmod(PRIVATE_FILE);
    await file.writeFile(text);
  } finally {
    await file.close();
  }
}
