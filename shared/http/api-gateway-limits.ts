/**
 * API Gateway HTTP API limits that the CDK stage and the local gateway must agree on, so a local
 * run refuses what the cloud refuses.
 */

/** The stage's token bucket: `rateLimit` requests per second steady state, `burstLimit` bucket size. */
export const API_STAGE_THROTTLE = { rateLimit: 2_000, burstLimit: 4_000 } as const;

/**
 * The HTTP API request payload quota ("Payload size: 10 MB", not adjustable). API Gateway counts
 * it in binary megabytes: its refusal reads "HTTP content length exceeded 10485760 bytes".
 */
export const API_PAYLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

/**
 * Lambda's synchronous invocation payload (6 MB). The whole event counts, and a binary body is
 * base64-encoded in it; API Gateway answers a larger one with 413 `{"message":"Request Too Long"}`.
 */
export const LAMBDA_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;
