import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
  UserPoolEmail,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { Role } from '../../functions/lib/auth.js';

/** Where the lead pages receive the hosted UI's answer (functions/report/pages/routes.tsx). */
export const SIGN_IN_CALLBACK_PATH = '/reports/signin/callback';

export interface AuthProps {
  /** Origins the lead pages are served from (the API's URL, the custom domain): callback URLs. */
  readonly siteOrigins: string[];
  /** Prefix of the hosted UI domain, `<prefix>.auth.<region>.amazoncognito.com`; unique in the region. */
  readonly domainPrefix: string;
  readonly retain: boolean;
  /**
   * The county's sender for staff mail (invitations, codes) through Amazon SES: an address or a
   * domain verified in SES in the stack's region. Without it Cognito's own sender is used, which
   * AWS limits to a few mails a day and which staff may take for spam.
   */
  readonly mail?: { from: string; fromName?: string | undefined } | undefined;
}

/** What staff read when an admin creates their account and when they confirm their address: German. */
export const STAFF_MAIL = {
  invitationSubject: 'Ihr Zugang zu Resonanz',
  invitationBody:
    'Guten Tag,<br><br>für Sie wurde ein Zugang zu Resonanz angelegt, der Auswertung der Befragungen Ihrer Kampagne.<br>' +
    'Benutzername: {username}<br>Vorläufiges Passwort: {####}<br><br>' +
    'Bitte melden Sie sich innerhalb von drei Tagen an. Dabei legen Sie ein eigenes Passwort fest und richten ' +
    'die Anmeldung mit einer Authentifizierungs-App ein.',
  verificationSubject: 'Ihr Bestätigungscode für Resonanz',
  verificationBody: 'Ihr Bestätigungscode für Resonanz lautet {####}. Er gilt 24 Stunden.',
};

/**
 * Who may use the lead, evaluator and admin routes. Staff only: no self sign-up, accounts are
 * created by an admin (docs/deploy.md), e-mail sign-in, MFA required (TOTP), threat protection on.
 *
 * Roles are the groups `admin`, `lead` and `evaluator`; the campaign scope is the custom attribute
 * `custom:campaigns` (comma-separated campaign ids, or `*`). Both reach the functions as ID token
 * claims through the HTTP API's JWT authorizer (functions/lib/authenticate.ts reads them). The app
 * client may read the scope but not write it: a user who could change their own attribute could
 * widen their own scope.
 */
export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: { campaigns: new StringAttribute({ minLen: 1, maxLen: 2048, mutable: true }) },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.retain,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      email: props.mail
        ? UserPoolEmail.withSES({ fromEmail: props.mail.from, fromName: props.mail.fromName ?? 'Resonanz' })
        : UserPoolEmail.withCognito(),
      userInvitation: {
        emailSubject: STAFF_MAIL.invitationSubject,
        emailBody: STAFF_MAIL.invitationBody,
      },
      userVerification: {
        emailSubject: STAFF_MAIL.verificationSubject,
        emailBody: STAFF_MAIL.verificationBody,
      },
    });
    for (const role of Role.options) {
      new UserPoolGroup(this, `Group-${role}`, {
        userPool: this.userPool,
        groupName: role,
        description: `Resonanz ${role}s (campaign scope: custom:campaigns)`,
      });
    }
    this.domain = this.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    this.client = this.userPool.addClient('Console', {
      // A browser page: a public client with the authorization code flow and PKCE, no secret. For
      // scripts (an evaluator fetching exports), password sign-in through Cognito's API, which
      // still asks for the TOTP code (docs/deploy.md).
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID],
        callbackUrls: props.siteOrigins.map((origin) => `${origin}${SIGN_IN_CALLBACK_PATH}`),
      },
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true })
        .withCustomAttributes('campaigns'),
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
  }

  /** The issuer the JWT authorizer checks. */
  get issuer(): string {
    return `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }
}
