/** An application registered by an owner account. */
export interface App {
  id: string;
  name: string;
  ownerId: string;
  /** The public handle of its check and feed URLs, once set. */
  slug?: string;
  /** The channel clients get when they name none (a catalog id; the built-in `stable` by default). */
  defaultChannelId: string;
  /** The Tauri updater public key (base64 `.key.pub` text): when set, ingest verifies every signature against it. */
  tauriPublicKey?: string;
  /** faynoSync's app settings: a description, `private` (downloads only through signed links), TUF, reports, CDN edge. */
  description?: string;
  private?: boolean;
  tuf?: boolean;
  reports?: boolean;
  cdn?: boolean;
  /** Set once a delete started: from then on the app can only be deleted (to finish), nothing else. */
  deleting?: true;
  createdAt: string;
  updatedAt: string;
}

/**
 * draft → published → yanked. A draft is invisible to clients; a published release is offered
 * (from `publishAt` when scheduled); a yanked one is taken out of every answer, so clients fall
 * back to the previous release of the channel. A yanked release may be published again.
 */
export type ReleaseStatus = 'draft' | 'published' | 'yanked';

/** A creator's request to publish a draft as soon as its files are verified. */
export interface PublishRequest {
  /** The caller who asked (`Caller.userId`). */
  by: string;
  at: string;
}

export interface Release {
  id: string;
  appId: string;
  version: string;
  channelId: string;
  /**
   * Channels the release was promoted to (`promote`): it is offered there too, with the same
   * artifacts and verified bytes (a version exists once per app, so nothing is copied).
   */
  promotedTo?: string[];
  status: ReleaseStatus;
  /** When a published release starts being offered (a schedule); absent = at once. */
  publishAt?: string;
  /**
   * On a draft: its creator asked to publish it once every file is verified (faynoSync's `publish`
   * on the upload that creates a version), with the permission creating it needed. Who asked and
   * when; publishing it, or an edit that sets `published`, clears it.
   */
  publishRequest?: PublishRequest;
  /** Short release notes (Tauri's `notes`). */
  notes: string;
  /** Markdown changelog (faynoSync's `changelog`). */
  changelog: string;
  /** Release-wide signature; an artifact's own signature wins (a signature belongs to one file). */
  signature?: string;
  /** faynoSync's critical / Koolbase's mandatory: clients should install it at once. */
  critical: boolean;
  /** A stepping stone: a client below it is offered it first, whatever is newer. */
  intermediate: boolean;
  /** Percentage of devices offered this release (100 = everyone; 0 = halted). */
  rolloutPercent: number;
  /** Halts the rollout (0 %) on its own when install reports show too many failures; absent = never. */
  haltRule?: HaltRule;
  /** Why and when a halt rule set the rollout to 0 % (cleared when a person sets the rollout again). */
  halted?: Halt;
  pubDate: string;
  createdAt: string;
  updatedAt: string;
}

/** Failure rate (failures and rollbacks over reports) above which a rollout halts, once it has `minReports` reports. */
export interface HaltRule {
  maxFailureRate: number;
  minReports: number;
}

/** A halt rule's decision, with the figures it saw. */
export interface Halt {
  reason: string;
  at: string;
  failureRate: number;
  reports: number;
}

/**
 * pending: an upload URL was issued; ready: the bytes arrived and were verified; rejected: they
 * arrived and failed a check (size, hash); failed: verification itself kept failing. Only ready
 * artifacts are ever offered.
 */
export type ArtifactStatus = 'pending' | 'ready' | 'rejected' | 'failed';

/** One file of a release for one platform, arch and package type. */
export interface Artifact {
  id: string;
  appId: string;
  releaseId: string;
  platformId: string;
  archId: string;
  package: string;
  declaredSize: number;
  declaredSha256?: string;
  signature?: string;
  /** Sparkle's EdDSA signature of the file (`sparkle:edSignature`), passed through to the appcast. */
  edSignature?: string;
  /** A delta package (Sparkle `delta`, Velopack `delta.nupkg`): the version it turns into this release. */
  deltaFrom?: string;
  status: ArtifactStatus;
  /** The current upload attempt: only an upload made with this attempt's URL can become the artifact. */
  attemptId: string;
  uploadExpiresAt: string;
  /** Why it was rejected or failed, for the publisher to read. */
  reason?: string;
  /** Verified bytes, set when ready: a key no upload URL can write, pinned to one object version. */
  objectKey?: string;
  objectVersionId?: string;
  size?: number;
  sha256?: string;
  sha512?: string;
  sha1?: string;
  blake2b512?: string;
  createdAt: string;
  readyAt?: string;
}

/** Every channel a release is offered in: its own, then those it was promoted to. */
export function releaseChannels(release: Pick<Release, 'channelId' | 'promotedTo'>): string[] {
  return [release.channelId, ...(release.promotedTo ?? [])];
}
