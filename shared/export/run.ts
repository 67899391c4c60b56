import { randomInt } from 'node:crypto';
import { listExportRecords } from '../data/export-store.js';
import { scanResponses } from '../data/response-store.js';
import { listWaveStates, waveSettledAt } from '../data/survey-store.js';
import type { Db } from '../data/table.js';
import type { Channel, SurveyDefinition, Text } from '../survey/schema.js';
import { type ExportPlan, exportPlan } from './codebook.js';
import { codebookMarkdown } from './codebook-markdown.js';
import { type DisclosureReport, disclosureMarkdown, disclosureReport } from './disclosure.js';
import { exportHierarchies, quasiIdentifiersOf, WEEK_TO_WAVE } from './hierarchies.js';
import {
  type AnonymisationPass,
  type KAnonymityPlan,
  kAnonymityCounter,
  type PartitionDisclosure,
} from './k-anonymity.js';
import { exportProfile } from './profile.js';
import { rScript } from './r-script.js';
import { firstReleases, listDigest, releasable, setDigest, type WaveRelease } from './release.js';
import { rowCoder } from './rows.js';
import { SCRUB_KINDS, type ScrubKind, scrubText } from './scrub.js';
import { openRowSpool } from './spool.js';
import { spssSyntax } from './spss.js';
import { type DataFormat, dataFileName, dataWriter } from './writers.js';

/** Where an export's files go: the local folder, or (in AWS) an S3 multipart upload. */
export interface ExportSink {
  open(name: string): ExportFile;
}
export interface ExportFile {
  write(chunk: string): Promise<void>;
  close(): Promise<void>;
}

export interface ExportRequest {
  definition: SurveyDefinition;
  /** Every channel a response can name (file-declared and registered), for their kinds. */
  channels: readonly Pick<Channel, 'code' | 'kind'>[];
  format: DataFormat;
  /** At least the survey's `settings.export.k` (else 5), which is also the default. */
  k?: number;
  /** Default: the survey's `settings.export.period`, else `week`; `week` only where the survey allows it. */
  period?: 'week' | 'wave';
  /** Free-text answers: left out (default), or exported with personal data replaced (see scrub.ts). */
  freeText?: 'exclude' | 'scrub';
  /** Labels in the SPSS and R scripts (default German). */
  lang?: 'de' | 'en';
  now: Date;
  /** Where the rows wait between the passes (see spool.ts); default the system's temporary folder. */
  spoolDir?: string;
}

export interface ExportProgress {
  /** `read`: responses read, coded, counted and spooled; `write`: rows written from the spool. */
  pass: 'read' | 'write';
  rows: number;
  /** Rows the first pass read (known in the write pass). */
  total?: number;
}

export interface ExportResult {
  rows: number;
  files: string[];
  disclosure: DisclosureReport;
  /** What this export released of each wave, for the export record (see release.ts). */
  waves: WaveRelease[];
}

/** Characters of data lines collected before they are written. */
const WRITE_CHUNK_CHARS = 64 * 1024;

/**
 * The variables of the questions the survey keeps (`settings.export.keep`): a question asked of
 * several audiences with different codes is one variable per audience, and each is kept.
 */
export function keptVariables(definition: SurveyDefinition, plan: ExportPlan): string[] {
  const keep = new Set(definition.settings.export?.keep ?? []);
  return plan.questions.filter((p) => keep.has(p.question.id)).flatMap((p) => p.variables.map((v) => v.name));
}

/**
 * The variables of questions shown only for some values of a quasi-identifier (their own `showIf`
 * or their section's names one): whether a row answers them is visible in the data, so rows are
 * planned apart by it (see `kAnonymityCounter`).
 */
export function conditionalOnQuasiIdentifiers(definition: SurveyDefinition, plan: ExportPlan): string[] {
  const quasi = new Set(
    plan.questions.filter((p) => p.variables.some((v) => v.quasiIdentifier)).map((p) => p.question.id),
  );
  const names = new Set<string>();
  for (const [audience, spec] of Object.entries(definition.audiences)) {
    for (const section of spec?.sections ?? []) {
      for (const q of section.questions) {
        const conditions = [section.showIf, q.showIf].filter((c) => c !== undefined);
        if (!conditions.some((c) => quasi.has(c.question))) continue;
        const own = plan.questions.find((p) => p.question.id === q.id && (p.audiences as string[]).includes(audience));
        const variable = own?.variables[0]?.name;
        if (variable) names.add(variable);
      }
    }
  }
  return [...names];
}

/** The plan's partitions summed per audience and wave, for the disclosure report. */
function byAudienceAndWave(partitions: readonly PartitionDisclosure[]): PartitionDisclosure[] {
  const merged = new Map<string, PartitionDisclosure>();
  for (const p of partitions) {
    const key = `${p.audience}|${p.wave}`;
    const seen = merged.get(key);
    if (!seen) {
      merged.set(key, { ...p, shown: '' });
      continue;
    }
    const smallest = [seen.smallestGroup, p.smallestGroup].filter((n): n is number => n !== null);
    merged.set(key, {
      ...seen,
      rows: seen.rows + p.rows,
      generalised: [...new Set([...seen.generalised, ...p.generalised])],
      suppressedRows: seen.suppressedRows + p.suppressedRows,
      suppressedValues: seen.suppressedValues + p.suppressedValues,
      droppedRows: seen.droppedRows + p.droppedRows,
      smallestGroup: smallest.length > 0 ? Math.min(...smallest) : null,
    });
  }
  return [...merged.values()];
}

/** Row ids: a bijection of the row's position with a key drawn per export and then forgotten. */
function rowIds(): (index: number) => number {
  const multiplier = randomInt(1, 2 ** 31) * 2 + 1; // odd: a bijection modulo 2^32
  const offset = randomInt(0, 2 ** 32 - 1);
  return (index) => ((Math.imul(index, multiplier) + offset) >>> 0) + 1;
}

/**
 * Exports a survey's settled waves, anonymised (see docs/export.md), in two passes: the first reads
 * the stored responses once, page by page, codes each as a row, counts its quasi-identifier group
 * and parks the row in a temporary spool file (deleted in every outcome); the second reads the
 * spool back, generalises, suppresses and leaves out as planned and writes each row. Then the
 * codebook (JSON and Markdown), the disclosure report (JSON and Markdown) and, beside the CSV, the
 * SPSS syntax and R script that read it are written. Free text is left out unless asked for,
 * and then scrubbed of e-mail addresses, phone numbers, URLs, IBANs, postcodes and street addresses.
 *
 * A wave still collecting is left out, and so is a wave whose rows or anonymisation changed since
 * its first release (earlier export records say what that was): see release.ts.
 */
export async function runExport(
  db: Db,
  request: ExportRequest,
  sink: ExportSink,
  onProgress: (progress: ExportProgress) => void = () => {},
): Promise<ExportResult> {
  const { definition, now } = request;
  const profile = exportProfile(definition, request);
  const dataFile = dataFileName(request.format);
  const { freeText } = profile;
  // Rows are coded with the survey file's own period: the first pass of the plan needs the week
  // even when this release drops it.
  const plan = exportPlan(definition, {
    generatedAt: now,
    period: profile.base.period,
    freeText,
    format: request.format,
  });
  const hierarchies = exportHierarchies(definition, plan);
  const code = rowCoder(definition, plan, request.channels);
  const quasiIdentifiers = quasiIdentifiersOf(plan);
  const passes: AnonymisationPass[] = [{ k: profile.base.k }];
  if (profile.k !== profile.base.k || profile.period !== profile.base.period) {
    passes.push({ k: profile.k, require: profile.period !== profile.base.period ? [WEEK_TO_WAVE] : [] });
  }

  const [states, records] = await Promise.all([
    listWaveStates(db, definition.id),
    listExportRecords(db, definition.id),
  ]);
  const settled = new Set(
    definition.waves.filter((w) => waveSettledAt(states, now, definition.waves, w.id)).map((w) => w.id),
  );
  const waveCodes = new Map(definition.waves.map((w, i) => [w.id, i + 1]));
  const read = new Map(definition.waves.map((w) => [w.id, { responses: 0, digest: setDigest() }]));

  const counter = kAnonymityCounter(
    quasiIdentifiers,
    conditionalOnQuasiIdentifiers(definition, plan),
    keptVariables(definition, plan),
  );
  const scrubbed = Object.fromEntries(SCRUB_KINDS.map((kind) => [kind, 0])) as Record<ScrubKind, number>;
  const scrub = (text: string) => {
    const out = scrubText(text);
    for (const kind of SCRUB_KINDS) scrubbed[kind] += out.removed[kind];
    return out.text;
  };
  const spool = await openRowSpool(
    plan.codebook.variables.map((v) => v.name),
    request.spoolDir,
  );
  if (profile.period !== profile.base.period) {
    // This release gives the wave only: the week was needed for the plan, not for the file.
    plan.codebook.variables = plan.codebook.variables.filter((v) => v.name !== 'period');
  }
  const writer = dataWriter(plan.codebook, request.format);
  let counted = 0;
  let rows = 0;
  let kPlan: KAnonymityPlan;
  let waves: WaveRelease[];
  let released: Set<number | undefined>;
  try {
    // First pass: every response read once; those of settled waves coded (free text scrubbed or
    // left out), their quasi-identifier group counted, and the coded row parked in the spool.
    const nowSeconds = now.getTime() / 1000;
    for await (const response of scanResponses(db, definition.id)) {
      // Past its retention, DynamoDB's TTL deletes a response within days; until then it is not handed out.
      if (response.expiresAt !== undefined && response.expiresAt <= nowSeconds) continue;
      const wave = read.get(response.waveId);
      if (!wave) continue;
      wave.responses++;
      if (!settled.has(response.waveId)) continue;
      wave.digest.add(response.responseId);
      const row = code(response, scrub);
      counter.add(row);
      await spool.add(row);
      if (++counted % 1000 === 0) onProgress({ pass: 'read', rows: counted });
    }
    onProgress({ pass: 'read', rows: counted });
    kPlan = counter.plan(hierarchies, passes);

    const first = firstReleases(records);
    waves = definition.waves.map((w): WaveRelease => {
      const { responses, digest } = read.get(w.id) ?? { responses: 0, digest: setDigest() };
      if (!settled.has(w.id)) return { waveId: w.id, responses, status: 'collecting' };
      const now = { rows: digest.value(), plan: listDigest(kPlan.baseOutcome(waveCodes.get(w.id) ?? 0)) };
      return { waveId: w.id, responses, status: releasable(first.get(w.id), now) ? 'released' : 'changed', ...now };
    });
    released = new Set(waves.filter((w) => w.status === 'released').map((w) => waveCodes.get(w.waveId)));

    // Second pass: the spooled rows of released waves generalised, suppressed or left out as
    // planned, numbered and written. Lines are handed to the file some 64 KB at a time: a write
    // (and its await) per row cost more than coding the row.
    const data = sink.open(dataFile);
    const idOf = rowIds();
    let buffered = writer.header();
    let spooled = 0;
    for await (const row of spool.rows()) {
      if (++spooled % 1000 === 0) onProgress({ pass: 'write', rows: spooled, total: counted });
      if (!released.has(Number(row.wave)) || kPlan.applyInPlace(row) === undefined) continue;
      row.row_id = idOf(rows++);
      buffered += writer.row(row);
      if (buffered.length >= WRITE_CHUNK_CHARS) {
        await data.write(buffered);
        buffered = '';
      }
    }
    if (buffered !== '') await data.write(buffered);
    await data.close();
    onProgress({ pass: 'write', rows: counted, total: counted });
  } finally {
    await spool.dispose();
  }

  const labelOf = (variable: string, code: number): Text =>
    plan.codebook.variables.find((v) => v.name === variable)?.values.find((x) => x.code === code)?.label ?? {
      de: String(code),
      en: String(code),
    };
  const disclosure = disclosureReport({
    surveyId: definition.id,
    definitionVersion: definition.version,
    generatedAt: now,
    rows,
    period: profile.period,
    freeText,
    scrubbed: freeText === 'scrub' ? scrubbed : undefined,
    plan: kPlan,
    partitions: byAudienceAndWave(kPlan.partitions.filter((p) => released.has(p.wave))),
    hierarchies: hierarchies.map((h) => h.description),
    base: profile.base,
    labelOf,
    waves: waves.map((w) => ({ ...w, label: definition.waves.find((x) => x.id === w.waveId)?.label })),
  });
  const texts: [string, string][] = [
    ['codebook.json', `${JSON.stringify(plan.codebook, null, 2)}\n`],
    ['codebook.md', codebookMarkdown(plan.codebook)],
    ['disclosure.json', `${JSON.stringify(disclosure, null, 2)}\n`],
    ['disclosure.md', disclosureMarkdown(disclosure)],
    // The scripts read the RFC 4180 CSV; beside the Excel variant or JSON Lines they would find none.
    ...(request.format === 'csv'
      ? ([
          ['resonanz.sps', spssSyntax(plan.codebook, request.lang ?? 'de')],
          ['resonanz.R', rScript(plan.codebook, request.lang ?? 'de')],
        ] as [string, string][])
      : []),
  ];
  for (const [name, text] of texts) {
    const file = sink.open(name);
    await file.write(text);
    await file.close();
  }
  return { rows, files: [dataFile, ...texts.map(([name]) => name)], disclosure, waves };
}
