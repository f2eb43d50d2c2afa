import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccountRecovery, CfnUserPoolGroup, Mfa, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { USER_POOL_DEFINITION } from '../../shared/auth/user-pool-definition.js';

/** The Cognito user pool of admins and team users, its app client and its groups. */
export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string) {
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
  }
}
