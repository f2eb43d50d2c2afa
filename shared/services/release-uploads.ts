import type { Caller } from '../domain/caller.js';
import { DomainError, Invalid } from '../domain/errors.js';
import type { App, Artifact } from '../domain/model.js';
import type { ArtifactService, UploadRequest, UploadSlot } from './artifact-service.js';
import type { DeletionService } from './deletion-service.js';
import type { NewRelease, ReleaseService, ReleaseView } from './release-service.js';

/** A file sent in the request body, and the name an error about it shows. */
export type BytesUpload = Omit<UploadRequest, 'fileSize' | 'multipart' | 'sha256'> & { bytes: Uint8Array; file: string };

/** What a refused upload takes with it: its file (the release keeps the others), or the whole release (a Koolbase bundle is one file). */
export type Discard = 'file' | 'release';

/**
 * The one release path every face takes to ship files: find or create the version's release,
 * store an upload (in the body, or presigned then confirmed) or discard it when verification
 * refuses it, and confirm. Publishing checks live in ReleaseService (`assertPublishable`). Errors
 * carry reason codes (`upload_rejected`, `upload_refused`, `upload_pending`) that each face words
 * in its one translator.
 */
export class ReleaseUploads {
  constructor(
    private readonly releases: Pick<ReleaseService, 'findOrCreate' | 'confirmUploads'>,
    private readonly artifacts: Pick<ArtifactService, 'uploadBytes' | 'requestUpload'>,
    private readonly deletion: Pick<DeletionService, 'discardRefused' | 'deleteRelease'>,
  ) {}

  /** The version's release, found or created (race-safe). */
  findOrCreate(app: App, input: NewRelease): Promise<ReleaseView> {
    return this.releases.findOrCreate(app, input);
  }

  /** A presigned PUT for one file of the release (S3's event verifies it; `confirm` then answers). */
  requestUpload(caller: Caller, app: App, releaseId: string, input: UploadRequest): Promise<UploadSlot> {
    return this.artifacts.requestUpload(caller, app, releaseId, input);
  }

  /**
   * Stores bytes sent in the request as a verified artifact. A file verification refuses is
   * discarded (with its release when `discard` is 'release') and the request refused (400,
   * `upload_rejected`, naming the file and the reason).
   */
  async storeOrDiscard(caller: Caller, app: App, releaseId: string, input: BytesUpload, discard: Discard = 'file'): Promise<Artifact> {
    const { file, ...upload } = input;
    const artifact = await this.artifacts.uploadBytes(caller, app, releaseId, upload);
    if (artifact.status === 'ready') return artifact;
    if (discard === 'release') await this.deletion.deleteRelease(app, releaseId);
    else await this.deletion.discardRefused(app, artifact);
    const facts = { file, reason: artifact.reason ?? artifact.status };
    throw new Invalid(`file ${file} was rejected: ${facts.reason}`, 'upload_rejected', facts);
  }

  /**
   * The one upload confirmation: the release once every file is verified; 409 `upload_pending`
   * while one is not, 400 `upload_refused` naming a refused one (which, with `discard` 'release',
   * takes its release with it).
   */
  async confirm(app: App, releaseId: string, discard: Discard = 'file'): Promise<ReleaseView> {
    try {
      return await this.releases.confirmUploads(app, releaseId);
    } catch (error) {
      if (discard === 'release' && error instanceof DomainError && error.reason === 'upload_refused') {
        await this.deletion.deleteRelease(app, releaseId);
      }
      throw error;
    }
  }
}
