import { CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { USER_POOL_DEFINITION } from '../../shared/storage/user-pool-definition.js';

export interface AuthProps {
  /**
   * Enables faynoSync's `POST /signup`: a sign-up key is generated into Secrets Manager (read it
   * with `aws secretsmanager get-secret-value --secret-id <FaynoSyncSignupKeySecret output>`); anyone
   * holding it can create users of the pool. Off by default.
   */
  readonly faynosyncSignup?: boolean;
  /**
   * Cognito threat protection (the Plus feature plan, billed per monthly active user): `audit` logs
   * risky sign-ins, `enforced` also blocks them (`cdk deploy -c threatProtection=audit|enforced`).
   */
  readonly threatProtection?: ThreatProtection;
  /**
   * A hosted UI (managed login) on a Cognito domain: the authorization-code flow (with PKCE) to
   * these callback URLs. Without it the client has no OAuth flow at all: the service signs in with
   * USER_PASSWORD_AUTH and SRP only.
   */
  readonly hostedUi?: HostedUi;
}

export type ThreatProtection = 'audit' | 'enforced';
export const THREAT_PROTECTION_MODES: readonly ThreatProtection[] = ['audit', 'enforced'];

export interface HostedUi {
  /** Prefix of `<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainPrefix: string;
  /** https URLs the hosted UI may redirect to after sign-in (and sign-out). */
  readonly callbackUrls: readonly string[];
}

/** The Cognito user pool of admins and team users, its app client and its groups. */
export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  /** The faynoSync sign-up key, when sign-up is enabled. */
  readonly signupKey?: Secret;

  constructor(scope: Construct, id: string, props: AuthProps = {}) {
    super(scope, id);
    const d = USER_POOL_DEFINITION;
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      passwordPolicy: {
        minLength: d.passwordPolicy.minLength,
        requireLowercase: d.passwordPolicy.requireLowercase,
        requireUppercase: d.passwordPolicy.requireUppercase,
        requireDigits: d.passwordPolicy.requireDigits,
        requireSymbols: d.passwordPolicy.requireSymbols,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Retained and protected: deleting the pool deletes every user (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-deletion-protection.html).
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(props.threatProtection
        ? {
            featurePlan: FeaturePlan.PLUS,
            standardThreatProtectionMode:
              props.threatProtection === 'enforced' ? StandardThreatProtectionMode.FULL_FUNCTION : StandardThreatProtectionMode.AUDIT_ONLY,
          }
        : {}),
    });
    const hostedUi = props.hostedUi ? validHostedUi(props.hostedUi) : undefined;
    this.client = this.userPool.addClient('Client', {
      authFlows: {
        userPassword: d.clientAuthFlows.includes('ALLOW_USER_PASSWORD_AUTH'),
        userSrp: d.clientAuthFlows.includes('ALLOW_USER_SRP_AUTH'),
      },
      generateSecret: false,
      preventUserExistenceErrors: true,
      // CDK's default enables the code and implicit grants to https://example.com: no OAuth flow
      // unless a hosted UI is configured, and then the code grant only (never implicit).
      ...(hostedUi
        ? {
            oAuth: {
              flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
              scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
              callbackUrls: [...hostedUi.callbackUrls],
              logoutUrls: [...hostedUi.callbackUrls],
            },
          }
        : { disableOAuth: true }),
      accessTokenValidity: Duration.minutes(d.accessTokenValidityMinutes),
      idTokenValidity: Duration.minutes(d.accessTokenValidityMinutes),
      refreshTokenValidity: Duration.days(d.refreshTokenValidityDays),
    });
    if (hostedUi) this.userPool.addDomain('HostedUiDomain', { cognitoDomain: { domainPrefix: hostedUi.domainPrefix } });
    for (const group of d.groups) {
      new CfnUserPoolGroup(this, `Group-${group.name}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group.name,
        description: group.description,
      });
    }
    if (props.faynosyncSignup) {
      // Generated at deploy time, never in the repository or the template (which holds only a
      // `{{resolve:secretsmanager:…}}` reference, resolved into the sign-up function's environment).
      this.signupKey = new Secret(this, 'FaynoSyncSignupKey', {
        description: 'faynoSync sign-up key: the api_key of POST /signup (creates users of the pool)',
        generateSecretString: { passwordLength: 40, excludePunctuation: true },
        removalPolicy: RemovalPolicy.DESTROY,
      });
      Validations.of(this.signupKey).acknowledge({
        id: 'AwsSolutions::AwsSolutions-SMG4',
        reason:
          'CloudFormation re-resolves a secretsmanager dynamic reference only when the function holding it is updated, so an automatic rotation would never reach it. Rotate by replacing the secret (new construct id) and deploying; disable sign-up by deploying without it.',
      });
      new CfnOutput(this, 'FaynoSyncSignupKeySecret', {
        value: this.signupKey.secretArn,
        description: 'Secret holding the faynoSync sign-up key (api_key of POST /signup)',
      });
    }
  }
}

/** Refuses a hosted UI Cognito would refuse, or one redirecting to a placeholder or plain-http site. */
function validHostedUi(ui: HostedUi): HostedUi {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(ui.domainPrefix) || /aws|amazon|cognito/.test(ui.domainPrefix)) {
    throw new Error(
      `Hosted UI: ${ui.domainPrefix} is not a valid Cognito domain prefix (lower-case letters, digits, hyphens; no aws, amazon or cognito)`,
    );
  }
  if (ui.callbackUrls.length === 0) throw new Error('Hosted UI: at least one callback URL');
  for (const url of ui.callbackUrls) {
    if (!/^https:\/\/[^/\s]+/.test(url) || /^https:\/\/example\.com(\/|$)/.test(url)) {
      throw new Error(`Hosted UI: callback ${url} must be an https URL of your own site`);
    }
  }
  return ui;
}
