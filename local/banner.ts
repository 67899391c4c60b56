import type { LocalSystem } from './start.js';

/** Where a respondent of one audience opens a survey (the respondent pages' route). */
export function surveyLink(baseUrl: string, surveyId: string, audience: string): string {
  return `${baseUrl}/s/${encodeURIComponent(surveyId)}/${encodeURIComponent(audience)}`;
}

/** The impact dashboard of a survey (a shell like the fieldwork page). */
export function dashboardLink(baseUrl: string, surveyId: string): string {
  return `${baseUrl}/dashboard/${encodeURIComponent(surveyId)}`;
}

/** The lead page with a survey's fieldwork report (a shell; its data needs a token). */
export function fieldworkLink(baseUrl: string, surveyId: string): string {
  return `${baseUrl}/reports/${encodeURIComponent(surveyId)}/fieldwork`;
}

/**
 * One-click local sign-in for the lead pages. The token rides in the URL fragment, which the
 * browser never sends to a server (so no access log sees it); the page removes it at once.
 */
export function signInLink(baseUrl: string, token: string): string {
  return `${baseUrl}/reports/signin#token=${token}`;
}

/** The few lines `npm start` prints once everything answers. */
export function formatBanner(system: LocalSystem): string {
  const lines = ['', `Resonanz is running at ${system.url}`, ''];
  for (const survey of system.surveys) {
    const { definition } = survey;
    const demo = survey.demoPlanned > 0 ? `; adding ${survey.demoPlanned} demo responses in the background` : '';
    // The campaign's name, not the survey title: two Handwerk campaigns ask "Wie sehen Sie das Handwerk?".
    lines.push(`  ${definition.campaign.name.de} (${definition.id}, open wave ${survey.openWave}${demo})`);
    for (const audience of survey.audiences) {
      lines.push(`    ${audience.padEnd(10)} ${surveyLink(system.url, definition.id, audience)}`);
    }
    lines.push(`    ${'fieldwork'.padEnd(10)} ${fieldworkLink(system.url, definition.id)}`);
    lines.push(`    ${'impact'.padEnd(10)} ${dashboardLink(system.url, definition.id)}`);
    if (survey.note) lines.push(`    note: ${survey.note}`);
  }
  const campaign = system.surveys[0]?.definition.campaign.id ?? '<campaign-id>';
  lines.push(
    '',
    `  health         ${system.url}/health`,
    `  API reference  ${system.url}/api/v1/docs`,
    `  sign in        ${signInLink(system.url, system.signInToken)}`,
    '                 (lead pages: lead + admin of every campaign, valid 8 h; open it, then a fieldwork or impact link)',
    `  dev token      npm run token -- --role lead --campaign ${campaign}`,
    `  admin          npm run admin -- --help   (API: ${system.url}/api/v1/admin/openapi.json)`,
    `  demo data      npm run demo -- --survey ${system.surveys[0]?.definition.id ?? '<survey-id>'} --count 500`,
    '',
    `  data in ${system.dataDir} (kept across restarts; delete it to start empty). Ctrl-C stops.`,
    '',
  );
  return lines.join('\n');
}
