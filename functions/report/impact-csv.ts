import { stringify } from 'csv-stringify/sync';
import type { Figure } from '../../shared/impact/estimate.js';
import type { ImpactReport, Tested } from '../../shared/impact/report.js';
import type { ChangeUnit } from '../../shared/impact/summary.js';
import type { Indicator } from '../../shared/survey/schema.js';
import type { Lang } from '../respond/pages/i18n.js';
import { csvUi } from './pages/csv-i18n.js';
import { impactUi } from './pages/impact-i18n.js';
import type { ReportLabels } from './pages/labels.js';
import { summaryUi } from './pages/summary-i18n.js';
import { judgementText, targetText } from './pages/verdict-fragment.js';

type Kind = Indicator['kind'];
type Column = keyof (typeof csvUi)['de']['columns'];
type Row = Partial<Record<Column, string>>;

const COLUMNS: Column[] = [
  'section',
  'indicator',
  'id',
  'wave',
  'comparedWith',
  'group',
  'city',
  'unit',
  'n',
  'nEff',
  'deff',
  'estimate',
  'ciLow',
  'ciHigh',
  'delta',
  'deltaLow',
  'deltaHigh',
  'p',
  'pAdjusted',
  'significant',
  'reading',
  'target',
  'note',
];

/**
 * The dashboard's figures as a table that opens as it reads in the lead's Excel: in German `;`
 * between cells and a decimal comma (German Excel reads "4,2" as a number and splits on `;`), in
 * English `,` and a point; UTF-8 with a byte order mark (else Excel guesses Windows-1252 and breaks
 * "ä"); every figure rounded to the precision the dashboard shows, shares in percent and their
 * changes in percentage points, so the file and the page agree digit for digit.
 */
export function impactCsv(
  report: ImpactReport,
  about: { campaign: string; survey: string; asOf: string },
  labels: ReportLabels,
  lang: Lang,
): string {
  const ui = csvUi[lang];
  const decimal = (value: number | null | undefined, digits: number): string => {
    if (value === null || value === undefined || !Number.isFinite(value)) return '';
    return new Intl.NumberFormat(lang, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      useGrouping: false,
    }).format(value);
  };
  const indicators = new Map(report.indicators.map((i) => [i.id, i]));
  const lines = new Map(report.summary.lines.map((l) => [l.indicator, l]));
  const kindOf = (id: string): Kind => indicators.get(id)?.kind ?? 'mean';
  const labelOf = (id: string) => indicators.get(id)?.label[lang] ?? id;
  const changeUnit = (id: string): ChangeUnit => lines.get(id)?.unit ?? 'scale_points';
  const valueUnit = (id: string) => {
    const kind = kindOf(id);
    if (kind !== 'mean') return ui.units[kind];
    return changeUnit(id) === 'grade_steps' ? ui.units.grade : ui.units.scale;
  };
  // A share reads in percent (one decimal), a mean with two decimals, index and NPS points with one.
  const value = (kind: Kind, v: number | null | undefined) =>
    v === null || v === undefined ? '' : kind === 'share' ? decimal(v * 100, 1) : decimal(v, kind === 'mean' ? 2 : 1);
  const p = (v: number | null) => (v === null ? '' : v < 0.001 ? `< ${decimal(0.001, 3)}` : decimal(v, 3));
  const flagWords = (flags: Figure['flags']) =>
    flags
      .map((f) =>
        f === 'suppressed'
          ? impactUi[lang].suppressed
          : f === 'collecting'
            ? impactUi[lang].collecting
            : impactUi[lang].unreliable,
      )
      .join(', ');
  const figure = (id: string, f: Figure): Row => ({
    unit: valueUnit(id),
    n: f.n === null ? '' : String(f.n),
    nEff: decimal(f.nEff, 0),
    deff: decimal(f.deff, 2),
    estimate: value(kindOf(id), f.estimate),
    ciLow: value(kindOf(id), f.ci?.lo),
    ciHigh: value(kindOf(id), f.ci?.hi),
    note: flagWords(f.flags),
  });
  const tested = (id: string, t: Tested): Row => ({
    unit: summaryUi[lang].unit[changeUnit(id)],
    delta: value(kindOf(id), t.delta),
    deltaLow: value(kindOf(id), t.ci?.lo),
    deltaHigh: value(kindOf(id), t.ci?.hi),
    p: p(t.p),
    pAdjusted: p(t.pAdjusted),
    significant: t.p === null ? '' : t.significant ? ui.yes : ui.no,
    note: flagWords(t.flags),
  });
  const named = (id: string) => ({ indicator: labelOf(id), id });
  const viewCity = report.city ? labels.city(report.city) : ui.allCities;

  // What the file shows, first: campaign, survey, audience, city, weighting and when the figures
  // were read (a file travels without the page it came from).
  const rows: Row[] = [
    {
      section: ui.sections.selection,
      indicator: `${about.campaign}: ${about.survey}`,
      group: labels.audience(report.audience),
      city: viewCity,
      reading: report.weighted ? summaryUi[lang].weighted : summaryUi[lang].unweighted,
      note: impactUi[lang].asOf(about.asOf),
    },
  ];
  for (const line of report.summary.lines) {
    const target = line.target;
    rows.push({
      section: ui.sections.summary,
      ...named(line.indicator),
      wave: line.to ? labels.wave(line.to.waveId) : '',
      comparedWith: line.from && line.to ? labels.wave(line.from.waveId) : '',
      city: viewCity,
      ...(line.change ? tested(line.indicator, { ...line.change, test: null, flags: [] }) : {}),
      unit: summaryUi[lang].unit[line.unit],
      reading: judgementText(line, lang),
      target: target
        ? `${summaryUi[lang].state(target.state, target.deadlinePassed)} (${targetText(target, line.kind, lang)})`
        : '',
    });
  }
  for (const t of report.targets) {
    const kind = kindOf(t.indicator);
    rows.push({
      section: ui.sections.target,
      ...named(t.indicator),
      wave: t.waveId ? labels.wave(t.waveId) : '',
      city: t.cities ? t.cities.map((c) => labels.city(c)).join(', ') : ui.allCities,
      ...figure(t.indicator, t.figure),
      p: t.test ? `${p(t.test.p)} (${ui.oneSided})` : '',
      reading: summaryUi[lang].state(t.state, t.deadlinePassed),
      target: `${targetText(t, kind, lang)}; ${summaryUi[lang].source}: ${t.source[lang]}`,
    });
  }
  for (const i of report.indicators) {
    for (const w of i.waves) {
      rows.push({
        section: ui.sections.estimate,
        ...named(i.id),
        wave: labels.wave(w.waveId),
        city: viewCity,
        ...figure(i.id, w),
      });
    }
    for (const c of i.changes) {
      rows.push({
        section: ui.sections.change,
        ...named(i.id),
        wave: labels.wave(c.to),
        comparedWith: labels.wave(c.from),
        city: viewCity,
        ...tested(i.id, c),
      });
    }
    for (const { waveId, rows: cities } of i.cities) {
      for (const r of cities) {
        rows.push({
          section: ui.sections.city,
          ...named(i.id),
          wave: labels.wave(waveId),
          city: labels.city(r.city),
          ...figure(i.id, r),
        });
      }
    }
  }
  for (const e of report.exposure) {
    const base = { section: ui.sections.exposure, ...named(e.indicator), wave: labels.wave(e.waveId), city: viewCity };
    rows.push({ ...base, group: ui.groups.aware, ...figure(e.indicator, e.aware) });
    rows.push({ ...base, group: ui.groups.notAware, ...figure(e.indicator, e.notAware) });
    rows.push({ ...base, group: ui.groups.awareMinusNot, ...tested(e.indicator, e) });
  }
  for (const g of report.gap) {
    const city = g.city === null ? ui.allCities : labels.city(g.city);
    const base = { section: ui.sections.gap, ...named(g.indicator), wave: labels.wave(g.waveId), city };
    rows.push({ ...base, group: ui.groups.self, ...figure(g.indicator, g.self) });
    rows.push({ ...base, group: ui.groups.outside, ...figure(g.indicator, g.outside) });
    rows.push({ ...base, group: ui.groups.selfMinusOutside, ...tested(g.indicator, g) });
  }
  // Labels come from survey files; a cell starting like a formula is made text (figures are ours).
  const text = new Set<Column>([
    'section',
    'indicator',
    'wave',
    'comparedWith',
    'group',
    'city',
    'reading',
    'target',
    'note',
  ]);
  const safe = rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([key, cell]) => [
        key,
        text.has(key as Column) && cell !== undefined && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell,
      ]),
    ),
  );
  return stringify(safe, {
    bom: true,
    delimiter: lang === 'de' ? ';' : ',',
    header: true,
    columns: COLUMNS.map((key) => ({
      key,
      header: key === 'pAdjusted' ? impactUi[lang].pAdjusted(report.adjustment) : ui.columns[key],
    })),
    record_delimiter: 'windows',
  });
}

/** The file's name says what it holds: survey, audience, city, wave pair, weighting. */
export function impactCsvName(
  surveyId: string,
  view: Pick<ImpactReport, 'audience' | 'city' | 'compared' | 'weighted'>,
): string {
  const parts = [
    'impact',
    surveyId,
    view.audience,
    view.city,
    view.compared && `${view.compared.from}-${view.compared.to}`,
    view.weighted && 'weighted',
  ];
  return `${parts.filter(Boolean).join('-')}.csv`;
}
