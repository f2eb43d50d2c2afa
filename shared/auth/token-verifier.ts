import { JwtRsaVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { ENV, requireEnv } from '../config/env.js';
import { Unauthorized } from '../domain/errors.js';
import type { Caller } from './principal.js';

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

  /** The caller of a request with `Authorization: Bearer <access token>`; 401 otherwise. */
  async callerFrom(authorization: string | undefined): Promise<Caller> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw new Unauthorized();
    await this.loadJwks();
    let payload: JwtPayload;
    try {
      payload = await this.verifier.verify(match[1] as string);
    } catch {
      throw new Unauthorized('The access token is invalid or expired');
    }
    const groups = payload['cognito:groups'];
    return {
      ownerId: String(payload.sub),
      userId: String(payload.sub),
      username: String(payload.username ?? payload.sub),
      kind: 'owner',
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
