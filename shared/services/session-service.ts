import {
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { cognitoClient } from '../clients/cognito.js';
import { ENV, requireEnv } from '../config/env.js';
import { Unauthorized } from '../domain/errors.js';
import { cognitoErrorName } from '../storage/user-pool.js';

/** What a sign-in or a refresh gives: an access token (60 minutes) and, on sign-in, the refresh token that renews it. */
export interface Session {
  accessToken: string;
  /** Absent on a refresh: the same refresh token keeps working until it expires (30 days by default). */
  refreshToken?: string;
  /** Seconds the access token lasts. */
  expiresIn: number;
}

export const WRONG_CREDENTIALS = 'invalid username or password';
const STALE_REFRESH = 'the refresh token is not valid (expired, revoked, or the user was disabled): sign in again';

/** Errors Cognito answers for credentials it refuses (never a server fault). */
const REFUSALS = [
  'NotAuthorizedException',
  'UserNotFoundException',
  'InvalidPasswordException',
  'PasswordResetRequiredException',
  'UserNotConfirmedException',
  'InvalidParameterException',
];

/** Cognito sessions of the user pool's app client: USER_PASSWORD_AUTH to sign in, REFRESH_TOKEN_AUTH to renew. */
export class SessionService {
  constructor(
    private readonly idp: Pick<CognitoIdentityProviderClient, 'send'>,
    private readonly clientId: string,
  ) {}

  /** Signs in with a password; 401 for wrong credentials or a pool that asks for more (new password, MFA). */
  async signIn(username: string, password: string): Promise<Session> {
    const session = await this.initiate('USER_PASSWORD_AUTH', { USERNAME: username, PASSWORD: password }, WRONG_CREDENTIALS);
    if (!session) throw new Unauthorized(`${WRONG_CREDENTIALS}: the user pool asks for more than a password (new password or MFA)`);
    return session;
  }

  /** A new access token for a refresh token; 401 when the refresh token is no longer valid. */
  async refresh(refreshToken: string): Promise<Session> {
    const session = await this.initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: refreshToken }, STALE_REFRESH);
    if (!session) throw new Unauthorized(STALE_REFRESH);
    return session;
  }

  private async initiate(
    flow: 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH',
    parameters: Record<string, string>,
    refusal: string,
  ): Promise<Session | undefined> {
    let result: InitiateAuthCommandOutput;
    try {
      result = await this.idp.send(new InitiateAuthCommand({ AuthFlow: flow, ClientId: this.clientId, AuthParameters: parameters }));
    } catch (error) {
      if (REFUSALS.includes(cognitoErrorName(error))) throw new Unauthorized(refusal);
      throw error;
    }
    const auth = result.AuthenticationResult;
    if (!auth?.AccessToken) return undefined;
    return {
      accessToken: auth.AccessToken,
      ...(auth.RefreshToken ? { refreshToken: auth.RefreshToken } : {}),
      expiresIn: auth.ExpiresIn ?? 3600,
    };
  }
}

let sessions: SessionService | undefined;

/** Built once per container from the function's environment. */
export function sessionService(): SessionService {
  sessions ??= new SessionService(cognitoClient(), requireEnv(ENV.userPoolClientId));
  return sessions;
}
