import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const S3Error = require('s3rver/lib/models/error.js') as new (code: string, message: string) => Error;
const objectController = require('s3rver/lib/controllers/object.js') as { completeMultipartUpload: (ctx: KoaContext) => Promise<void> };

interface KoaContext {
  params: { bucket: string; key: string };
  query: { uploadId?: string | string[] };
  store: FilesystemStore;
}

interface PartRef {
  number: number;
  /** Without quotes (s3rver strips them, as S3 does when comparing). */
  etag: string;
}

interface FilesystemStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putObjectMultipart(bucket: string, uploadId: string, parts: PartRef[]): Promise<unknown>;
}

const NO_SUCH_UPLOAD =
  'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.';

function uploadDirOf(store: FilesystemStore, bucket: string, uploadId: string): string | undefined {
  // Upload ids are opaque to clients, never paths.
  if (uploadId === '' || /[\\/]|^\.\.?$/.test(uploadId)) return undefined;
  const dir = join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId);
  return existsSync(join(dir, 'key')) ? dir : undefined;
}

let controllerPatched = false;

/**
 * s3rver's CompleteMultipartUpload trusts the request: an unknown upload id is a 500, an upload id
 * completes its upload whatever key the request names, and a part that was never uploaded
 * crashes the whole process (an unhandled error of the stream that reads it), taking the local
 * stack down with it. S3 answers NoSuchUpload (404, also for an upload of another key),
 * InvalidPartOrder and InvalidPart (400, also for an ETag that does not match); this checks the
 * same before s3rver assembles anything, so local clients get S3's answers.
 */
export function completeMultipartLikeS3(server: unknown): void {
  if (!controllerPatched) {
    controllerPatched = true;
    // routes.js calls the controller through its module object, so the check sees every completion.
    const complete = objectController.completeMultipartUpload;
    objectController.completeMultipartUpload = async (ctx) => {
      const uploadId = ctx.query.uploadId;
      const dir = typeof uploadId === 'string' ? uploadDirOf(ctx.store, ctx.params.bucket, uploadId) : undefined;
      if (!dir || readFileSync(join(dir, 'key'), 'utf8') !== ctx.params.key) throw new S3Error('NoSuchUpload', NO_SUCH_UPLOAD);
      return complete(ctx);
    };
  }
  const store = (server as { store: FilesystemStore }).store;
  const assemble = store.putObjectMultipart.bind(store);
  store.putObjectMultipart = async (bucket, uploadId, parts) => {
    const dir = uploadDirOf(store, bucket, uploadId);
    if (!dir) throw new S3Error('NoSuchUpload', NO_SUCH_UPLOAD);
    if (parts.some((part, i) => i > 0 && part.number <= (parts[i - 1] as PartRef).number)) {
      throw new S3Error(
        'InvalidPartOrder',
        'The list of parts was not in ascending order. The parts list must be specified in order by part number.',
      );
    }
    for (const part of parts) {
      const md5File = join(dir, `${part.number}.md5`);
      if (!Number.isInteger(part.number) || !existsSync(md5File) || readFileSync(md5File, 'utf8').trim() !== part.etag) {
        throw new S3Error(
          'InvalidPart',
          "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        );
      }
    }
    return assemble(bucket, uploadId, parts);
  };
}
