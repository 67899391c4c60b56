import { exposedAudiences } from '../shared/impact/gate.js';
import type { BuildInput } from '../shared/response/build.js';
import type { Audience, SurveyDefinition } from '../shared/survey/schema.js';
import { demoAnswers, type Respondent } from './demo-answers.js';
import { chance, intBetween, normal, type Random, uuidFrom, weighted } from './random.js';

/**
 * Synthetic but plausible responses for trying the system out: every answer passes `checkAnswers`,
 * and the numbers have a shape worth looking at — follow-up waves recognise the campaign more
 * often and rate Handwerk a little better, those who saw the campaign more so, big towns answer
 * more often, a few say "don't know" or skip optional questions. Pure: randomness and time come in.
 */
export interface DemoOptions {
  count: number;
  random: Random;
  /** Submission day of the latest wave; earlier waves lie months before it. */
  now: Date;
  cityWeights?: Readonly<Record<string, number>>;
}

const AUDIENCE_WEIGHT: Record<Audience, number> = { public: 0.6, business: 0.25, multiplier: 0.15 };
const DAY_MS = 86_400_000;
const WAVE_SPACING_DAYS = 120;

type Combo = { waveIndex: number; audience: Audience };

function combosOf(definition: SurveyDefinition): Combo[] {
  const audiences = (Object.keys(definition.audiences) as Audience[]).filter((a) => definition.audiences[a]);
  return definition.waves.flatMap((_, waveIndex) => audiences.map((audience) => ({ waveIndex, audience })));
}

function liftOf(definition: SurveyDefinition, waveIndex: number): number {
  const followups = definition.waves.filter((w) => w.kind === 'followup');
  const wave = definition.waves[waveIndex];
  if (!wave || wave.kind === 'baseline') return 0;
  return (followups.indexOf(wave) + 1) / followups.length;
}

function dayOf(definition: SurveyDefinition, waveIndex: number, now: Date, random: Random): Date {
  const wave = definition.waves[waveIndex];
  if (wave?.opens) {
    const opens = Date.parse(wave.opens);
    const closes = wave.closes ? Date.parse(wave.closes) : opens + 28 * DAY_MS;
    return new Date(opens + random() * Math.max(0, closes - opens - DAY_MS));
  }
  const wavesAfter = definition.waves.length - 1 - waveIndex;
  return new Date(now.getTime() - (wavesAfter * WAVE_SPACING_DAYS + intBetween(random, 0, 27)) * DAY_MS);
}

const PUBLIC_KINDS = new Set(['poster', 'social', 'school', 'event', 'press', 'web']);

/** Where a demo respondent came from: a declared channel fitting the audience, or a bare link (unknown). */
function demoChannel(definition: SurveyDefinition, audience: string, random: Random): string | undefined {
  const fitting = definition.channels.filter((c) =>
    audience === 'public' ? PUBLIC_KINDS.has(c.kind) : c.kind === 'mail' || c.kind === 'web',
  );
  if (fitting.length === 0 || chance(random, 0.2)) return undefined;
  return weighted(random, fitting, (c) => (c.kind === 'poster' ? 3 : 1)).code;
}

/**
 * `count` submissions spread over every wave and audience (each combination appears at least once
 * when `count` allows), ready for `buildResponse`.
 */
export function generateDemoResponses(definition: SurveyDefinition, options: DemoOptions): BuildInput[] {
  const { random } = options;
  const combos = combosOf(definition);
  // Audiences asked whether they know the campaign (the same rule the impact report splits by).
  const asked = exposedAudiences(definition);
  const inputs: BuildInput[] = [];
  for (let i = 0; i < options.count; i++) {
    const combo = combos[i] ?? weighted(random, combos, (c) => AUDIENCE_WEIGHT[c.audience]);
    const spec = definition.audiences[combo.audience];
    const wave = definition.waves[combo.waveIndex];
    if (!spec || !wave) continue;
    // Campaign effect: 0 at baseline, rising to 1 at the last follow-up.
    const lift = liftOf(definition, combo.waveIndex);
    // Strong enough to show at the default demo size: recognition roughly doubles by the last
    // follow-up and the image moves by about half a standard deviation among those who saw it.
    const exposedShare = 0.15 + 0.4 * lift;
    const exposed = chance(random, exposedShare);
    const who: Respondent = {
      exposed,
      exposureAsked: asked.has(combo.audience),
      attitude: 0.35 * lift + (exposed ? 0.3 : 0) + normal(random),
      lift,
      typicalAttitude: 0.35 * lift + 0.3 * exposedShare,
    };
    inputs.push({
      definition,
      audience: combo.audience,
      waveId: wave.id,
      submissionId: uuidFrom(random),
      channel: demoChannel(definition, combo.audience, random),
      activeChannels: new Set(definition.channels.map((c) => c.code)),
      locale: chance(random, 0.92) ? 'de' : 'en',
      answers: demoAnswers(definition, spec, who, options),
      now: dayOf(definition, combo.waveIndex, options.now, random),
    });
  }
  return inputs;
}
