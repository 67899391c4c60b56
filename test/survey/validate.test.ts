import { describe, expect, it } from 'vitest';
import { formatFileIssues, parseSurveyFile } from '../../shared/survey/parse-file.js';
import { validateDefinition } from '../../shared/survey/validate.js';
import { miniSurveyInput } from '../fixtures/mini-survey.js';

/** A deep copy of the fixture to break in one place. */
function variant(mutate: (d: typeof miniSurveyInput) => void): unknown {
  const copy = structuredClone(miniSurveyInput);
  mutate(copy);
  return copy;
}

function issuesOf(raw: unknown): string[] {
  const result = validateDefinition(raw);
  if (result.ok) return [];
  return result.issues.map((i) => `${i.path}: ${i.message}`);
}

const sections = (d: typeof miniSurveyInput) => d.audiences.public.sections;

describe('validateDefinition', () => {
  it('accepts the fixture and fills defaults', () => {
    const result = validateDefinition(miniSurveyInput);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const consent = result.definition.audiences.public?.sections[0]?.questions[0];
    expect(consent).toMatchObject({ type: 'consent', required: true, selfConsentAge: 14 });
    expect(result.definition.settings).toEqual({ minCellSize: 10, aggregateShards: 4 });
  });

  it('reports an unknown key with its path', () => {
    const issues = issuesOf(variant((d) => Object.assign(sections(d)[2]?.questions[0] ?? {}, { colour: 'red' })));
    expect(issues.join('\n')).toMatch(/audiences\.public\.sections\[2\]\.questions\[0\].*colour/);
  });

  it('reports an unknown question type', () => {
    const issues = issuesOf(variant((d) => Object.assign(sections(d)[2]?.questions[0] ?? {}, { type: 'slider' })));
    expect(issues.join('\n')).toMatch(/audiences\.public\.sections\[2\]\.questions\[0\]\.type/);
  });

  it('reports a missing English label', () => {
    const issues = issuesOf(
      variant((d) => {
        const q = sections(d)[2]?.questions[0];
        if (q) q.label = { de: 'modern' } as never;
      }),
    );
    expect(issues).toEqual([expect.stringMatching(/^audiences\.public\.sections\[2\]\.questions\[0\]\.label\.en: /)]);
  });

  it('reports a showIf that refers to a later question', () => {
    const issues = issuesOf(
      variant((d) => {
        Object.assign(sections(d)[1]?.questions[0] ?? {}, { showIf: { question: 'city', anyOf: ['alpha'] } });
      }),
    );
    expect(issues).toContain(
      'audiences.public.sections[1].questions[0].showIf.question: "city" is not an earlier question of this audience',
    );
  });

  it('reports a showIf code the target question does not offer', () => {
    const issues = issuesOf(
      variant((d) => {
        Object.assign(sections(d)[1]?.questions[1] ?? {}, { showIf: { question: 'seen_ads', anyOf: ['maybe'] } });
      }),
    );
    expect(issues).toContain(
      'audiences.public.sections[1].questions[1].showIf.anyOf[0]: "maybe" is not an answer code of "seen_ads"',
    );
  });

  it('reports duplicate question ids and option codes outside the campaign cities', () => {
    const issues = issuesOf(
      variant((d) => {
        const about = sections(d)[4];
        const city = about?.questions[0];
        if (city && 'options' in city) city.options?.push({ code: 'gamma', label: { de: 'Gamma', en: 'Gamma' } });
        about?.questions.push({ ...(about.questions[1] as object) } as never);
      }),
    );
    expect(issues.join('\n')).toContain('duplicate question id "age"');
    expect(issues.join('\n')).toContain('"gamma" is not a campaign city code');
  });

  it('reports indicator tags of the wrong question type and undeclared indicators', () => {
    const issues = issuesOf(
      variant((d) => {
        Object.assign(sections(d)[2]?.questions[3] ?? {}, { indicator: 'nps' });
        Object.assign(sections(d)[4]?.questions[1] ?? {}, { indicator: 'unknown_one' });
      }),
    );
    expect(issues.join('\n')).toContain('a nps indicator cannot use a grade question');
    expect(issues.join('\n')).toContain('"unknown_one" is not declared under indicators');
  });

  it('reports duplicate option codes, unknown exclusive codes and a clash with the dk code', () => {
    const issues = issuesOf(
      variant((d) => {
        const channels = sections(d)[3]?.questions[1];
        if (channels && 'options' in channels) {
          channels.options?.push({ code: 'poster', label: { de: 'Plakat', en: 'Poster' } });
          Object.assign(channels, { exclusive: ['none', 'zzz'], maxSelected: 9 });
        }
        const city = sections(d)[4]?.questions[0];
        if (city && 'options' in city) {
          Object.assign(city, { dontKnow: true });
          city.options?.push({ code: 'dk', label: { de: 'weiß nicht', en: 'do not know' } });
        }
      }),
    ).join('\n');
    expect(issues).toContain('duplicate option id "poster"');
    expect(issues).toContain('exclusive[1]: "zzz" is not an option of this question');
    expect(issues).toContain('maxSelected 9 is more than the 4 options');
    expect(issues).toContain('"dk" is added by dontKnow: true');
  });

  it('reports duplicate channel codes and channels in cities outside the campaign', () => {
    const issues = issuesOf(
      variant((d) => {
        d.channels.push({ code: 'plakat-alpha', label: { de: 'x', en: 'x' }, kind: 'poster', city: 'gamma' });
      }),
    ).join('\n');
    expect(issues).toContain('channels[1].code: duplicate channel id "plakat-alpha"');
    expect(issues).toContain('channels[1].city: "gamma" is not a campaign city code');
  });

  it('accepts targets and reports what a target cannot mean', () => {
    const source = { de: 'Beschluss des Kreistags', en: 'County council decision' };
    const good = {
      indicator: 'image_index',
      audience: 'public',
      direction: 'at_least',
      value: 60,
      deadline: '2027-12-31',
      source,
    };
    expect(
      issuesOf(variant((d) => Object.assign(d, { targets: [good, { ...good, indicator: 'recognition', value: 40 }] }))),
    ).toEqual([]);
    const issues = issuesOf(
      variant((d) =>
        Object.assign(d, {
          targets: [
            { ...good, indicator: 'unknown' },
            { ...good, audience: 'business' },
            { ...good, cities: ['gamma'], wave: 'w9' },
            { ...good, value: 120, from: -1 },
            { ...good, indicator: 'recognition', value: 100 },
            { ...good, indicator: 'nps', value: -101 },
            good,
            good,
            { ...good, deadline: '31.12.2027' },
          ],
        }),
      ),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        'targets[0].indicator: "unknown" is not declared under indicators',
        'targets[1].audience: the business audience is not asked "image_index"',
        'targets[2].cities[0]: "gamma" is not a campaign city code',
        'targets[2].wave: the survey has no wave "w9"',
        'targets[3].value: a target for "image_index" lies from 0 to 100',
        'targets[3].from: a starting value for "image_index" lies from 0 to 100',
        'targets[4].value: a target for "recognition" lies between 0 and 100, exclusive (a share in percent)',
        'targets[5].value: a target for "nps" lies from -100 to 100',
        'targets[6]: a second target for "image_index" and the same audience and cities',
      ]),
    );
    // Target 3 already has the plain key (its value is out of range, not its group).
    expect(issues.some((i) => i.startsWith('targets[8].deadline'))).toBe(true);
  });

  it('requires exactly one baseline wave and a consent question first', () => {
    const issues = issuesOf(
      variant((d) => {
        for (const w of d.waves) (w as { kind: string }).kind = 'followup';
        sections(d).reverse();
      }),
    );
    expect(issues.join('\n')).toContain('exactly one wave must be the baseline (found 0)');
    expect(issues.join('\n')).toContain('each audience starts with a consent question');
  });

  it('requires the same type and codes for a question id shared by audiences', () => {
    const raw = variant((d) => {
      const other = structuredClone(d.audiences.public);
      const modern = other.sections[2]?.questions[0];
      if (modern) Object.assign(modern, { type: 'grade' });
      Object.assign(d.audiences, { business: other });
    });
    expect(issuesOf(raw).join('\n')).toContain(
      '"img_modern" appears in another audience with a different type or codes',
    );
  });

  describe('settings.export', () => {
    const group = (code: string, members: string[]) => ({ code, label: { de: code, en: code }, members });
    const withExport = (exportSettings: unknown) =>
      variant((d) => Object.assign(d.settings, { export: exportSettings }));

    it('accepts a total city hierarchy and fills k', () => {
      const result = validateDefinition(
        withExport({
          hierarchies: [
            { dimension: 'city', groups: [group('here', ['alpha', 'beta']), group('away', ['elsewhere'])] },
          ],
        }),
      );
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.definition.settings.export?.k).toBe(5);
      expect(result.definition.settings.export?.hierarchies[0]?.groups.map((g) => g.code)).toEqual(['here', 'away']);
    });

    it('reports members no tagged question offers, members in two groups and options in no group', () => {
      const issues = issuesOf(
        withExport({
          hierarchies: [{ dimension: 'city', groups: [group('here', ['alpha', 'gamma']), group('there', ['alpha'])] }],
        }),
      );
      expect(issues).toEqual([
        'settings.export.hierarchies[0].groups[0].members[1]: "gamma" is not an option code of a question tagged with dimension "city"',
        'settings.export.hierarchies[0].groups[1].members[0]: "alpha" is already a member of group "here"',
        'settings.export.hierarchies[0].groups: option "beta" of "city" is in no group',
        'settings.export.hierarchies[0].groups: option "elsewhere" of "city" is in no group',
      ]);
    });

    it('reports a second hierarchy for a dimension, duplicate group codes and a dimension no question has', () => {
      const city = { dimension: 'city', groups: [group('all', ['alpha', 'beta']), group('all', ['elsewhere'])] };
      const issues = issuesOf(
        withExport({ hierarchies: [city, city, { dimension: 'gender', groups: [group('x', ['f'])] }] }),
      );
      expect(issues).toContain('settings.export.hierarchies[0].groups[1].code: duplicate group id "all"');
      expect(issues).toContain('settings.export.hierarchies[1].dimension: dimension "city" already has a hierarchy');
      expect(issues).toContain(
        'settings.export.hierarchies[2].dimension: no single-choice question is tagged with dimension "gender"',
      );
    });

    it('accepts declared quasi-identifiers with one answer code, and a step for a declared single-choice question', () => {
      const school = {
        id: 'school',
        type: 'single_choice',
        label: { de: 'Schulform', en: 'school type' },
        options: ['haupt', 'real', 'gym', 'ges'].map((code) => ({ code, label: { de: code, en: code } })),
      };
      const raw = variant((d) => {
        d.audiences.public?.sections.at(-1)?.questions.push(school as never);
        Object.assign(d.settings, {
          export: {
            quasiIdentifiers: ['school', 'age', 'grade'],
            hierarchies: [
              { question: 'school', groups: [group('lower', ['haupt', 'real']), group('upper', ['gym', 'ges'])] },
            ],
            period: 'wave',
            freeText: 'scrub',
          },
        });
      });
      const result = validateDefinition(raw);
      expect(result.ok ? [] : result.issues).toEqual([]);
      if (!result.ok) return;
      expect(result.definition.settings.export).toMatchObject({
        quasiIdentifiers: ['school', 'age', 'grade'],
        period: 'wave',
        freeText: 'scrub',
      });
      expect(
        issuesOf(
          variant((d) => {
            d.audiences.public?.sections.at(-1)?.questions.push(school as never);
            Object.assign(d.settings, {
              export: {
                hierarchies: [{ question: 'school', groups: [group('all', ['haupt', 'real', 'gym', 'ges'])] }],
              },
            });
          }),
        ),
      ).toEqual([
        'settings.export.hierarchies[0].question: "school" is not listed under settings.export.quasiIdentifiers',
      ]);
    });

    it('names each declared quasi-identifier the export could not use', () => {
      expect(
        issuesOf(withExport({ quasiIdentifiers: ['nope', 'channels', 'seen_what', 'city', 'age', 'age'] })),
      ).toEqual([
        'settings.export.quasiIdentifiers[0]: "nope" is not a question of this survey',
        'settings.export.quasiIdentifiers[1]: "channels" is a multiple_choice question; a quasi-identifier must have one answer code',
        'settings.export.quasiIdentifiers[2]: "seen_what" is a text question; a quasi-identifier must have one answer code',
        'settings.export.quasiIdentifiers[3]: "city" is tagged with dimension "city", which already makes it a quasi-identifier',
        'settings.export.quasiIdentifiers[5]: "age" is listed twice',
      ]);
    });

    it('keeps only quasi-identifier questions, each once', () => {
      expect(issuesOf(withExport({ quasiIdentifiers: ['age'], keep: ['city', 'age'] }))).toEqual([]);
      expect(
        issuesOf(withExport({ quasiIdentifiers: ['age'], keep: ['city', 'nope', 'channels', 'seen_what', 'city'] })),
      ).toEqual([
        'settings.export.keep[1]: "nope" is not a quasi-identifier question (tagged with a dimension, or listed under quasiIdentifiers)',
        'settings.export.keep[2]: "channels" is not a quasi-identifier question (tagged with a dimension, or listed under quasiIdentifiers)',
        'settings.export.keep[3]: "seen_what" is not a quasi-identifier question (tagged with a dimension, or listed under quasiIdentifiers)',
        'settings.export.keep[4]: "city" is listed twice',
      ]);
    });

    it('wants a step to name a dimension or a declared single-choice question', () => {
      const all = [group('all', ['alpha', 'beta', 'elsewhere'])];
      expect(
        issuesOf(
          withExport({
            quasiIdentifiers: ['age'],
            hierarchies: [
              { dimension: 'city', question: 'city', groups: all },
              { groups: all },
              { question: 'age', groups: all },
              { question: 'city', groups: all },
            ],
          }),
        ),
      ).toEqual([
        'settings.export.hierarchies[0]: name either a dimension or a question, not both or neither',
        'settings.export.hierarchies[1]: name either a dimension or a question, not both or neither',
        'settings.export.hierarchies[2].question: "age" is not a single-choice question of this survey',
        'settings.export.hierarchies[3].question: "city" is tagged with dimension "city": name the dimension instead',
      ]);
    });

    it('rejects an unknown period or free-text default', () => {
      expect(issuesOf(withExport({ period: 'day' }))).toEqual([expect.stringMatching(/^settings\.export\.period: /)]);
      expect(issuesOf(withExport({ freeText: 'keep' }))).toEqual([
        expect.stringMatching(/^settings\.export\.freeText: /),
      ]);
    });

    it('rejects a k out of range and a hierarchy for exposure', () => {
      expect(issuesOf(withExport({ k: 1 }))).toEqual([expect.stringMatching(/^settings\.export\.k: /)]);
      expect(issuesOf(withExport({ k: 101 }))).toEqual([expect.stringMatching(/^settings\.export\.k: /)]);
      expect(issuesOf(withExport({ k: 2.5 }))).toEqual([expect.stringMatching(/^settings\.export\.k: /)]);
      expect(issuesOf(withExport({ hierarchies: [{ dimension: 'exposure', groups: [group('x', ['yes'])] }] }))).toEqual(
        [expect.stringMatching(/^settings\.export\.hierarchies\[0\]\.dimension: /)],
      );
    });
  });
});

describe('parseSurveyFile', () => {
  it('reports YAML syntax errors with line and column', () => {
    const result = parseSurveyFile('surveys/bad.yaml', 'id: x\n  version: [1\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatFileIssues(result)).toMatch(/^surveys\/bad\.yaml: line \d+, column \d+: /);
  });

  it('reports duplicate keys instead of silently taking the last one', () => {
    const result = parseSurveyFile('s.yaml', 'id: a\nid: b\n');
    expect(result.ok).toBe(false);
  });

  it('reports schema errors with file, line, path and reason', () => {
    const result = parseSurveyFile('surveys/x.json', JSON.stringify({ ...miniSurveyInput, version: 'one' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatFileIssues(result)).toContain(
      'surveys/x.json:1: version: use a version such as "1", "1.2" or "1.2.0"',
    );
    // In a YAML file the line is the one of the value, or of the nearest enclosing key that is there.
    const text = ['id: mini', 'version: "1"', 'title:', '  de: Titel', 'campaign:', '  id: 7'].join('\n');
    const yaml = parseSurveyFile('x.yaml', text);
    if (yaml.ok) throw new Error('expected problems');
    const line = (path: string) => yaml.issues.find((i) => i.path === path)?.line;
    expect(line('title.en')).toBe(4);
    expect(line('campaign.id')).toBe(6);
    expect(line('waves')).toBe(1);
  });

  it('answers a file of 130,000 wrong list items and one of 50,000 keys with problems, without a throw', () => {
    const list = parseSurveyFile('x.yaml', `id: x\nversion: "1"\nwaves:\n${'- {}\n'.repeat(130_000)}`);
    expect(list.ok).toBe(false);
    if (!list.ok) expect(list.issues[0]?.message).toMatch(/too many problems/);
    // (The parser's own duplicate-key check took 24 s on this file; ours is one pass.)
    const keys = parseSurveyFile('y.yaml', Array.from({ length: 50_000 }, (_, i) => `k${i}: 0`).join('\n'));
    expect(keys.ok).toBe(false);
  });

  it('accepts JSON as well as YAML', () => {
    expect(parseSurveyFile('mini.json', JSON.stringify(miniSurveyInput)).ok).toBe(true);
  });
});
