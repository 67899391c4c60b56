import { parseDocument } from 'yaml';
import type { SurveyDefinition } from './schema.js';
import { type DefinitionIssue, validateDefinition } from './validate.js';

export type FileResult =
  | { ok: true; file: string; definition: SurveyDefinition }
  | { ok: false; file: string; issues: DefinitionIssue[] };

/** Parses one survey file (YAML or JSON; JSON is valid YAML) and validates it. Pure: text in, result out. */
export function parseSurveyFile(file: string, text: string): FileResult {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      file,
      issues: doc.errors.map((e) => ({
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '(syntax)',
        message: e.message.split('\n')[0] ?? e.message,
      })),
    };
  }
  const result = validateDefinition(doc.toJS());
  return result.ok ? { ok: true, file, definition: result.definition } : { ok: false, file, issues: result.issues };
}

export function formatFileIssues(result: Extract<FileResult, { ok: false }>): string {
  return result.issues.map((i) => `${result.file}: ${i.path}: ${i.message}`).join('\n');
}
