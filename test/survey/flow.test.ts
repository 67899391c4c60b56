import { describe, expect, it } from 'vitest';
import { step } from '../../shared/survey/flow.js';
import { miniAnswers, miniSurvey } from '../fixtures/mini-survey.js';

const spec = miniSurvey.audiences.public;
if (!spec) throw new Error('fixture has no public audience');
// Sections: 0 consent, 1 recall (noBack), 2 image, 3 campaign, 4 about.

describe('step', () => {
  it('moves to the next section when the page is valid', () => {
    const result = step(spec, { section: 0, lock: -1, answers: { consent: 'self' } }, 'next');
    expect(result).toMatchObject({ kind: 'page', section: 1, lock: -1, issues: [] });
  });

  it('locks a noBack section once the respondent moves past it', () => {
    const result = step(spec, { section: 1, lock: -1, answers: { consent: 'self', seen_ads: 'no' } }, 'next');
    expect(result).toMatchObject({ kind: 'page', section: 2, lock: 1 });
  });

  it('refuses to go back into a locked section', () => {
    const result = step(spec, { section: 2, lock: 1, answers: { consent: 'self', seen_ads: 'no' } }, 'back');
    expect(result).toMatchObject({ kind: 'page', section: 2, notice: 'locked' });
  });

  it('keeps the remembered locked answers over those of an old page', () => {
    const old = { section: 1, lock: -1, answers: { consent: 'self', seen_ads: 'yes' } };
    const result = step(spec, old, 'next', { lock: 1, answers: { consent: 'self', seen_ads: 'no' } });
    expect(result).toMatchObject({ kind: 'page', section: 2, notice: 'locked', answers: { seen_ads: 'no' } });
  });

  it('shows the errors of an invalid page and stays on it', () => {
    const result = step(spec, { section: 4, lock: 1, answers: { ...miniAnswers, city: 'gamma' } }, 'next');
    expect(result).toMatchObject({ kind: 'page', section: 4, issues: [expect.objectContaining({ field: 'city' })] });
  });

  it('finishes after the last section with the visible answers only', () => {
    const result = step(
      spec,
      { section: 4, lock: 1, answers: { ...miniAnswers, aided: 'no', channels: ['poster'] } },
      'next',
    );
    expect(result.kind).toBe('finish');
    if (result.kind !== 'finish') return;
    expect(result.answers.channels).toBeUndefined();
    expect(result.answers.city).toBe('alpha');
  });

  it('declines only from the consent page', () => {
    expect(step(spec, { section: 0, lock: -1, answers: {} }, 'decline')).toEqual({ kind: 'declined' });
    expect(step(spec, { section: 2, lock: 1, answers: {} }, 'decline')).toMatchObject({ kind: 'page', section: 2 });
  });
});
