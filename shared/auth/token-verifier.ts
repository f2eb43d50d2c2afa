import { JwtRsaVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { ENV, requireEnv } from '../config/env.js';
import { Unauthorized } from '../domain/errors.js';

/** What a verified access token says about its user. */
export interface CognitoUser {
  sub: string;
  username: string;
  groups: string[];
}

/** Verifies Cognito access tokens: signature (RS256 via JWKS), issuer, expiry, token_use and client_id. */
export class AccessTokenVerifier {
  private readonly verifier;
  private jwksLoaded: Promise<void> | undefined;

  constructor(
    private readonly issuer: string,
    clientId: string,
  ) {
    this.verifier = JwtRsaVerifier.create({
      issuer,
      audience: null, // Cognito access tokens carry client_id instead of aud.
      jwksUri: `${issuer}/.well-known/jwks.json`,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'access') throw new Error('not an access token');
        if (payload.client_id !== clientId) throw new Error('token is for another client');
      },
    });
  }

  /** Builds the verifier from the function's environment. */
  static fromEnv(): AccessTokenVerifier {
    return new AccessTokenVerifier(requireEnv(ENV.cognitoIssuer), requireEnv(ENV.userPoolClientId));
  }

  /** The user of a valid Cognito access token; 401 otherwise. */
  async userFrom(token: string): Promise<CognitoUser> {
    await this.loadJwks();
    let payload: JwtPayload;
    try {
      payload = await this.verifier.verify(token);
    } catch {
      throw new Unauthorized('The access token is invalid or expired');
    }
    const groups = payload['cognito:groups'];
    return {
      sub: String(payload.sub),
      username: String(payload.username ?? payload.sub),
      groups: Array.isArray(groups) ? groups.map(String) : [],
    };
  }

  /**
   * aws-jwt-verify fetches JWKS over https only. A local Cognito emulator serves http, so its
   * keys are fetched here once and handed to the verifier; in the cloud the library fetches.
   */
  private loadJwks(): Promise<void> {
    if (!this.issuer.startsWith('http://')) return Promise.resolve();
    this.jwksLoaded ??= (async () => {
      const response = await fetch(`${this.issuer}/.well-known/jwks.json`);
      if (!response.ok) throw new Error(`JWKS fetch failed: ${response.status}`);
      this.verifier.cacheJwks((await response.json()) as Jwks);
    })().catch((error: unknown) => {
      this.jwksLoaded = undefined;
      throw error;
    });
    return this.jwksLoaded;
  }
}
