import { parseArgs } from 'node:util';
import { ALL_CAMPAIGNS, Claims } from '../functions/lib/auth.js';
import { DEV_AUDIENCE, DEV_ISSUER, loadDevKey, mintDevToken } from '../local/dev-token.js';

const HELP = `Print a dev bearer token (JWT) for the local system.

Usage: npm run token -- --role ROLE --campaign ID [options]

  --role ROLE        admin, lead or evaluator; repeat for several roles
  --campaign ID      campaign id from a survey file (campaign.id), or "*" for all; repeatable
  --ttl SPAN         lifetime such as 30m, 8h, 2d (default 8h)
  --sub NAME         subject of the token (default dev-<first role>)
  --data-dir DIR     where the dev key is kept (default .data, or RESONANZ_DATA_DIR)
  -h, --help         show this help

The token is signed with the local dev key (<data-dir>/dev-key, made on first use, never
committed), issuer "${DEV_ISSUER}", audience "${DEV_AUDIENCE}". Only the token goes to stdout, so:
  TOKEN=$(npm run -s token -- --role lead --campaign wertschaetzung-handwerk-recklinghausen)
  curl -H "Authorization: Bearer $TOKEN" ...
"${ALL_CAMPAIGNS}" (quote it in the shell) gives access to every campaign.`;

/** Claim names as the user typed them, for error messages. */
const OPTION_OF: Record<string, string> = { roles: '--role', campaigns: '--campaign', sub: '--sub' };

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      campaign: { type: 'string', multiple: true },
      ttl: { type: 'string', default: '8h' },
      sub: { type: 'string' },
      'data-dir': { type: 'string', default: process.env.RESONANZ_DATA_DIR || '.data' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const roles = values.role ?? [];
  if (roles.length === 0 || !values.campaign?.length) {
    console.error(
      'both --role (admin, lead or evaluator) and --campaign (a campaign id or "*") are required; see --help',
    );
    return 1;
  }
  const claims = Claims.safeParse({
    sub: values.sub ?? `dev-${roles[0] ?? 'user'}`,
    roles,
    campaigns: values.campaign ?? [],
  });
  if (!claims.success) {
    for (const issue of claims.error.issues) {
      const claim = String(issue.path[0]);
      console.error(`${OPTION_OF[claim] ?? claim}: ${issue.message}`);
    }
    console.error('see --help');
    return 1;
  }
  const key = await loadDevKey(values['data-dir']);
  console.log(await mintDevToken(claims.data, key, { ttl: values.ttl }));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Usage errors (unknown option, bad --ttl) are one line, not a stack trace.
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
