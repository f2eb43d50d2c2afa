import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { load as loadYaml } from 'js-yaml';
import { CliError, EXIT } from './errors.js';
import type { UploadSpec } from './upload.js';

/**
 * Reads what a build tool left in its output folder and decides what belongs to a release:
 * a Tauri bundle folder (`src-tauri/target/release/bundle`: updater bundles with their `.sig`
 * files) or an electron-builder `dist` folder (`latest*.yml` name the files and their SHA-512).
 */
/** A file to upload; `sha512` (base64) when electron-builder's yml names it, checked before the upload. */
export type BuildFile = UploadSpec & { sha512?: string };

export interface BuildFolder {
  kind: 'tauri' | 'electron-builder';
  /** The version the files carry (from their names or `latest*.yml`), if they agree on one. */
  version: string | undefined;
  files: BuildFile[];
  /** Files seen and left out, with why (signatures attached elsewhere, blockmaps of no named installer, unknown types). */
  skipped: { file: string; why: string }[];
}

/** The canonical arch a file name or target triple names, if any. */
export function archOf(text: string): string | undefined {
  const t = text.toLowerCase();
  if (/(^|[^a-z0-9])(aarch64|arm64)([^a-z0-9]|$)/.test(t)) return 'aarch64';
  if (/(^|[^a-z0-9])(x86_64|x64|amd64|x86-64)([^a-z0-9]|$)/.test(t)) return 'x86_64';
  if (/(^|[^a-z0-9])(armv7|armv7l|armhf)([^a-z0-9]|$)/.test(t)) return 'armv7';
  if (/(^|[^a-z0-9])(i686|x86|ia32)([^a-z0-9]|$)/.test(t)) return 'i686';
  return undefined;
}

/** Tauri's bundle names: target and package type of each kind of file. */
const TAURI_KINDS: { test: RegExp; target: string; package: string }[] = [
  { test: /\.app\.tar\.gz$/i, target: 'darwin', package: 'app' },
  { test: /\.appimage(\.tar\.gz)?$/i, target: 'linux', package: 'appimage' },
  { test: /-setup\.exe$|\.nsis\.zip$/i, target: 'windows', package: 'nsis' },
  { test: /\.msi(\.zip)?$/i, target: 'windows', package: 'msi' },
  { test: /\.deb$/i, target: 'linux', package: 'deb' },
  { test: /\.rpm$/i, target: 'linux', package: 'rpm' },
  { test: /\.dmg$/i, target: 'darwin', package: 'dmg' },
];

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.endsWith('.app') ? [] : walk(path);
    return entry.isFile() ? [path] : [];
  });
}

/** A version in a file name: `MyApp_1.2.3_x64-setup.exe`, `my-app-1.2.3-arm64.dmg`, `app-1.2.3-1.x86_64.rpm`. */
function versionInName(name: string): string | undefined {
  return /[_-](\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+?)?)(?=[_-]\d*\.?(?:[a-z]|$)|[_.-](?:x64|x86|amd64|arm64|aarch64|i686|setup|mac|linux|win|universal)|\.(?:[a-z]))/i.exec(
    name,
  )?.[1];
}

/** Reads a Tauri or electron-builder output folder. `arch` fills in names that carry none (macOS `.app.tar.gz`). */
export function readBuildFolder(dir: string, options: { arch?: string } = {}): BuildFolder {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CliError(
      `${dir} is not a folder`,
      EXIT.usage,
      "pass the bundle folder (src-tauri/target/release/bundle) or electron-builder's dist",
    );
  }
  const all = walk(dir);
  const ymls = all.filter((file) => /^latest(-[a-z0-9-]+)?\.yml$/i.test(basename(file)));
  return ymls.length > 0 ? readElectronBuilder(dir, all, ymls, options) : readTauri(dir, all, options);
}

function readTauri(dir: string, all: string[], options: { arch?: string }): BuildFolder {
  const files: UploadSpec[] = [];
  const skipped: BuildFolder['skipped'] = [];
  const versions = new Set<string>();
  for (const file of all) {
    const name = basename(file);
    const shown = relative(dir, file);
    if (name.endsWith('.sig')) {
      if (!existsSync(file.slice(0, -4))) skipped.push({ file: shown, why: 'a signature without its file' });
      continue;
    }
    const kind = TAURI_KINDS.find((k) => k.test.test(name));
    if (!kind) {
      skipped.push({ file: shown, why: 'not an installer or updater bundle' });
      continue;
    }
    // A v1-style updater archive (`.AppImage.tar.gz`, `.nsis.zip`) wins over the bare installer beside it.
    if (!name.endsWith('.tar.gz') && !name.endsWith('.zip') && all.includes(`${file}.tar.gz`)) {
      skipped.push({ file: shown, why: `its updater archive ${name}.tar.gz is uploaded instead` });
      continue;
    }
    const arch = archOf(name) ?? archOf(relative(dir, file)) ?? archOf(dir) ?? options.arch;
    if (!arch) {
      throw new CliError(
        `${shown} names no architecture`,
        EXIT.usage,
        'pass --arch aarch64 or --arch x86_64 (the machine the bundle was built for)',
      );
    }
    const version = versionInName(name);
    if (version) versions.add(version);
    const sigFile = `${file}.sig`;
    files.push({
      file,
      target: kind.target,
      arch,
      package: kind.package,
      ...(existsSync(sigFile) ? { signature: readFileSync(sigFile, 'utf8').trim() } : {}),
    });
  }
  if (files.length === 0)
    throw new CliError(`No bundle in ${dir}`, EXIT.usage, 'build first (tauri build), with createUpdaterArtifacts for the .sig files');
  return { kind: 'tauri', version: versions.size === 1 ? [...versions][0] : undefined, files, skipped };
}

interface LatestYml {
  version?: string;
  files?: { url?: string; sha512?: string; size?: number }[];
}

function targetOfYml(name: string): { target: string; arch?: string } {
  const suffix = /^latest(?:-(.+))?\.yml$/i.exec(name)?.[1] ?? '';
  if (suffix === '') return { target: 'windows' };
  if (suffix === 'mac') return { target: 'darwin' };
  if (suffix.startsWith('linux')) return { target: 'linux', ...(archOf(suffix) ? { arch: archOf(suffix) } : {}) };
  return { target: suffix };
}

const BLOCKMAP = '.blockmap';

const ELECTRON_PACKAGES: Record<string, string> = { exe: 'nsis', zip: 'zip', dmg: 'dmg', appimage: 'appimage', deb: 'deb', rpm: 'rpm' };

function readElectronBuilder(dir: string, all: string[], ymls: string[], options: { arch?: string }): BuildFolder {
  const files: BuildFile[] = [];
  const named = new Set<string>();
  const versions = new Set<string>();
  for (const yml of ymls) {
    const doc = loadYaml(readFileSync(yml, 'utf8')) as LatestYml;
    if (doc.version) versions.add(doc.version);
    const { target, arch: ymlArch } = targetOfYml(basename(yml));
    for (const entry of doc.files ?? []) {
      if (!entry.url) continue;
      const file = join(dir, entry.url);
      if (named.has(file)) continue;
      if (!existsSync(file))
        throw new CliError(
          `${basename(yml)} names ${entry.url}, which is not in ${dir}`,
          EXIT.usage,
          'upload the complete dist folder electron-builder wrote',
        );
      const ext = (/\.([a-z0-9]+)$/i.exec(entry.url)?.[1] ?? '').toLowerCase();
      const pkg = ELECTRON_PACKAGES[ext];
      if (!pkg) continue;
      named.add(file);
      // electron-builder names x64 builds without an arch (`MyApp-1.2.0-mac.zip`), arm64 ones with it.
      const arch = archOf(entry.url) ?? ymlArch ?? options.arch ?? 'x86_64';
      files.push({ file, target, arch, package: pkg, ...(entry.sha512 ? { sha512: entry.sha512 } : {}) });
      // Its blockmap, for electron-updater's differential download (the server serves it at `${url}.blockmap`).
      const blockmap = `${file}${BLOCKMAP}`;
      if (existsSync(blockmap)) {
        named.add(blockmap);
        files.push({ file: blockmap, target, arch, package: `${pkg}${BLOCKMAP}` });
      }
    }
  }
  const skipped = all
    .filter((file) => !named.has(file) && !ymls.includes(file))
    .map((file) => ({
      file: relative(dir, file),
      why: file.endsWith(BLOCKMAP) ? 'a blockmap of no installer a latest*.yml names' : 'not named by a latest*.yml',
    }));
  if (files.length === 0)
    throw new CliError(
      `The latest*.yml files in ${dir} name no installer`,
      EXIT.usage,
      'run electron-builder with a publish provider so it writes them',
    );
  return { kind: 'electron-builder', version: versions.size === 1 ? [...versions][0] : undefined, files, skipped };
}

/** Checks a file against the SHA-512 electron-builder wrote for it (base64), so what ships is what was built. */
export async function checkSha512(file: string, expected: string): Promise<void> {
  const hash = createHash('sha512');
  await pipeline(createReadStream(file), hash);
  if (hash.digest('base64') !== expected) {
    throw new CliError(
      `${basename(file)} does not match the sha512 its latest*.yml names`,
      EXIT.usage,
      'rebuild: the file changed after electron-builder wrote the yml',
    );
  }
}

/**
 * What one file given to `ota upload` is, from its name (Tauri's, electron-builder's, Sparkle's and
 * Velopack's naming), unless told: an installer's `.blockmap` is that installer's blockmap; a
 * Sparkle `.delta` and a Velopack `-delta.nupkg` are delta packages, which need `deltaFrom`.
 */
export function describeFile(file: string, told: { target?: string; arch?: string; package?: string; deltaFrom?: string }): UploadSpec {
  const name = basename(file);
  const delta = /-delta\.nupkg$/i.test(name) ? 'delta.nupkg' : /\.delta$/i.test(name) ? 'delta' : undefined;
  if (delta && !told.deltaFrom && !told.package)
    throw new CliError(`${name} is a delta package`, EXIT.usage, 'pass --delta-from <version> (the version it applies to)');
  if (name.toLowerCase().endsWith(BLOCKMAP) && !told.package) {
    const installer = describeFile(file.slice(0, -BLOCKMAP.length), told);
    if (!installer.package)
      throw new CliError(`Cannot tell which installer ${name} belongs to`, EXIT.usage, 'pass --package <type>.blockmap');
    return { file, target: installer.target, arch: installer.arch, package: `${installer.package}${BLOCKMAP}` };
  }
  if (delta && !told.package) {
    told = { target: delta === 'delta' ? 'darwin' : 'windows', ...told, package: delta };
  }
  const kind = TAURI_KINDS.find((k) => k.test.test(name));
  const ext = (/\.([a-z0-9]+)$/i.exec(name)?.[1] ?? '').toLowerCase();
  const target = told.target ?? kind?.target ?? (ext === 'zip' && /mac|darwin/i.test(name) ? 'darwin' : undefined);
  const arch = told.arch ?? archOf(name);
  if (!target || !arch) {
    throw new CliError(
      `Cannot tell the ${target ? 'architecture' : 'platform'} of ${name} from its name`,
      EXIT.usage,
      'pass --target and --arch (e.g. --target darwin --arch aarch64)',
    );
  }
  const pkg = told.package ?? kind?.package ?? ELECTRON_PACKAGES[ext];
  const sigFile = `${file}.sig`;
  return {
    file,
    target,
    arch,
    ...(pkg ? { package: pkg } : {}),
    ...(told.deltaFrom ? { deltaFrom: told.deltaFrom } : {}),
    ...(existsSync(sigFile) ? { signature: readFileSync(sigFile, 'utf8').trim() } : {}),
  };
}
