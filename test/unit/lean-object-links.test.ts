import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { LeanObjectLinks } from '../../shared/storage/lean-object-links.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'a+session/token=' };
/** As the stack's S3 client (shared/clients/s3.ts). */
const CHECKSUMS = { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } as const;
const at = new Date('2026-12-07T10:00:00Z');
const key = 'ota/01JAPP/01JREL/01JART/My App_1.2.3_x64 (setup).exe';

/** What the SDK presigns for the same object, with the same options as the artifact store. */
function sdkUrl(s3: S3Client, versionId?: string): Promise<string> {
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: 'artifacts-bucket', Key: key, VersionId: versionId }), {
    expiresIn: 600,
    signingDate: at,
  });
}

// The public download paths presign without the S3 client (bundle size); a client must not be able to tell.
describe('presigned downloads without the S3 client', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  const environment = (endpoint?: string) => {
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: credentials.sessionToken,
    });
    if (endpoint) process.env.AWS_ENDPOINT_URL_S3 = endpoint;
    else delete process.env.AWS_ENDPOINT_URL_S3;
  };

  it('makes the very URL the SDK makes in AWS (virtual-hosted, with and without a version)', async () => {
    environment();
    const s3 = new S3Client({ region: 'eu-west-1', credentials, ...CHECKSUMS });
    const links = new LeanObjectLinks('artifacts-bucket');
    assert.equal(await links.presignDownload(key, undefined, at), await sdkUrl(s3));
    assert.equal(await links.presignDownload(key, 'v1.Abc+/=', at), await sdkUrl(s3, 'v1.Abc+/='));
  });

  it('makes the very URL the SDK makes against a local endpoint (path-style)', async () => {
    environment('http://127.0.0.1:4569');
    const s3 = new S3Client({ region: 'eu-west-1', credentials, forcePathStyle: true, endpoint: 'http://127.0.0.1:4569', ...CHECKSUMS });
    const url = await new LeanObjectLinks('artifacts-bucket').presignDownload(key, 'v2', at);
    assert.equal(url, await sdkUrl(s3, 'v2'));
    assert.match(url, /^http:\/\/127\.0\.0\.1:4569\/artifacts-bucket\/ota\//);
  });
});
