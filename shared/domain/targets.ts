/**
 * One vocabulary of operating systems and architectures for every client. Each catalog platform
 * and arch has a canonical identity (its *target*): the feeds are built and addressed by it, and
 * every client's own words resolve to it before a read, so a file uploaded through faynoSync as
 * `linux`/`amd64` is the file a Tauri client asks for as `linux`/`x86_64` and electron-updater as
 * `latest-linux.yml`. Kept apart from the catalog so the check path loads only these tables.
 */

/** Canonical operating systems (Tauri's `{{target}}` words, plus mobile and `any`). */
export const OPERATING_SYSTEMS = ['linux', 'darwin', 'windows', 'android', 'ios', 'any'] as const;
export type OperatingSystem = (typeof OPERATING_SYSTEMS)[number];

/** Canonical architectures (Tauri's `{{arch}}` words, plus a macOS universal build and `any`). */
export const ARCHITECTURES = ['x86_64', 'aarch64', 'i686', 'armv7', 'riscv64', 'universal', 'any'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/**
 * Every client's word for an operating system, lower-cased: Tauri (`darwin`), faynoSync's common
 * names (`mac`, `macos`, `win`), Node's `process.platform` (`win32`), Velopack (`osx`), Squirrel
 * and Sparkle (always macOS or Windows, addressed by path).
 */
const OS_WORDS: Readonly<Record<string, OperatingSystem>> = {
  linux: 'linux',
  darwin: 'darwin',
  mac: 'darwin',
  macos: 'darwin',
  osx: 'darwin',
  windows: 'windows',
  win: 'windows',
  win32: 'windows',
  win64: 'windows',
  android: 'android',
  ios: 'ios',
  any: 'any',
};

/**
 * Every client's word for an architecture, lower-cased: Tauri and Rust (`x86_64`, `aarch64`,
 * `i686`, `armv7`), Node's `process.arch` as electron-updater names files (`x64`, `arm64`, `ia32`,
 * `armv7l`), faynoSync's Go names (`amd64`, `arm64`, `386`), Velopack (`x64`, `arm64`, `x86`).
 */
const ARCH_WORDS: Readonly<Record<string, Architecture>> = {
  x86_64: 'x86_64',
  amd64: 'x86_64',
  x64: 'x86_64',
  'x86-64': 'x86_64',
  aarch64: 'aarch64',
  arm64: 'aarch64',
  i686: 'i686',
  i386: 'i686',
  '386': 'i686',
  ia32: 'i686',
  x86: 'i686',
  armv7: 'armv7',
  armv7l: 'armv7',
  arm: 'armv7',
  riscv64: 'riscv64',
  universal: 'universal',
  any: 'any',
};

/** The canonical OS a client's word names; undefined for a word no client uses for one. */
export function osOf(word: string): OperatingSystem | undefined {
  return OS_WORDS[word.toLowerCase()];
}

/** The canonical architecture a client's word names; undefined for a word no client uses for one. */
export function cpuOf(word: string): Architecture | undefined {
  return ARCH_WORDS[word.toLowerCase()];
}

/** A catalog platform or arch as far as its identity goes: its name, and what its owner declared it to be. */
export interface Targeted {
  kind: 'platform' | 'arch';
  name: string;
  canonical?: string;
}

/** The canonical OS or architecture an entry is: declared, else what its name means; undefined for neither. */
export function canonicalOf(entry: Targeted): string | undefined {
  return entry.canonical ?? (entry.kind === 'platform' ? osOf(entry.name) : cpuOf(entry.name));
}

/**
 * The identity feeds are built and addressed by: what the owner declared, else what the name means
 * to clients, else the name itself (a custom entry no client knows stays a target of its own).
 */
export function targetOf(entry: Targeted): string {
  return canonicalOf(entry) ?? entry.name;
}

/** The platform a client's word addresses: a known word's canonical OS, else the word itself. */
export function platformTarget(word: string): string {
  return osOf(word) ?? word;
}

/** The arch a client's word addresses: a known word's canonical architecture, else the word itself. */
export function archTarget(word: string): string {
  return cpuOf(word) ?? word;
}

/** Architectures a build for `arch` also runs on when a release has no build of their own (a macOS universal binary). */
export const ALSO_RUNS_ON: Readonly<Partial<Record<string, readonly Architecture[]>>> = { universal: ['x86_64', 'aarch64'] };
