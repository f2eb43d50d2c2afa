import { jsonText } from './text.js';

/** One asset of a Velopack feed (`releases.{channel}.json`), as its clients deserialize it. */
export interface VelopackAsset {
  PackageId: string;
  Version: string;
  Type: 'Full' | 'Delta';
  FileName: string;
  SHA1: string;
  SHA256: string;
  Size: number;
  NotesMarkdown: string;
}

/** Renders the Velopack asset feed. Pure. */
export function renderVelopackFeed(assets: VelopackAsset[]): { Assets: VelopackAsset[] } {
  return { Assets: assets.map((asset) => ({ ...asset, NotesMarkdown: jsonText(asset.NotesMarkdown) })) };
}

/** Velopack channel names (`win`, `osx-arm64`, `linux-x64`, …) → our platform and arch names. */
export function velopackTarget(channel: string): { platform: string; arch: string } | undefined {
  const match = /^(win|osx|linux)(?:-(x64|arm64|x86))?$/.exec(channel);
  if (!match) return undefined;
  const platform = { win: 'windows', osx: 'darwin', linux: 'linux' }[match[1] as 'win' | 'osx' | 'linux'];
  const arch = match[2]
    ? { x64: 'x86_64', arm64: 'aarch64', x86: 'i686' }[match[2] as 'x64' | 'arm64' | 'x86']
    : platform === 'darwin'
      ? 'aarch64'
      : 'x86_64';
  return { platform, arch };
}

/**
 * The file name of a package (Velopack downloads `{feed base}/{FileName}` and stores it under that
 * name): `{id}-{version}-{channel}-full.nupkg`, or `-delta.nupkg` for a delta (as `vpk pack` names
 * them; the client's clean-up globs `*-delta.nupkg`), so every Velopack channel's package has its own name.
 */
export function velopackPackageName(packageId: string, version: string, channel: string, type: VelopackAsset['Type'] = 'Full'): string {
  return `${packageId}-${version}-${channel}-${type === 'Full' ? 'full' : 'delta'}.nupkg`;
}

/** Reads a package name back (`my-app-1.2.0-beta.1-osx-arm64-full.nupkg`); undefined for anything else. */
export function parseVelopackPackageName(
  packageId: string,
  file: string,
): { version: string; channel: string; type: VelopackAsset['Type'] } | undefined {
  if (!file.startsWith(`${packageId}-`)) return undefined;
  const match = /^(\d[0-9A-Za-z.+-]*?)-((?:win|osx|linux)(?:-(?:x64|arm64|x86))?)-(full|delta)\.nupkg$/.exec(
    file.slice(packageId.length + 1),
  );
  return match ? { version: match[1] as string, channel: match[2] as string, type: match[3] === 'full' ? 'Full' : 'Delta' } : undefined;
}
