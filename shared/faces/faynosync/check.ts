/**
 * faynoSync's public answers, `/checkVersion` and `/apps/latest`, computed from an app's view
 * (view.ts): the parameter rules, the choice of version (intermediate, rollback) and the
 * per-updater formats of faynoSync's own server (reference: faynosync-wire.md sections 2.16,
 * 2.17 and 3). Pure: the handler reads the view and renders the outcome.
 */
import { createHash } from 'node:crypto';
import { Invalid, NotFound } from '../../domain/errors.js';
import { ANY_ARCH, ANY_PLATFORM, type FaynoView, type ViewFile, type ViewVersion } from '../../domain/fayno-view.js';
import { isCompanion } from '../../domain/packages.js';
import { publicPaths } from '../../domain/public-paths.js';
import { archTarget, cpuOf, osOf, platformTarget } from '../../domain/targets.js';
import { compareVersions, parseDottedVersion } from '../../domain/version.js';
import { ELECTRON_ARCH } from '../../protocols/electron-arch.js';

export interface CheckQuery {
  appName?: string;
  version?: string;
  owner?: string;
  channel?: string;
  platform?: string;
  arch?: string;
  updater?: string;
}

/** What a check answers: JSON, an empty 204, a redirect. `until`: when it changes on its own (a scheduled release). */
export type CheckOutcome =
  | { kind: 'json'; body: Record<string, unknown> }
  | { kind: 'no-content' }
  | { kind: 'redirect'; location: string };

const APP_NAME = /^[a-zA-Z0-9\- ]+$/;
const CHANNEL = /^[a-zA-Z0-9]*$/;
const PLATFORM = /^[a-zA-Z0-9-]*$/;
const ARCH = /^[a-zA-Z0-9]*$/;

/** The checks faynoSync makes before it reads anything (section 3.1, step 1): each failure a 400. */
export function validateCheckQuery(q: CheckQuery): { appName: string; version: string } {
  if (!q.appName || !APP_NAME.test(q.appName)) throw new Invalid('invalid app_name parameter');
  const version = (q.version ?? '').replaceAll('-', '.');
  if (!version || !/^[0-9.-]+$/.test(version)) throw new Invalid('invalid version parameter');
  if (!CHANNEL.test(q.channel ?? '')) throw new Invalid('invalid channel parameter');
  if (!PLATFORM.test(q.platform ?? '')) throw new Invalid('invalid platform parameter');
  if (!ARCH.test(q.arch ?? '')) throw new Invalid('invalid arch parameter');
  if (!parseDottedVersion(version)) throw new Invalid(`Malformed version: ${version}`);
  return { appName: q.appName, version };
}

/** The app is not there for this owner (or no owner was named): faynoSync's own 400. */
export const APP_NOT_FOUND = 'app_name not found in apps_meta collection';

interface Resolved {
  channel: string;
  /** The catalog name the client named (or `any`): the redirect paths name it. */
  platform: string;
  arch: string;
  /** What the client's platform and arch mean (targets.ts): files match by target, whatever face named them. */
  platformTarget: string;
  archTarget: string;
  updater: string;
}

/** Name → target of the view's platforms and archs (a name that is not in the catalog: what it means to clients). */
export interface ViewTargets {
  platform(name: string): string;
  arch(name: string): string;
}

export function viewTargets(view: FaynoView): ViewTargets {
  const platforms = new Map(view.platforms.map((p) => [p.name, p.t ?? p.name]));
  const archs = new Map(view.archs.map((a) => [a.name, a.t ?? a.name]));
  return {
    platform: (name) => platforms.get(name) ?? platformTarget(name),
    arch: (name) => archs.get(name) ?? archTarget(name),
  };
}

/**
 * Channel, platform, arch and updater as faynoSync resolves them (section 3.1, steps 2-4). A
 * platform or arch the owner has no entry of, but which names a known OS or architecture
 * (`amd64`, `mac`), still reaches the files published for it through any face.
 */
function resolve(view: FaynoView, q: CheckQuery, targets: ViewTargets): Resolved {
  let channel = q.channel ?? '';
  if (channel === '') {
    if (view.channels.some((c) => c.explicit)) throw new Invalid('you have a created channels, setting channel is required');
    channel = view.defaultChannel;
  } else if (!view.channels.some((c) => c.name === channel)) {
    throw new Invalid('wrong name of channel. Channel does not exist');
  }
  const platform = view.platforms.find((p) => p.name === (q.platform ?? ''));
  let updater = q.updater ?? '';
  if (platform) {
    const requested = updater;
    updater =
      requested === ''
        ? (platform.updaters.find((u) => u.default)?.type ?? 'manual')
        : ((platform.updaters.find((u) => u.type === requested) ?? platform.updaters.find((u) => u.type.startsWith(requested)))?.type ??
          'updater not supported');
  }
  const platformName = platform?.name ?? (q.platform && osOf(q.platform) ? q.platform : ANY_PLATFORM);
  const archName = view.archs.some((a) => a.name === (q.arch ?? '')) || (q.arch && cpuOf(q.arch)) ? (q.arch as string) : ANY_ARCH;
  return {
    channel,
    platform: platformName,
    arch: archName,
    platformTarget: targets.platform(platformName),
    archTarget: targets.arch(archName),
    updater,
  };
}

function live(version: ViewVersion, now: Date): boolean {
  return !version.at || Date.parse(version.at) <= now.getTime();
}

/** The moment a scheduled version of the view goes live, when one does. */
export function nextChange(view: FaynoView, now: Date): Date | undefined {
  const times = Object.values(view.versions)
    .flat()
    .map((v) => (v.at ? Date.parse(v.at) : Number.NaN))
    .filter((t) => t > now.getTime());
  return times.length > 0 ? new Date(Math.min(...times)) : undefined;
}

/**
 * A link the answers hand out: `baseUrl` + path, plus `linkQuery` (a private app's download token,
 * for clients that can only send it in the query).
 */
function linkOf(baseUrl: string, path: string, linkQuery: string): string {
  return `${baseUrl}${path}${linkQuery ? `${path.includes('?') ? '&' : '?'}${linkQuery}` : ''}`;
}

/** How an answer links files and feeds. */
interface Links {
  /** A link the client itself fetches the bytes from (Tauri's and Squirrel.Mac's `url`, the feed redirects): it redirects to them. */
  at(path: string): string;
  /**
   * A file link faynoSync's clients are handed (`update_url_*`, apps/latest's `url`): a private
   * app's goes through faynoSync's `/download?key=`, as faynoSync's own do, which answers
   * `{"download_url"}` to its owner's callers and to a download token; a public app's is `at`.
   */
  file(path: string): string;
}

function linksOf(view: FaynoView, baseUrl: string, linkQuery: string): Links {
  const at = (path: string) => linkOf(baseUrl, path, linkQuery);
  return { at, file: view.private ? (path) => at(publicPaths.faynoDownload(path)) : at };
}

/** faynoSync's `/checkVersion` (sections 3.2-3.5). `baseUrl` prefixes every link, `linkQuery` follows it. */
export function checkVersion(view: FaynoView, q: CheckQuery, baseUrl: string, now: Date, linkQuery = ''): CheckOutcome {
  const links = linksOf(view, baseUrl, linkQuery);
  const { version: client } = validateCheckQuery(q);
  const targets = viewTargets(view);
  const r = resolve(view, q, targets);
  const files = (v: ViewVersion) => v.files.filter((f) => targets.platform(f.p) === r.platformTarget && targets.arch(f.a) === r.archTarget);
  const candidates = (view.versions[r.channel] ?? []).filter((v) => live(v, now) && files(v).length > 0);
  const latest = candidates[0];
  if (!latest) throw new Invalid(`no matching documents found for app_name: ${view.appName}`);

  const stone = candidates.filter((v) => v.intermediate && compareVersions(v.v, client) > 0).sort((a, b) => compareVersions(a.v, b.v))[0];
  const order = compareVersions(client, latest.v);
  const target = stone ?? latest;
  const found = stone !== undefined || order < 0;
  const rollback = !found && order > 0;

  const body: Record<string, unknown> = {};
  for (const file of files(target)) {
    if (file.k === 'blockmap' || file.k === 'nupkg' || isCompanion(file.k)) continue;
    body[file.k === 'none' ? 'update_url' : `update_url_${file.k}`] = links.file(file.u);
  }
  const signature = files(target).find((f) => f.s)?.s;
  if (found) {
    body.update_available = true;
    // Critical when the target or any version the client skips to reach it is (as the native check says).
    body.critical = target.critical || skipsCritical(view, r.channel, candidates, client, target.v);
    if (stone) body.is_intermediate_required = true;
    if (target.changelog) body.changelog = `${target.changelog}\n`;
    if (signature) body.signature = signature;
    if (target.rollout < 100) body.rollout = { percent: target.rollout, seed: rolloutSeed(target.id) };
  } else {
    body.update_available = false;
    body.possible_rollback = rollback;
    // Equal to the newest: faynoSync always says critical:false and sends no changelog.
    body.critical = rollback ? latest.critical : false;
    if (rollback && latest.changelog) body.changelog = `${latest.changelog}\n`;
    if (signature) body.signature = signature;
  }
  return byUpdater(r, found || rollback, sorted(body), target, files(target), view, links.at);
}

/** True when a critical version lies above the client's and at or below the target's. */
function skipsCritical(view: FaynoView, channel: string, candidates: ViewVersion[], client: string, target: string): boolean {
  const skipped = (v: string) => compareVersions(v, client) > 0 && compareVersions(v, target) <= 0;
  return candidates.some((c) => c.critical && skipped(c.v)) || (view.critical?.[channel] ?? []).some(skipped);
}

/** Section 3.5: the platform's updater (or `updater=`) decides the format. */
function byUpdater(
  r: Resolved,
  offered: boolean,
  body: Record<string, unknown>,
  target: ViewVersion,
  files: ViewFile[],
  view: FaynoView,
  at: (path: string) => string,
): CheckOutcome {
  switch (r.updater) {
    case 'squirrel_darwin': {
      // The zip whose link the default answer holds (the last one listed); Squirrel.Mac fetches it itself.
      const zip = files.filter((f) => f.k === 'zip').at(-1);
      if (!offered || !zip) return { kind: 'no-content' };
      const kept = Object.fromEntries(Object.entries(body).filter(([key]) => !key.startsWith('update_url_')));
      return { kind: 'json', body: sorted({ ...kept, url: at(zip.u) }) };
    }
    case 'electron-builder': {
      // faynoSync redirects to the latest.yml uploaded with the version; we redirect to the feed we generate.
      if (!offered || !view.slug) return { kind: 'no-content' };
      return { kind: 'redirect', location: at(`/feeds/${view.slug}/electron/${electronFeedFile(r)}`) };
    }
    case 'squirrel_windows': {
      if (!view.slug) return { kind: 'json', body };
      return { kind: 'redirect', location: at(`/feeds/${view.slug}/${r.channel}/squirrel-win/${r.archTarget}/RELEASES`) };
    }
    case 'tauri': {
      // A Tauri client installs only a file it can verify: an unsigned one is never offered to it.
      const file = files.find((f) => f.k !== 'blockmap' && f.k !== 'nupkg' && !isCompanion(f.k) && f.s);
      if (!offered || !file) return { kind: 'no-content' };
      return {
        kind: 'json',
        body: { version: target.v, url: at(file.u), signature: file.s, ...(target.changelog ? { notes: target.changelog } : {}) },
      };
    }
    default:
      return { kind: 'json', body };
  }
}

/** The electron-updater feed file of a channel for the client's OS and arch (electron-updater's own names). */
function electronFeedFile(r: Resolved): string {
  const channel = r.channel;
  if (r.platformTarget === 'darwin') return `${channel}-mac.yml`;
  if (r.platformTarget === 'linux') {
    const arch = ELECTRON_ARCH[r.archTarget];
    return arch && arch !== 'x64' ? `${channel}-linux-${arch}.yml` : `${channel}-linux.yml`;
  }
  return `${channel}.yml`;
}

/** faynoSync's 16-hex rollout seed: stable per version, so a client's decision does not flip between checks. */
function rolloutSeed(versionId: string): string {
  return createHash('sha256').update(versionId).digest('hex').slice(0, 16);
}

/** Go's JSON of a map: keys in sorted order (faynoSync's bodies byte for byte). */
function sorted(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface LatestQuery {
  appName?: string;
  channel?: string;
  platform?: string;
  arch?: string;
  package?: string;
}

/**
 * faynoSync's `/apps/latest` (section 2.17): the newest published version of the channel across
 * platforms, its files filtered by platform, arch and package; one link left is a redirect.
 */
export function appsLatest(view: FaynoView, q: LatestQuery, baseUrl: string, now: Date, linkQuery = ''): CheckOutcome {
  const at = linksOf(view, baseUrl, linkQuery).file;
  const channel = q.channel as string;
  if (!view.channels.some((c) => c.name === channel)) throw new NotFound('channel not found in apps_meta collection');
  const newest = (view.versions[channel] ?? []).find((v) => live(v, now));
  const pkg = q.package === 'no-extension' ? 'none' : q.package;
  const targets = viewTargets(view);
  const files = (newest?.files ?? []).filter(
    (f) =>
      (q.platform === undefined || targets.platform(f.p) === targets.platform(q.platform)) &&
      (q.arch === undefined || targets.arch(f.a) === targets.arch(q.arch)) &&
      (pkg === undefined || f.k === pkg),
  );
  if (files.length === 0) throw new NotFound('No matching data found for the provided parameters');
  if (files.length === 1) return { kind: 'redirect', location: at((files[0] as ViewFile).u) };
  const tree: Record<string, Record<string, Record<string, { url: string }>>> = {};
  for (const f of files) {
    const platform = f.p === ANY_PLATFORM ? '' : f.p;
    const arch = f.a === ANY_ARCH ? '' : f.a;
    const archs = tree[platform] ?? {};
    const packages = archs[arch] ?? {};
    packages[f.k === 'none' ? 'no-extension' : f.k] = { url: at(f.u) };
    archs[arch] = packages;
    tree[platform] = archs;
  }
  return { kind: 'json', body: { [channel]: tree } };
}
