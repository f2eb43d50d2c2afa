import { S3Client } from '@aws-sdk/client-s3';
import { ENV, optionalEnv } from '../config/env.js';

let client: S3Client | undefined;

/** The container's one S3 client. */
export function s3Client(): S3Client {
  client ??= new S3Client({
    // Path-style only against a local emulator, whose endpoint has no bucket subdomains.
    forcePathStyle: optionalEnv(ENV.s3Endpoint) !== undefined,
    // Otherwise SDK >= 3.729 signs a CRC32 of an empty body into presigned PUT URLs.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return client;
}
