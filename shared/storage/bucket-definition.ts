/**
 * CORS of the artifact bucket, read by the CDK stack and the local stack: a browser (the future
 * dashboard) may PUT to a presigned upload URL and read the ETag back.
 */
export const ARTIFACT_BUCKET_CORS = {
  allowedMethods: ['PUT', 'GET', 'HEAD'],
  allowedOrigins: ['*'],
  allowedHeaders: ['*'],
  exposedHeaders: ['ETag'],
  maxAgeSeconds: 3000,
} as const;
