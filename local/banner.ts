import type { LocalSystem } from './start.js';

/** Where a respondent of one audience opens a survey (the respondent pages' route). */
export function surveyLink(baseUrl: string, surveyId: string, audience: string): string {
  return `${baseUrl}/s/${encodeURIComponent(surveyId)}/${encodeURIComponent(audience)}`;
}

/** The few lines `npm start` prints once everything answers. */
export function formatBanner(system: LocalSystem): string {
  const lines = ['', `Resonanz is running at ${system.url}`, ''];
  for (const survey of system.surveys) {
    const { definition } = survey;
    const demo = survey.demoPlanned > 0 ? `; adding ${survey.demoPlanned} demo responses in the background` : '';
    lines.push(`  ${definition.title.de} (${definition.id}, open wave ${survey.openWave}${demo})`);
    for (const audience of survey.audiences) {
      lines.push(`    ${audience.padEnd(10)} ${surveyLink(system.url, definition.id, audience)}`);
    }
    if (survey.note) lines.push(`    note: ${survey.note}`);
  }
  const campaign = system.surveys[0]?.definition.campaign.id ?? '<campaign-id>';
  lines.push(
    '',
    `  health         ${system.url}/health`,
    `  API reference  ${system.url}/api/v1/docs`,
    `  dev token      npm run token -- --role lead --campaign ${campaign}`,
    `  admin          npm run admin -- --help   (API: ${system.url}/api/v1/admin/openapi.json)`,
    `  demo data      npm run demo -- --survey ${system.surveys[0]?.definition.id ?? '<survey-id>'} --count 500`,
    '',
    `  data in ${system.dataDir} (kept across restarts; delete it to start empty). Ctrl-C stops.`,
    '',
  );
  return lines.join('\n');
}
