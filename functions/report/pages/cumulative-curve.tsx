import type { FieldworkWave } from '../../../shared/fieldwork/report.js';
import type { Lang } from '../../respond/pages/i18n.js';
import { fieldworkUi } from './i18n.js';

const DAY_MS = 86_400_000;
/** Narrow, so that at 390 px (about 360 px of plot) the labels keep close to their 12 px. */
const BOX = { width: 400, height: 210, left: 46, right: 18, top: 14, bottom: 34 };

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;

const shortDay = (day: string, lang: Lang) =>
  new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );

const longDay = (day: string, lang: Lang) =>
  new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

/** The top of the y axis and its step: 1, 2 or 5 times a power of ten, at most four steps. */
export function axisOf(total: number): { max: number; step: number } {
  const rough = Math.max(1, total) / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  return { max: Math.max(step, Math.ceil(total / step) * step), step };
}

/**
 * A wave's responses added up over time, drawn on the server as SVG (no chart script, nothing
 * inline for the CSP to block). It is drawn from the gated periods only: the curve starts at 0
 * on the first period's first day and reaches each period's running total at the end of its last
 * day, with straight lines between, so no point tells more than the periods table beside it,
 * which is its text alternative. Days are to scale, so the slope shows how fast answers came.
 */
export function CumulativeCurve({ wave, name, k, lang }: { wave: FieldworkWave; name: string; k: number; lang: Lang }) {
  const ui = fieldworkUi[lang];
  const first = wave.periods[0];
  const last = wave.periods.at(-1);
  if (!first || !last) return null;
  const start = dayNumber(first.from);
  const span = dayNumber(last.to) + 1 - start;
  const { max, step } = axisOf(last.cumulative);
  const plotW = BOX.width - BOX.left - BOX.right;
  const plotH = BOX.height - BOX.top - BOX.bottom;
  const x = (dayEnd: number) => BOX.left + ((dayEnd - start) / span) * plotW;
  const y = (n: number) => BOX.top + plotH - (n / max) * plotH;
  const points = [
    { x: x(start), y: y(0) },
    ...wave.periods.map((p) => ({ x: x(dayNumber(p.to) + 1), y: y(p.cumulative), period: p })),
  ];
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
  const area = `${line} L${x(start + span).toFixed(1)} ${y(0).toFixed(1)} Z`;
  const ticks = Array.from({ length: Math.round(max / step) + 1 }, (_, i) => i * step);
  const id = `curve-${wave.waveId}`;
  const title = ui.curveTitle(name);
  return (
    <figure class="curve">
      <svg
        class="chart cumulative"
        viewBox={`0 0 ${BOX.width} ${BOX.height}`}
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
        data-wave={wave.waveId}
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>
          {ui.curveDesc({
            from: longDay(first.from, lang),
            to: longDay(last.to, lang),
            total: last.cumulative,
            periods: wave.periods.length,
            k,
          })}
        </desc>
        {ticks.map((t) => (
          <g class="tick">
            <line x1={BOX.left} x2={BOX.width - BOX.right} y1={y(t)} y2={y(t)} />
            <text x={BOX.left - 6} y={y(t) + 4} text-anchor="end">
              {new Intl.NumberFormat(lang).format(t)}
            </text>
          </g>
        ))}
        <path class="area" d={area} />
        <path class="line" d={line} />
        {points.slice(1).map((p) => (
          <circle class="point" cx={p.x.toFixed(1)} cy={p.y.toFixed(1)} r="3.5" />
        ))}
        <g class="days">
          {first.from === last.to ? (
            <text x={x(start + 0.5)} y={BOX.height - 10} text-anchor="middle">
              {shortDay(first.from, lang)}
            </text>
          ) : (
            <>
              <text x={BOX.left} y={BOX.height - 10} text-anchor="start">
                {shortDay(first.from, lang)}
              </text>
              <text x={BOX.width - BOX.right} y={BOX.height - 10} text-anchor="end">
                {shortDay(last.to, lang)}
              </text>
            </>
          )}
        </g>
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}
