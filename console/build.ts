/**
 * Builds the console into static files: `index.html` (always revalidated) and content-hashed
 * `assets/app-<hash>.js` / `.css` (cached for good), plus `assets/chunk-<hash>.js` files that
 * screens loaded on demand bring (the telemetry charts' uPlot), fetched only when opened. Used by the CDK stack at synth, the local
 * stack at start, and by hand: `npx tsx console/build.ts [outdir]` (default console/dist).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { CONSOLE_ASSETS_DIR, CONSOLE_PREFIX } from '../shared/http/console.js';

const HERE = import.meta.dirname;

export interface ConsoleBuild {
  outdir: string;
  /** Every file written, relative to outdir, with its size; `initial`: the first page load fetches it. */
  files: { path: string; bytes: number; initial: boolean }[];
}

/** Builds the console into `outdir` (emptied first); minified unless `minify` is false. */
export function buildConsole(outdir: string, options: { minify?: boolean } = {}): ConsoleBuild {
  rmSync(outdir, { recursive: true, force: true });
  const assets = join(outdir, CONSOLE_ASSETS_DIR);
  mkdirSync(assets, { recursive: true });
  const result = buildSync({
    entryPoints: { app: join(HERE, 'src', 'main.tsx') },
    outdir: assets,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    target: ['es2022', 'chrome111', 'firefox115', 'safari16.4'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: 'none',
    metafile: true,
    write: true,
    logLevel: 'warning',
  });
  const outputs = result.metafile?.outputs ?? {};
  const entry = Object.keys(outputs).find((file) => outputs[file]?.entryPoint !== undefined && file.endsWith('.js'));
  const cssBundle = entry ? outputs[entry]?.cssBundle : undefined;
  if (!entry || !cssBundle) throw new Error(`The console build made no script or stylesheet: ${Object.keys(outputs).join(', ')}`);
  // What the page loads at once: the entry, its stylesheet and the chunks it imports statically.
  const initial = new Set([entry, cssBundle]);
  for (const pending = [entry]; pending.length > 0; ) {
    for (const imported of outputs[pending.pop() as string]?.imports ?? []) {
      if (imported.kind !== 'import-statement' || initial.has(imported.path)) continue;
      initial.add(imported.path);
      pending.push(imported.path);
    }
  }
  const html = readFileSync(join(HERE, 'index.html'), 'utf8')
    .replace('{{js}}', `${CONSOLE_PREFIX}/${CONSOLE_ASSETS_DIR}/${basename(entry)}`)
    .replace('{{css}}', `${CONSOLE_PREFIX}/${CONSOLE_ASSETS_DIR}/${basename(cssBundle)}`);
  writeFileSync(join(outdir, 'index.html'), html);
  const files = [
    { path: 'index.html', initial: true },
    ...Object.keys(outputs).map((file) => ({ path: `${CONSOLE_ASSETS_DIR}/${basename(file)}`, initial: initial.has(file) })),
  ].map((file) => ({ ...file, bytes: readFileSync(join(outdir, file.path)).byteLength }));
  return { outdir, files };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outdir = process.argv[2] ?? join(HERE, 'dist');
  const built = buildConsole(outdir);
  for (const f of built.files) console.log(`${relative(process.cwd(), join(outdir, f.path))}  ${f.bytes} bytes`);
}
