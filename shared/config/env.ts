import { DEFAULT_SLUG_HOLD_DAYS } from '../domain/slug.js';

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
  /** Background jobs: objects retagged and apps rebuilt per step (defaults in job-service.ts; the local tests set small ones). */
  jobObjectsPerStep: 'OTA_JOB_OBJECTS',
  jobAppsPerStep: 'OTA_JOB_APPS',
  /** Only the edge invalidator needs it (Koolbase purges). */
  distributionId: 'DISTRIBUTION_ID',
  /** ARN of the edge's KeyValueStore of per-app state; only the edge-state writer has it. */
  edgeStateStoreArn: 'EDGE_STATE_STORE_ARN',
  cognitoIssuer: 'COGNITO_ISSUER',
  userPoolClientId: 'USER_POOL_CLIENT_ID',
  /**
   * The deployer's faynoSync sign-up key (`api_key` of `POST /signup`): only the sign-up function
   * has it, and only when the stack enables sign-up; unset, sign-up is off.
   */
  signupKey: 'FAYNOSYNC_SIGNUP_KEY',
  artifactDelivery: 'ARTIFACT_DELIVERY',
  /** Days the audit trail keeps a change (default 90; `cdk deploy -c auditRetentionDays=N`). */
  auditRetentionDays: 'AUDIT_RETENTION_DAYS',
  /** Days a deleted (or re-slugged) app's slug stays held for its owner (default 30; `cdk deploy -c slugHoldDays=N`). */
  slugHoldDays: 'SLUG_HOLD_DAYS',
  /** The base URL clients reach the service at (custom domain or the distribution's domain): every public link is built from it. */
  publicBaseUrl: 'PUBLIC_BASE_URL',
  /**
   * ARN of the Secrets Manager secret whose value CloudFront adds to every origin request
   * (`x-ota-origin-verify`): requests without it reached the execute-api endpoint directly and are
   * refused. The value itself is read at cold start (origin-verify.ts), never put in the environment.
   * Unset locally (no CloudFront).
   */
  originVerifySecret: 'ORIGIN_VERIFY_SECRET',
  /**
   * The key device ids are hashed under before they are counted (at least 32 characters): generated
   * at deploy time, only the telemetry aggregator has it.
   */
  telemetryKey: 'TELEMETRY_KEY',
  /** The webhook delivery queue (SQS): the fan-out sends to it, the delivery function delays its retries on it. */
  webhookQueueUrl: 'WEBHOOK_QUEUE_URL',
  /** First retry delay of a failed webhook delivery in seconds (default 30; each next one is 4 times longer). */
  webhookRetryBaseSeconds: 'WEBHOOK_RETRY_BASE_SECONDS',
  /** `1`: webhooks may use http:// to localhost and loopback addresses (the local stack only; never set in the cloud). */
  webhookAllowLocalHttp: 'WEBHOOK_ALLOW_LOCAL_HTTP',
  // The AWS SDK's own per-service endpoint variables: set only against local emulators.
  sqsEndpoint: 'AWS_ENDPOINT_URL_SQS',
  dynamodbEndpoint: 'AWS_ENDPOINT_URL_DYNAMODB',
  s3Endpoint: 'AWS_ENDPOINT_URL_S3',
  cognitoEndpoint: 'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER',
} as const;

/** The audit trail's retention when the deployer sets none. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 90;

/** Days a released slug stays held for its former owner: the deployer's setting (0 frees it at once), else 30. */
export function slugHoldDays(): number {
  const days = Number(optionalEnv(ENV.slugHoldDays) ?? DEFAULT_SLUG_HOLD_DAYS);
  return Number.isInteger(days) && days >= 0 ? days : DEFAULT_SLUG_HOLD_DAYS;
}
