/**
 * Bench section 10: telemetry counting (docs/telemetry.md). `BENCH_ONLY=telemetry` runs it alone.
 *
 * - Aggregation throughput (records/s in one function: parse, classify, keyed hash, sketch, merge),
 *   over a simulated day of checks: BENCH_TELEMETRY_RECORDS records (default 1,000,000) from
 *   BENCH_TELEMETRY_DEVICES devices (default 200,000), in the stack's batch size.
 * - Writes (and their request units, from the stored item sizes) per million records.
 * - Unique clients counted beside the exact number.
 * - Lag from a check to its visible count locally: the gateway's sink (its batching window) into
 *   DynamoDB Local, polled until the count shows.
 * - Telemetry cost per million checks at list price, next to CloudFront's request fee.
 */
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TELEMETRY_BATCH } from '../../infra/constructs/telemetry.js';
import { startDynamoDbLocal } from '../../local/emulators.js';
import { freePort } from '../../local/ports.js';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/provision.js';
import { LocalTelemetrySink } from '../../local/telemetry-sink.js';
import { deviceHasher } from '../../shared/domain/device-hash.js';
import { formatEdgeLogLine } from '../../shared/domain/edge-log.js';
import { UniqueCounter } from '../../shared/domain/hyperloglog.js';
import type { CounterRow } from '../../shared/domain/telemetry-counters.js';
import type { CheckHit } from '../../shared/domain/telemetry-hit.js';
import { type RolloutRow, rolloutSortKey } from '../../shared/domain/telemetry-rollouts.js';
import { TelemetryAggregator, type TelemetryApps } from '../../shared/services/telemetry-aggregator.js';
import { TelemetryRepository, type TelemetryRows } from '../../shared/storage/telemetry-repository.js';

const RECORDS = positiveInt('BENCH_TELEMETRY_RECORDS', 1_000_000);
const DEVICES = positiveInt('BENCH_TELEMETRY_DEVICES', 200_000);
const LAG_SAMPLES = 20;
const DAY_MS = Date.parse('2026-12-01T00:00:00Z');

/** List prices (us-east-1), per million unless said otherwise. */
export const PRICES = {
  /** CloudFront real-time logs: $0.01 per million log lines (https://aws.amazon.com/cloudfront/pricing/). */
  realtimeLogLines: 0.01,
  /** Kinesis Data Streams, provisioned: $0.014 per million PUT payload units of 25 KB; one log record is one unit (https://aws.amazon.com/kinesis/data-streams/pricing/). */
  kinesisPutUnits: 0.014,
  /** …and $0.015 per shard-hour, whatever the traffic. */
  kinesisShardHour: 0.015,
  /** Lambda arm64: $0.20 per million requests, $0.0000133334 per GB-second (https://aws.amazon.com/lambda/pricing/). */
  lambdaRequests: 0.2,
  lambdaGbSecond: 0.0000133334,
  /** DynamoDB on-demand: $0.625 per million write request units, $0.125 per million read request units (https://aws.amazon.com/dynamodb/pricing/on-demand/). */
  dynamoWru: 0.625,
  dynamoRru: 0.125,
  /** CloudFront HTTPS requests, US/Europe: $0.0100 per 10,000 (https://aws.amazon.com/cloudfront/pricing/). */
  cloudFrontRequests: 1.0,
} as const;

function positiveInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** A deterministic stream of checks: devices keep their version, platform, arch and channel; most run the newest version. */
function* simulatedLines(count: number, devices: number): Generator<string> {
  const versions = ['1.4.0', '1.3.0', '1.2.0', '1.1.0'];
  const shares = [0.7, 0.9, 0.97, 1];
  const platforms = [
    ['darwin', 'aarch64'],
    ['darwin', 'x86_64'],
    ['windows', 'x86_64'],
    ['linux', 'x86_64'],
  ] as const;
  // mulberry32: a small, well-spread 32-bit generator (the same stream on every run).
  let seed = 42;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  for (let i = 0; i < count; i++) {
    const device = Math.floor(random() * devices);
    const u = ((device * 2_654_435_761) % 4_294_967_296) / 4_294_967_296;
    const version = versions[shares.findIndex((s) => u < s)] as string;
    const [platform, arch] = platforms[device % platforms.length] as readonly [string, string];
    const channel = device % 10 === 0 ? 'beta' : 'stable';
    const id = `device-${device.toString(16).padStart(8, '0')}`;
    const timeMs = DAY_MS + Math.floor((i / count) * 86_400_000);
    const kind = device % 10;
    const record: { path: string; query: string; status: number; headers: Record<string, string> } =
      kind < 6
        ? {
            path: `/api/sync/ota/bench-app/${platform}/${arch}/${version}`,
            query: `channel=${channel}`,
            status: version === '1.4.0' ? 204 : 200,
            headers: { Host: 'd111111abcdef8.cloudfront.net', 'User-Agent': 'tauri-plugin-updater/2.9.0', 'X-Device-ID': id },
          }
        : kind < 9
          ? {
              path: '/checkVersion',
              query: `app_name=benchapp&owner=bench&version=${version}&channel=${channel}&platform=${platform}&arch=${arch}`,
              status: 200,
              headers: { Host: 'd111111abcdef8.cloudfront.net', 'User-Agent': 'Go-http-client/1.1', 'X-Device-ID': id },
            }
          : {
              path: `/feeds/bench-app/electron/${channel}${platform === 'darwin' ? '-mac' : platform === 'linux' ? '-linux' : ''}.yml`,
              query: 'noCache=1',
              status: 200,
              headers: { Host: 'd111111abcdef8.cloudfront.net', 'User-Agent': 'electron-updater', 'x-user-staging-id': id },
            };
    yield formatEdgeLogLine({ timeMs, method: 'GET', requestId: `r${i}`, resultType: i % 30 === 0 ? 'Miss' : 'Hit', ...record });
  }
}

/** A 20 % rollout of 1.5.0 on stable, for every platform the simulated checks name. */
const BENCH_ROLLOUT = {
  id: 'BENCH-1.5.0',
  version: '1.5.0',
  percent: 20,
  feeds: ['stable/darwin/aarch64', 'stable/darwin/x86_64', 'stable/linux/x86_64', 'stable/windows/x86_64'],
};

/** Both addresses name one app; faynoSync's state comes from the version, as the check would decide it. */
const BENCH_APPS: TelemetryApps = {
  async resolve(address) {
    // A 20 % rollout of 1.5.0 on stable: the Tauri checks of that channel are also split in/out (telemetry-rollouts.ts).
    if (address.kind === 'slug') return { appId: 'BENCH', rollouts: [BENCH_ROLLOUT] };
    return { appId: 'BENCH', stateOf: (hit: CheckHit) => (hit.version === '1.4.0' ? 'latest' : 'outdated') };
  },
};

/** Counter rows in memory, counting writes and the request units each would cost (item size as DynamoDB counts it). */
class MeasuringRows implements Pick<TelemetryRows, 'merge'> {
  readonly stored = new Map<string, CounterRow>();
  writes = 0;
  wru = 0;
  rru = 0;
  readonly rollouts = new Map<string, RolloutRow>();
  async merge(rows: CounterRow[], rollouts: RolloutRow[] = []): Promise<number> {
    for (const row of rows) {
      const id = [row.day, row.channel, row.platform, row.arch, row.version, row.state].join('#');
      const seen = this.stored.get(id);
      const clients = seen ? seen.clients.merge(row.clients) : row.clients;
      this.stored.set(id, { ...row, requests: (seen?.requests ?? 0) + row.requests, clients });
      this.count(clients);
    }
    for (const row of rollouts) {
      const id = rolloutSortKey(row);
      const seen = this.rollouts.get(id);
      const clients = seen ? seen.clients.merge(row.clients) : row.clients;
      this.rollouts.set(id, { ...row, requests: (seen?.requests ?? 0) + row.requests, clients });
      this.count(clients);
    }
    return rows.length + rollouts.length;
  }
  private count(clients: UniqueCounter): void {
    // Attribute names and values besides the sketch: about 150 bytes.
    const bytes = clients.encode().length + 150;
    this.writes++;
    this.wru += Math.ceil(bytes / 1024);
    this.rru += Math.ceil(bytes / 4096);
  }
  async rows() {
    return [...this.stored.values()];
  }
}

export async function reportTelemetry(): Promise<void> {
  console.log('\n10. Telemetry: counting every check from the edge log (docs/telemetry.md)');
  const hash = deviceHasher(new Uint8Array(32).fill(9));

  // Throughput and writes, in memory (the function's own work).
  const measuring = new MeasuringRows();
  const aggregator = new TelemetryAggregator(BENCH_APPS, hash, measuring);
  const exact = new Set<string>();
  let batch: string[] = [];
  let counted = 0;
  let busyMs = 0;
  let batches = 0;
  for (const line of simulatedLines(RECORDS, DEVICES)) {
    batch.push(line);
    exact.add(/(?:X-Device-ID|x-user-staging-id):([^%\t]+)/.exec(line)?.[1] ?? '');
    if (batch.length === TELEMETRY_BATCH.size) {
      const t = performance.now();
      counted += (await aggregator.ingest(batch)).counted;
      busyMs += performance.now() - t;
      batches++;
      batch = [];
    }
  }
  if (batch.length > 0) {
    const t = performance.now();
    counted += (await aggregator.ingest(batch)).counted;
    busyMs += performance.now() - t;
    batches++;
  }
  const perMillion = 1_000_000 / RECORDS;
  const throughput = RECORDS / (busyMs / 1000);
  const union = new UniqueCounter();
  for (const row of measuring.stored.values()) union.merge(row.clients);
  const estimate = union.count();
  const error = Math.abs(estimate - exact.size) / exact.size;
  console.log(
    `   ${RECORDS.toLocaleString('en-US')} records (${counted.toLocaleString('en-US')} counted) from ${exact.size.toLocaleString('en-US')} devices, batches of ${TELEMETRY_BATCH.size.toLocaleString('en-US')}`,
  );
  console.log(`   Aggregation throughput (one process, storage excluded): ${Math.round(throughput).toLocaleString('en-US')} records/s`);
  console.log(
    `   Writes per million records: ${Math.round(measuring.writes * perMillion).toLocaleString('en-US')} (${Math.round(measuring.wru * perMillion).toLocaleString('en-US')} WRU, ${Math.round(measuring.rru * perMillion).toLocaleString('en-US')} RRU for the reads before them), ${measuring.stored.size} counter rows and ${measuring.rollouts.size} rollout rows (one 20 % rollout, in and out) in the day`,
  );
  console.log(
    `   Unique clients: ${estimate.toLocaleString('en-US')} counted, ${exact.size.toLocaleString('en-US')} exact (error ${(error * 100).toFixed(2)} %)`,
  );

  // Against DynamoDB Local: throughput with storage, and the lag of one check.
  const dynamo = await startDynamoDbLocal(await freePort());
  try {
    await ensureTable(dynamo.endpoint, 'bench-telemetry');
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
    );
    const repository = new TelemetryRepository(db, 'bench-telemetry');
    const stored = new TelemetryAggregator(BENCH_APPS, hash, repository);
    const sample = [...simulatedLines(Math.min(RECORDS, 100_000), DEVICES)];
    const t = performance.now();
    let writes = 0;
    for (let at = 0; at < sample.length; at += TELEMETRY_BATCH.size)
      writes += (await stored.ingest(sample.slice(at, at + TELEMETRY_BATCH.size))).writes;
    const storedMs = performance.now() - t;
    console.log(
      `   With DynamoDB Local: ${Math.round(sample.length / (storedMs / 1000)).toLocaleString('en-US')} records/s, ${writes} writes for ${sample.length.toLocaleString('en-US')} records`,
    );

    const sink = new LocalTelemetrySink((lines) => stored.ingest(lines));
    const lags: number[] = [];
    for (let i = 0; i < LAG_SAMPLES; i++) {
      const day = new Date(DAY_MS + (i + 2) * 86_400_000).toISOString().slice(0, 10);
      const start = performance.now();
      sink.write(
        formatEdgeLogLine({
          timeMs: Date.parse(`${day}T12:00:00Z`),
          status: 204,
          method: 'GET',
          path: '/api/sync/ota/bench-app/darwin/aarch64/1.4.0',
          requestId: `lag${i}`,
          query: '',
          resultType: 'Miss',
          headers: { 'X-Device-ID': `lag-device-${i}` },
        }),
      );
      while ((await repository.rows('BENCH', day, day)).length === 0) await new Promise((r) => setTimeout(r, 2));
      lags.push(performance.now() - start);
    }
    lags.sort((a, b) => a - b);
    console.log(
      `   Lag from a check to its visible count (local, sink window 50 ms): median ${lags[Math.floor(lags.length / 2)]?.toFixed(0)} ms, max ${lags.at(-1)?.toFixed(0)} ms; in the cloud add CloudFront's delivery to Kinesis (seconds) and the batching window (≤ ${TELEMETRY_BATCH.windowSeconds} s)`,
    );
    db.destroy();
  } finally {
    await dynamo.stop();
  }

  // Cost per million checks at list price.
  const functionSeconds = (busyMs / 1000) * perMillion;
  const cost = {
    logLines: PRICES.realtimeLogLines,
    kinesis: PRICES.kinesisPutUnits,
    lambda: (PRICES.lambdaRequests * (batches * perMillion)) / 1_000_000 + PRICES.lambdaGbSecond * 0.5 * functionSeconds * 3,
    dynamo: (PRICES.dynamoWru * measuring.wru * perMillion + PRICES.dynamoRru * measuring.rru * perMillion) / 1_000_000,
  };
  const total = cost.logLines + cost.kinesis + cost.lambda + cost.dynamo;
  console.log(
    `   Cost per million checks: $${total.toFixed(4)} = log lines $${cost.logLines.toFixed(4)} + Kinesis PUT units $${cost.kinesis.toFixed(4)} + Lambda $${cost.lambda.toFixed(4)} (512 MB, 3× the measured CPU time for I/O) + DynamoDB $${cost.dynamo.toFixed(4)}`,
  );
  console.log(
    `   = ${((total / PRICES.cloudFrontRequests) * 100).toFixed(1)} % of CloudFront's HTTPS request fee ($${PRICES.cloudFrontRequests.toFixed(2)} per million); plus the shard, $${(PRICES.kinesisShardHour * 730).toFixed(2)} a month whatever the traffic`,
  );
}
