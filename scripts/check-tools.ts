import { missingTools, missingToolsMessage } from '../test/setup/tools.js';

// Runs before `npm test` (the pretest script): one clear message instead of launcher errors in six files.
const missing = missingTools();
if (missing.length > 0) {
  console.error(missingToolsMessage(missing));
  process.exit(1);
}
