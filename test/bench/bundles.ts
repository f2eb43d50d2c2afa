import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { LAMBDAS_DIR, OTA_BUNDLING } from '../../infra/ota-function.js';

export interface Bundle {
  name: string;
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** Bundles one entry point with the options the stack's NodejsFunction uses (without source maps). */
export async function bundle(entry: string, outDir: string, name = basename(entry, '.ts')): Promise<Bundle> {
  const file = join(outDir, `${name}.cjs`);
  await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: OTA_BUNDLING.format,
    target: OTA_BUNDLING.target,
    minify: OTA_BUNDLING.minify,
    mainFields: [...OTA_BUNDLING.mainFields],
    external: [...OTA_BUNDLING.externalModules],
    logLevel: 'silent',
  });
  return { name, file, bytes: statSync(file).size, gzipBytes: gzipSync(readFileSync(file)).length };
}

/** Every Lambda entry point in `lambdas/`, bundled. */
export async function bundleAllLambdas(outDir: string): Promise<Bundle[]> {
  const entries = readdirSync(LAMBDAS_DIR).filter((f) => f.endsWith('.ts'));
  return Promise.all(entries.map((f) => bundle(join(LAMBDAS_DIR, f), outDir)));
}

export interface ColdSample {
  /** Time to `require` the bundle: module evaluation, including building clients at module scope. */
  loadMs: number;
  /** Time from loaded to the first answer: first request, new connection, lazy SDK work. */
  firstCallMs: number;
}

// Runs in a fresh Node process: loads the bundle as Lambda does, then answers one event.
const COLD_SCRIPT = `
const { performance } = require('node:perf_hooks');
const t0 = performance.now();
const mod = require(process.argv[1]);
const t1 = performance.now();
mod.handler(JSON.parse(process.env.BENCH_EVENT), {}).then((result) => {
  const t2 = performance.now();
  if (result.statusCode !== Number(process.env.BENCH_STATUS)) {
    console.error('unexpected status ' + result.statusCode + ' ' + (result.body || ''));
    process.exit(1);
  }
  process.stdout.write(JSON.stringify({ loadMs: t1 - t0, firstCallMs: t2 - t1 }));
});
`;

/** One cold start of `bundleFile` in a new process; fails if the answer is not `expectedStatus`. */
export function coldStart(bundleFile: string, event: unknown, expectedStatus: number, env: NodeJS.ProcessEnv): Promise<ColdSample> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', COLD_SCRIPT, bundleFile], {
      env: { ...env, NODE_OPTIONS: '', BENCH_EVENT: JSON.stringify(event), BENCH_STATUS: String(expectedStatus) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${basename(bundleFile)} cold start failed (${code}): ${err.slice(0, 500)}`));
      resolve(JSON.parse(out) as ColdSample);
    });
  });
}
