import { BatchWriteCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { surveyChannels } from '../channels/resolve.js';
import type { WaveIndex } from '../impact/report.js';
import {
  cellFolder,
  channelsOfIndex,
  type DecodedSnapshot,
  decodeSnapshotData,
  encodeSnapshotData,
  type ImpactSnapshot,
  refreshCounters,
  snapshotDimensions,
  snapshotOfFolded,
  snapshotServes,
  waveFingerprint,
  weightingFingerprint,
} from '../impact/snapshot.js';
import type { RakedGroup } from '../impact/weights.js';
import { UNKNOWN_CHANNEL } from '../response/build.js';
import type { Population } from '../stats/population.js';
import type { Dimension, SurveyDefinition } from '../survey/schema.js';
import { cellOfSortKey, countersOf } from './aggregate-layout.js';
import { listChannels } from './channel-store.js';
import { fitsProjection, queryAll, queryPages } from './query.js';
import { listWaveStates, waveSettledAt } from './survey-store.js';
import { type Db, keys } from './table.js';

/**
 * Stored impact snapshots (see `shared/impact/snapshot.ts`): per wave a head item with what the
 * snapshot was made from and the compressed data in chunks beside it, all in one partition per
 * survey, so one query reads every wave's snapshot.
 *
 * A read serves a wave from its snapshot when that still holds (settled and unchanged, or younger
 * than `maxAgeMs`); otherwise it reads the wave's cells, folds them, answers from them and stores
 * the new snapshot for the reads after it. Head and chunks are written in one transaction, so a
 * reader never sees half a snapshot, and an older snapshot never replaces a newer one.
 */

/** Bytes of compressed data per chunk item, well below DynamoDB's 400 KB item limit. */
const CHUNK_BYTES = 300_000;
/** Items per transaction are limited to 100: head, chunks and deletions of a longer old snapshot. */
const MAX_CHUNKS = 90;

export interface ImpactCells {
  /** Each wave's group sums (see `indexWave`). */
  indexes: Map<string, WaveIndex>;
  /** How each wave's audiences were raked (empty without weighting). */
  raking: Map<string, RakedGroup[]>;
  /** Responses per day of each wave (all audiences). */
  days: Map<string, Record<string, number>>;
  /** When each wave's figures were read from its cells. */
  asOf: Map<string, string>;
  /**
   * Waves whose figures are final: read after the wave had stopped collecting for good. Only these
   * are released to leads (a figure that moves with each answer gives that answer away).
   */
  settled: Set<string>;
  /** Waves read from their cells for this request (no snapshot, or it no longer held). */
  refreshed: string[];
  /** Snapshots made for this request that could not be stored (the next read makes them again). */
  unsaved: { waveId: string; reason: string }[];
  /**
   * Waves shown from a release stored before snapshots kept answers and channels (encoding 3):
   * their answer distributions and channel counts are not known. A release is never made again
   * (it would differ from what leads saw), so they stay unknown; see docs/impact.md.
   */
  withoutAnswers: Set<string>;
}

export interface ImpactReadOptions {
  now: Date;
  /** How old a snapshot of a wave that may still collect may be. 0: always read the cells. */
  maxAgeMs: number;
  /** The survey's weighting population (`settings.weighting`): the weighted sums are raked to it. */
  population?: Population | undefined;
  /** Read every wave from its cells (and store new snapshots), whatever is stored. */
  refresh?: boolean;
}

interface Head {
  asOf: string;
  definitionVersion: string;
  weighting: string;
  settled: boolean;
  waveFingerprint: string;
  chunks: number;
}

function headOf(item: Record<string, unknown>): Head | undefined {
  const { asOf, definitionVersion, weighting, settled, waveFingerprint: fingerprint, chunks } = item;
  if (
    typeof asOf !== 'string' ||
    typeof definitionVersion !== 'string' ||
    typeof weighting !== 'string' ||
    typeof settled !== 'boolean' ||
    typeof fingerprint !== 'string' ||
    typeof chunks !== 'number'
  ) {
    return undefined;
  }
  return {
    asOf,
    definitionVersion,
    weighting,
    settled,
    waveFingerprint: fingerprint,
    chunks,
  };
}

/**
 * Each wave's release: the first snapshot of it made after it settled, kept from then on. What leads
 * see of a wave is its release, so figures once shown never change by a few respondents: not when
 * the wave is reopened and collects a few more, not when retention pooling moves small cells.
 */
function storedReleases(items: Record<string, unknown>[]): Map<string, { asOf: string; data: Uint8Array }> {
  const out = new Map<string, { asOf: string; data: Uint8Array }>();
  for (const item of items) {
    const sk = String(item.sk);
    if (!sk.startsWith('RELEASE#') || typeof item.asOf !== 'string' || !(item.data instanceof Uint8Array)) continue;
    out.set(sk.slice('RELEASE#'.length), { asOf: item.asOf, data: item.data });
  }
  return out;
}

/** Releases larger than this (compressed) are not kept; such a wave is shown from its snapshots. */
const RELEASE_BYTES = 350_000;

/**
 * Keeps a settled snapshot as the wave's release, unless one is kept already. `kept`: a release is
 * stored now (this one or an earlier one); `reason`: why this one was not stored, when it was not.
 */
async function storeRelease(
  db: Db,
  surveyId: string,
  snapshot: ImpactSnapshot,
): Promise<{ kept: boolean; reason?: string }> {
  const data = encodeSnapshotData(snapshot);
  if (data.length > RELEASE_BYTES)
    return { kept: false, reason: `release too large (${data.length} bytes compressed)` };
  try {
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: { ...keys.impactRelease(surveyId, snapshot.waveId), asOf: snapshot.asOf, data },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { kept: true };
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return { kept: true };
    return { kept: false, reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/**
 * Deletes a released wave's snapshot (head and chunks, in one transaction: at most 91 items): a
 * released wave is read from its release alone, so the snapshot would only be bytes every read
 * fetches and throws away. Returns why not.
 */
async function dropWaveSnapshot(db: Db, surveyId: string, waveId: string, chunks: number): Promise<string | undefined> {
  const keysOf = [
    keys.impactSnapshot(surveyId, waveId),
    ...Array.from({ length: chunks }, (_, i) => keys.impactSnapshot(surveyId, waveId, i)),
  ];
  try {
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: keysOf.map((key) => ({ Delete: { TableName: db.tableName, Key: key } })),
      }),
    );
    return undefined;
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}

/** Deletes items 25 at a time, sending again what DynamoDB left unprocessed. */
async function deleteItems(db: Db, items: { pk: unknown; sk: unknown }[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let pending = items.slice(i, i + 25).map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } }));
    while (pending.length > 0) {
      const out = await db.doc.send(new BatchWriteCommand({ RequestItems: { [db.tableName]: pending } }));
      pending = (out.UnprocessedItems?.[db.tableName] ?? []) as typeof pending;
    }
  }
}

/** A wave's stored snapshot: its head and its data, if every chunk is there. */
function storedSnapshots(items: Record<string, unknown>[]): Map<string, { head: Head; data?: Buffer }> {
  const heads = new Map<string, Head>();
  const chunks = new Map<string, Map<number, Uint8Array>>();
  for (const item of items) {
    if (!String(item.sk).startsWith('WAVE#')) continue;
    const [, waveId = '', chunk] = String(item.sk).split('#');
    if (chunk === undefined) {
      const head = headOf(item);
      if (head) heads.set(waveId, head);
    } else if (item.data instanceof Uint8Array) {
      const own = chunks.get(waveId) ?? new Map<number, Uint8Array>();
      own.set(Number(chunk), item.data);
      chunks.set(waveId, own);
    }
  }
  const out = new Map<string, { head: Head; data?: Buffer }>();
  for (const [waveId, head] of heads) {
    const own = chunks.get(waveId);
    const parts = Array.from({ length: head.chunks }, (_, i) => own?.get(i));
    const complete = parts.every((p): p is Uint8Array => p !== undefined);
    out.set(waveId, complete ? { head, data: Buffer.concat(parts) } : { head });
  }
  return out;
}

/**
 * Stores a snapshot unless a newer one is there. Returns why it was not stored, or undefined.
 * `previousChunks`: how many chunks the snapshot it replaces had (those beyond the new count go).
 */
export async function storeSnapshot(
  db: Db,
  surveyId: string,
  snapshot: ImpactSnapshot,
  previousChunks = 0,
  chunkBytes = CHUNK_BYTES,
): Promise<string | undefined> {
  const data = encodeSnapshotData(snapshot);
  const pieces: Buffer[] = [];
  for (let at = 0; at < data.length; at += chunkBytes) pieces.push(data.subarray(at, at + chunkBytes));
  if (pieces.length > MAX_CHUNKS) return `too large (${data.length} bytes compressed)`;
  const head: Head = {
    asOf: snapshot.asOf,
    definitionVersion: snapshot.definitionVersion,
    weighting: snapshot.weighting,
    settled: snapshot.settled,
    waveFingerprint: snapshot.waveFingerprint,
    chunks: pieces.length,
  };
  const stale = Array.from({ length: Math.max(0, previousChunks - pieces.length) }, (_, i) => pieces.length + i);
  try {
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: db.tableName,
              Item: { ...keys.impactSnapshot(surveyId, snapshot.waveId), ...head },
              ConditionExpression: 'attribute_not_exists(pk) OR asOf <= :asOf',
              ExpressionAttributeValues: { ':asOf': snapshot.asOf },
            },
          },
          ...pieces.map((piece, i) => ({
            Put: {
              TableName: db.tableName,
              Item: { ...keys.impactSnapshot(surveyId, snapshot.waveId, i), data: piece },
            },
          })),
          ...stale.map((i) => ({
            Delete: { TableName: db.tableName, Key: keys.impactSnapshot(surveyId, snapshot.waveId, i) },
          })),
        ],
      }),
    );
    return undefined;
  } catch (error) {
    // A newer snapshot won, or another reader stored one at the same moment: either way one is there.
    if (error instanceof Error && error.name === 'TransactionCanceledException') return 'a newer snapshot is stored';
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}

/**
 * The cells an impact report needs for every wave of the survey, from snapshots where they hold
 * and from the aggregate cells (then stored as new snapshots) where they do not.
 */
export async function impactCells(
  db: Db,
  definition: SurveyDefinition,
  options: ImpactReadOptions,
): Promise<ImpactCells> {
  const cap = definition.settings.weighting?.cap;
  const population = cap === undefined ? undefined : options.population;
  const weighting = weightingFingerprint(population, cap);
  const [items, states] = await Promise.all([
    queryAll(db, keys.impactSnapshotPartition(definition.id)),
    listWaveStates(db, definition.id),
  ]);
  const stored = storedSnapshots(items);
  const releases = storedReleases(items);
  const result: ImpactCells = {
    indexes: new Map(),
    raking: new Map(),
    days: new Map(),
    asOf: new Map(),
    settled: new Set(),
    refreshed: [],
    unsaved: [],
    withoutAnswers: new Set(),
  };
  let channels: Promise<string[]> | undefined;
  /**
   * Every channel code a response can hold: declared, registered (also disabled ones, which
   * counted while they were active) and "unknown". Read once, and only when a refresh names its counters.
   */
  const channelCodes = () => {
    channels ??= listChannels(db, definition.id).then((registered) => [
      UNKNOWN_CHANNEL,
      ...surveyChannels(definition, registered).map((c) => c.code),
    ]);
    return channels;
  };
  /** Shows a wave as released, whatever its cells and state say now; false when it has no (readable) release. */
  const useRelease = (waveId: string): boolean => {
    const release = releases.get(waveId);
    const released = release ? decodedOrUndefined(Buffer.from(release.data)) : undefined;
    if (!release || !released) return false;
    result.settled.add(waveId);
    if (!released.distributions) result.withoutAnswers.add(waveId);
    result.indexes.set(waveId, released.index);
    result.raking.set(waveId, released.raking);
    result.days.set(waveId, released.days);
    result.asOf.set(waveId, release.asOf);
    return true;
  };
  const use = (waveId: string, snapshot: Pick<ImpactSnapshot, 'index' | 'raking' | 'days' | 'asOf' | 'settled'>) => {
    if (useRelease(waveId)) return;
    if (snapshot.settled) result.settled.add(waveId);
    result.indexes.set(waveId, snapshot.index);
    result.raking.set(waveId, snapshot.raking);
    result.days.set(waveId, snapshot.days);
    result.asOf.set(waveId, snapshot.asOf);
  };
  await Promise.all(
    definition.waves.map(async (wave) => {
      const own = stored.get(wave.id);
      /** Records that the wave is released: its snapshot, if one is stored, goes (see dropWaveSnapshot). */
      const released = async () => {
        if (!own) return;
        const reason = await dropWaveSnapshot(db, definition.id, wave.id, own.head.chunks);
        if (reason)
          result.unsaved.push({ waveId: wave.id, reason: `snapshot of a released wave not dropped: ${reason}` });
      };
      // A released wave is read from its release alone: nothing else about it is shown.
      if (!options.refresh && useRelease(wave.id)) return released();
      const fingerprint = waveFingerprint(states.find((s) => s.waveId === wave.id));
      const needs = {
        now: options.now,
        maxAgeMs: options.maxAgeMs,
        definitionVersion: definition.version,
        weighting,
        waveFingerprint: fingerprint,
      };
      // A snapshot that cannot be read (damaged, or an unknown encoding) counts as none; one of
      // encoding 3 (no answers, no channels) cannot serve, but its days tell what a refresh must read.
      const previous = own?.data ? decodedOrUndefined(own.data) : undefined;
      // Settledness is judged before the cells are read, so a settled snapshot holds every answer.
      const settled = waveSettledAt(states, options.now, definition.waves, wave.id);
      // A wave that has settled since its snapshot was made is read again at once: its final figures.
      const final = !settled || own?.head.settled === true;
      if (!options.refresh && own && previous?.distributions && final && snapshotServes(own.head, needs)) {
        const served = { ...previous, asOf: own.head.asOf, settled: own.head.settled && settled };
        if (served.settled && !releases.has(wave.id)) {
          const { kept, reason } = await storeRelease(db, definition.id, {
            ...served,
            waveId: wave.id,
            definitionVersion: own.head.definitionVersion,
            weighting: own.head.weighting,
            waveFingerprint: own.head.waveFingerprint,
          });
          if (reason) result.unsaved.push({ waveId: wave.id, reason });
          if (kept) await released();
        }
        use(wave.id, served);
        return;
      }
      const counters =
        previous &&
        refreshCounters(definition, { asOf: own?.head.asOf ?? '', days: previous.days }, options.now, [
          ...(await channelCodes()),
          ...channelsOfIndex(previous.index),
        ]);
      // Each name takes a few characters of the request's expression: past DynamoDB's 4 KB (a
      // survey with many questions and options, or a long wave), whole items are read instead.
      const projection = counters && fitsProjection(counters) ? counters : undefined;
      const folded = await foldWave(db, definition, wave.id, snapshotDimensions(definition, population), projection);
      const snapshot: ImpactSnapshot = {
        waveId: wave.id,
        asOf: options.now.toISOString(),
        definitionVersion: definition.version,
        weighting,
        settled,
        waveFingerprint: fingerprint,
        ...snapshotOfFolded(definition, wave.id, folded, population),
      };
      let kept = releases.has(wave.id);
      if (snapshot.settled && !kept) {
        const stored = await storeRelease(db, definition.id, snapshot);
        if (stored.reason) result.unsaved.push({ waveId: wave.id, reason: stored.reason });
        kept = stored.kept;
      }
      use(wave.id, snapshot);
      result.refreshed.push(wave.id);
      // A released wave needs no snapshot beside its release.
      if (kept) return released();
      const reason = await storeSnapshot(db, definition.id, snapshot, own?.head.chunks ?? 0);
      if (reason) result.unsaved.push({ waveId: wave.id, reason });
    }),
  );
  return result;
}

/** A stored snapshot's data, or undefined when it cannot be read (then the cells are read, whole). */
function decodedOrUndefined(data: Buffer): DecodedSnapshot | undefined {
  try {
    return decodeSnapshotData(data);
  } catch {
    return undefined;
  }
}

/**
 * Folds a wave's aggregate items page by page as they come (all shards in parallel), so a refresh
 * holds one page per shard and the folded cells, never the wave's whole aggregate. With `counters`
 * only those are read (see `refreshCounters`): a cell also holds counters impact ignores (free
 * numbers, dimension questions, sums of scale answers).
 */
async function foldWave(
  db: Db,
  definition: SurveyDefinition,
  waveId: string,
  dimensions: Dimension[],
  counters: string[] | undefined,
) {
  const folder = cellFolder(definition, dimensions);
  await Promise.all(
    Array.from({ length: definition.settings.aggregateShards }, async (_, shard) => {
      const pk = keys.aggregatePartition(definition.id, waveId, shard);
      for await (const page of queryPages(db, pk, undefined, counters)) {
        for (const item of page) folder.add(cellOfSortKey(String(item.sk)), countersOf(item));
      }
    }),
  );
  return { cells: folder.cells, days: folder.days };
}

/**
 * Drops every impact snapshot of a survey (after its cells changed); returns how many items went.
 * Releases are kept (retention pooling must not change released figures) unless `releases` says so:
 * early deletion and a repair by `recompute` release the affected survey's waves anew.
 */
export async function dropSnapshots(db: Db, surveyId: string, options: { releases?: boolean } = {}): Promise<number> {
  const all = await queryAll(db, keys.impactSnapshotPartition(surveyId), undefined, []);
  const items = options.releases ? all : all.filter((item) => !String(item.sk).startsWith('RELEASE#'));
  await deleteItems(db, items as { pk: unknown; sk: unknown }[]);
  return items.length;
}
