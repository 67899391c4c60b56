import { parseDocument } from 'yaml';
import type { SurveyDefinition } from './schema.js';
import { type DefinitionIssue, validateDefinition } from './validate.js';

export type FileResult =
  | { ok: true; file: string; definition: SurveyDefinition }
  | { ok: false; file: string; issues: DefinitionIssue[] };

/**
 * Parses YAML (JSON is valid YAML) into plain data; syntax errors come back as issues with their
 * line and column. Shared by every file kind kept as code (surveys, population margins).
 */
export function parseYaml(text: string): { ok: true; data: unknown } | { ok: false; issues: DefinitionIssue[] } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length === 0) return { ok: true, data: doc.toJS() };
  return {
    ok: false,
    issues: doc.errors.map((e) => ({
      path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '(syntax)',
      message: e.message.split('\n')[0] ?? e.message,
    })),
  };
}

/** Parses one survey file (YAML or JSON; JSON is valid YAML) and validates it. Pure: text in, result out. */
export function parseSurveyFile(file: string, text: string): FileResult {
  const yaml = parseYaml(text);
  if (!yaml.ok) return { ok: false, file, issues: yaml.issues };
  const result = validateDefinition(yaml.data);
  return result.ok ? { ok: true, file, definition: result.definition } : { ok: false, file, issues: result.issues };
}

export function formatFileIssues(result: Extract<FileResult, { ok: false }>): string {
  return result.issues.map((i) => `${result.file}: ${i.path}: ${i.message}`).join('\n');
}
