/**
 * Builds the console into static files: `index.html` (always revalidated) and content-hashed
 * `assets/app-<hash>.js` / `.css` (cached for good). Used by the CDK stack at synth, the local
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
  /** Every file written, relative to outdir, with its size. */
  files: { path: string; bytes: number }[];
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
    bundle: true,
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
  const outputs = Object.keys(result.metafile?.outputs ?? {}).map((file) => basename(file));
  const js = outputs.find((f) => f.endsWith('.js'));
  const css = outputs.find((f) => f.endsWith('.css'));
  if (!js || !css) throw new Error(`The console build made no script or stylesheet: ${outputs.join(', ')}`);
  const html = readFileSync(join(HERE, 'index.html'), 'utf8')
    .replace('{{js}}', `${CONSOLE_PREFIX}/${CONSOLE_ASSETS_DIR}/${js}`)
    .replace('{{css}}', `${CONSOLE_PREFIX}/${CONSOLE_ASSETS_DIR}/${css}`);
  writeFileSync(join(outdir, 'index.html'), html);
  const files = ['index.html', ...outputs.map((f) => `${CONSOLE_ASSETS_DIR}/${f}`)].map((path) => ({
    path,
    bytes: readFileSync(join(outdir, path)).byteLength,
  }));
  return { outdir, files };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outdir = process.argv[2] ?? join(HERE, 'dist');
  const built = buildConsole(outdir);
  for (const f of built.files) console.log(`${relative(process.cwd(), join(outdir, f.path))}  ${f.bytes} bytes`);
}
