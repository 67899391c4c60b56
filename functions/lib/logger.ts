/**
 * Structured JSON logs. Callers pass only operational facts (route, status, error names, counts):
 * never answers, tokens or anything typed by a respondent.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export const LOG_LEVELS = ['info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function jsonLogger(
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  minLevel: LogLevel = 'info',
): Logger {
  const threshold = LOG_LEVELS.indexOf(minLevel);
  const log = (level: Exclude<LogLevel, 'silent'>) =>
    LOG_LEVELS.indexOf(level) < threshold
      ? () => {}
      : (message: string, fields: LogFields = {}) =>
          write(JSON.stringify({ level, message, time: new Date().toISOString(), ...fields }));
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
