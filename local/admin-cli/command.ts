import type { ParseArgsConfig } from 'node:util';
import type { Catalog } from '../../shared/data/catalog.js';
import type { Db } from '../../shared/data/table.js';

/** Thrown for wrong command-line use: printed as a message, exit code 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CommandContext {
  db: Db;
  catalog: Catalog;
  /** Parsed option values of the command (strings, booleans, string arrays). */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  /** Arguments after the command's name (files of `surveys publish`); empty unless it declares `positionals`. */
  positionals: string[];
  now: Date;
  print: (line: string) => void;
}

/** One `npm run admin -- <area> <name>` command; each area lives in its own module. */
export interface AdminCommand {
  area: string;
  /** Empty for a command that is its area alone (`npm run admin -- recompute`). */
  name: string;
  usage: string;
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** What the arguments after the name are (`PATH...`); a command without it accepts none. */
  positionals?: string;
  /** Options checked before the database is opened, so a typo fails at once. */
  required: string[];
  /** Further checks of the option values before the database is opened (throw a `UsageError`). */
  check?(values: CommandContext['values'], positionals: string[]): void | Promise<void>;
  /** Runs against the database (local, or the table of `--table`); returns the exit code. */
  run(context: CommandContext): Promise<number>;
}

export function requireString(values: CommandContext['values'], name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/**
 * Runs a command-line `main` and exits with its code. Expected failures (wrong use, Java missing,
 * a domain error) print their message alone; anything else prints in full.
 */
export function runCli(main: (argv: string[]) => Promise<number>, expected: (error: unknown) => boolean): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError || expected(error)) console.error((error as Error).message);
      else if (String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS'))
        console.error((error as Error).message);
      else console.error(error);
      process.exit(1);
    },
  );
}
