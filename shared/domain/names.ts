import { Invalid } from './errors.js';

/**
 * Names that identify something to people (app names, which faynoSync clients look apps up by,
 * and user names): two names that look the same must be the same name. So a name is stored and
 * compared in NFC (`café` typed with a combining accent is `café`), and characters nobody can see
 * are refused rather than kept: controls, format characters (zero-width spaces and joiners, bidi
 * controls, soft hyphens, BOM), other default-ignorable code points (variation selectors, Hangul
 * fillers), line and paragraph separators, spaces other than U+0020, and spaces around the name.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]|(?! )\p{Zs}/u;

/** Cognito accepts more, but a user name that is also safe in logs, URLs and faynoSync's `owner=` is this. */
const USERNAME = /^[A-Za-z0-9._@+-]{1,128}$/;
export const USERNAME_RULE = 'username must be 1-128 letters, digits or . _ @ + -';

/** Why `name` cannot name anything (an invisible character, surrounding spaces); undefined when it can. */
export function nameProblem(name: string, what = 'name'): string | undefined {
  if (INVISIBLE.test(name)) return `${what} must not contain invisible characters (controls, zero-width, bidi or non-breaking spaces)`;
  if (name.trim() !== name) return `${what} must not start or end with a space`;
  return undefined;
}

/** The one form of a name that is stored and compared (NFC); Invalid for a name `nameProblem` refuses. */
export function identityName(name: string, what = 'name'): string {
  const problem = nameProblem(name, what);
  if (problem) throw new Invalid(problem);
  return name.normalize('NFC');
}

/** Why `username` cannot be a user name (team users and faynoSync sign-ups alike); undefined when it can. */
export function usernameProblem(username: string): string | undefined {
  return USERNAME.test(username) ? undefined : USERNAME_RULE;
}
