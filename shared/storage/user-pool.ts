import { USER_POOL_DEFINITION } from './user-pool-definition.js';

/** The user pool id named by an issuer URL (`https://cognito-idp.<region>.amazonaws.com/<pool id>`, or the emulator's). */
export function userPoolIdOf(issuer: string): string {
  const id = new URL(issuer).pathname.split('/').filter(Boolean).pop();
  if (!id) throw new Error(`Issuer ${issuer} names no user pool`);
  return id;
}

/**
 * What is wrong with a password under the pool's policy, in plain words (undefined: nothing).
 * Checked before Cognito sees it, so the answer is the same against the emulator, which does not
 * enforce the policy, and in the cloud.
 */
export function passwordProblem(password: string): string | undefined {
  const p = USER_POOL_DEFINITION.passwordPolicy;
  const missing = [
    ...(password.length < p.minLength ? [`at least ${p.minLength} characters`] : []),
    ...(p.requireLowercase && !/[a-z]/.test(password) ? ['a lowercase letter'] : []),
    ...(p.requireUppercase && !/[A-Z]/.test(password) ? ['an uppercase letter'] : []),
    ...(p.requireDigits && !/[0-9]/.test(password) ? ['a digit'] : []),
    ...(p.requireSymbols && !/[^A-Za-z0-9]/.test(password) ? ['a symbol'] : []),
  ];
  return missing.length > 0 ? `password is too weak: it needs ${missing.join(', ')}` : undefined;
}

/** The name of a Cognito error (`UsernameExistsException`, …), '' for anything else. */
export function cognitoErrorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}
