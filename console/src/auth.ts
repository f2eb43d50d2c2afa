/**
 * Sign-in with the stack's Cognito user pool, by the user pools API itself over `fetch`
 * (USER_PASSWORD_AUTH, the flow the CLI's login uses; NEW_PASSWORD_REQUIRED answered with a new
 * password; REFRESH_TOKEN_AUTH before the access token expires). Tokens live in sessionStorage:
 * they last as long as the tab, and no other tab or site reads them.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
 */
import type { ConsoleConfig } from './config.js';

export interface Tokens {
  username: string;
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
}

/** Cognito asks for a new password (a user created by an admin signs in the first time). */
export interface NewPasswordChallenge {
  challenge: 'NEW_PASSWORD_REQUIRED';
  username: string;
  session: string;
}

export class AuthError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const STORAGE_KEY = 'ota-console-session';
/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;

interface AuthResult {
  AuthenticationResult?: { AccessToken?: string; RefreshToken?: string; ExpiresIn?: number };
  ChallengeName?: string;
  Session?: string;
}

async function cognito(config: ConsoleConfig, action: string, body: unknown): Promise<AuthResult> {
  let response: Response;
  try {
    response = await fetch(config.cognitoEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${action}` },
      body: JSON.stringify(body),
    });
  } catch {
    throw new AuthError('Network', 'Cannot reach the sign-in service; check your connection.');
  }
  const answer = (await response.json().catch(() => ({}))) as AuthResult & { __type?: string; message?: string };
  if (!response.ok) {
    const code = (answer.__type ?? 'Error').split('#').pop() ?? 'Error';
    throw new AuthError(code, messageOf(code, answer.message));
  }
  return answer;
}

function messageOf(code: string, message: string | undefined): string {
  if (code === 'NotAuthorizedException' || code === 'UserNotFoundException') return 'Wrong user name or password.';
  if (code === 'InvalidPasswordException') return message ?? 'The new password does not meet the policy.';
  if (code === 'PasswordResetRequiredException') return 'This account needs a password reset; ask its owner.';
  return message ?? code;
}

function tokensOf(username: string, result: AuthResult, refreshToken?: string): Tokens {
  const auth = result.AuthenticationResult;
  const refresh = auth?.RefreshToken ?? refreshToken;
  if (!auth?.AccessToken || !refresh) throw new AuthError('NoTokens', 'The sign-in service answered without tokens.');
  return { username, accessToken: auth.AccessToken, refreshToken: refresh, expiresAt: Date.now() + (auth.ExpiresIn ?? 3600) * 1000 };
}

/** Signs in with a password: tokens, or the new-password challenge. */
export async function signIn(config: ConsoleConfig, username: string, password: string): Promise<Tokens | NewPasswordChallenge> {
  const result = await cognito(config, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: config.clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
  if (result.ChallengeName === 'NEW_PASSWORD_REQUIRED' && result.Session) {
    return { challenge: 'NEW_PASSWORD_REQUIRED', username, session: result.Session };
  }
  if (result.ChallengeName)
    throw new AuthError(result.ChallengeName, `The sign-in service asks for ${result.ChallengeName}, which the console does not support.`);
  return save(tokensOf(username, result));
}

/** Answers the new-password challenge. */
export async function setNewPassword(config: ConsoleConfig, challenge: NewPasswordChallenge, newPassword: string): Promise<Tokens> {
  const result = await cognito(config, 'RespondToAuthChallenge', {
    ChallengeName: 'NEW_PASSWORD_REQUIRED',
    ClientId: config.clientId,
    Session: challenge.session,
    ChallengeResponses: { USERNAME: challenge.username, NEW_PASSWORD: newPassword },
  });
  return save(tokensOf(challenge.username, result));
}

/** A fresh access token from the refresh token. */
async function refresh(config: ConsoleConfig, tokens: Tokens): Promise<Tokens> {
  const result = await cognito(config, 'InitiateAuth', {
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    ClientId: config.clientId,
    AuthParameters: { REFRESH_TOKEN: tokens.refreshToken },
  });
  return save(tokensOf(tokens.username, result, tokens.refreshToken));
}

function save(tokens: Tokens): Tokens {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(tokens));
  return tokens;
}

/** The tokens of this tab's session, if signed in. */
export function storedTokens(): Tokens | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Tokens) : undefined;
  } catch {
    return undefined;
  }
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

let refreshing: Promise<Tokens> | undefined;

/** A valid access token, refreshed when it is about to expire (or `force`d after a 401); undefined when signed out. */
export async function accessToken(config: ConsoleConfig, force = false): Promise<string | undefined> {
  const tokens = storedTokens();
  if (!tokens) return undefined;
  if (!force && tokens.expiresAt - Date.now() > REFRESH_MARGIN_MS) return tokens.accessToken;
  refreshing ??= refresh(config, tokens).finally(() => {
    refreshing = undefined;
  });
  try {
    return (await refreshing).accessToken;
  } catch {
    signOut();
    return undefined;
  }
}
