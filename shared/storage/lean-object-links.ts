import type { SignatureV4 } from '@smithy/signature-v4';
import { signerFor } from '../clients/signed-request.js';
import { ENV, optionalEnv } from '../config/env.js';
import { DOWNLOAD_URL_TTL_SECONDS } from './download-url-ttl.js';

/** S3's URI encoding of one path segment or query value (RFC 3986 unreserved characters kept). */
function uriEscape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Presigned GETs of artifact objects for the public download paths, signed with the SDK's own SigV4
 * signer, without loading the S3 client (its ~250 KB of modules would be most of a feed's bundle).
 * The URL is the one `getSignedUrl(new GetObjectCommand(…))` makes: the same host (virtual-hosted
 * in AWS, path-style against a local endpoint), an unsigned payload, only `host` signed, so the
 * client's own headers (Tauri forwards its configured ones) do not break it. A unit test compares
 * the two byte for byte.
 */
export class LeanObjectLinks {
  private readonly signer: SignatureV4;
  private readonly base: URL;
  private readonly pathStyle: boolean;

  constructor(private readonly bucket: string) {
    const region = process.env.AWS_REGION ?? 'us-east-1';
    const endpoint = optionalEnv(ENV.s3Endpoint);
    this.pathStyle = endpoint !== undefined;
    this.base = new URL(endpoint ?? `https://${bucket}.s3.${region}.amazonaws.com`);
    this.signer = signerFor('s3', { uriEscapePath: false, applyChecksum: false });
  }

  /** A presigned GET of one exact object version, valid for DOWNLOAD_URL_TTL_SECONDS. */
  async presignDownload(key: string, versionId?: string, signingDate?: Date): Promise<string> {
    const objectPath = key.split('/').map(uriEscape).join('/');
    const path = this.pathStyle ? `/${uriEscape(this.bucket)}/${objectPath}` : `/${objectPath}`;
    const signed = await this.signer.presign(
      {
        method: 'GET',
        protocol: this.base.protocol,
        hostname: this.base.hostname,
        ...(this.base.port ? { port: Number(this.base.port) } : {}),
        path,
        query: { ...(versionId ? { versionId } : {}), 'x-id': 'GetObject' },
        headers: { host: this.base.host, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
      },
      { expiresIn: DOWNLOAD_URL_TTL_SECONDS, unsignableHeaders: new Set(['content-type']), ...(signingDate ? { signingDate } : {}) },
    );
    const query = Object.entries(signed.query ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${uriEscape(name)}=${uriEscape(String(v))}`))
      .join('&');
    return `${this.base.protocol}//${this.base.host}${path}?${query}`;
  }
}
