import { createHash } from 'node:crypto';
import * as z from 'zod';

/**
 * An export is a release: what leaves about a wave must not change from one export to the next by
 * a few respondents, or the difference of two exports is those respondents' rows. So only settled
 * waves are released (a collecting wave grows by one row at a time), and a wave is released as it
 * was the first time or not at all: the same rows (`rows`, an order-free digest of its response
 * ids) anonymised by the same plan (`plan`, a digest of what the survey file's own profile decided
 * for every combination of quasi-identifiers). See docs/privacy.md, "Exports are releases".
 */
export const WaveRelease = z.object({
  waveId: z.string(),
  /** Responses of the wave the export read (before anything was left out). */
  responses: z.number(),
  /**
   * released: in this export; collecting: not settled yet, left out; changed: its rows or its
   * anonymisation differ from its first release, left out.
   */
  status: z.enum(['released', 'collecting', 'changed']),
  rows: z.string().optional(),
  plan: z.string().optional(),
});
export type WaveRelease = z.infer<typeof WaveRelease>;

/** An order-free digest of a set of ids: the XOR of their SHA-256 hashes (ids are unique, so none cancel). */
export function setDigest() {
  const acc = Buffer.alloc(32);
  return {
    add(id: string): void {
      const h = createHash('sha256').update(id).digest();
      for (let i = 0; i < 32; i++) acc[i] = (acc[i] as number) ^ (h[i] as number);
    },
    value: () => acc.toString('base64url'),
  };
}

/** A digest of strings in the order given (callers sort them first). */
export function listDigest(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\n');
  return hash.digest('base64url');
}

/** Each wave's first release among earlier exports (records in any order): what a later release must equal. */
export function firstReleases(
  records: readonly { requestedAt: string; status: string; waves?: WaveRelease[] | undefined }[],
): Map<string, WaveRelease> {
  const first = new Map<string, WaveRelease>();
  const done = records.filter((r) => r.status === 'done').sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
  for (const record of done) {
    for (const wave of record.waves ?? []) {
      if (wave.status === 'released' && wave.responses > 0 && !first.has(wave.waveId)) first.set(wave.waveId, wave);
    }
  }
  return first;
}

/** Whether a settled wave read now may be released: as it was first released, or for the first time. */
export function releasable(first: WaveRelease | undefined, now: { rows: string; plan: string }): boolean {
  return !first || (first.rows === now.rows && first.plan === now.plan);
}
