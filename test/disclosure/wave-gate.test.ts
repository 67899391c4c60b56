import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateDemoResponses } from '../../local/demo-data.js';
import { seededRandom } from '../../local/random.js';
import type { Counters } from '../../shared/aggregate/contribution.js';
import { loadPopulation } from '../../shared/data/population-files.js';
import { type GateCounts, gateWave, RESPONDENTS } from '../../shared/disclosure/wave-gate.js';
import { fieldworkReport } from '../../shared/fieldwork/report.js';
import { indexChannelGate, indexGate } from '../../shared/impact/gate.js';
import { snapshotOfCells } from '../../shared/impact/snapshot.js';
import { buildResponse } from '../../shared/response/build.js';
import { formatFileIssues, parseSurveyFile } from '../../shared/survey/parse-file.js';
import { cellsByWave } from '../setup/cells.js';

type Table = Map<string, [number, number]>;
const table = (rows: Record<string, number>): Table =>
  new Map(Object.entries(rows).map(([city, n]): [string, [number, number]] => [city, [0, n]]));

describe('gateWave: the respondents and the indicators of one audience', () => {
  it("hides a city for the respondents when an indicator hides it (the reviewer's Unna case, issue 16)", () => {
    // Kreis Unna, first wave, public, as `npm start` showed it: Schwerte has 11 respondents, of
    // whom 9 answered aided recognition; five cities hidden for the respondents hold 20. With
    // Schwerte's 11 shown, the indicator's hidden 29 less at most 20 left Schwerte 9 to 11.
    const hiddenBlock = { boenen: 4, froendenberg: 4, holzwickede: 5, selm: 3, elsewhere: 4 };
    const respondents = table({
      bergkamen: 15,
      kamen: 10,
      luenen: 24,
      schwerte: 11,
      unna: 21,
      werne: 10,
      ...hiddenBlock,
    });
    const aided = table({ bergkamen: 14, kamen: 10, luenen: 24, schwerte: 9, unna: 21, werne: 10, ...hiddenBlock });
    const input: GateCounts = {
      counts: new Map([
        [
          'public',
          new Map([
            [RESPONDENTS, respondents],
            ['aided_recognition', aided],
          ]),
        ],
      ]),
      split: () => false,
    };
    const gate = gateWave(input, 10);
    expect(gate.hidden('public', 'aided_recognition', 'schwerte')).toBe(true);
    expect(gate.hidden('public', RESPONDENTS, 'schwerte')).toBe(true);
    // The attack: hidden totals are the audience's total less the shown cities.
    const hiddenTotal = (t: Table, total: number, measure: string) =>
      total -
      [...t.keys()].filter((c) => !gate.hidden('public', measure, c)).reduce((a, c) => a + (t.get(c)?.[1] ?? 0), 0);
    const hiddenRespondents = hiddenTotal(respondents, 111, RESPONDENTS);
    const hiddenAided = hiddenTotal(aided, 108, 'aided_recognition');
    const others = [...respondents.keys()].filter((c) => c !== 'schwerte' && gate.hidden('public', RESPONDENTS, c));
    // Before: Schwerte's 11 respondents shown, the other hidden cities' 20 an upper bound of their
    // aided count, so Schwerte's aided count was 29 - 20 = 9 to 11. Now its respondents are part of
    // the hidden total: its aided count is at most that total less one per other hidden city (a 0
    // would be shown), and the others may hold every answer but one of the aided total.
    const highest = Math.min(hiddenAided, hiddenRespondents - others.length);
    const lowest = 1;
    expect(highest - lowest + 1).toBeGreaterThanOrEqual(5);
  });

  it('keeps the respondents of cities shown where an item answered by few leaves the hidden counts open', () => {
    // 20 respondents in each city; an item (a question for some only) answered by 3, 4, 12, 15 and 2.
    const respondents = table({ a: 20, b: 20, c: 20, d: 20, e: 20 });
    const item = table({ a: 3, b: 4, c: 12, d: 15, e: 2 });
    const gate = gateWave(
      {
        counts: new Map([
          [
            'public',
            new Map([
              [RESPONDENTS, respondents],
              ['item', item],
            ]),
          ],
        ]),
        split: () => false,
      },
      10,
    );
    expect(['a', 'b', 'c', 'e'].every((c) => gate.hidden('public', 'item', c))).toBe(true);
    // Hidden 21 in all; each city's 20 respondents bound it only to 1..20: nothing to pin, so
    // fieldwork keeps every city's count.
    expect(['a', 'b', 'c', 'd', 'e'].some((c) => gate.hidden('public', RESPONDENTS, c))).toBe(false);
  });
});

describe('fieldwork and impact decide alike', () => {
  it('hides the same cities for the respondents, and the same channels, in fieldwork as the impact gates do (demo data of both surveys)', async () => {
    let channelsHidden = 0;
    for (const file of ['surveys/handwerk-unna.yaml', 'surveys/handwerk-recklinghausen.yaml']) {
      const parsed = parseSurveyFile(file, readFileSync(file, 'utf8'));
      if (!parsed.ok) throw new Error(formatFileIssues(parsed));
      const definition = parsed.definition;
      const population = definition.settings.weighting
        ? await loadPopulation(definition.settings.weighting.population)
        : undefined;
      const responses = generateDemoResponses(definition, {
        count: 700,
        random: seededRandom(9),
        now: new Date('2027-06-30'),
      }).map((input) => buildResponse(input));
      const cells = cellsByWave(definition, responses);
      const fieldwork = fieldworkReport(definition, cells);
      let compared = 0;
      let hiddenSeen = 0;
      for (const wave of fieldwork.waves) {
        const own = cells.get(wave.waveId) ?? new Map<string, Counters>();
        const index = snapshotOfCells(definition, wave.waveId, own, population).index;
        const gate = indexGate(definition, index);
        // Channels too: fieldwork's line and the impact report's channels per audience are one table.
        const channels = indexChannelGate(definition, index);
        for (const { channel, responses } of wave.channels) {
          expect(responses === null, `${file} ${wave.waveId} ${channel}`).toBe(channels.hidden(channel));
          if (responses === null) channelsHidden++;
        }
        for (const audience of wave.audiences) {
          for (const { city, responses: shown } of audience.cities) {
            const hidden = gate.hidden(audience.audience, RESPONDENTS, city);
            expect(shown === null, `${file} ${wave.waveId} ${audience.audience} ${city}`).toBe(hidden);
            compared++;
            if (hidden) hiddenSeen++;
          }
        }
      }
      expect(compared).toBeGreaterThan(20);
      expect(hiddenSeen).toBeGreaterThan(0);
    }
    expect(channelsHidden).toBeGreaterThan(0);
  });
});
