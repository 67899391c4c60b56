import { describe, expect, it } from 'vitest';
import { SubmitRequest } from '../../shared/response/schema.js';
import { Code, Text } from '../../shared/survey/primitives.js';

// Only zod/mini here: `zod` would set its English messages itself and hide a missing locale.
describe('zod/mini schemas (shared/zod-locale.ts)', () => {
  it('give respondents and admins the English messages `zod` gives, not "Invalid input"', () => {
    expect(Code.safeParse(1).error?.issues[0]?.message).toBe('Invalid input: expected string, received number');
    expect(Text.safeParse({ de: '', en: 'x' }).error?.issues[0]?.message).toBe(
      'Too small: expected string to have >=1 characters',
    );
    expect(Code.safeParse('A').error?.issues[0]?.message).toMatch(/^use lower-case letters/);
    const submit = SubmitRequest.safeParse({ submissionId: 'x', audience: 'public', answers: {} });
    expect(submit.error?.issues[0]?.message).toBe('Invalid UUID');
  });
});
