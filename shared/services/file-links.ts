import { type Arch, type Channel, channelClosure, type Platform } from '../domain/catalog.js';
import type { FeedFile } from '../domain/feed.js';
import { feedFile } from '../domain/feed-builder.js';
import type { FileLink } from '../domain/file-link.js';
import { type App, type Artifact, type Release, releaseChannels } from '../domain/model.js';
import { blockmapPackage, isBlockmap, isCompanion } from '../domain/packages.js';
import { targetOf } from '../domain/targets.js';
import { compareVersions } from '../domain/version.js';
import { servedFileName } from '../protocols/file-names.js';

/**
 * Older versions whose blockmap an installer's link answers (electron-updater asks for the
 * installed version's): the newest ones below the release. An installed version further behind
 * gets a 404 for its blockmap, and electron-updater downloads the whole installer instead.
 */
export const MAX_BLOCKMAP_BASES = 10;

/**
 * The download links of every verified file of the app's published releases (scheduled ones
 * included: the link checks the time), each under the name its URL carries. Under the slug, an
 * installer's URL also answers its blockmap's name and the blockmap names of up to
 * MAX_BLOCKMAP_BASES older versions (published or yanked, never drafts) of the same platform, arch
 * and package: the names electron-updater derives from the installer's URL (`${url}.blockmap`,
 * the new version replaced by the installed one), so each of its requests is one read too.
 */
export function buildFileLinks(
  app: App,
  catalog: { channels: readonly Channel[]; platforms: readonly Platform[]; archs: readonly Arch[] },
  releases: readonly Release[],
  artifacts: readonly Artifact[],
): FileLink[] {
  const byId = new Map(catalog.channels.map((c) => [c.id, c]));
  // The channels whose clients see a release of channel X: X and every channel that follows it (each channel's closure once).
  const closures = catalog.channels.map((c) => ({ id: c.id, sees: channelClosure(c.id, byId) }));
  const offeredIn = (release: Release): string[] => {
    const own = releaseChannels(release);
    return closures.filter(({ sees }) => own.some((id) => sees.has(id))).map(({ id }) => id);
  };
  const platforms = new Map(catalog.platforms.map((p) => [p.id, targetOf(p)]));
  const archs = new Map(catalog.archs.map((a) => [a.id, targetOf(a)]));
  const releasesById = new Map(releases.map((r) => [r.id, r]));
  const named = (slug: string, version: string, artifact: Artifact, pkg = artifact.package) =>
    servedFileName(slug, version, platforms.get(artifact.platformId) ?? '', archs.get(artifact.archId) ?? '', pkg, artifact.deltaFrom);
  // Blockmaps by platform, arch and package, of releases ever offered, newest version first.
  const blockmaps = new Map<string, { release: Release; artifact: Artifact; file: FeedFile }[]>();
  for (const artifact of artifacts) {
    const release = releasesById.get(artifact.releaseId);
    const file = release && release.status !== 'draft' && isBlockmap(artifact.package) ? feedFile(artifact, release) : undefined;
    if (!release || !file) continue;
    const slot = `${artifact.platformId}|${artifact.archId}|${artifact.package}`;
    blockmaps.set(slot, [...(blockmaps.get(slot) ?? []), { release, artifact, file }]);
  }
  for (const list of blockmaps.values()) list.sort((a, b) => compareVersions(b.release.version, a.release.version));
  const channels = new Map<string, string[]>();
  const links: FileLink[] = [];
  for (const artifact of artifacts) {
    const release = releasesById.get(artifact.releaseId);
    const file = release?.status === 'published' ? feedFile(artifact, release) : undefined;
    if (!release || !file) continue;
    let offered = channels.get(release.id);
    if (!offered) {
      offered = offeredIn(release);
      channels.set(release.id, offered);
    }
    const base: FileLink = {
      appId: app.id,
      releaseId: release.id,
      ...(app.private === true ? { private: true as const } : {}),
      channels: offered,
      ...(release.publishAt ? { publishAt: release.publishAt } : {}),
      file,
    };
    const slug = app.slug;
    if (slug === undefined) {
      links.push(base);
      continue;
    }
    links.push({ ...base, name: named(slug, release.version, artifact) });
    if (isCompanion(artifact.package)) continue;
    // The installer's blockmap and those of older versions, answered under the installer's URL.
    const pkg = blockmapPackage(artifact.package);
    let bases = 0;
    for (const found of blockmaps.get(`${artifact.platformId}|${artifact.archId}|${pkg}`) ?? []) {
      const older = compareVersions(found.release.version, release.version) < 0;
      if (found.release.id !== release.id && (!older || bases++ >= MAX_BLOCKMAP_BASES)) continue;
      links.push({ ...base, name: named(slug, found.release.version, found.artifact, pkg), via: artifact.id, file: found.file });
    }
  }
  return links;
}
