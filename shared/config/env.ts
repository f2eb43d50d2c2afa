/** Reads a required environment variable once; a missing one is a deployment bug, so it throws. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Environment variable ${name} is not set`);
  return value;
}

/** Reads an optional environment variable; empty counts as unset. */
export function optionalEnv(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Names of the variables the stack and the local stack set for the functions. */
export const ENV = {
  tableName: 'TABLE_NAME',
  bucketName: 'BUCKET_NAME',
  distributionId: 'DISTRIBUTION_ID',
  cognitoIssuer: 'COGNITO_ISSUER',
  userPoolClientId: 'USER_POOL_CLIENT_ID',
  artifactDelivery: 'ARTIFACT_DELIVERY',
  publicBaseUrl: 'PUBLIC_BASE_URL',
  // The AWS SDK's own per-service endpoint variables: set only against local emulators.
  dynamodbEndpoint: 'AWS_ENDPOINT_URL_DYNAMODB',
  s3Endpoint: 'AWS_ENDPOINT_URL_S3',
} as const;
