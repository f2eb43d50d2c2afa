import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { EVENT_FUNCTIONS, ROUTES } from '../../shared/routes.js';

type OtaFunctionModule = typeof import('../../infra/ota-function.js');
type Bundling = OtaFunctionModule['OTA_BUNDLING'];

const OTA_FUNCTION_FILE = join(import.meta.dirname, '..', '..', 'infra', 'ota-function.ts');
const IMPORT_ATTEMPTS = 6;
const IMPORT_RETRY_MS = 5_000;

/**
 * The stack's own esbuild options, imported from `infra/ota-function.ts` (never copied). Another
 * change may have that file half-written: then wait and import it afresh (a new URL, since a failed
 * module stays failed under its old one), a few times, before giving up.
 */
export async function stackBundling(): Promise<{ bundling: Bundling; lambdasDir: string }> {
  let problem = '';
  for (let attempt = 1; attempt <= IMPORT_ATTEMPTS; attempt++) {
    try {
      const url = `${pathToFileURL(OTA_FUNCTION_FILE).href}?attempt=${attempt}`;
      const mod = (await import(url)) as Partial<OtaFunctionModule>;
      if (mod.OTA_BUNDLING && typeof mod.LAMBDAS_DIR === 'string') return { bundling: mod.OTA_BUNDLING, lambdasDir: mod.LAMBDAS_DIR };
      problem = 'it does not export OTA_BUNDLING and LAMBDAS_DIR';
    } catch (error) {
      problem = String(error).split('\n')[0] ?? '';
    }
    if (attempt < IMPORT_ATTEMPTS) {
      console.warn(`  infra/ota-function.ts cannot be used yet (${problem}); retrying in ${IMPORT_RETRY_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, IMPORT_RETRY_MS));
    }
  }
  throw new Error(`infra/ota-function.ts could not be imported after ${IMPORT_ATTEMPTS} attempts: ${problem}`);
}

/** Who calls a function: anyone (updaters), a signed-in caller (management), or an event. */
export type EntryKind = 'public' | 'caller' | 'event';

export interface Bundle {
  name: string;
  kind: EntryKind;
  file: string;
  bytes: number;
  gzipBytes: number;
  /** Minified bytes in the bundle per npm package ("(this repository)" for our own code), largest first. */
  packages: { name: string; bytes: number }[];
}

export interface FailedBundle {
  name: string;
  kind: EntryKind;
  error: string;
}

/** The package an esbuild input belongs to: the innermost `node_modules/<name>` or `node_modules/@scope/name`. */
function packageOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at === -1) return '(this repository)';
  const [first = '', second = ''] = input.slice(at + 'node_modules/'.length).split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
}

function packagesOf(metafile: Metafile): { name: string; bytes: number }[] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** Bundles one entry point with the options the stack's NodejsFunction uses (without source maps). */
export async function bundle(
  bundling: Bundling,
  entry: string,
  outDir: string,
  kind: EntryKind,
  name = basename(entry, '.ts'),
): Promise<Bundle> {
  const file = join(outDir, `${name}.cjs`);
  const { metafile } = await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: bundling.format,
    target: bundling.target,
    minify: bundling.minify,
    mainFields: [...bundling.mainFields],
    external: [...bundling.externalModules],
    metafile: true,
    logLevel: 'silent',
  });
  return { name, kind, file, bytes: statSync(file).size, gzipBytes: gzipSync(readFileSync(file)).length, packages: packagesOf(metafile) };
}

/**
 * Every function the stack deploys (one per `handler` of ROUTES and EVENT_FUNCTIONS), bundled.
 * A function that fails to bundle is reported, not fatal; `strays` are files in `lambdas/` that no
 * route or event function names (the stack would not deploy them).
 */
export async function bundleAllLambdas(
  bundling: Bundling,
  lambdasDir: string,
  outDir: string,
): Promise<{ bundles: Bundle[]; failed: FailedBundle[]; strays: string[] }> {
  const entries = new Map<string, EntryKind>();
  for (const route of ROUTES) {
    // A handler shared by a public and a signed-in route counts as a management bundle.
    if (entries.get(route.handler) !== 'caller') entries.set(route.handler, route.access.kind === 'public' ? 'public' : 'caller');
  }
  for (const fn of EVENT_FUNCTIONS) if (!entries.has(fn.handler)) entries.set(fn.handler, 'event');
  const results = await Promise.all(
    [...entries].map(async ([name, kind]) => {
      const entry = join(lambdasDir, `${name}.ts`);
      try {
        if (!existsSync(entry)) throw new Error(`lambdas/${name}.ts does not exist`);
        return await bundle(bundling, entry, outDir, kind);
      } catch (error) {
        return { name, kind, error: String(error).split('\n').slice(0, 3).join(' ') } satisfies FailedBundle;
      }
    }),
  );
  const strays = readdirSync(lambdasDir)
    .filter((f) => f.endsWith('.ts') && !entries.has(basename(f, '.ts')))
    .map((f) => `lambdas/${f}`);
  return {
    bundles: results.filter((r): r is Bundle => 'file' in r),
    failed: results.filter((r): r is FailedBundle => 'error' in r),
    strays,
  };
}

export interface ColdSample {
  /** Time to `require` the bundle: module evaluation, including building clients at module scope. */
  loadMs: number;
  /** Time from loaded to the first answer: first request, new connection, lazy SDK work. */
  firstCallMs: number;
  /** The first answer's status. */
  status: number;
}

// Runs in a fresh Node process: loads the bundle as Lambda does, then answers one event.
const COLD_SCRIPT = `
const { performance } = require('node:perf_hooks');
const t0 = performance.now();
const mod = require(process.argv[1]);
const t1 = performance.now();
mod.handler(JSON.parse(process.env.BENCH_EVENT), {}).then((result) => {
  const t2 = performance.now();
  const expected = process.env.BENCH_STATUS;
  if (expected === 'any' ? result.statusCode >= 500 : result.statusCode !== Number(expected)) {
    console.error('unexpected status ' + result.statusCode + ' ' + (result.body || ''));
    process.exit(1);
  }
  process.stdout.write(JSON.stringify({ loadMs: t1 - t0, firstCallMs: t2 - t1, status: result.statusCode }));
});
`;

/** One cold start of `bundleFile` in a new process; fails if the answer is not `expectedStatus` (`any`: not a 5xx). */
export function coldStart(bundleFile: string, event: unknown, expectedStatus: number | 'any', env: NodeJS.ProcessEnv): Promise<ColdSample> {
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

/** Placeholder values of path parameters, so each public route's first answer does its usual reads. */
const PARAM_VALUES: Record<string, string> = {
  target: 'darwin',
  arch: 'aarch64',
  current_version: '1.0.0',
  version: '1.0.0',
  channel: 'stable',
  file_name: 'file.zip',
  name: 'file.zip',
  format: 'tauri',
  // faynoSync's query (the bench app has no faynoSync owner: its answer is a not-found after the one read).
  app_name: 'bench-app',
  owner: 'bench-owner',
  platform: 'darwin',
  updater: 'tauri',
  package: 'zip',
};
const SAMPLE_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/**
 * The first public GET route of a handler, as an API Gateway event: its path with the parameters
 * filled in (`slug` the benchmark's published app, ids well-formed), its cache key's query
 * parameters too, no credentials. Undefined for a handler without an edge-cached GET (sign-in and
 * install reports are POSTs; health is never cached).
 */
export function publicRouteEvent(handler: string, slug: string): { path: string; event: unknown } | undefined {
  const route = ROUTES.find((r) => r.handler === handler && r.access.kind === 'public' && r.method === 'GET' && r.edgeCache !== false);
  if (!route) return undefined;
  const pathParameters: Record<string, string> = {};
  const path = route.path.replace(/\{([a-z_]+)\+?\}/g, (_, name: string) => {
    const value = name === 'slug' ? slug : (PARAM_VALUES[name] ?? (name.endsWith('_id') ? SAMPLE_ID : 'x'));
    pathParameters[name] = value;
    return value;
  });
  const query = Object.fromEntries(
    (route.edgeCache ? route.edgeCache.query : []).map((name) => [name, PARAM_VALUES[name] ?? (name.endsWith('_id') ? SAMPLE_ID : 'x')]),
  );
  return {
    path: route.path,
    event: {
      rawPath: path,
      rawQueryString: new URLSearchParams(query).toString(),
      ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
      headers: { host: 'abc123.execute-api.us-east-1.amazonaws.com' },
      pathParameters,
      isBase64Encoded: false,
      requestContext: { domainName: 'abc123.execute-api.us-east-1.amazonaws.com', http: { method: 'GET', path } },
    },
  };
}
