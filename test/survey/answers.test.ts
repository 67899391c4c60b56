import { describe, expect, it } from 'vitest';
import { checkAnswer, checkAnswers } from '../../shared/survey/answers.js';
import type { Question } from '../../shared/survey/schema.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';

const spec = miniSurvey.audiences.public;
if (!spec) throw new Error('fixture has no public audience');
const question = (id: string): Question => {
  const q = spec.sections.flatMap((s) => s.questions).find((x) => x.id === id);
  if (!q) throw new Error(`no question ${id}`);
  return q;
};

describe('checkAnswer', () => {
  it("accepts only the respondent's own consent where the survey asks no parent (a business survey)", () => {
    const consent = question('consent');
    const adult = { ...consent, parentalConsent: false } as Question;

    expect(checkAnswer(adult, 'self')).toBeUndefined();
    expect(checkAnswer(adult, 'guardian')).toMatchObject({ code: 'out_of_range' });
    expect(checkAnswer(consent, 'guardian')).toBeUndefined();
  });

  it.each([
    ['img_modern', 1],
    ['img_modern', 5],
    ['img_modern', 'dk'],
    ['img_pair', 7],
    ['recommend', 0],
    ['recommend', 10],
    ['grade', 6],
    ['aided', 'no'],
    ['channels', ['none']],
    ['channels', ['poster', 'social']],
    ['age', 10],
    ['city', 'elsewhere'],
    ['consent', 'guardian'],
  ])('accepts %s = %j', (id, value) => {
    expect(checkAnswer(question(id), value)).toBeUndefined();
  });

  it.each([
    ['img_modern', 0, 'out_of_range'],
    ['img_modern', 6, 'out_of_range'],
    ['img_modern', 2.5, 'invalid_type'],
    ['img_modern', '4', 'invalid_type'],
    ['img_pair', 8, 'out_of_range'],
    ['recommend', 11, 'out_of_range'],
    ['recommend', 'dk', 'out_of_range'],
    ['grade', 0, 'out_of_range'],
    ['aided', 'dk', 'out_of_range'],
    ['aided', true, 'invalid_type'],
    ['channels', 'poster', 'invalid_type'],
    ['channels', [], 'required'],
    ['channels', ['poster', 'poster'], 'invalid_combination'],
    ['channels', ['none', 'poster'], 'invalid_combination'],
    ['channels', ['tv'], 'out_of_range'],
    ['age', 9, 'out_of_range'],
    ['age', 100, 'out_of_range'],
    ['age', 20.5, 'invalid_type'],
    ['age', Number.NaN, 'invalid_type'],
    ['seen_what', 'x'.repeat(101), 'too_long'],
    ['seen_what', 42, 'invalid_type'],
    ['seen_what', 'a\u0000b', 'invalid_type'],
    ['seen_what', 'broken \uD800 pair', 'invalid_type'],
    ['city', 'gamma', 'out_of_range'],
    ['consent', 'yes', 'out_of_range'],
  ])('rejects %s = %j as %s', (id, value, code) => {
    expect(checkAnswer(question(id), value)?.code).toBe(code);
  });

  it('names the accepted codes of a question with few options (what to send for consent)', () => {
    expect(checkAnswer(question('consent'), true)?.message).toBe('expected an option code: one of "self", "guardian"');
    expect(checkAnswer(question('consent'), 'yes')?.message).toBe(
      '"yes" is not an option of this question: one of "self", "guardian"',
    );
  });

  it('accepts line breaks, tabs and emoji in free text', () => {
    expect(checkAnswer(question('seen_what'), 'Zeile 1\nZeile 2\tmit 😀')).toBeUndefined();
  });

  it('counts characters, not UTF-16 units, against the length limit', () => {
    expect(checkAnswer(question('seen_what'), '😀'.repeat(100))).toBeUndefined();
  });
});

describe('checkAnswers', () => {
  it('accepts a complete answer set and trims free text', () => {
    const result = checkAnswers(spec, { ...miniAnswers, seen_what: '  Plakat  ' });
    expect(result).toEqual({ ok: true, answers: { ...miniAnswers, seen_what: 'Plakat' } });
  });

  it('stores ticked codes in the order of the options', () => {
    const result = checkAnswers(spec, { ...miniAnswers, channels: ['social', 'poster'] });
    expect(result).toEqual({ ok: true, answers: { ...miniAnswers, channels: ['poster', 'social'] } });
  });

  it('drops empty optional answers', () => {
    const result = checkAnswers(spec, { consent: 'self', city: 'beta', seen_what: '   ', seen_ads: 'yes' });
    expect(result).toEqual({ ok: true, answers: { consent: 'self', city: 'beta', seen_ads: 'yes' } });
  });

  it('requires consent and required dimensions', () => {
    const result = checkAnswers(spec, {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => `${i.field}:${i.code}`)).toEqual(['consent:required', 'city:required']);
  });

  it('rejects answers to questions hidden by an earlier answer', () => {
    const result = checkAnswers(spec, { ...miniAnswers, aided: 'no' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([expect.objectContaining({ field: 'channels', code: 'not_shown' })]);
  });
});
