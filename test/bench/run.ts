/**
 * `npm run bench`: what an update check costs, measured against DynamoDB Local.
 *
 *  1. Published feed item sizes: an app with 1,000 releases on 3 channels, 12 platform/arch pairs
 *     and 3 packages each, published through the service's own FeedRepository, in four scenarios;
 *     sizes as DynamoDB counts them and the 4 KB read units a check of the largest item costs.
 *  2. DynamoDB requests per check, counted by a proxy in front of DynamoDB Local.
 *  3. Warm latency of the bundled check handler in-process, beside a bare bundled DocumentClient
 *     GetItem handler reading the same feed item in the same run (interleaved, so drift hits both alike).
 *  4. Cold module-load time (and first answer) of the check bundle beside the bare handler, each in
 *     a fresh Node process; 4b. the same for every public route with an edge-cached GET (checks of
 *     every face, feeds, download redirects, latest links), module load + first answer against the
 *     bare handler's, aim ≤ 0.5x.
 *  5. Bundle size of every Lambda the stack deploys, bundled with the stack's own esbuild options,
 *     and the packages that fill the biggest management bundles.
 *  6. The check's figures beside the previous ones (docs/testing.md), marking any more than 10% worse.
 *  9. The edge, simulated from the synthesized template's cache policies and function code
 *     (test/bench/edge-sim.ts): invalidations per publish, cache variants at a rollout, hit rate,
 *     time until a publish is visible, cost per million checks. `BENCH_ONLY=edge` runs this alone.
 * 10. Telemetry (test/bench/telemetry.ts): aggregation throughput, writes per million records,
 *     unique clients beside the exact count, lag from a check to its count (local), cost per
 *     million checks next to CloudFront's request fee. `BENCH_ONLY=telemetry` runs this alone.
 * 11. The web console (test/bench/console.ts): load size (raw and gzip) and load time in headless
 *     Chromium. `BENCH_ONLY=console` runs this alone.
 *
 * Figures are printed, never asserted. Sizes of the runs: BENCH_WARM (samples per series, default
 * 3000), BENCH_COLD (fresh processes per bundle, default 21), BENCH_COLD_ROUTES (per public route
 * in 4b, default 7).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import cliProgress from 'cli-progress';
import { startDynamoDbLocal } from '../../local/emulators.js';
import { freePort } from '../../local/ports.js';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/provision.js';
import { ENV } from '../../shared/config/env.js';
import type { HttpEvent, HttpResult } from '../../shared/http/http-types.js';
import { DEFAULT_CHANNEL_ALIAS, keys } from '../../shared/storage/keys.js';
import {
  type Bundle,
  bundle,
  bundleAllLambdas,
  type ColdSample,
  coldStart,
  type FailedBundle,
  publicRouteEvent,
  stackBundling,
} from './bundles.js';
import { reportConsole } from './console.js';
import { reportEdgeSimulation } from './edge-sim.js';
import { FIXTURE_ARCHS, FIXTURE_PLATFORMS, fixtureApp, RELEASE_COUNT, SCENARIOS, type Scenario } from './feed-fixture.js';
import { type HashingFigures, measureHashing } from './hashing.js';
import { consistentQueryRcu, eventuallyConsistentRcu, MAX_ITEM_BYTES, readUnits, transactionalWcu } from './item-size.js';
import { publishFixture, type StoredFeedItem } from './seed.js';
import { reportTelemetry } from './telemetry.js';

type Handler = (event: HttpEvent, context?: unknown) => Promise<HttpResult>;

const WARM_SAMPLES = positiveInt('BENCH_WARM', 3000);
const COLD_RUNS = positiveInt('BENCH_COLD', 21);
/** Fresh processes per public route in section 4b (every public route, alternated with the bare handler). */
const ROUTE_COLD_RUNS = positiveInt('BENCH_COLD_ROUTES', 7);
/** Issue 16's aim for a public route's cold load (module load + first answer) against the bare handler's. */
const COLD_RATIO_AIM = 0.5;
const TABLE = 'bench-table';
const PUBLIC_BASE_URL = 'https://updates.example.com';
const slugOf = (scenario: Scenario): string => `bench-app-${scenario}`;
/** The scenario whose feed item the check and the bare handler read in the latency runs. */
const CHECKED: Scenario = 'd';
const CHECKED_PLATFORM = 'darwin';
const CHECKED_ARCH = 'aarch64';
/** Management bundles above this are marked: the size where zod and extra SDK clients start to show. */
const MANAGEMENT_BUNDLE_MARK = 600 * 1024;
const TOP_BUNDLES_DISSECTED = 3;

/**
 * The previous figures (docs/testing.md, "Benchmark"), measured on the 2-core x86_64 dev machine, Node 20,
 * when the check read the app's single slug item (20 releases × 12 target/arch pairs).
 */
const BEFORE = {
  checkP50: 0.89,
  checkP99: 5.5,
  currentP50: 0.83,
  currentP99: 5.09,
  bareP50: 1.7,
  bareP99: 7.5,
  checkBytes: 30.7 * 1024,
  checkGzipBytes: 11.3 * 1024,
  bareBytes: 335 * 1024,
  checkLoadMs: 11.5,
  bareLoadMs: 45.8,
  checkLoadFirstMs: 23.7,
  bareLoadFirstMs: 73.4,
};

function positiveInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** A Tauri check of the default channel exactly as API Gateway delivers it behind CloudFront. */
function checkEvent(slug: string, currentVersion: string): HttpEvent {
  const path = `/api/sync/ota/${slug}/${CHECKED_PLATFORM}/${CHECKED_ARCH}/${currentVersion}`;
  return {
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'abc123.execute-api.us-east-1.amazonaws.com' },
    pathParameters: { slug, target: CHECKED_PLATFORM, arch: CHECKED_ARCH, current_version: currentVersion },
    isBase64Encoded: false,
    requestContext: { domainName: 'abc123.execute-api.us-east-1.amazonaws.com', http: { method: 'GET', path } },
  };
}

/** An HTTP proxy in front of DynamoDB Local that counts requests by operation (X-Amz-Target). */
async function countingProxy(target: string): Promise<{ server: Server; url: string; counts: Map<string, number> }> {
  const counts = new Map<string, number>();
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const operation = String(req.headers['x-amz-target'] ?? 'unknown').replace('DynamoDB_20120810.', '');
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${port}`, counts };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function summary(samples: number[]): { p50: number; p90: number; p99: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  return { p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), p99: percentile(sorted, 0.99), mean };
}

const ms = (x: number): string => `${x.toFixed(2)} ms`;
const kb = (x: number): string => `${(x / 1024).toFixed(1)} KB`;
const bytes = (x: number): string => `${Math.round(x).toLocaleString('en-US')} B`;

async function expectStatus(handler: Handler, event: HttpEvent, status: number, label: string): Promise<void> {
  const result = await handler(event);
  if (result.statusCode !== status) throw new Error(`${label}: expected ${status}, got ${result.statusCode} ${result.body ?? ''}`);
}

function progress(label: string, total: number): cliProgress.SingleBar {
  const bar = new cliProgress.SingleBar(
    { format: `  ${label.padEnd(28)} [{bar}] {percentage}% {value}/{total}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return bar;
}

interface ScenarioSizes {
  scenario: Scenario;
  items: StoredFeedItem[];
  /** Capacity units DynamoDB Local reported for an eventually consistent GetItem of the largest item. */
  localRcu: number | undefined;
  buildMs: number;
}

/** Builds and publishes every scenario; the checked one also yields the versions the latency runs send. */
async function publishScenarios(endpoint: string): Promise<{ sizes: ScenarioSizes[]; floorVersion: string }> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const sizes: ScenarioSizes[] = [];
  let floorVersion = '';
  try {
    for (const scenario of Object.keys(SCENARIOS) as Scenario[]) {
      const t0 = performance.now();
      const fixture = fixtureApp(scenario);
      const items = await publishFixture(endpoint, TABLE, fixture, slugOf(scenario));
      const buildMs = performance.now() - t0;
      if (scenario === CHECKED) floorVersion = fixture.floorVersion;
      const largest = [...items].sort((a, b) => b.bytes - a.bytes)[0];
      let localRcu: number | undefined;
      if (largest) {
        const { ConsumedCapacity } = await client.send(
          new GetItemCommand({
            TableName: TABLE,
            Key: { PK: { S: keys.slugCollection(slugOf(scenario)) }, SK: { S: largest.sk } },
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
        localRcu = ConsumedCapacity?.CapacityUnits;
      }
      sizes.push({ scenario, items, localRcu, buildMs });
    }
  } finally {
    client.destroy();
  }
  return { sizes, floorVersion };
}

const started = performance.now();
/** A phase line, stamped with the seconds since the start (the whole run should stay near 2 minutes on 2 cores). */
function phase(text: string): void {
  console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${text}`);
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === 'edge') return reportEdgeSimulation();
  if (process.env.BENCH_ONLY === 'telemetry') return reportTelemetry();
  if (process.env.BENCH_ONLY === 'console') return reportConsole();
  const work = mkdtempSync(join(tmpdir(), 'ota-bench-'));
  try {
    await run(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Everything, with the bundles written to `work`. */
async function run(work: string): Promise<void> {
  const require = createRequire(import.meta.url);
  console.log(`OTA update server benchmark · Node ${process.version} on ${process.arch}\n`);

  phase('Bundling every Lambda with the stack’s esbuild options…');
  const { bundling, lambdasDir } = await stackBundling();
  const all = await bundleAllLambdas(bundling, lambdasDir, work);
  const bare = await bundle(bundling, join(import.meta.dirname, 'bare-get-item.ts'), work, 'public');
  const check = all.bundles.find((b) => b.name === 'check-update');
  if (!check)
    throw new Error(`check-update did not bundle: ${all.failed.find((f) => f.name === 'check-update')?.error ?? 'no such route'}`);

  phase('Starting DynamoDB Local (in memory)…');
  const dynamo = await startDynamoDbLocal(await freePort());
  const proxy = await countingProxy(dynamo.endpoint);
  try {
    await ensureTable(dynamo.endpoint, TABLE);
    phase(`Publishing ${Object.keys(SCENARIOS).length} apps of ${RELEASE_COUNT.toLocaleString('en-US')} releases through FeedRepository…`);
    const { sizes, floorVersion } = await publishScenarios(dynamo.endpoint);
    // The handlers read their configuration at load, in this process and in the cold-start children.
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      [ENV.tableName]: TABLE,
      [ENV.publicBaseUrl]: PUBLIC_BASE_URL,
      // The download routes build their (unused: the edge delivers) S3 presigner at load; nothing calls S3.
      [ENV.bucketName]: 'bench-artifacts',
    });
    // Not behind CloudFront: no origin guard, and "no update" is a plain 204.
    delete process.env[ENV.originVerifySecret];
    delete process.env.AWS_SESSION_TOKEN;
    const updateEvent = checkEvent(slugOf(CHECKED), '1.0.0');
    const currentEvent = checkEvent(slugOf(CHECKED), floorVersion);
    const unknownEvent = checkEvent('no-such-app', '1.0.0');

    phase('Counting requests per check, then measuring warm latency and cold starts…');
    // 2. Requests per check: a separate copy of the bundle (its own module state) pointed at the proxy.
    process.env[ENV.dynamodbEndpoint] = proxy.url;
    const countedFile = join(work, 'check-update.counted.cjs');
    copyFileSync(check.file, countedFile);
    const counted = (require(countedFile) as { handler: Handler }).handler;
    const perKind = 100;
    for (const [event, status] of [
      [updateEvent, 200],
      [currentEvent, 204],
      [unknownEvent, 404],
    ] as const) {
      for (let i = 0; i < perKind; i++) await expectStatus(counted, event, status, 'counted check');
    }
    const checks = perKind * 3;
    const requests = [...proxy.counts.values()].reduce((s, n) => s + n, 0);

    // 3. Warm latency, both handlers against DynamoDB Local directly.
    process.env[ENV.dynamodbEndpoint] = dynamo.endpoint;
    const checkHandler = (require(check.file) as { handler: Handler }).handler;
    const bareHandler = (require(bare.file) as { handler: Handler }).handler;
    await expectStatus(checkHandler, updateEvent, 200, 'check (update)');
    await expectStatus(checkHandler, currentEvent, 204, 'check (current)');
    await expectStatus(bareHandler, updateEvent, 200, 'bare GetItem');
    const series = {
      update: { handler: checkHandler, event: updateEvent, samples: [] as number[] },
      current: { handler: checkHandler, event: currentEvent, samples: [] as number[] },
      bare: { handler: bareHandler, event: updateEvent, samples: [] as number[] },
    };
    const warmup = Math.min(500, WARM_SAMPLES);
    const block = 100;
    const total = (warmup + WARM_SAMPLES) * 3;
    const bar = progress('warm latency', total);
    for (let done = 0; done < warmup + WARM_SAMPLES; done += block) {
      const n = Math.min(block, warmup + WARM_SAMPLES - done);
      for (const s of Object.values(series)) {
        for (let i = 0; i < n; i++) {
          const t0 = performance.now();
          await s.handler(s.event);
          const elapsed = performance.now() - t0;
          if (done + i >= warmup) s.samples.push(elapsed);
        }
        bar.increment(n);
      }
    }
    bar.stop();

    // 4. Cold starts, alternating the two bundles so machine noise hits both alike.
    const cold = { check: [] as ColdSample[], bare: [] as ColdSample[] };
    const coldBar = progress('cold starts', COLD_RUNS * 2);
    for (let i = 0; i < COLD_RUNS; i++) {
      cold.check.push(await coldStart(check.file, updateEvent, 200, process.env));
      coldBar.increment();
      cold.bare.push(await coldStart(bare.file, updateEvent, 200, process.env));
      coldBar.increment();
    }
    coldBar.stop();

    // 4b. Every public route's cold load, alternated with the bare handler's the same way.
    const publicCold: RouteCold[] = [];
    const publicBundles = all.bundles.filter((b) => b.kind === 'public');
    const routeBar = progress('public routes cold', publicBundles.length * ROUTE_COLD_RUNS * 2);
    for (const b of publicBundles) {
      const sample = publicRouteEvent(b.name, slugOf(CHECKED));
      const row: RouteCold = { name: b.name, path: sample?.path ?? '', samples: [], bare: [] };
      if (!sample) row.error = 'skipped: no edge-cached GET (a sign-in or report POST, or never cached)';
      publicCold.push(row);
      for (let i = 0; i < ROUTE_COLD_RUNS && sample; i++) {
        try {
          row.samples.push(await coldStart(b.file, sample.event, 'any', process.env));
        } catch (error) {
          row.error = String(error).split('\n')[0];
          break;
        }
        row.bare.push(await coldStart(bare.file, updateEvent, 200, process.env));
        routeBar.increment(2);
      }
    }
    routeBar.stop();

    report({
      sizes,
      checks,
      requests,
      counts: proxy.counts,
      series,
      bundles: all.bundles,
      failed: all.failed,
      strays: all.strays,
      bare,
      check,
      cold,
      publicCold,
    });
    await reportEdgeSimulation();
    await reportTelemetry();
    await reportConsole();
    const hashMb = positiveInt('BENCH_HASH_MB', 1024);
    phase(`Hashing a ${hashMb} MiB file through ingest's code path and with sha256sum…`);
    reportHashing(await measureHashing(work, hashMb));
    console.log('');
    phase('Done.');
  } finally {
    await new Promise((resolve) => proxy.server.close(resolve));
    await dynamo.stop();
  }
}

/** One public route's cold starts (section 4b), beside the bare handler's in the same run. */
interface RouteCold {
  name: string;
  path: string;
  samples: ColdSample[];
  bare: ColdSample[];
  error?: string;
}

interface Results {
  sizes: ScenarioSizes[];
  checks: number;
  requests: number;
  counts: Map<string, number>;
  series: Record<'update' | 'current' | 'bare', { samples: number[] }>;
  bundles: Bundle[];
  failed: FailedBundle[];
  strays: string[];
  bare: Bundle;
  check: Bundle;
  cold: { check: ColdSample[]; bare: ColdSample[] };
  publicCold: RouteCold[];
}

function reportSizes(sizes: ScenarioSizes[]): void {
  const pairs = FIXTURE_PLATFORMS.length * FIXTURE_ARCHS.length;
  console.log('\n1. Published feed items (a check reads exactly one: its channel, platform and arch)');
  console.log(
    `   App: ${RELEASE_COUNT.toLocaleString('en-US')} releases; channels stable (default), beta (follows stable), nightly (isolated); ` +
      `${pairs} platform/arch pairs × 3 packages; Tauri signatures, ~200-char notes.`,
  );
  console.log('   Sizes as DynamoDB counts them (attribute names + values). A check is one eventually consistent GetItem: 0.5 RCU per');
  console.log(
    '   started 4 KB of the whole item (the projection does not lower it); "Local" is what DynamoDB Local reported for that read.',
  );
  console.log(
    `   ${'scenario'.padEnd(38)} ${'items'.padStart(5)} ${'largest'.padStart(11)} ${'median'.padStart(11)} ${'smallest'.padStart(11)}` +
      `   ${'largest: 4 KB units, RCU (Local)'.padEnd(33)} ${'all items'.padStart(10)} ${'over 4 KB'.padStart(10)}`,
  );
  const largestOf = new Map<Scenario, number>();
  for (const s of sizes) {
    const sorted = s.items.map((i) => i.bytes).sort((a, b) => a - b);
    const largest = sorted[sorted.length - 1] ?? 0;
    largestOf.set(s.scenario, largest);
    const cost = `${readUnits(largest)} units, ${eventuallyConsistentRcu(largest)} RCU (${s.localRcu ?? '?'})`;
    console.log(
      `   (${s.scenario}) ${SCENARIOS[s.scenario].padEnd(34)} ${String(s.items.length).padStart(5)} ${bytes(largest).padStart(11)}` +
        ` ${bytes(median(sorted)).padStart(11)} ${bytes(sorted[0] ?? 0).padStart(11)}   ${cost.padEnd(33)}` +
        ` ${kb(sorted.reduce((a, b) => a + b, 0)).padStart(10)} ${String(sorted.filter((b) => b > 4096).length).padStart(10)}`,
    );
  }
  const worst = sizes.flatMap((s) => s.items.map((i) => ({ ...i, scenario: s.scenario }))).sort((a, b) => b.bytes - a.bytes)[0];
  if (!worst) return;
  console.log(
    `   Largest of all: (${worst.scenario}) ${worst.sk}, ${bytes(worst.bytes)}: ${((100 * worst.bytes) / MAX_ITEM_BYTES).toFixed(1)}% of the 400 KB item limit;` +
      ` one 4 KB read unit: ${worst.bytes <= 4096 ? 'yes' : `no, ${readUnits(worst.bytes)}`}.`,
  );
  const perRelease = (largestOf.get('b') ?? 0) - (largestOf.get('a') ?? 0);
  if (perRelease > 0) {
    console.log(
      `   One more release in a feed (b − a) adds ${bytes(perRelease)} (3 signed files and notes): one 4 KB read unit holds ${Math.floor(4096 / perRelease)} such release(s) at most.`,
    );
  }
  const checkedSk = keys.feed(slugOf(CHECKED), DEFAULT_CHANNEL_ALIAS, CHECKED_PLATFORM, CHECKED_ARCH).SK;
  const checked = sizes.find((s) => s.scenario === CHECKED)?.items.find((i) => i.sk === checkedSk);
  if (checked) {
    console.log(
      `   The item the runs below read, (${CHECKED}) ${checked.sk}: ${bytes(checked.bytes)}, ${readUnits(checked.bytes)} read unit(s).`,
    );
  }
  // What a rebuild costs at these sizes: FeedRepository.stored() reads every item consistently, replace() writes in transactions.
  const rebuild = sizes.map((s) => {
    const all = s.items.map((i) => i.bytes);
    return `(${s.scenario}) ${consistentQueryRcu(all)} RCU + ${all.reduce((sum, b) => sum + transactionalWcu(b), 0).toLocaleString('en-US')} WCU`;
  });
  console.log(`   A rebuild that rewrites every item (consistent Query of all, transactional puts): ${rebuild.join(', ')}.`);
  console.log(`   Fixture build + publish per app: ${sizes.map((s) => `(${s.scenario}) ${(s.buildMs / 1000).toFixed(1)} s`).join(', ')}`);
}

/** 4b: every public route's cold load (module load + first answer) against the bare handler's, medians. */
function reportPublicCold(rows: readonly RouteCold[]): void {
  const med = (xs: ColdSample[], k: 'loadMs' | 'firstCallMs') => median(xs.map((x) => x[k]));
  const runs = Math.max(0, ...rows.map((row) => row.samples.length));
  console.log(`\n4b. Cold load of every public route: module load + first answer, fresh processes (medians of ${runs})`);
  console.log(`    beside the bare DocumentClient GetItem handler's, alternated in the same run (aim ≤ ${COLD_RATIO_AIM}x)`);
  console.log('   function                       module load   first answer   load + first   bare load + first   ratio   status');
  let over = 0;
  for (const row of [...rows].sort((a, z) => a.name.localeCompare(z.name))) {
    if (row.error || row.samples.length === 0) {
      console.log(`   ${row.name.padEnd(30)} ${row.error?.startsWith('skipped') ? row.error : `FAILED: ${row.error ?? 'no sample'}`}`);
      continue;
    }
    const load = med(row.samples, 'loadMs');
    const first = med(row.samples, 'firstCallMs');
    const bare = med(row.bare, 'loadMs') + med(row.bare, 'firstCallMs');
    const ratio = (load + first) / bare;
    if (ratio > COLD_RATIO_AIM) over++;
    const statuses = [...new Set(row.samples.map((x) => x.status))].join('/');
    console.log(
      `   ${row.name.padEnd(30)} ${ms(load).padStart(11)}  ${ms(first).padStart(13)}  ${ms(load + first).padStart(13)}  ${ms(bare).padStart(18)}  ${ratio.toFixed(2).padStart(6)}${ratio > COLD_RATIO_AIM ? ' ‼' : '  '}  ${statuses}`,
    );
  }
  console.log(
    `   ${over} of ${rows.filter((row) => row.samples.length > 0).length} measured public routes over ${COLD_RATIO_AIM}x (‼). Each answers a GET of its path`,
  );
  console.log("   with placeholder parameters (the published bench app as the slug, well-formed ids, its cache key's query): the");
  console.log('   status shows what its first answer did (a 404 has still done its one read).');
}

function reportBundles(r: Results): void {
  console.log('\n5. Bundles (esbuild with the stack’s options: minified, CJS, AWS SDK bundled, no source maps)');
  console.log(
    `   function                       access      minified       gzip   ${`(‼ = management route over ${kb(MANAGEMENT_BUNDLE_MARK)})`}`,
  );
  for (const x of [...r.bundles].sort((a, z) => a.bytes - z.bytes)) {
    const mark = x.kind === 'caller' && x.bytes > MANAGEMENT_BUNDLE_MARK ? '  ‼' : '';
    console.log(`   ${x.name.padEnd(30)} ${x.kind.padEnd(8)} ${kb(x.bytes).padStart(11)} ${kb(x.gzipBytes).padStart(10)}${mark}`);
  }
  console.log(
    `   ${'(bare DocumentClient GetItem)'.padEnd(30)} ${'bench'.padEnd(8)} ${kb(r.bare.bytes).padStart(11)} ${kb(r.bare.gzipBytes).padStart(10)}`,
  );
  for (const f of r.failed) console.log(`   ${f.name.padEnd(30)} ${f.kind.padEnd(8)}   FAILED: ${f.error}`);
  const marked = r.bundles.filter((x) => x.kind === 'caller' && x.bytes > MANAGEMENT_BUNDLE_MARK).length;
  const management = r.bundles.filter((x) => x.kind === 'caller').length;
  console.log(
    `   ${r.bundles.length} functions bundled; ${marked} of ${management} management bundles are over ${kb(MANAGEMENT_BUNDLE_MARK)}.`,
  );
  if (r.strays.length > 0) console.log(`   Not deployed (no route or event function names them): ${r.strays.join(', ')}`);

  const biggest = r.bundles
    .filter((x) => x.kind === 'caller')
    .sort((a, z) => z.bytes - a.bytes)
    .slice(0, TOP_BUNDLES_DISSECTED);
  console.log('\n   What fills the biggest management bundles, and the check (minified bytes in the bundle, top 5 packages):');
  for (const x of [...biggest, r.check]) {
    const top = x.packages
      .slice(0, 5)
      .map((p) => `${p.name} ${kb(p.bytes)}`)
      .join(' · ');
    console.log(`   ${x.name} (${kb(x.bytes)}): ${top}`);
  }
}

/** One before/after row; lower is better for every figure, so "worse" is a rise of more than 10%. */
function compare(label: string, before: number, now: number, format: (x: number) => string): void {
  const change = now / before - 1;
  const flag = change > 0.1 ? '  worse by more than 10%' : '';
  const sign = change >= 0 ? '+' : '';
  console.log(
    `   ${label.padEnd(44)} ${format(before).padStart(10)} ${format(now).padStart(10)} ${`${sign}${(change * 100).toFixed(0)}%`.padStart(7)}${flag}`,
  );
}

function report(r: Results): void {
  reportSizes(r.sizes);

  const ops = [...r.counts].map(([op, n]) => `${op} ${n}`).join(', ');
  const writes = [...r.counts].filter(([op]) => !/^(GetItem|BatchGetItem|Query|Scan)$/.test(op)).reduce((s, [, n]) => s + n, 0);
  console.log('\n2. DynamoDB requests per check');
  console.log(`   ${r.checks} checks (update / current / unknown slug) sent ${r.requests} requests: ${ops}`);
  console.log(`   → ${(r.requests / r.checks).toFixed(2)} requests per check, ${writes} writes`);

  const u = summary(r.series.update.samples);
  const c = summary(r.series.current.samples);
  const b = summary(r.series.bare.samples);
  console.log(
    `\n3. Warm latency in-process against DynamoDB Local (${r.series.bare.samples.length} samples each; item ${slugOf(CHECKED)} ${CHECKED_PLATFORM}/${CHECKED_ARCH}, default channel)`,
  );
  console.log('   series                          p50        p90        p99       mean');
  for (const [name, s] of [
    ['check, update available (200)', u],
    ['check, already current (204)', c],
    ['bare DocumentClient GetItem', b],
  ] as const) {
    console.log(
      `   ${name.padEnd(30)} ${ms(s.p50).padStart(9)}  ${ms(s.p90).padStart(9)}  ${ms(s.p99).padStart(9)}  ${ms(s.mean).padStart(9)}`,
    );
  }
  console.log(
    `   ratio check/bare: p50 ${(u.p50 / b.p50).toFixed(2)} (update), ${(c.p50 / b.p50).toFixed(2)} (current); p99 ${(u.p99 / b.p99).toFixed(2)}`,
  );

  const med = (xs: ColdSample[], k: keyof ColdSample) => median(xs.map((x) => x[k]));
  const cl = med(r.cold.check, 'loadMs');
  const bl = med(r.cold.bare, 'loadMs');
  const cf = med(r.cold.check, 'firstCallMs');
  const bf = med(r.cold.bare, 'firstCallMs');
  // Summed as the documented figures were: median load + median first answer.
  const clf = cl + cf;
  const blf = bl + bf;
  console.log(`\n4. Cold start in a fresh Node process (medians of ${r.cold.check.length})`);
  console.log('   bundle                       module load   first answer   load + first');
  console.log(`   ${'check-update'.padEnd(28)} ${ms(cl).padStart(11)}  ${ms(cf).padStart(13)}  ${ms(clf).padStart(13)}`);
  console.log(`   ${'bare DocumentClient GetItem'.padEnd(28)} ${ms(bl).padStart(11)}  ${ms(bf).padStart(13)}  ${ms(blf).padStart(13)}`);
  console.log(`   ratio check/bare: module load ${(cl / bl).toFixed(2)} (aim ≤ 0.6), load + first answer ${(clf / blf).toFixed(2)}`);
  reportPublicCold(r.publicCold);

  reportBundles(r);

  const ratio = (x: number): string => x.toFixed(2);
  console.log('\n6. The check beside the previous figures (docs/testing.md, measured on the same kind of 2-core machine)');
  console.log('   Before, both handlers read the old slug item (20 releases × 12 pairs); now both read the feed item above. Absolute');
  console.log('   times depend on the machine and ratios on what the bare handler reads; a flag is worth a look, not a verdict.');
  console.log(`   ${'figure'.padEnd(44)} ${'before'.padStart(10)} ${'now'.padStart(10)} ${'change'.padStart(7)}`);
  compare('warm p50, update available', BEFORE.checkP50, u.p50, ms);
  compare('warm p99, update available', BEFORE.checkP99, u.p99, ms);
  compare('warm p50, already current', BEFORE.currentP50, c.p50, ms);
  compare('warm p99, already current', BEFORE.currentP99, c.p99, ms);
  compare('warm p50 ratio check/bare', BEFORE.checkP50 / BEFORE.bareP50, u.p50 / b.p50, ratio);
  compare('warm p99 ratio check/bare', BEFORE.checkP99 / BEFORE.bareP99, u.p99 / b.p99, ratio);
  compare('check bundle, minified', BEFORE.checkBytes, r.check.bytes, kb);
  compare('check bundle, gzip', BEFORE.checkGzipBytes, r.check.gzipBytes, kb);
  compare('bundle ratio check/bare', BEFORE.checkBytes / BEFORE.bareBytes, r.check.bytes / r.bare.bytes, ratio);
  compare('cold module load', BEFORE.checkLoadMs, cl, ms);
  compare('cold load + first answer', BEFORE.checkLoadFirstMs, clf, ms);
  compare('cold module load ratio check/bare', BEFORE.checkLoadMs / BEFORE.bareLoadMs, cl / bl, ratio);
  compare('cold load + first answer ratio check/bare', BEFORE.checkLoadFirstMs / BEFORE.bareLoadFirstMs, clf / blf, ratio);
  console.log(
    `   (bare handler before → now: warm p50 ${ms(BEFORE.bareP50)} → ${ms(b.p50)}, cold load ${ms(BEFORE.bareLoadMs)} → ${ms(bl)}, load + first ${ms(BEFORE.bareLoadFirstMs)} → ${ms(blf)})`,
  );
}

function reportHashing(h: HashingFigures): void {
  const rate = (seconds: number) => h.bytes / 1024 / 1024 / seconds;
  console.log(`\n7. Ingest hashing throughput (${(h.bytes / 1024 / 1024).toFixed(0)} MiB, best of 2, file in the page cache)`);
  console.log(
    `   ingest's one pass (size, SHA-256, SHA-512, SHA-1, BLAKE2b-512)  ${rate(h.ingestSeconds).toFixed(0).padStart(6)} MiB/s  (${h.ingestSeconds.toFixed(2)} s)`,
  );
  console.log(
    `   sha256sum (coreutils)                                           ${rate(h.sha256sumSeconds).toFixed(0).padStart(6)} MiB/s  (${h.sha256sumSeconds.toFixed(2)} s)`,
  );
  console.log(`   ratio ingest/sha256sum: ${(h.sha256sumSeconds / h.ingestSeconds).toFixed(2)} (aim ≥ 0.5)`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
