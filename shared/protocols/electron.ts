import { dump } from 'js-yaml';
import { ELECTRON_ARCH } from './electron-arch.js';
import type { ElectronRelease } from './electron-feed-name.js';
import { yamlText } from './text.js';

export { type ElectronFeedName, type ElectronFile, type ElectronRelease, parseElectronFeedName } from './electron-feed-name.js';
export { ELECTRON_ARCH };

/**
 * Renders `latest.yml` / `latest-mac.yml` / `latest-linux.yml` as electron-builder writes them
 * (electron-updater reads `version`, `files`, the deprecated `path`/`sha512` copies of the first
 * file, `releaseDate`, `releaseNotes`, `stagingPercentage`); notes lose what YAML cannot carry (see `yamlText`). Pure.
 */
export function renderElectronFeed(release: ElectronRelease): string {
  const first = release.files[0];
  return dump(
    {
      version: release.version,
      files: release.files.map((f) => ({ url: f.url, sha512: f.sha512, size: f.size })),
      ...(first ? { path: first.url, sha512: first.sha512 } : {}),
      releaseDate: release.releaseDate,
      ...(release.notes ? { releaseNotes: yamlText(release.notes) } : {}),
      ...(release.stagingPercentage !== undefined ? { stagingPercentage: release.stagingPercentage } : {}),
    },
    // js-yaml writes it: the library electron-updater parses it with. No folding, no anchors.
    { lineWidth: -1, noRefs: true },
  );
}
