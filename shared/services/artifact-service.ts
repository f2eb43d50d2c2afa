import type { Principal } from '../auth/principal.js';
import type { Artifact } from '../domain/model.js';
import { type Arch, isArch, isTarget, type Target } from '../domain/platform.js';
import { NotFound } from '../http/errors.js';
import { type ArtifactStore, UPLOAD_URL_TTL_SECONDS } from '../storage/artifact-store.js';
import { objectKeys } from '../storage/keys.js';
import type { ReleaseRepository } from '../storage/release-repository.js';
import type { AppService } from './app-service.js';
import type { FeedPublisher } from './feed-publisher.js';

export interface UploadRequest {
  target: Target;
  arch: Arch;
  fileSize: number;
  signature?: string;
  sha256?: string;
}

export interface UploadSlot {
  uploadUrl: string;
  objectKey: string;
  expiresAt: string;
}

export type IngestOutcome = 'ready' | 'rejected' | 'ignored';

/** Upload slots for artifacts and the verification that turns an upload into an offer. */
export class ArtifactService {
  constructor(
    private readonly apps: AppService,
    private readonly releases: ReleaseRepository,
    private readonly store: ArtifactStore,
    private readonly publisher: FeedPublisher,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async requestUpload(principal: Principal, appId: string, releaseId: string, input: UploadRequest): Promise<UploadSlot> {
    const app = await this.apps.get(principal, appId);
    const objectKey = objectKeys.artifact(app.id, releaseId, input.target, input.arch);
    const now = this.now();
    const artifact: Artifact = {
      appId: app.id,
      releaseId,
      target: input.target,
      arch: input.arch,
      objectKey,
      declaredSize: input.fileSize,
      ...(input.sha256 ? { declaredSha256: input.sha256 } : {}),
      ...(input.signature ? { signature: input.signature } : {}),
      status: 'pending',
      createdAt: now.toISOString(),
    };
    await this.releases.putPendingArtifact(artifact);
    return {
      uploadUrl: await this.store.presignUpload(objectKey, input.fileSize),
      objectKey,
      expiresAt: new Date(now.getTime() + UPLOAD_URL_TTL_SECONDS * 1000).toISOString(),
    };
  }

  /**
   * Verifies an uploaded object against its slot: the size declared when the URL was issued
   * and, when one was declared, the SHA-256. Only then is it offered. The object version that
   * was hashed is recorded, and downloads pin it, so a later overwrite cannot change what ships.
   */
  async ingest(objectKey: string): Promise<IngestOutcome> {
    const parsed = objectKeys.parseArtifact(objectKey);
    const [target, arch] = parsed ? splitPlatform(parsed.platform) : [];
    if (!parsed || !target || !arch) return this.log('ignored', objectKey, 'not an artifact key');
    const artifact = await this.releases.getArtifact(parsed.appId, parsed.releaseId, target, arch);
    if (!artifact) {
      // No slot (release deleted meanwhile, or an upload nobody asked for): keep nothing.
      await this.store.deletePrefix(objectKey);
      return this.log('ignored', objectKey, 'no upload slot; object deleted');
    }
    if (artifact.status !== 'pending') return this.log('ignored', objectKey, `artifact already ${artifact.status}`);

    const head = await this.store.head(objectKey);
    if (!head) return this.log('ignored', objectKey, 'object vanished before verification');
    let problem: string | undefined;
    let sha256 = '';
    if (head.size !== artifact.declaredSize) {
      problem = `uploaded ${head.size} bytes, declared ${artifact.declaredSize}`;
    } else {
      const measured = await this.store.sha256(objectKey, head.versionId);
      sha256 = measured.sha256;
      if (measured.size !== artifact.declaredSize) problem = `read ${measured.size} bytes, declared ${artifact.declaredSize}`;
      else if (artifact.declaredSha256 && artifact.declaredSha256 !== sha256) {
        problem = `SHA-256 ${sha256} does not match the declared ${artifact.declaredSha256}`;
      }
    }
    if (problem) {
      if (await this.releases.markArtifactRejected(artifact, problem)) await this.store.deletePrefix(objectKey);
      return this.log('rejected', objectKey, problem);
    }
    const marked = await this.releases.markArtifactReady(artifact, {
      size: head.size,
      sha256,
      ...(head.versionId ? { objectVersionId: head.versionId } : {}),
      readyAt: this.now().toISOString(),
    });
    if (!marked) return this.log('ignored', objectKey, 'artifact settled concurrently');
    await this.publisher.republish(artifact.appId);
    return this.log('ready', objectKey, `sha256 ${sha256}`);
  }

  /** The artifact record for a download, when it exists and is verified. */
  async readyArtifact(appId: string, releaseId: string, target: Target, arch: Arch): Promise<Artifact> {
    const artifact = await this.releases.getArtifact(appId, releaseId, target, arch);
    if (artifact?.status !== 'ready') throw new NotFound(`No verified ${target}/${arch} artifact for release ${releaseId}`);
    return artifact;
  }

  private log(outcome: IngestOutcome, objectKey: string, detail: string): IngestOutcome {
    console.log(JSON.stringify({ level: outcome === 'rejected' ? 'warn' : 'info', message: `ingest ${outcome}`, objectKey, detail }));
    return outcome;
  }
}

function splitPlatform(platform: string): [Target, Arch] | [] {
  const dash = platform.indexOf('-');
  const target = platform.slice(0, dash);
  const arch = platform.slice(dash + 1);
  return dash > 0 && isTarget(target) && isArch(arch) ? [target, arch] : [];
}
