import type { CatalogKind } from '../domain/catalog.js';
import { APP_FILES_PREFIX, publicPaths } from '../domain/public-paths.js';

/**
 * Every DynamoDB key and S3 object key of the product is built here and nowhere else.
 *
 * Owner account (PK = OWNER#<ownerId>):
 *   SK = PROFILE                                  the owner's built-in catalog entries exist
 *   SK = CAT#<kind>#<id>                          a channel, platform or arch
 *   SK = CATNAME#<kind>#<name>                    name uniqueness claim → id
 *   SK = APPNAME#<name>                           app name uniqueness claim → app id
 *   SK = RELID#<releaseId>                        which of the owner's apps holds a release → app id (written
 *                                                 and deleted with the release: faynoSync names a version by
 *                                                 its id alone)
 *   SK = JOB#<jobId>                              a background job of the owner (read by the job worker from the
 *                                                 table's stream; expires a week after it ended)
 * Item collection of an app (PK = APP#<appId>):
 *   SK = APP                                      the app (GSI1: OWNER#<ownerId> / APP#<createdAt>#<appId>)
 *   SK = VER#<version identity>                   uniqueness claim for a version inside the app
 *   SK = REL#<releaseId>                          a release
 *   SK = REL#<releaseId>#ART#<artifactId>         an artifact (one Query reads a release with its artifacts)
 *   SK = SLOT#<releaseId>#<platform>#<arch>#<pkg> one artifact per release, platform, arch and package
 *   SK = DLTOKEN#<tokenId>                        a download token of the private app, as its owner lists it
 *   SK = EDGE                                     the fingerprint of what the edge was last told about the app
 *                                                 (written with the outbox item that told it)
 *   SK = LINK#<releaseId>#<artifactId>            a published file's download link (file-link.ts): the by-app-id
 *                                                 download paths read exactly this one item
 *   SK = WEBHOOK#<webhookId>                      a webhook of the app (URL, events, format, signing secret)
 * Public handle (PK = SLUG#<slug>):
 *   SK = SLUG                                     the slug claim → app
 *   SK = FEED#<channel>#<platform>#<arch>         a published feed (channel "" = the app's default channel):
 *                                                 a check reads exactly this one item
 *   SK = PUBREV                                   the revision of the last rebuild that published here, and the
 *                                                 partial rollouts it serves (read by telemetry's aggregator)
 *   SK = FILE#<releaseId>#<artifactId>#<name>     a download link under the slug, by the ids and name its URL carries
 *                                                 (an installer's also answers blockmap names): the
 *                                                 `/files/<slug>/…` paths read exactly this one item
 * faynoSync's address of an app (PK = FSAPP#<owner user name>):
 *   SK = APP#<app name>                           the app's faynoSync view: checkVersion and apps/latest read
 *                                                 exactly this one item
 * Outbox (PK = OUTBOX#<id>, SK = OUTBOX): edge paths to purge, consumed from the table's stream.
 * Webhook event (PK = WHEVENT#<id>, SK = WHEVENT): a release or artifact event, written in the transaction
 *   of the change; the table's stream hands it to the webhook fan-out; expires after a day.
 * Webhook delivery (PK = WHDLV#<webhookId>, SK = <ISO time>#<id>): one delivery attempt, newest first,
 *   expiring after 7 days.
 * Download token (PK = DLTOKEN#<sha256 of the token>, SK = DLTOKEN): its app, channel limit and expiry;
 *   a private app's check reads exactly this one item besides its feed.
 * Team user (PK = MEMBER#<Cognito sub>, SK = MEMBER): its account and permissions, read on each of its
 *   requests (GSI1: TEAM#<ownerId> / <createdAt>#<sub>, the owner's list).
 * API token (PK = APITOKEN#<sha256 of the token>, SK = APITOKEN): its account, scope and expiry, read on
 *   each of its requests (GSI1: TOKENS#<ownerId> / <token id>, the owner's list, newest first).
 * Audit trail (PK = AUDIT#<ownerId>, SK = <ISO time>#<id>): one management change, expiring after the
 *   retention period.
 * Telemetry (PK = TEL#<appId>, SK = <day>#<channel>#<platform>#<arch>#<version>#<state>): one counter row
 *   (checks and unique devices), expiring after 30 days; a date range is one key range.
 *   SK = R#<releaseId>#<day>#in|out: the devices a partial rollout's checks sorted in or out, after
 *   the day-keyed rows.
 */
export interface ItemKey {
  PK: string;
  SK: string;
}

const OWNER = 'OWNER#';
const APP = 'APP#';
const SLUG = 'SLUG#';

export const keys = {
  ownerProfile: (ownerId: string): ItemKey => ({ PK: `${OWNER}${ownerId}`, SK: 'PROFILE' }),
  ownerCollection: (ownerId: string): string => `${OWNER}${ownerId}`,
  catalogEntry: (ownerId: string, kind: CatalogKind, id: string): ItemKey => ({ PK: `${OWNER}${ownerId}`, SK: `CAT#${kind}#${id}` }),
  catalogName: (ownerId: string, kind: CatalogKind, name: string): ItemKey => ({
    PK: `${OWNER}${ownerId}`,
    SK: `CATNAME#${kind}#${name}`,
  }),

  /** An owner's claim on an app name (app names are unique per owner, as in faynoSync). */
  appName: (ownerId: string, name: string): ItemKey => ({ PK: `${OWNER}${ownerId}`, SK: `APPNAME#${name}` }),
  /** Which of the owner's apps holds a release (releases created before this item existed have none). */
  releaseApp: (ownerId: string, releaseId: string): ItemKey => ({ PK: `${OWNER}${ownerId}`, SK: `RELID#${releaseId}` }),

  /** One device's install report on a release (by a hash of its id), and the release's counters: all of them, and per day. */
  installReport: (releaseId: string, deviceHash: string): ItemKey => ({ PK: `INSTALLS#${releaseId}`, SK: `DEV#${deviceHash}` }),
  installTotals: (releaseId: string): ItemKey => ({ PK: `INSTALLS#${releaseId}`, SK: 'TOTAL' }),
  installDay: (releaseId: string, day: string): ItemKey => ({ PK: `INSTALLS#${releaseId}`, SK: `DAY#${day}` }),
  installsOf: (releaseId: string): string => `INSTALLS#${releaseId}`,
  /** A background job, under its owner's key: another owner's job is never found. */
  job: (ownerId: string, jobId: string): ItemKey => ({ PK: `${OWNER}${ownerId}`, SK: `JOB#${jobId}` }),
  app: (appId: string): ItemKey => ({ PK: `${APP}${appId}`, SK: 'APP' }),
  appCollection: (appId: string): string => `${APP}${appId}`,
  appsByOwner: (ownerId: string): string => `${OWNER}${ownerId}`,
  appOwnerSort: (createdAt: string, appId: string): string => `APP#${createdAt}#${appId}`,
  versionClaim: (appId: string, versionIdentity: string): ItemKey => ({ PK: `${APP}${appId}`, SK: `VER#${versionIdentity}` }),
  release: (appId: string, releaseId: string): ItemKey => ({ PK: `${APP}${appId}`, SK: `REL#${releaseId}` }),
  /** A device pin of an app, by the device id's hash (read with the app's collection, deleted with the app). */
  devicePin: (appId: string, hash: string): ItemKey => ({ PK: `${APP}${appId}`, SK: `PIN#${hash}` }),
  /** What the edge was last told about the app (its fingerprint), written in the announcing transaction. */
  edgeAnnounced: (appId: string): ItemKey => ({ PK: `${APP}${appId}`, SK: 'EDGE' }),
  /** A published file's download link under its app (the by-app-id paths' one read). */
  appFileLink: (appId: string, linkId: string): ItemKey => ({ PK: `${APP}${appId}`, SK: `LINK#${linkId}` }),
  appFileLinkPrefix: 'LINK#',
  /** Prefix of a release and its artifacts. */
  releaseWithArtifacts: (releaseId: string): string => `REL#${releaseId}`,
  artifact: (appId: string, releaseId: string, artifactId: string): ItemKey => ({
    PK: `${APP}${appId}`,
    SK: `REL#${releaseId}#ART#${artifactId}`,
  }),
  /** One file per release, platform, arch and package; a delta package has one per version it applies to. */
  artifactSlot: (appId: string, releaseId: string, platformId: string, archId: string, pkg: string, deltaFrom?: string): ItemKey => ({
    PK: `${APP}${appId}`,
    SK: `SLOT#${releaseId}#${platformId}#${archId}#${pkg}${deltaFrom === undefined ? '' : `#FROM#${deltaFrom}`}`,
  }),

  /** A private app's download token as its owner lists it (in the app's collection, deleted with the app). */
  appDownloadToken: (appId: string, tokenId: string): ItemKey => ({ PK: `${APP}${appId}`, SK: `DLTOKEN#${tokenId}` }),
  appDownloadTokenPrefix: 'DLTOKEN#',
  /** A webhook of the app (in the app's collection, deleted with the app). */
  webhook: (appId: string, webhookId: string): ItemKey => ({ PK: `${APP}${appId}`, SK: `WEBHOOK#${webhookId}` }),
  webhookPrefix: 'WEBHOOK#',
  /** How many webhooks the app holds (the limit's counter; in the app's collection, deleted with the app). */
  appWebhookCount: (appId: string): ItemKey => ({ PK: `${APP}${appId}`, SK: 'COUNT#WEBHOOK' }),
  webhookEvent: (eventId: string): ItemKey => ({ PK: `WHEVENT#${eventId}`, SK: 'WHEVENT' }),
  webhookDelivery: (webhookId: string, at: string, deliveryId: string): ItemKey => ({
    PK: `WHDLV#${webhookId}`,
    SK: `${at}#${deliveryId}`,
  }),
  webhookDeliveriesOf: (webhookId: string): string => `WHDLV#${webhookId}`,
  /** Leading keys of the delivery records (the delivery function writes only these). */
  webhookDeliveryLeadingKeys: ['WHDLV#*'] as readonly string[],
  /** How many download tokens the app holds (the limit's counter; in the app's collection, deleted with the app). */
  appDownloadTokenCount: (appId: string): ItemKey => ({ PK: `${APP}${appId}`, SK: 'COUNT#DLTOKEN' }),
  /** A download token's lookup item, by the SHA-256 (hex) of the token. */
  downloadToken: (hash: string): ItemKey => ({ PK: `DLTOKEN#${hash}`, SK: 'DLTOKEN' }),

  faynoView: (ownerName: string, appName: string): ItemKey => ({ PK: `FSAPP#${ownerName}`, SK: `APP#${appName}` }),
  faynoViews: (ownerName: string): string => `FSAPP#${ownerName}`,
  /** The app name a faynoSync view's sort key names. */
  faynoViewName: (sk: string): string => sk.slice('APP#'.length),

  member: (userId: string): ItemKey => ({ PK: `MEMBER#${userId}`, SK: 'MEMBER' }),
  membersOf: (ownerId: string): string => `TEAM#${ownerId}`,
  apiToken: (hash: string): ItemKey => ({ PK: `APITOKEN#${hash}`, SK: 'APITOKEN' }),
  apiTokensOf: (ownerId: string): string => `TOKENS#${ownerId}`,
  audit: (ownerId: string, at: string, id: string): ItemKey => ({ PK: `AUDIT#${ownerId}`, SK: `${at}#${id}` }),
  auditOf: (ownerId: string): string => `AUDIT#${ownerId}`,
  /** One telemetry counter row of an app (`sortKey` from telemetry-counters.ts). */
  telemetryRow: (appId: string, sortKey: string): ItemKey => ({ PK: `TEL#${appId}`, SK: sortKey }),
  telemetryOf: (appId: string): string => `TEL#${appId}`,
  /** Leading keys of the telemetry aggregator: its counter rows, and the slug claims and faynoSync views it resolves apps by. */
  telemetryLeadingKeys: ['TEL#*'] as readonly string[],
  telemetryLookupLeadingKeys: ['SLUG#*', 'FSAPP#*'] as readonly string[],
  /** Leading keys of the items authentication reads and the audit trail writes (IAM conditions name them). */
  authLeadingKeys: ['MEMBER#*', 'APITOKEN#*'] as readonly string[],
  auditLeadingKeys: ['AUDIT#*'] as readonly string[],

  slug: (slug: string): ItemKey => ({ PK: `${SLUG}${slug}`, SK: 'SLUG' }),
  slugCollection: (slug: string): string => `${SLUG}${slug}`,
  feedPrefix: 'FEED#',
  /** A published file's download link under the app's slug (the `/files/<slug>/…` paths' one read). */
  slugFileLink: (slug: string, linkId: string): ItemKey => ({ PK: `${SLUG}${slug}`, SK: `FILE#${linkId}` }),
  slugFileLinkPrefix: 'FILE#',
  /** The revision of the rebuild that last published under a slug: every rebuild advances it, in order. */
  publication: (slug: string): ItemKey => ({ PK: `${SLUG}${slug}`, SK: 'PUBREV' }),
  catalogAll: 'CAT#',
  /** The sort-key prefix of every feed of one channel (the trailing `#` keeps `beta` from matching `beta2`). */
  feedChannelPrefix: (channel: string): string => `FEED#${channel}#`,
  feed: (slug: string, channel: string, platform: string, arch: string): ItemKey => ({
    PK: `${SLUG}${slug}`,
    SK: `FEED#${channel}#${platform}#${arch}`,
  }),

  outbox: (id: string): ItemKey => ({ PK: `OUTBOX#${id}`, SK: 'OUTBOX' }),
  /** The key the deep health check reads (no such item is ever written: the read itself is the probe). */
  healthProbe: { PK: 'HEALTH', SK: 'HEALTH' } as ItemKey,
} as const;

/** A transaction condition on the slug claim: it must (still) name this app. */
export function slugHeldBy(tableName: string, slug: string, appId: string) {
  return {
    TableName: tableName,
    Key: keys.slug(slug),
    ConditionExpression: 'appId = :holder',
    ExpressionAttributeValues: { ':holder': appId },
  };
}

/** The channel name under which the app's default channel is also published (clients that name none). */
export const DEFAULT_CHANNEL_ALIAS = '';

/**
 * S3 object keys. Uploads land under `staging/` (presigned PUTs can reach only there); ingest
 * verifies them and copies them to `ota/`, which no upload URL can reach and CloudFront serves.
 */
export const objectKeys = {
  stagingRoot: 'staging/',
  artifactRoot: 'ota/',
  staging: (appId: string, releaseId: string, artifactId: string, attemptId: string): string =>
    `staging/${appId}/${releaseId}/${artifactId}/${attemptId}`,
  /** The verified copy: named by its attempt and content, so two uploads with one URL never share a key. */
  artifact: (appId: string, releaseId: string, artifactId: string, attemptId: string, sha256: string): string =>
    `ota/${appId}/${releaseId}/${artifactId}/${attemptId}/${sha256}`,
  /** Every object of an app / release / artifact, in both prefixes. */
  appPrefixes: (appId: string): string[] => [`staging/${appId}/`, `ota/${appId}/`],
  releasePrefixes: (appId: string, releaseId: string): string[] => [`staging/${appId}/${releaseId}/`, `ota/${appId}/${releaseId}/`],
  artifactPrefixes: (appId: string, releaseId: string, artifactId: string): string[] => [
    `staging/${appId}/${releaseId}/${artifactId}/`,
    `ota/${appId}/${releaseId}/${artifactId}/`,
  ],
  /** Reads a staging key back; undefined for anything that is not one. */
  parseStaging(key: string): { appId: string; releaseId: string; artifactId: string; attemptId: string } | undefined {
    const match = /^staging\/([0-9A-Z]{26})\/([0-9A-Z]{26})\/([0-9A-Z]{26})\/([0-9A-Z]{26})$/.exec(key);
    if (!match) return undefined;
    return { appId: match[1] as string, releaseId: match[2] as string, artifactId: match[3] as string, attemptId: match[4] as string };
  },
} as const;

/** Public paths whose edge-cached answers change when an app's feeds or releases change. */
export const edgePaths = {
  slug: (slug: string): string[] => publicPaths.slugWildcards(slug),
  release: (appId: string, releaseId: string): string => `/ota/${appId}/${releaseId}/*`,
  app: (appId: string): string => `/ota/${appId}/*`,
  /** The by-app-id file links (faynoSync and Koolbase faces). */
  appFiles: (appId: string): string => `${APP_FILES_PREFIX}/${appId}/*`,
  /** faynoSync's public answers: their key is the query, which invalidation paths cannot name, so all of them. */
  faynoAnswers: ['/checkVersion*', '/apps/latest*'] as readonly string[],
} as const;
