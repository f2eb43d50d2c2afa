import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './provision.js';
import type { StackInfo } from './stack.js';

/** Prints an access token for the local admin (or USERNAME/PASSWORD), via USER_PASSWORD_AUTH. */
const info = JSON.parse(readFileSync(join(import.meta.dirname, '..', '.local', 'stack.json'), 'utf8')) as StackInfo;
const idp = new CognitoIdentityProviderClient({ endpoint: info.cognito.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
const result = await idp.send(
  new InitiateAuthCommand({
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: info.cognito.clientId,
    AuthParameters: {
      USERNAME: process.env.USERNAME_OTA ?? info.admin.username,
      PASSWORD: process.env.PASSWORD_OTA ?? info.admin.password,
    },
  }),
);
console.log(result.AuthenticationResult?.AccessToken);
