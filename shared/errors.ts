/**
 * Domain errors. They carry no HTTP status: the mapping to problem responses lives only in
 * `functions/lib/problem.ts` (used by every app's `onError`).
 */
export class ResonanzError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ResonanzError';
  }
}

export class SurveyNotFoundError extends ResonanzError {
  constructor(
    readonly surveyId: string,
    options?: ErrorOptions,
  ) {
    super(`survey "${surveyId}" does not exist`, options);
    this.name = 'SurveyNotFoundError';
  }
}

export class AudienceNotFoundError extends ResonanzError {
  constructor(
    readonly surveyId: string,
    readonly audience: string,
    options?: ErrorOptions,
  ) {
    super(`survey "${surveyId}" has no audience "${audience}"`, options);
    this.name = 'AudienceNotFoundError';
  }
}

export class NoOpenWaveError extends ResonanzError {
  constructor(
    readonly surveyId: string,
    options?: ErrorOptions,
  ) {
    super(`survey "${surveyId}" is not collecting responses at the moment`, options);
    this.name = 'NoOpenWaveError';
  }
}

export interface FieldIssue {
  field: string;
  code: string;
  message: string;
}

export class InvalidSubmissionError extends ResonanzError {
  constructor(
    readonly issues: FieldIssue[],
    options?: ErrorOptions,
  ) {
    super(`the submission has ${issues.length} invalid field(s)`, options);
    this.name = 'InvalidSubmissionError';
  }
}

/** The same submissionId was sent again with different answers. */
export class SubmissionConflictError extends ResonanzError {
  constructor(options?: ErrorOptions) {
    super('this submissionId was already used for different answers', options);
    this.name = 'SubmissionConflictError';
  }
}

/** Storage stayed contended or throttled after every retry; nothing was written. */
export class StorageBusyError extends ResonanzError {
  constructor(
    readonly retryAfterSeconds: number,
    options?: ErrorOptions,
  ) {
    super('storage is busy, nothing was saved; please retry', options);
    this.name = 'StorageBusyError';
  }
}

export class StoredItemInvalidError extends ResonanzError {
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`stored item ${key} does not match its schema`, options);
    this.name = 'StoredItemInvalidError';
  }
}

/** No credentials, or credentials that could not be verified (expired, wrong signature, bad claims). */
export class UnauthorizedError extends ResonanzError {
  constructor(message = 'a valid bearer token is required', options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnauthorizedError';
  }
}

/** Valid credentials that do not grant this role for this campaign. */
export class ForbiddenError extends ResonanzError {
  constructor(
    readonly role: string,
    readonly campaignId: string,
    options?: ErrorOptions,
  ) {
    super(`the token does not grant the role "${role}" for campaign "${campaignId}"`, options);
    this.name = 'ForbiddenError';
  }
}

/**
 * A comparison asks for a survey outside the token's campaigns, or for one that does not exist:
 * both get this same refusal, so that asking tells nothing about which surveys exist where.
 */
export class ComparisonForbiddenError extends ForbiddenError {
  constructor(options?: ErrorOptions) {
    super('lead or admin', '(one of the surveys asked)', options);
    this.message = 'the token does not grant the role "lead or admin" for every survey asked';
    this.name = 'ComparisonForbiddenError';
  }
}

/** A definition version was published before with different content. */
export class DefinitionVersionConflictError extends ResonanzError {
  constructor(
    readonly surveyId: string,
    readonly version: string,
    options?: ErrorOptions,
  ) {
    super(
      `survey "${surveyId}" version ${version} is already published with different content: ` +
        'bump "version" in the survey file (responses record the version they were given under)',
      options,
    );
    this.name = 'DefinitionVersionConflictError';
  }
}

/** Another publish moved the survey's current version between this publish's read and its write. */
export class SurveyChangedMeanwhileError extends ResonanzError {
  constructor(
    readonly surveyId: string,
    options?: ErrorOptions,
  ) {
    super(
      `survey "${surveyId}" was published by someone else at the same time; nothing was changed by this ` +
        'publish: list the surveys and publish again if it is still wanted',
      options,
    );
    this.name = 'SurveyChangedMeanwhileError';
  }
}

/** settings.aggregateShards differs from the published definition's: existing cells would be missed. */
export class AggregateShardsChangedError extends ResonanzError {
  constructor(
    readonly surveyId: string,
    readonly published: number,
    options?: ErrorOptions,
  ) {
    super(
      `survey "${surveyId}" is published with settings.aggregateShards ${published}; it cannot change ` +
        'once responses may exist, because aggregates are read from that many partitions',
      options,
    );
    this.name = 'AggregateShardsChangedError';
  }
}

export class WaveNotFoundError extends ResonanzError {
  constructor(
    readonly surveyId: string,
    readonly waveId: string,
    options?: ErrorOptions,
  ) {
    super(`survey "${surveyId}" has no wave "${waveId}"`, options);
    this.name = 'WaveNotFoundError';
  }
}

/** A wave schedule that cannot hold (empty window, overlap with another wave). */
export class WaveScheduleError extends ResonanzError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WaveScheduleError';
  }
}

/** A channel with this code is already registered for the survey (codes are unique per survey). */
export class ChannelExistsError extends ResonanzError {
  constructor(
    readonly surveyId: string,
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(`survey "${surveyId}" already has a channel "${code}"`, options);
    this.name = 'ChannelExistsError';
  }
}

export class ChannelNotFoundError extends ResonanzError {
  constructor(
    readonly surveyId: string,
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(`survey "${surveyId}" has no channel "${code}"`, options);
    this.name = 'ChannelNotFoundError';
  }
}

/** A channel that does not fit its survey (a city outside the campaign, a reserved code). */
export class InvalidChannelError extends ResonanzError {
  constructor(
    readonly issues: FieldIssue[],
    options?: ErrorOptions,
  ) {
    super(`the channel has ${issues.length} invalid field(s)`, options);
    this.name = 'InvalidChannelError';
  }
}

/** An invitation link whose token does not have the shape of one (mistyped or cut off). */
export class InvitationTokenMalformedError extends ResonanzError {
  constructor(options?: ErrorOptions) {
    super('this invitation link is incomplete or mistyped: please open the link exactly as it was sent', options);
    this.name = 'InvitationTokenMalformedError';
  }
}

/** No invitation with this token exists for this survey (never issued, or issued for another survey). */
export class InvitationNotFoundError extends ResonanzError {
  constructor(
    readonly surveyId: string,
    readonly otherSurvey = false,
    options?: ErrorOptions,
  ) {
    super(
      otherSurvey
        ? `this invitation belongs to a different survey than "${surveyId}"`
        : `survey "${surveyId}" has no such invitation`,
      options,
    );
    this.name = 'InvitationNotFoundError';
  }
}

export class InvitationExpiredError extends ResonanzError {
  constructor(
    readonly expiresOn: string,
    options?: ErrorOptions,
  ) {
    super(`this invitation was valid until ${expiresOn} and has expired`, options);
    this.name = 'InvitationExpiredError';
  }
}

export class InvitationRevokedError extends ResonanzError {
  constructor(options?: ErrorOptions) {
    super('this invitation was withdrawn by the survey team', options);
    this.name = 'InvitationRevokedError';
  }
}

/** The invitation was already used for a response: each one counts once. */
export class InvitationUsedError extends ResonanzError {
  constructor(options?: ErrorOptions) {
    super('this invitation has already been used to answer the survey', options);
    this.name = 'InvitationUsedError';
  }
}

/** The invitation was issued for another audience than the one the submission answers as. */
export class InvitationAudienceMismatchError extends ResonanzError {
  constructor(
    readonly invited: string,
    readonly submitted: string,
    options?: ErrorOptions,
  ) {
    super(`this invitation is for the "${invited}" questionnaire, not "${submitted}"`, options);
    this.name = 'InvitationAudienceMismatchError';
  }
}

/** The recipients file for a mail merge cannot be used as it is (CLI `invitations create --from`). */
export class RecipientsCsvError extends ResonanzError {
  constructor(message: string, options?: ErrorOptions) {
    super(`recipients CSV: ${message}`, options);
    this.name = 'RecipientsCsvError';
  }
}

/** A quota that does not fit its survey (unknown wave, audience or city). */
export class InvalidQuotaError extends ResonanzError {
  constructor(
    readonly issues: FieldIssue[],
    options?: ErrorOptions,
  ) {
    super(`the quota has ${issues.length} invalid field(s)`, options);
    this.name = 'InvalidQuotaError';
  }
}

export class QuotaNotFoundError extends ResonanzError {
  constructor(
    readonly surveyId: string,
    readonly quotaId: string,
    options?: ErrorOptions,
  ) {
    super(`survey "${surveyId}" has no quota "${quotaId}"`, options);
    this.name = 'QuotaNotFoundError';
  }
}

/** The respondent's group has reached its quota and the quota closes the public links for it. */
export class QuotaMetError extends ResonanzError {
  constructor(
    readonly surveyId: string,
    readonly quotaId: string,
    options?: ErrorOptions,
  ) {
    super(`enough responses have come in from this group ("${quotaId}"); thank you for your interest`, options);
    this.name = 'QuotaMetError';
  }
}

/** Query parameters that do not fit the survey (an audience it does not ask, an unknown wave or city). */
export class InvalidQueryError extends ResonanzError {
  constructor(
    readonly issues: FieldIssue[],
    options?: ErrorOptions,
  ) {
    super(`the query has ${issues.length} invalid parameter(s)`, options);
    this.name = 'InvalidQueryError';
  }
}

/** An export asks for less protection than its survey file sets (a lower k, the week where the file says wave). */
export class ExportProfileError extends ResonanzError {
  constructor(
    readonly issues: FieldIssue[],
    options?: ErrorOptions,
  ) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '), options);
    this.name = 'ExportProfileError';
  }
}

/** Responses kept arriving in some aggregate cells while they were rebuilt; those cells were left as they were. */
export class AggregatesBusyError extends ResonanzError {
  constructor(
    readonly cells: number,
    options?: ErrorOptions,
  ) {
    super(
      `${cells} aggregate cell(s) kept changing while being rebuilt (responses arriving); they were left ` +
        'untouched, every other cell is rebuilt: run the rebuild again, or close the wave first',
      options,
    );
    this.name = 'AggregatesBusyError';
  }
}

/** No export with this id for the survey, or no such file in it. */
export class ExportNotFoundError extends ResonanzError {
  constructor(
    readonly surveyId: string,
    readonly exportId: string,
    options?: ErrorOptions,
  ) {
    super(`survey "${surveyId}" has no export "${exportId}" (or no such file in it)`, options);
    this.name = 'ExportNotFoundError';
  }
}

/** The export could not be handed to its worker; its record says failed, nothing was written. */
export class ExportDispatchError extends ResonanzError {
  readonly retryAfterSeconds = 5;
  constructor(
    readonly exportId: string,
    options?: ErrorOptions,
  ) {
    super(`export "${exportId}" could not be started; nothing was written, please retry`, options);
    this.name = 'ExportDispatchError';
  }
}

/** The export is still being written (or failed): its files cannot be downloaded. */
export class ExportNotReadyError extends ResonanzError {
  constructor(
    readonly exportId: string,
    readonly status: string,
    options?: ErrorOptions,
  ) {
    super(`export "${exportId}" is ${status}; poll its status until it is done`, options);
    this.name = 'ExportNotReadyError';
  }
}

/** A survey file that cannot be published as it is: every problem, with its place in the file. */
export class SurveyFileInvalidError extends ResonanzError {
  constructor(
    readonly issues: { path: string; message: string; line?: number | undefined }[],
    options?: ErrorOptions,
  ) {
    super(`the survey file has ${issues.length} problem(s)`, options);
    this.name = 'SurveyFileInvalidError';
  }
}

/** A version published before, while another is current: publishing goes back to it only when asked. */
export class EarlierVersionError extends ResonanzError {
  constructor(
    readonly surveyId: string,
    readonly version: string,
    readonly current: string,
    options?: ErrorOptions,
  ) {
    super(
      `survey "${surveyId}" version ${version} was published before and ${current} is current; ` +
        'respondents keep getting ' +
        current +
        ' unless you go back to ' +
        version +
        ' on purpose (makeCurrent=true)',
      options,
    );
    this.name = 'EarlierVersionError';
  }
}
