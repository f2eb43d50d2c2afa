import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { passwordSignIn } from './provision.js';
import type { StackInfo } from './stack.js';

/** Prints an access token for the local admin (or USERNAME_OTA/PASSWORD_OTA), via USER_PASSWORD_AUTH. */
const info = JSON.parse(readFileSync(join(import.meta.dirname, '..', '.local', 'stack.json'), 'utf8')) as StackInfo;
const { accessToken } = await passwordSignIn(
  info.cognito,
  process.env.USERNAME_OTA ?? info.admin.username,
  process.env.PASSWORD_OTA ?? info.admin.password,
);
console.log(accessToken);
