/**
 * The codecs of a release's items (`APP#<app>` / `REL#<id>`) and its artifacts' (`REL#<id>#ART#<id>`),
 * shared by the release repository and the public download paths' lean reader (which must not
 * load the SDK). Dependency-free for that reason.
 */
import type { Artifact, ArtifactStatus, Release, ReleaseStatus } from '../domain/model.js';
import { versionIdentity } from '../domain/version.js';
import { bool, defined, type Item, num, optNum, optStr, str, strList } from './item-codec.js';
import { keys } from './keys.js';

const RELEASE_STATUSES: readonly ReleaseStatus[] = ['draft', 'published', 'yanked'];
const ARTIFACT_STATUSES: readonly ArtifactStatus[] = ['pending', 'ready', 'rejected', 'failed'];

/** A version's uniqueness claim in its app: it names the release holding the version. */
export function versionClaimToItem(release: Release): Item {
  return { ...keys.versionClaim(release.appId, versionIdentity(release.version)), type: 'version', releaseId: release.id };
}

export function releaseToItem(release: Release): Item {
  const { publishRequest, haltRule, halted, promotedTo, ...rest } = release;
  return defined({
    ...keys.release(release.appId, release.id),
    type: 'release',
    ...rest,
    publishRequestedBy: publishRequest?.by,
    publishRequestedAt: publishRequest?.at,
    haltMaxFailureRate: haltRule?.maxFailureRate,
    haltMinReports: haltRule?.minReports,
    haltedReason: halted?.reason,
    haltedAt: halted?.at,
    haltedFailureRate: halted?.failureRate,
    haltedReports: halted?.reports,
    promotedTo: promotedTo?.length ? promotedTo : undefined,
  });
}

export function releaseFromItem(item: Item): Release {
  const status = str(item, 'status') as ReleaseStatus;
  if (!RELEASE_STATUSES.includes(status)) throw new Error(`Stored release has unknown status ${status}`);
  const publishAt = optStr(item, 'publishAt');
  const signature = optStr(item, 'signature');
  const requestedBy = optStr(item, 'publishRequestedBy');
  const maxFailureRate = optNum(item, 'haltMaxFailureRate');
  const haltedReason = optStr(item, 'haltedReason');
  const promotedTo = strList(item, 'promotedTo');
  return {
    id: str(item, 'id'),
    appId: str(item, 'appId'),
    version: str(item, 'version'),
    channelId: str(item, 'channelId'),
    ...(promotedTo.length > 0 ? { promotedTo } : {}),
    status,
    ...(publishAt ? { publishAt } : {}),
    ...(requestedBy ? { publishRequest: { by: requestedBy, at: str(item, 'publishRequestedAt') } } : {}),
    notes: optStr(item, 'notes') ?? '',
    changelog: optStr(item, 'changelog') ?? '',
    ...(signature ? { signature } : {}),
    critical: bool(item, 'critical'),
    intermediate: bool(item, 'intermediate'),
    rolloutPercent: optNum(item, 'rolloutPercent') ?? 100,
    ...(maxFailureRate !== undefined ? { haltRule: { maxFailureRate, minReports: num(item, 'haltMinReports') } } : {}),
    ...(haltedReason
      ? {
          halted: {
            reason: haltedReason,
            at: str(item, 'haltedAt'),
            failureRate: num(item, 'haltedFailureRate'),
            reports: num(item, 'haltedReports'),
          },
        }
      : {}),
    pubDate: str(item, 'pubDate'),
    createdAt: str(item, 'createdAt'),
    updatedAt: optStr(item, 'updatedAt') ?? str(item, 'createdAt'),
  };
}

export function artifactToItem(artifact: Artifact): Item {
  return defined({ ...keys.artifact(artifact.appId, artifact.releaseId, artifact.id), type: 'artifact', ...artifact });
}

export function artifactFromItem(item: Item): Artifact {
  const status = str(item, 'status') as ArtifactStatus;
  if (!ARTIFACT_STATUSES.includes(status)) throw new Error(`Stored artifact has unknown status ${status}`);
  return defined({
    id: str(item, 'id'),
    appId: str(item, 'appId'),
    releaseId: str(item, 'releaseId'),
    platformId: str(item, 'platformId'),
    archId: str(item, 'archId'),
    package: str(item, 'package'),
    declaredSize: num(item, 'declaredSize'),
    declaredSha256: optStr(item, 'declaredSha256'),
    signature: optStr(item, 'signature'),
    edSignature: optStr(item, 'edSignature'),
    deltaFrom: optStr(item, 'deltaFrom'),
    status,
    attemptId: str(item, 'attemptId'),
    uploadExpiresAt: str(item, 'uploadExpiresAt'),
    reason: optStr(item, 'reason'),
    objectKey: optStr(item, 'objectKey'),
    objectVersionId: optStr(item, 'objectVersionId'),
    size: optNum(item, 'size'),
    sha256: optStr(item, 'sha256'),
    sha512: optStr(item, 'sha512'),
    sha1: optStr(item, 'sha1'),
    blake2b512: optStr(item, 'blake2b512'),
    createdAt: str(item, 'createdAt'),
    readyAt: optStr(item, 'readyAt'),
  }) as Artifact;
}

/** A release and its artifacts from the items under `REL#<id>` (undefined when the release item is not there). */
export function releaseWithArtifactsFrom(items: readonly Item[]): { release: Release; artifacts: Artifact[] } | undefined {
  const releaseItem = items.find((i) => i.type === 'release');
  if (!releaseItem) return undefined;
  return { release: releaseFromItem(releaseItem), artifacts: items.filter((i) => i.type === 'artifact').map(artifactFromItem) };
}
