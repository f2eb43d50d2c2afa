import { ADMINS_GROUP, TEAM_GROUP } from '../domain/caller.js';

/** The user pool's settings, read by the CDK stack and by the local stack alike. */
export const USER_POOL_DEFINITION = {
  passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
  groups: [
    { name: ADMINS_GROUP, description: 'Administrators of this update server' },
    { name: TEAM_GROUP, description: "Team users: act on their owner's account within their permissions" },
  ],
  /** Explicit auth flows of the app client (USER_PASSWORD_AUTH for CLIs and CI, SRP for browsers). */
  clientAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  /** The access token's lifetime, in the cloud and locally alike: a disabled or deleted owner loses access within it at most. */
  accessTokenValidityMinutes: 60,
  refreshTokenValidityDays: 30,
} as const;
