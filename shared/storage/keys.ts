import type { Arch, Target } from '../domain/platform.js';

/**
 * Every DynamoDB key and S3 object key of the product is built here and nowhere else.
 *
 * Item collection of an app (PK = APP#<appId>):
 *   SK = APP                              the app (GSI1: OWNER#<ownerId> / APP#<createdAt>#<appId>)
 *   SK = REL#<releaseId>                  a release
 *   SK = VER#<version identity>           uniqueness claim for a version inside the app
 *   SK = ART#<releaseId>#<target>#<arch>  an artifact
 * Public lookup (PK = SLUG#<slug>, SK = SLUG): the slug claim, which also holds the app's feed
 * so that an update check is one GetItem.
 */
export interface ItemKey {
  PK: string;
  SK: string;
}

const APP = 'APP#';
const SLUG = 'SLUG#';

export const keys = {
  app: (appId: string): ItemKey => ({ PK: `${APP}${appId}`, SK: 'APP' }),
  appCollection: (appId: string): string => `${APP}${appId}`,
  appsByOwner: (ownerId: string): string => `OWNER#${ownerId}`,
  appOwnerSort: (createdAt: string, appId: string): string => `APP#${createdAt}#${appId}`,
  release: (appId: string, releaseId: string): ItemKey => ({ PK: `${APP}${appId}`, SK: `REL#${releaseId}` }),
  versionClaim: (appId: string, versionIdentity: string): ItemKey => ({
    PK: `${APP}${appId}`,
    SK: `VER#${versionIdentity}`,
  }),
  artifact: (appId: string, releaseId: string, target: Target, arch: Arch): ItemKey => ({
    PK: `${APP}${appId}`,
    SK: `ART#${releaseId}#${target}#${arch}`,
  }),
  slug: (slug: string): ItemKey => ({ PK: `${SLUG}${slug}`, SK: 'SLUG' }),
} as const;

/** S3 object keys. Artifacts live under `ota/`, the only prefix CloudFront serves. */
export const objectKeys = {
  artifactRoot: 'ota/',
  app: (appId: string): string => `ota/${appId}/`,
  release: (appId: string, releaseId: string): string => `ota/${appId}/${releaseId}/`,
  artifact: (appId: string, releaseId: string, target: Target, arch: Arch): string => `ota/${appId}/${releaseId}/${target}-${arch}`,
  /** Reads an artifact key back; undefined for anything that is not one. */
  parseArtifact(key: string): { appId: string; releaseId: string; platform: string } | undefined {
    const match = /^ota\/([0-9A-Z]{26})\/([0-9A-Z]{26})\/([a-z0-9_]+-[a-z0-9_]+)$/.exec(key);
    if (!match) return undefined;
    return { appId: match[1] as string, releaseId: match[2] as string, platform: match[3] as string };
  },
} as const;

/** Public paths whose edge-cached answers change when an app's feed or releases change. */
export const edgePaths = {
  slug: (slug: string): string => `/api/sync/ota/${slug}/*`,
  release: (appId: string, releaseId: string): string => `/${objectKeys.release(appId, releaseId)}*`,
  app: (appId: string): string => `/${objectKeys.app(appId)}*`,
} as const;
