import { CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccountRecovery, CfnUserPoolGroup, Mfa, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
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
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.client = this.userPool.addClient('Client', {
      authFlows: {
        userPassword: d.clientAuthFlows.includes('ALLOW_USER_PASSWORD_AUTH'),
        userSrp: d.clientAuthFlows.includes('ALLOW_USER_SRP_AUTH'),
      },
      generateSecret: false,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.minutes(d.accessTokenValidityMinutes),
      idTokenValidity: Duration.minutes(d.accessTokenValidityMinutes),
      refreshTokenValidity: Duration.days(d.refreshTokenValidityDays),
    });
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
