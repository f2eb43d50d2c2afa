import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { passwordSignIn } from './provision.js';
import { readStackInfo } from './state-dir.js';

/**
 * Prints an access token (USER_PASSWORD_AUTH), for `Authorization: Bearer`.
 * - Local stack (default): the admin of `.local/stack.json` (OTA_LOCAL_DIR moves it), or
 *   USERNAME_OTA / PASSWORD_OTA.
 * - A deployed stack: OTA_CLIENT_ID (the stack's UserPoolClientId output) and AWS_REGION, with
 *   USERNAME_OTA and PASSWORD_OTA. Signing in needs no AWS credentials.
 */
async function cloudToken(clientId: string): Promise<string> {
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const username = process.env.USERNAME_OTA;
  const password = process.env.PASSWORD_OTA;
  if (!region || !username || !password) {
    throw new Error('With OTA_CLIENT_ID, set AWS_REGION, USERNAME_OTA and PASSWORD_OTA too');
  }
  const idp = new CognitoIdentityProviderClient({ region });
  try {
    const result = await idp.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
    const token = result.AuthenticationResult?.AccessToken;
    if (!token) throw new Error(`Cognito asked for ${result.ChallengeName ?? 'another step'} instead of issuing tokens`);
    return token;
  } finally {
    idp.destroy();
  }
}

async function localToken(): Promise<string> {
  const info = readStackInfo();
  const { accessToken } = await passwordSignIn(
    info.cognito,
    process.env.USERNAME_OTA ?? info.admin.username,
    process.env.PASSWORD_OTA ?? info.admin.password,
  );
  return accessToken;
}

const clientId = process.env.OTA_CLIENT_ID;
try {
  console.log(clientId ? await cloudToken(clientId) : await localToken());
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
