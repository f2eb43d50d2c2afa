import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

let client: CognitoIdentityProviderClient | undefined;

/** The container's one Cognito client; the endpoint comes from AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER when local. */
export function cognitoClient(): CognitoIdentityProviderClient {
  client ??= new CognitoIdentityProviderClient({});
  return client;
}
