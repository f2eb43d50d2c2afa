import { type Arch, type Channel, channelClosure, type Platform } from '../domain/catalog.js';
import { feedFile } from '../domain/feed-builder.js';
import type { FileLink } from '../domain/file-link.js';
import { type App, type Artifact, type Release, releaseChannels } from '../domain/model.js';
import { targetOf } from '../domain/targets.js';
import { servedFileName } from '../protocols/file-names.js';

/** The download links of every verified file of the app's published releases (scheduled ones included: the link checks the time). */
export function buildFileLinks(
  app: App,
  catalog: { channels: readonly Channel[]; platforms: readonly Platform[]; archs: readonly Arch[] },
  releases: readonly Release[],
  artifacts: readonly Artifact[],
): FileLink[] {
  const byId = new Map(catalog.channels.map((c) => [c.id, c]));
  // The channels whose clients see a release of channel X: X and every channel that follows it.
  const offeredIn = (release: Release): string[] => {
    const own = new Set(releaseChannels(release));
    return catalog.channels.filter((c) => [...channelClosure(c.id, byId)].some((id) => own.has(id))).map((c) => c.id);
  };
  const platforms = new Map(catalog.platforms.map((p) => [p.id, targetOf(p)]));
  const archs = new Map(catalog.archs.map((a) => [a.id, targetOf(a)]));
  const published = new Map(releases.filter((r) => r.status === 'published').map((r) => [r.id, r]));
  const channels = new Map<string, string[]>();
  const links: FileLink[] = [];
  for (const artifact of artifacts) {
    const release = published.get(artifact.releaseId);
    const file = release && feedFile(artifact, release);
    if (!release || !file) continue;
    let offered = channels.get(release.id);
    if (!offered) {
      offered = offeredIn(release);
      channels.set(release.id, offered);
    }
    const name = app.slug
      ? servedFileName(
          app.slug,
          release.version,
          platforms.get(artifact.platformId) ?? '',
          archs.get(artifact.archId) ?? '',
          artifact.package,
        )
      : undefined;
    links.push({
      appId: app.id,
      releaseId: release.id,
      ...(name !== undefined ? { name } : {}),
      ...(app.private === true ? { private: true as const } : {}),
      channels: offered,
      ...(release.publishAt ? { publishAt: release.publishAt } : {}),
      file,
    });
  }
  return links;
}
