import { parseArgs } from 'node:util';
import { checkSurveyFiles, expandPaths } from '../local/load-surveys.js';
import { codeListing } from '../shared/survey/codes.js';
import { formatFileIssues } from '../shared/survey/parse-file.js';

const HELP = `Validate survey definition files.

Usage: npm run surveys:validate [-- [--codes] PATH...]

PATH is a survey file (.yaml, .yml, .json) or a folder of them; default: surveys/
Prints "OK file (id version ...)" per valid file and "file:line: path: reason" per problem.
Exits with 1 if any file is invalid.

--codes  print instead, as JSON, the question types and answer codes of each valid file's version:
         the entry test/fixtures/survey-codes.json pins (add it when you bump a version).`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { help: { type: 'boolean', short: 'h' }, codes: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const files = await expandPaths(positionals.length > 0 ? positionals : ['surveys']);
  if (files.length === 0) {
    console.error('no survey files found');
    return 1;
  }
  const results = await checkSurveyFiles(files);
  if (values.codes) {
    const pinned: Record<string, Record<string, unknown>> = {};
    for (const result of results) {
      if (result.ok)
        pinned[result.definition.id] = { [result.definition.version]: codeListing(result.definition.audiences) };
    }
    console.log(JSON.stringify(pinned, null, 2));
  }
  for (const result of results) {
    if (values.codes && result.ok) continue;
    if (result.ok) {
      const d = result.definition;
      const audiences = Object.keys(d.audiences).filter((a) => d.audiences[a as keyof typeof d.audiences]);
      console.log(
        `OK ${result.file} (${d.id} v${d.version}; waves: ${d.waves.length}; audiences: ${audiences.join(', ')})`,
      );
    } else {
      console.error(formatFileIssues(result));
    }
  }
  return results.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A missing path is a usage error, not a crash: one line, no stack trace.
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
