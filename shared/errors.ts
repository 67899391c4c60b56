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
