/**
 * `npm run bench`: what an update check costs, measured against DynamoDB Local.
 *
 *  1. DynamoDB requests per check, counted by a proxy in front of DynamoDB Local.
 *  2. Warm latency of the bundled check handler in-process, beside a bare bundled DocumentClient
 *     GetItem handler on the same item in the same run (interleaved, so drift hits both alike).
 *  3. Bundle size of every Lambda, bundled with the stack's own esbuild options.
 *  4. Cold module-load time (and first answer) of the check bundle beside the bare handler, each in
 *     a fresh Node process.
 *
 * Figures are printed, never asserted. Sizes of the runs: BENCH_WARM (samples per series, default
 * 3000), BENCH_COLD (fresh processes per bundle, default 21).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import cliProgress from 'cli-progress';
import { startDynamoDbLocal } from '../../local/emulators.js';
import { freePort } from '../../local/ports.js';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/provision.js';
import { ENV } from '../../shared/config/env.js';
import { buildFeed } from '../../shared/domain/feed.js';
import type { Artifact, Release } from '../../shared/domain/model.js';
import { ARCHS, TARGETS } from '../../shared/domain/platform.js';
import type { HttpEvent, HttpResult } from '../../shared/http/http-types.js';
import { EDGE_HOST_HEADER } from '../../shared/http/public-url.js';
import { keys, objectKeys } from '../../shared/storage/keys.js';
import { type Bundle, bundle, bundleAllLambdas, type ColdSample, coldStart } from './bundles.js';

type Handler = (event: HttpEvent, context?: unknown) => Promise<HttpResult>;

const WARM_SAMPLES = positiveInt('BENCH_WARM', 3000);
const COLD_RUNS = positiveInt('BENCH_COLD', 21);
const TABLE = 'bench-table';
const SLUG = 'bench-app';
const APP_ID = '01JBENCHAPP0000000000000000';
const RELEASES = 20;

function positiveInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** A check exactly as API Gateway delivers it behind CloudFront. */
function checkEvent(slug: string, currentVersion: string): HttpEvent {
  const path = `/api/sync/ota/${slug}/darwin/aarch64/${currentVersion}`;
  return {
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'abc123.execute-api.us-east-1.amazonaws.com', [EDGE_HOST_HEADER]: 'd111111abcdef8.cloudfront.net' },
    pathParameters: { slug, target: 'darwin', arch: 'aarch64', current_version: currentVersion },
    isBase64Encoded: false,
    requestContext: { domainName: 'abc123.execute-api.us-east-1.amazonaws.com', http: { method: 'GET', path } },
  };
}

/** The slug item as publishing writes it: an app with 20 releases on every target/arch. */
async function seed(endpoint: string): Promise<string> {
  const releases: Release[] = [];
  const artifacts: Artifact[] = [];
  for (let i = 1; i <= RELEASES; i++) {
    const id = `01JBENCHREL${String(i).padStart(15, '0')}`;
    const at = new Date(Date.UTC(2026, 0, i)).toISOString();
    releases.push({
      id,
      appId: APP_ID,
      version: `1.${i}.0`,
      notes: `Release 1.${i}.0: fixes and improvements.`,
      signature: 'A'.repeat(400),
      pubDate: at,
      createdAt: at,
    });
    for (const target of TARGETS) {
      for (const arch of ARCHS) {
        artifacts.push({
          appId: APP_ID,
          releaseId: id,
          target,
          arch,
          objectKey: objectKeys.artifact(APP_ID, id, target, arch),
          declaredSize: 48_000_000,
          status: 'ready',
          size: 48_000_000,
          sha256: 'f'.repeat(64),
          objectVersionId: 'v'.repeat(32),
          createdAt: at,
        });
      }
    }
  }
  const feed = JSON.stringify(buildFeed(APP_ID, releases, artifacts));
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
  await db.send(new PutCommand({ TableName: TABLE, Item: { ...keys.slug(SLUG), appId: APP_ID, feed, feedRev: RELEASES } }));
  db.destroy();
  return `1.${RELEASES}.0`;
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

function summary(samples: number[]): { p50: number; p90: number; p99: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  return { p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), p99: percentile(sorted, 0.99), mean };
}

const ms = (x: number): string => `${x.toFixed(2)} ms`;
const kb = (x: number): string => `${(x / 1024).toFixed(1)} KB`;

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

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'ota-bench-'));
  const require = createRequire(import.meta.url);
  console.log(`OTA update server benchmark · Node ${process.version} on ${process.arch}\n`);

  console.log('Bundling every Lambda with the stack’s esbuild options…');
  const bundles = await bundleAllLambdas(work);
  const bare = await bundle(join(import.meta.dirname, 'bare-get-item.ts'), work);
  const check = bundles.find((b) => b.name === 'check-update') as Bundle;

  console.log('Starting DynamoDB Local (in memory)…');
  const dynamo = await startDynamoDbLocal(await freePort());
  const proxy = await countingProxy(dynamo.endpoint);
  try {
    await ensureTable(dynamo.endpoint, TABLE);
    const latest = await seed(dynamo.endpoint);
    // The handlers read their configuration at load, in this process and in the cold-start children.
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      [ENV.tableName]: TABLE,
    });
    const updateEvent = checkEvent(SLUG, '1.0.0');
    const currentEvent = checkEvent(SLUG, latest);
    const unknownEvent = checkEvent('no-such-app', '1.0.0');

    // 1. Requests per check: a separate copy of the bundle (its own module state) pointed at the proxy.
    process.env[ENV.dynamodbEndpoint] = proxy.url;
    const countedFile = join(work, 'check-update.counted.cjs');
    copyFileSync(check.file, countedFile);
    const counted = (require(countedFile) as { handler: Handler }).handler;
    const perKind = 100;
    for (const [event, status] of [
      [updateEvent, 200],
      [currentEvent, 200],
      [unknownEvent, 404],
    ] as const) {
      for (let i = 0; i < perKind; i++) await expectStatus(counted, event, status, 'counted check');
    }
    const checks = perKind * 3;
    const requests = [...proxy.counts.values()].reduce((s, n) => s + n, 0);

    // 2. Warm latency, both handlers against DynamoDB Local directly.
    process.env[ENV.dynamodbEndpoint] = dynamo.endpoint;
    const checkHandler = (require(check.file) as { handler: Handler }).handler;
    const bareHandler = (require(bare.file) as { handler: Handler }).handler;
    await expectStatus(checkHandler, updateEvent, 200, 'check (update)');
    await expectStatus(checkHandler, currentEvent, 200, 'check (current)');
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

    report({ checks, requests, counts: proxy.counts, series, bundles, bare, check, cold });
  } finally {
    await new Promise((resolve) => proxy.server.close(resolve));
    await dynamo.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function report(r: {
  checks: number;
  requests: number;
  counts: Map<string, number>;
  series: Record<'update' | 'current' | 'bare', { samples: number[] }>;
  bundles: Bundle[];
  bare: Bundle;
  check: Bundle;
  cold: { check: ColdSample[]; bare: ColdSample[] };
}): void {
  const ops = [...r.counts].map(([op, n]) => `${op} ${n}`).join(', ');
  console.log('\n1. DynamoDB requests per check');
  console.log(`   ${r.checks} checks (update / current / unknown slug) sent ${r.requests} requests: ${ops}`);
  console.log(`   → ${(r.requests / r.checks).toFixed(2)} reads per check, 0 writes`);

  const u = summary(r.series.update.samples);
  const c = summary(r.series.current.samples);
  const b = summary(r.series.bare.samples);
  console.log(`\n2. Warm latency in-process against DynamoDB Local (${r.series.bare.samples.length} samples each)`);
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

  console.log('\n3. Bundle sizes (esbuild, minified, CJS, AWS SDK bundled, no source maps)');
  for (const x of [...r.bundles].sort((a, z) => a.bytes - z.bytes)) {
    console.log(`   ${x.name.padEnd(30)} ${kb(x.bytes).padStart(10)}  (${kb(x.gzipBytes)} gzipped)`);
  }
  console.log(`   ${'(bare DocumentClient GetItem)'.padEnd(30)} ${kb(r.bare.bytes).padStart(10)}  (${kb(r.bare.gzipBytes)} gzipped)`);

  const med = (xs: ColdSample[], k: keyof ColdSample) => summary(xs.map((x) => x[k])).p50;
  const cl = med(r.cold.check, 'loadMs');
  const bl = med(r.cold.bare, 'loadMs');
  const cf = med(r.cold.check, 'firstCallMs');
  const bf = med(r.cold.bare, 'firstCallMs');
  console.log(`\n4. Cold start in a fresh Node process (median of ${r.cold.check.length})`);
  console.log('   bundle                       module load   first answer   load + first');
  console.log(`   ${'check-update'.padEnd(28)} ${ms(cl).padStart(11)}  ${ms(cf).padStart(13)}  ${ms(cl + cf).padStart(13)}`);
  console.log(`   ${'bare DocumentClient GetItem'.padEnd(28)} ${ms(bl).padStart(11)}  ${ms(bf).padStart(13)}  ${ms(bl + bf).padStart(13)}`);
  console.log(
    `   ratio check/bare: module load ${(cl / bl).toFixed(2)} (aim ≤ 0.6), load + first answer ${((cl + cf) / (bl + bf)).toFixed(2)}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
