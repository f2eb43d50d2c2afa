/** electron-updater's feed files: their names and what they say, apart from the YAML renderer (electron.ts). */

/** One file of an electron-updater feed (`files[]`). */
export interface ElectronFile {
  url: string;
  /** Base64 SHA-512 of the file, as electron-updater verifies it. */
  sha512: string;
  size: number;
}

export interface ElectronRelease {
  version: string;
  releaseDate: string;
  notes?: string;
  /** Percentage of users the client lets update (it decides from its staging id); absent = everyone. */
  stagingPercentage?: number;
  files: ElectronFile[];
}

/** The feed files electron-updater's generic provider requests, and what each one covers. */
export interface ElectronFeedName {
  /** The channel, or `latest` for the app's default channel. */
  channel: string;
  os: 'windows' | 'mac' | 'linux';
  /** Linux only: `x64` (no suffix) or another electron arch (`arm64`, `armv7l`). */
  linuxArch?: string;
}

const FILE = /^(?<channel>[A-Za-z0-9][A-Za-z0-9._-]{0,39}?)(?:-(?<os>mac|linux)(?:-(?<arch>arm64|armv7l|ia32))?)?\.yml$/;

/** Reads a feed file name (`beta-mac.yml`, `latest-linux-arm64.yml`, `latest.yml`); undefined when it is none. */
export function parseElectronFeedName(file: string): ElectronFeedName | undefined {
  const groups = FILE.exec(file)?.groups;
  if (!groups?.channel) return undefined;
  const os = (groups.os ?? 'windows') as ElectronFeedName['os'];
  return { channel: groups.channel, os, ...(os === 'linux' ? { linuxArch: groups.arch ?? 'x64' } : {}) };
}
