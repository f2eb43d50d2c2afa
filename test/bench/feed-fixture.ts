import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { builtinEntries, type Channel, DEFAULT_CHANNEL_ID } from '../../shared/domain/catalog.js';
import type { FeedCatalog } from '../../shared/domain/feed-builder.js';
import type { App, Artifact, Release } from '../../shared/domain/model.js';
import { objectKeys } from '../../shared/storage/keys.js';

/**
 * A realistic app for sizing published feeds: 1,000 releases over three channels (stable; beta
 * following stable; nightly on its own), the 12 built-in platform/arch pairs, three packages per
 * pair, and every artifact carrying what a real upload carries (a Tauri minisign signature, sha256,
 * S3 version id, an object key of ULIDs).
 */
export const FIXTURE_PLATFORMS = ['linux', 'darwin', 'windows'] as const;
export const FIXTURE_ARCHS = ['x86_64', 'aarch64', 'i686', 'armv7'] as const;
const PACKAGES: Record<(typeof FIXTURE_PLATFORMS)[number], readonly string[]> = {
  linux: ['appimage', 'deb', 'rpm'],
  darwin: ['app', 'dmg', 'zip'],
  windows: ['nsis', 'msi', 'exe'],
};
/** File name endings as the Tauri bundler writes them (they appear in the signature's trusted comment). */
const FILE_ENDING: Record<string, string> = {
  appimage: '.AppImage.tar.gz',
  deb: '.deb',
  rpm: '.rpm',
  app: '.app.tar.gz',
  dmg: '.dmg',
  zip: '.zip',
  nsis: '-setup.nsis.zip',
  msi: '_en-US.msi.zip',
  exe: '.exe',
};

export const RELEASE_COUNT = 1000;
/** Ten releases per minor version: six nightlies, two betas, the release and one patch. */
const CYCLE = ['nightly', 'nightly', 'nightly', 'beta', 'nightly', 'nightly', 'beta', 'nightly', 'stable', 'stable'] as const;
const NOTES = [
  'Fixes a crash when the app resumes from sleep with an external display attached; ',
  'faster startup on large libraries (about 30% less time to first window); ',
  'the sync indicator no longer flickers on slow networks; updated translations (de, fr, ja, pt-BR).',
].join('');

export type Scenario = 'a' | 'b' | 'c' | 'd';
export const SCENARIOS: Record<Scenario, string> = {
  a: 'all fully rolled out',
  b: '(a) + newest release at 20%',
  c: '(b) + 5 intermediate, 20 critical',
  d: '(c) + a scheduled release',
};

export interface FixtureApp {
  /** The app before it has a slug (publishing claims one). */
  app: App;
  catalog: FeedCatalog;
  releases: Release[];
  artifacts: Artifact[];
  /** The moment the feeds are built at (just after the newest release). */
  now: Date;
  /** The newest version every client of the default channel may have (what "already current" sends). */
  floorVersion: string;
}

// Random bytes drawn from a pool: a fixture makes some 200,000 small draws.
let pool = Buffer.alloc(0);
let poolAt = 0;
function random(size: number): Buffer {
  if (poolAt + size > pool.length) {
    pool = randomBytes(1 << 20);
    poolAt = 0;
  }
  poolAt += size;
  return pool.subarray(poolAt - size, poolAt);
}

/** The whole base64 `.sig` file Tauri's signer writes: minisign's four lines, base64-encoded once more. */
function tauriSignature(fileName: string, at: Date): string {
  const keyId = random(8);
  const signature = Buffer.concat([Buffer.from('ED'), keyId, random(64)]).toString('base64');
  const trusted = `timestamp:${Math.floor(at.getTime() / 1000)}\tfile:${fileName}`;
  const globalSignature = random(64).toString('base64');
  const sig = `untrusted comment: signature from tauri secret key\n${signature}\ntrusted comment: ${trusted}\n${globalSignature}\n`;
  return Buffer.from(sig).toString('base64');
}

function versionOf(index: number): { version: string; channel: (typeof CYCLE)[number] } {
  const cycle = Math.floor(index / CYCLE.length);
  const position = index % CYCLE.length;
  const channel = CYCLE[position] as (typeof CYCLE)[number];
  const base = `${1 + Math.floor(cycle / 20)}.${cycle % 20}`;
  const before = CYCLE.slice(0, position + 1).filter((c) => c === channel).length;
  if (channel === 'stable') return { version: `${base}.${before - 1}`, channel };
  return { version: `${base}.0-${channel}.${before}`, channel };
}

/** Builds the app of one scenario. Random parts (ids, hashes, signatures) differ per call; sizes do not. */
export function fixtureApp(scenario: Scenario): FixtureApp {
  const ownerId = ulid();
  const hour = 3_600_000;
  // History ends now: checks run against the real clock, so the scheduled release must lie ahead of it.
  const start = Math.floor(Date.now() / hour) * hour - RELEASE_COUNT * 20 * hour;
  const created = new Date(start).toISOString();
  const entries = builtinEntries(ownerId, created);
  const channelOf = (id: string, name: string, follows: string[]): Channel => ({
    kind: 'channel',
    id,
    ownerId,
    name,
    builtin: false,
    explicit: true,
    refs: 0,
    follows,
    allowPrerelease: true,
    createdAt: created,
    updatedAt: created,
  });
  const stable = entries.find((e): e is Channel => e.kind === 'channel' && e.id === DEFAULT_CHANNEL_ID) as Channel;
  const beta = channelOf(ulid(start, Math.random), 'beta', [stable.id]);
  const nightly = channelOf(ulid(start, Math.random), 'nightly', []);
  const channelIds = { stable: stable.id, beta: beta.id, nightly: nightly.id };
  const catalog: FeedCatalog = {
    channels: [stable, beta, nightly],
    platforms: entries.filter((e) => e.kind === 'platform'),
    archs: entries.filter((e) => e.kind === 'arch'),
  };
  const app: App = {
    id: ulid(start, Math.random),
    name: 'Bench App',
    ownerId,
    defaultChannelId: stable.id,
    createdAt: created,
    updatedAt: created,
  };

  const plan = Array.from({ length: RELEASE_COUNT }, (_, i) => versionOf(i));
  // Stepping stones and critical fixes are stable releases, spread evenly through history.
  const stableIndexes = plan.flatMap((p, i) => (p.channel === 'stable' ? [i] : []));
  const spread = (count: number, offset: number) =>
    new Set(Array.from({ length: count }, (_, k) => stableIndexes[Math.floor(((k + offset) * stableIndexes.length) / count)] as number));
  const intermediate = scenario === 'c' || scenario === 'd' ? spread(5, 0.5) : new Set<number>();
  const critical = scenario === 'c' || scenario === 'd' ? spread(20, 0.25) : new Set<number>();
  if (scenario === 'd') plan.push({ version: nextPatch(plan[plan.length - 1]?.version as string), channel: 'stable' });

  const releases: Release[] = [];
  const artifacts: Artifact[] = [];
  for (const [i, { version, channel }] of plan.entries()) {
    const at = new Date(start + i * 20 * hour);
    const iso = at.toISOString();
    const newest = i === RELEASE_COUNT - 1;
    const scheduled = i === RELEASE_COUNT;
    const release: Release = {
      id: ulid(at.getTime(), Math.random),
      appId: app.id,
      version,
      channelId: channelIds[channel],
      status: 'published',
      ...(scheduled ? { publishAt: new Date(start + (i + 48) * 20 * hour).toISOString() } : {}),
      notes: `${version}: ${NOTES}`,
      changelog: '',
      critical: critical.has(i),
      intermediate: intermediate.has(i),
      rolloutPercent: newest && scenario !== 'a' ? 20 : 100,
      pubDate: iso,
      createdAt: iso,
      updatedAt: iso,
    };
    releases.push(release);
    for (const platform of FIXTURE_PLATFORMS) {
      for (const arch of FIXTURE_ARCHS) {
        for (const pkg of PACKAGES[platform]) {
          const id = ulid(at.getTime(), Math.random);
          const attemptId = ulid(at.getTime(), Math.random);
          const sha256 = random(32).toString('hex');
          const size = 40_000_000 + Math.floor(Math.random() * 90_000_000);
          artifacts.push({
            id,
            appId: app.id,
            releaseId: release.id,
            platformId: platform,
            archId: arch,
            package: pkg,
            declaredSize: size,
            declaredSha256: sha256,
            signature: tauriSignature(`Bench-App_${version}_${arch}${FILE_ENDING[pkg]}`, at),
            status: 'ready',
            attemptId,
            uploadExpiresAt: new Date(at.getTime() + hour).toISOString(),
            objectKey: objectKeys.artifact(app.id, release.id, id, attemptId, sha256),
            objectVersionId: random(24).toString('base64url'),
            size,
            sha256,
            sha512: random(64).toString('base64'),
            createdAt: iso,
            readyAt: iso,
          });
        }
      }
    }
  }
  const newestFull = plan[scenario === 'a' ? RELEASE_COUNT - 1 : RELEASE_COUNT - 2];
  return {
    app,
    catalog,
    releases,
    artifacts,
    now: new Date(start + RELEASE_COUNT * 20 * hour),
    floorVersion: newestFull?.version as string,
  };
}

function nextPatch(version: string): string {
  const [major, minor, patch] = version.split('.').map(Number);
  return `${major}.${minor}.${(patch ?? 0) + 1}`;
}
