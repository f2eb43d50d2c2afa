import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  ListPartsCommand,
  PutObjectCommand,
  type S3Client,
  NotFound as S3NotFound,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Invalid, NotFound } from '../domain/errors.js';
import { DOWNLOAD_URL_TTL_SECONDS } from './download-url-ttl.js';

/** The largest object S3 copies in one request. */
export const MAX_SINGLE_COPY_BYTES = 5 * 1024 ** 3;
/** Range size of a multipart copy. */
const COPY_PART_BYTES = 1024 ** 3;

/** Seconds a presigned upload URL stays valid. */
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;
/** Seconds a presigned download URL stays valid (local/presigned delivery only). */

/** What ingest learns from one pass over the bytes: every digest a feed or a signature check needs. */
export interface Measured {
  size: number;
  sha256: string;
  sha512: string;
  sha1: string;
  /** BLAKE2b-512: what a prehashed minisign (Tauri) signature signs. */
  blake2b512: string;
}

const DIGESTS = ['sha256', 'sha512', 'sha1', 'blake2b512'] as const;

export interface StoredObject {
  size: number;
  versionId?: string;
}

/** The artifact bucket: presigned uploads and downloads, verification reads, deletes. */
export class ArtifactStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /** A presigned PUT whose signature covers Content-Length, so S3 refuses any other size. */
  async presignUpload(key: string, size: number): Promise<string> {
    return getSignedUrl(this.s3, new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentLength: size }), {
      expiresIn: UPLOAD_URL_TTL_SECONDS,
      signableHeaders: new Set(['content-length']),
    });
  }

  /** Writes a small object (an upload that came in the request body) and returns its version id. */
  async put(key: string, bytes: Uint8Array): Promise<StoredObject> {
    const result = await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentLength: bytes.byteLength }),
    );
    return { size: bytes.byteLength, ...(result.VersionId && result.VersionId !== 'null' ? { versionId: result.VersionId } : {}) };
  }

  /** A presigned GET of one exact object version. */
  async presignDownload(key: string, versionId?: string): Promise<string> {
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId }), {
      expiresIn: DOWNLOAD_URL_TTL_SECONDS,
    });
  }

  async head(key: string, versionId?: string): Promise<StoredObject | undefined> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId }));
      return {
        size: Number(head.ContentLength ?? 0),
        ...(head.VersionId && head.VersionId !== 'null' ? { versionId: head.VersionId } : {}),
      };
    } catch (error) {
      if (error instanceof S3NotFound || (error as { name?: string }).name === 'NotFound') return undefined;
      throw error;
    }
  }

  /** Byte count and every digest (hex) of one object version, in one streaming pass: memory stays flat. */
  async measure(key: string, versionId?: string): Promise<Measured> {
    const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId }));
    return measureStream(Body as Readable);
  }

  /**
   * Copies one exact object version to a new key (staging → verified) and returns the new
   * object's version id. Up to 5 GB in one request; larger objects (multipart uploads) are copied
   * in 1 GiB ranges with UploadPartCopy, as S3 requires.
   */
  async copy(
    fromKey: string,
    fromVersionId: string | undefined,
    toKey: string,
    size = 0,
    fileName?: string,
  ): Promise<{ versionId?: string }> {
    const source = `${this.bucket}/${encodeURIComponent(fromKey).replace(/%2F/g, '/')}${fromVersionId ? `?versionId=${encodeURIComponent(fromVersionId)}` : ''}`;
    // The name every response of the object carries (objectFileName): S3 and CloudFront send it as stored.
    const named = fileName ? { ContentDisposition: `attachment; filename="${fileName}"`, ContentType: 'application/octet-stream' } : {};
    if (size <= MAX_SINGLE_COPY_BYTES) {
      const result = await this.s3.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: toKey,
          CopySource: source,
          ...(fileName ? { ...named, MetadataDirective: 'REPLACE' as const } : {}),
        }),
      );
      return result.VersionId && result.VersionId !== 'null' ? { versionId: result.VersionId } : {};
    }
    const { UploadId } = await this.s3.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: toKey, ...named }));
    try {
      const parts: { PartNumber: number; ETag: string }[] = [];
      for (let start = 0, part = 1; start < size; start += COPY_PART_BYTES, part++) {
        const end = Math.min(start + COPY_PART_BYTES, size) - 1;
        const { CopyPartResult } = await this.s3.send(
          new UploadPartCopyCommand({
            Bucket: this.bucket,
            Key: toKey,
            UploadId,
            PartNumber: part,
            CopySource: source,
            CopySourceRange: `bytes=${start}-${end}`,
          }),
        );
        parts.push({ PartNumber: part, ETag: CopyPartResult?.ETag ?? '' });
      }
      const result = await this.s3.send(
        new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: toKey, UploadId, MultipartUpload: { Parts: parts } }),
      );
      return result.VersionId && result.VersionId !== 'null' ? { versionId: result.VersionId } : {};
    } catch (error) {
      await this.s3.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: toKey, UploadId }));
      throw error;
    }
  }

  /** Starts a multipart upload of a staging key; its parts are PUT to presigned URLs. */
  async startMultipart(key: string): Promise<string> {
    const { UploadId } = await this.s3.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key }));
    if (!UploadId) throw new Error('S3 returned no upload id');
    return UploadId;
  }

  /** A presigned PUT of one part (its size signed in, like single uploads). */
  async presignPart(key: string, uploadId: string, partNumber: number, size: number): Promise<string> {
    return getSignedUrl(
      this.s3,
      new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, ContentLength: size }),
      { expiresIn: UPLOAD_URL_TTL_SECONDS, signableHeaders: new Set(['content-length']) },
    );
  }

  /**
   * The parts S3 has received so far (to resume an upload); undefined where the store cannot list
   * them (s3rver answers ListParts with MethodNotAllowed), so the client must keep its ETags.
   */
  async uploadedParts(key: string, uploadId: string): Promise<{ partNumber: number; etag: string; size: number }[] | undefined> {
    const parts: { partNumber: number; etag: string; size: number }[] = [];
    let marker: string | undefined;
    try {
      do {
        const page = await this.s3.send(
          new ListPartsCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }),
        );
        for (const p of page.Parts ?? []) parts.push({ partNumber: p.PartNumber ?? 0, etag: p.ETag ?? '', size: p.Size ?? 0 });
        marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
      } while (marker);
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'MethodNotAllowed' || name === 'NotImplemented') return undefined;
      throw uploadError(error);
    }
    return parts;
  }

  /** Completes a multipart upload: S3 then sends ObjectCreated and ingest verifies it like a single PUT. */
  async completeMultipart(key: string, uploadId: string, parts: { partNumber: number; etag: string }[]): Promise<void> {
    const Parts = parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag }));
    await this.s3
      .send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts } }))
      .catch((error: unknown) => {
        throw uploadError(error);
      });
  }

  /**
   * Aborts a multipart upload. A store without the call (s3rver) keeps the parts; in the cloud the
   * bucket's lifecycle rule also aborts any upload left incomplete after two days.
   */
  async abortMultipart(key: string, uploadId: string): Promise<void> {
    await this.s3.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId })).catch((error: unknown) => {
      const name = (error as { name?: string }).name;
      if (name === 'MethodNotAllowed' || name === 'NotImplemented') return;
      throw uploadError(error);
    });
  }

  /** Deletes one object version (or the object, where the store keeps no versions). */
  async deleteVersion(key: string, versionId?: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId }));
  }

  /**
   * Deletes every object version and delete marker under a prefix. Deleting only the current
   * version would leave the bytes reachable by version id, which downloads pin. Stores without
   * versioning support (s3rver) answer the versions listing with an error; there the objects are
   * listed plainly, since each has only one version.
   */
  async deletePrefix(prefix: string): Promise<number> {
    let deleted = 0;
    for await (const batch of this.listForDeletion(prefix)) {
      if (batch.length === 0) continue;
      await this.deleteListed(prefix, batch);
      deleted += batch.length;
    }
    return deleted;
  }

  /**
   * Deletes at most `max` (≤ 1,000) object versions under a prefix, the first ones listed, and
   * returns how many: a bounded step of a background delete, resumable without a cursor (what is
   * deleted is no longer listed).
   */
  async deletePrefixPage(prefix: string, max: number): Promise<number> {
    // The first listed page (up to 1,000 versions), cut to `max`: s3rver (the local stack) fails on MaxKeys here.
    for await (const listed of this.listForDeletion(prefix)) {
      const batch = listed.slice(0, Math.min(max, 1000));
      if (batch.length === 0) return 0;
      await this.deleteListed(prefix, batch);
      return batch.length;
    }
    return 0;
  }

  /** One DeleteObjects call (at most 1,000 versions); throws when S3 refused any of them. */
  private async deleteListed(prefix: string, batch: { Key: string; VersionId?: string }[]): Promise<void> {
    const result = await this.s3.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch, Quiet: true } }));
    if (result.Errors && result.Errors.length > 0) {
      throw new Error(`S3 refused to delete ${result.Errors.length} objects under ${prefix}: ${result.Errors[0]?.Code}`);
    }
  }

  private async *listForDeletion(prefix: string): AsyncGenerator<{ Key: string; VersionId?: string }[]> {
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    try {
      do {
        const page = await this.s3.send(
          new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
        );
        yield [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
          .filter((v) => v.Key)
          .map((v) => ({ Key: v.Key as string, ...(v.VersionId && v.VersionId !== 'null' ? { VersionId: v.VersionId } : {}) }));
        keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
      } while (keyMarker);
      return;
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (keyMarker !== undefined || (name !== 'MethodNotAllowed' && name !== 'NotImplemented')) throw error;
    }
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      yield (page.Contents ?? []).filter((o) => o.Key).map((o) => ({ Key: o.Key as string }));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}

/** Counts and hashes a stream in one pass (also what `npm run bench` times against sha256sum). */
export async function measureStream(stream: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Measured> {
  const hashes = DIGESTS.map((algorithm) => createHash(algorithm));
  let size = 0;
  for await (const chunk of stream) {
    for (const hash of hashes) hash.update(chunk);
    size += chunk.length;
  }
  const [sha256, sha512, sha1, blake2b512] = hashes.map((hash) => hash.digest('hex')) as [string, string, string, string];
  return { size, sha256, sha512, sha1, blake2b512 };
}

/** A multipart call's client mistakes (an unknown upload id, a wrong part list) as 4xx answers; anything else unchanged. */
function uploadError(error: unknown): unknown {
  const name = (error as { name?: string }).name;
  if (name === 'NoSuchUpload') return new NotFound('No such upload (completed, aborted or expired)');
  if (name === 'InvalidPart' || name === 'InvalidPartOrder' || name === 'EntityTooSmall') {
    return new Invalid(`S3 refused the parts: ${(error as Error).message}`);
  }
  return error;
}
