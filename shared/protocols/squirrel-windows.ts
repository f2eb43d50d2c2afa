/** One package line of Squirrel.Windows' RELEASES file. */
export interface SquirrelWindowsEntry {
  /** SHA-1 of the package, hex. */
  sha1: string;
  /** An absolute URL whose last segment is the package file name (`MyApp-1.2.0-full.nupkg`): Squirrel reads the version from it. */
  url: string;
  size: number;
}

/**
 * Renders the RELEASES file Squirrel.Windows reads: `SHA1 filename-or-URL size` per line (it splits
 * an absolute URL into base URL and file name). Pure; the caller orders entries by version.
 */
export function renderReleases(entries: SquirrelWindowsEntry[]): string {
  return entries.map((e) => `${e.sha1.toUpperCase()} ${e.url} ${e.size}`).join('\n');
}
