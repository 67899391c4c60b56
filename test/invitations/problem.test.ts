import { describe, expect, it } from 'vitest';
import { problemFor } from '../../functions/lib/problem.js';
import {
  InvitationAudienceMismatchError,
  InvitationExpiredError,
  InvitationNotFoundError,
  InvitationRevokedError,
  InvitationTokenMalformedError,
  InvitationUsedError,
} from '../../shared/errors.js';

describe('invitation problems', () => {
  it.each([
    [new InvitationTokenMalformedError(), 400, 'invitation-invalid'],
    [new InvitationAudienceMismatchError('business', 'public'), 400, 'invitation-invalid'],
    [new InvitationNotFoundError('mini'), 404, 'invitation-not-found'],
    [new InvitationNotFoundError('mini', true), 404, 'invitation-not-found'],
    [new InvitationExpiredError('2026-11-19'), 410, 'invitation-expired'],
    [new InvitationRevokedError(), 410, 'invitation-revoked'],
    [new InvitationUsedError(), 409, 'invitation-used'],
  ])('maps %s to its own status and type', (error, status, slug) => {
    // Act
    const { problem } = problemFor(error);

    // Assess
    expect(problem.status).toBe(status);
    expect(problem.type).toBe(`https://resonanz.dev/problems/${slug}`);
    expect(problem.detail).toBe(error.message);
  });
});
