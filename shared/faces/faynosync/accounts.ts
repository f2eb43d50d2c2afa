/**
 * faynoSync's `/signup` and `/login` on the Cognito user pool: a faynoSync "admin" is a user of
 * the pool, and the token `/login` hands out is the pool's access token, so it works on every
 * management route of every face (the middleware verifies Cognito access tokens only).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { cognitoClient } from '../../clients/cognito.js';
import { ENV, optionalEnv, requireEnv } from '../../config/env.js';
import { Forbidden, Invalid, Unauthorized } from '../../domain/errors.js';
import { usernameProblem } from '../../domain/names.js';
import { apiRoute, noResources } from '../../http/middleware.js';
import { json } from '../../http/respond.js';
import type { RouteDefinition } from '../../http/route-definition.js';
import { SessionService, WRONG_CREDENTIALS } from '../../services/session-service.js';
import { cognitoErrorName, passwordProblem, userPoolIdOf } from '../../storage/user-pool.js';
import { readJsonObject } from './accounts-wire.js';

export interface AccountsConfig {
  userPoolId: string;
  clientId: string;
  /** The deployer's sign-up key; undefined: sign-up is off. */
  signupKey?: string;
}

export interface SignUpInput {
  username: string;
  password: string;
  apiKey: string;
}

export const SIGNUP_DISABLED = 'sign-up is disabled on this server (the deployer enables it with a sign-up key)';

function sameKey(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Sign-up (guarded by the deployer's key) and password login against the user pool. */
export class FaynoAccounts {
  constructor(
    private readonly idp: CognitoIdentityProviderClient,
    private readonly config: AccountsConfig,
  ) {}

  /**
   * Creates a confirmed user with a permanent password. 403 while sign-up is off, 401 for a wrong
   * key or an existing user (faynoSync's statuses), 400 for a password or name the pool refuses.
   */
  async signUp(input: SignUpInput): Promise<void> {
    const { signupKey } = this.config;
    if (signupKey === undefined) throw new Forbidden(SIGNUP_DISABLED);
    if (!sameKey(input.apiKey, signupKey)) throw new Unauthorized('wrong api key');
    // The same user-name rule as team users: a name that looks like another is refused, not a second user.
    const problem = usernameProblem(input.username) ?? passwordProblem(input.password);
    if (problem) throw new Invalid(problem);
    const user = { UserPoolId: this.config.userPoolId, Username: input.username };
    try {
      // The password doubles as the temporary one, so Cognito checks it before the user exists.
      await this.idp.send(new AdminCreateUserCommand({ ...user, MessageAction: 'SUPPRESS', TemporaryPassword: input.password }));
    } catch (error) {
      throw signUpError(error);
    }
    try {
      await this.idp.send(new AdminSetUserPasswordCommand({ ...user, Password: input.password, Permanent: true }));
    } catch (error) {
      // Leave no half-made user behind: a retry would be told it already exists.
      await this.idp.send(new AdminDeleteUserCommand(user)).catch(() => undefined);
      throw signUpError(error);
    }
  }

  /** faynoSync's login: the access token of a password sign-in (the native session routes also give the refresh token). */
  async logIn(username: string, password: string): Promise<string> {
    return (await new SessionService(this.idp, this.config.clientId).signIn(username, password)).accessToken;
  }
}

function signUpError(error: unknown): unknown {
  const name = cognitoErrorName(error);
  if (name === 'UsernameExistsException') return new Unauthorized('user already exists');
  if (name === 'InvalidPasswordException') return new Invalid(`password is too weak: ${(error as Error).message}`);
  if (name === 'InvalidParameterException') return new Invalid((error as Error).message);
  return error;
}

let accounts: FaynoAccounts | undefined;

/** Built once per container from the function's environment (the sign-up key only where the stack gives it). */
function faynoAccounts(): FaynoAccounts {
  accounts ??= new FaynoAccounts(cognitoClient(), {
    userPoolId: userPoolIdOf(requireEnv(ENV.cognitoIssuer)),
    clientId: requireEnv(ENV.userPoolClientId),
    ...(optionalEnv(ENV.signupKey) ? { signupKey: optionalEnv(ENV.signupKey) as string } : {}),
  });
  return accounts;
}

export const faynoAccountHandlers = {
  signUp: (route: RouteDefinition) =>
    apiRoute(route, noResources, async (request) => {
      const body = readJsonObject(request.event, 'invalid request body');
      const { username, password, api_key: apiKey = '' } = body;
      if (
        typeof username !== 'string' ||
        username === '' ||
        typeof password !== 'string' ||
        password === '' ||
        typeof apiKey !== 'string'
      ) {
        throw new Invalid('invalid request body');
      }
      await faynoAccounts().signUp({ username, password, apiKey });
      return json(200, { result: 'Successfully created admin user.' });
    }),

  logIn: (route: RouteDefinition) =>
    apiRoute(route, noResources, async (request) => {
      const body = readJsonObject(request.event, 'invalid request body');
      const { username, password } = body;
      if (typeof username !== 'string' || typeof password !== 'string') throw new Invalid('invalid request body');
      if (username === '' || password === '') throw new Unauthorized(WRONG_CREDENTIALS);
      return json(200, { token: await faynoAccounts().logIn(username, password) });
    }),
};
