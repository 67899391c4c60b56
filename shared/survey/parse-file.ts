import { type Document, isCollection, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import type { SurveyDefinition } from './schema.js';
import { type DefinitionIssue, validateDefinition } from './validate.js';

export type FileResult =
  | {
      ok: true;
      file: string;
      definition: SurveyDefinition;
      /** The line (1-based) of a path in the file, e.g. `['id']`. */
      lineOf?: (at: readonly PropertyKey[]) => number | undefined;
    }
  | { ok: false; file: string; issues: DefinitionIssue[] };

/** Aliases a file may use (`*name`): far more than a survey needs, far fewer than a "billion laughs" file. */
const MAX_ALIASES = 200;

/**
 * Parses YAML (JSON is valid YAML) into plain data; syntax errors come back as issues with their
 * line and column. Shared by every file kind kept as code (surveys, population margins). Hostile
 * input (alias bombs, nesting deep enough to exhaust the stack) is an issue too, never a throw.
 */
export function parseYaml(
  text: string,
):
  | { ok: true; data: unknown; lineOf: (at: readonly PropertyKey[]) => number | undefined }
  | { ok: false; issues: DefinitionIssue[] } {
  const lines = new LineCounter();
  let doc: Document.Parsed;
  let data: unknown;
  try {
    // Duplicate keys are found below in one pass: the parser's own check compares every key of a
    // map with every other (a file of 50,000 keys took 24 s).
    doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false, lineCounter: lines });
    if (doc.errors.length > 0) {
      return {
        ok: false,
        issues: doc.errors.map((e) => ({
          path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '(syntax)',
          message: /call stack/i.test(e.message)
            ? 'the file is nested too deeply to read'
            : (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, ''),
          ...(e.linePos ? { line: e.linePos[0].line } : {}),
        })),
      };
    }
    const duplicates = duplicateKeys(doc, lines);
    if (duplicates.length > 0) return { ok: false, issues: duplicates };
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    return { ok: false, issues: [{ path: '(file)', message: unreadable(error) }] };
  }
  return { ok: true, data, lineOf: (at) => lineOf(doc, lines, at) };
}

/** Keys that a map of the file has twice (YAML would keep the last one silently). */
function duplicateKeys(doc: Document.Parsed, lines: LineCounter): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (seen.has(key)) {
          const at = pair.key.range ? lines.linePos(pair.key.range[0]) : undefined;
          issues.push({
            path: at ? `line ${at.line}, column ${at.col}` : '(syntax)',
            message: `the key "${key.slice(0, 80)}" appears twice in the same block`,
            ...(at ? { line: at.line } : {}),
          });
        }
        seen.add(key);
      }
    },
  });
  return issues;
}

/** Why a file could not be read at all, in words (the parser's own message for anything else). */
function unreadable(error: unknown): string {
  if (error instanceof RangeError) return 'the file is nested too deeply to read';
  const message = error instanceof Error ? error.message : String(error);
  if (/alias/i.test(message)) return `the file uses aliases (*name) too often (at most ${MAX_ALIASES} uses)`;
  return `the file could not be read: ${message.split('\n')[0]}`;
}

/** The line of the deepest node of `at` that the file has (a missing key points at its parent). */
function lineOf(doc: Document.Parsed, lines: LineCounter, at: readonly PropertyKey[]): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (const key of at) {
    if (!isCollection(node)) break;
    const next = node.get(typeof key === 'symbol' ? String(key) : key, true);
    if (next === undefined) break;
    node = next;
    offset = rangeStart(node) ?? offset;
  }
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}

/** Parses one survey file (YAML or JSON; JSON is valid YAML) and validates it. Pure: text in, result out. */
export function parseSurveyFile(file: string, text: string): FileResult {
  const yaml = parseYaml(text);
  if (!yaml.ok) return { ok: false, file, issues: yaml.issues };
  let result: ReturnType<typeof validateDefinition>;
  try {
    result = validateDefinition(yaml.data);
  } catch (error) {
    // A file with a six-figure number of wrong list items exhausts the checker's stack.
    if (!(error instanceof RangeError)) throw error;
    return {
      ok: false,
      file,
      issues: [{ path: '(file)', message: 'the file has too many problems to check; look at its structure' }],
    };
  }
  if (result.ok) return { ok: true, file, definition: result.definition, lineOf: yaml.lineOf };
  const issues = result.issues.map(({ at, ...issue }) => {
    const line = at ? yaml.lineOf(at) : undefined;
    return line === undefined ? issue : { ...issue, line };
  });
  return { ok: false, file, issues };
}

export function formatFileIssues(result: Extract<FileResult, { ok: false }>): string {
  return result.issues
    .map(
      (i) =>
        `${result.file}${i.line === undefined || i.path.startsWith('line ') ? '' : `:${i.line}`}: ${i.path}: ${i.message}`,
    )
    .join('\n');
}
