import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deviceHasher } from '../../shared/domain/device-hash.js';
import { EDGE_LOG_FIELDS, type EdgeLogRecord, formatEdgeLogLine, parseEdgeLogLine } from '../../shared/domain/edge-log.js';
import { UniqueCounter } from '../../shared/domain/hyperloglog.js';
import { type CounterRow, counterSortKey } from '../../shared/domain/telemetry-counters.js';
import { type AppAddress, checkHit } from '../../shared/domain/telemetry-hit.js';
import { telemetryDays, telemetryReport } from '../../shared/domain/telemetry-report.js';
import { type RolloutRow, rolloutSortKey } from '../../shared/domain/telemetry-rollouts.js';
import { TelemetryAggregator } from '../../shared/services/telemetry-aggregator.js';
import type { TelemetryRows } from '../../shared/storage/telemetry-repository.js';

const T = Date.parse('2026-03-20T10:00:00Z');

function record(path: string, query = '', headers: Record<string, string> = {}, status = 200): EdgeLogRecord {
  return { timeMs: T, status, method: 'GET', path, requestId: 'r1', query, resultType: 'Hit', headers };
}
const line = (...args: Parameters<typeof record>) => formatEdgeLogLine(record(...args));
const fayno = (device: string, version = '1.0.0', channel = 'stable', platform = 'darwin', arch = 'arm64') =>
  line('/checkVersion', `app_name=myapp&owner=admin&version=${version}&channel=${channel}&platform=${platform}&arch=${arch}`, {
    'User-Agent': 'sdk',
    'X-Device-ID': device,
  });

/** Counter rows in memory, merged as the repository merges them. */
class FakeRows implements TelemetryRows {
  readonly stored = new Map<string, CounterRow>();
  writes = 0;
  async merge(rows: CounterRow[], rollouts: RolloutRow[] = []) {
    await this.mergeRollouts(rollouts);
    for (const row of rows) {
      const id = `${row.appId}\n${counterSortKey(row)}`;
      const seen = this.stored.get(id);
      const clients = (seen ? UniqueCounter.decode(seen.clients.encode()) : new UniqueCounter()).merge(row.clients);
      this.stored.set(id, { ...row, requests: (seen?.requests ?? 0) + row.requests, clients });
      this.writes++;
    }
    return rows.length + rollouts.length;
  }
  async rows(appId: string, from: string, to: string) {
    return [...this.stored.values()].filter((r) => r.appId === appId && r.day >= from && r.day <= to);
  }
  readonly rollouts = new Map<string, RolloutRow>();
  async mergeRollouts(rows: RolloutRow[]) {
    for (const row of rows) {
      const id = `${row.appId}\n${rolloutSortKey(row)}`;
      const seen = this.rollouts.get(id);
      const clients = (seen ? UniqueCounter.decode(seen.clients.encode()) : new UniqueCounter()).merge(row.clients);
      this.rollouts.set(id, { ...row, requests: (seen?.requests ?? 0) + row.requests, clients });
    }
  }
  async rolloutRows(appId: string, from: string, to: string) {
    return [...this.rollouts.values()].filter((r) => r.appId === appId && r.day >= from && r.day <= to);
  }
}

function aggregator(rows = new FakeRows()) {
  const apps = {
    async resolve(address: AppAddress) {
      if (address.kind === 'slug') return address.slug === 'my-app' ? { appId: 'A2' } : undefined;
      if (address.owner === 'admin' && address.appName === 'myapp') {
        return {
          appId: 'A1',
          stateOf: (hit: { version: string }) => (hit.version === '1.2.0' ? ('latest' as const) : ('outdated' as const)),
        };
      }
      return undefined;
    },
  };
  return { rows, aggregator: new TelemetryAggregator(apps, deviceHasher(new Uint8Array(32).fill(1)), rows) };
}

describe('edge log records', () => {
  it('round-trips a record in the configured field order, headers URL-encoded', () => {
    const r = record('/checkVersion', 'app_name=a&owner=b', { 'X-Device-ID': 'dev 1:x', Host: 'h' });
    const text = formatEdgeLogLine(r);
    assert.equal(text.split('\t').length, EDGE_LOG_FIELDS.length);
    const back = parseEdgeLogLine(text);
    assert.equal(back?.headers['x-device-id'], 'dev 1:x');
    assert.equal(back?.query, 'app_name=a&owner=b');
    assert.equal(back?.timeMs, T);
  });

  it('reads a line as CloudFront writes it, and refuses a line of another shape', () => {
    const cloudfront = [
      '1773999000.123',
      '200',
      'GET',
      '/checkVersion',
      'abc==',
      'app_name=myapp&owner=admin&version=1.0.0',
      'Hit',
      'Host:d111.cloudfront.net%0AUser-Agent:Go-http-client/1.1%0AX-Device-ID:device-001',
    ].join('\t');
    const parsed = parseEdgeLogLine(cloudfront);
    assert.equal(parsed?.headers['x-device-id'], 'device-001');
    assert.equal(parsed?.timeMs, 1773999000123);
    assert.equal(parseEdgeLogLine('1\t2\t3'), undefined);
    assert.equal(parseEdgeLogLine(''), undefined);
  });
});

describe('which records are counted checks', () => {
  const hit = (r: EdgeLogRecord) => checkHit(r);
  it("counts faynoSync's checkVersion only with X-Device-ID and a success", () => {
    const q = 'app_name=myapp&owner=admin&version=1.0.0&channel=stable&platform=darwin&arch=arm64';
    assert.deepEqual(hit(record('/checkVersion', q, { 'x-device-id': 'd1' })), {
      app: { kind: 'fayno', owner: 'admin', appName: 'myapp' },
      day: '2026-03-20',
      timeMs: T,
      deviceId: 'd1',
      channel: 'stable',
      platform: 'darwin',
      arch: 'arm64',
      version: '1.0.0',
      state: 'unknown',
      source: 'faynosync',
    });
    assert.equal(hit(record('/checkVersion', q)), undefined);
    assert.equal(hit(record('/checkVersion', q, { 'x-device-id': 'd1' }, 400)), undefined);
    assert.equal(
      hit(record('/checkVersion', q, { 'x-device-id': 'd1' }, 204))?.source,
      'faynosync',
      "a per-updater format's 204 is a check too",
    );
  });

  it('counts the Tauri check (204 current, 200 outdated) with an app-added X-Device-ID', () => {
    const tauri = hit(record('/api/sync/ota/my-app/darwin/aarch64/v1.0.0', 'channel=beta', { 'x-device-id': 'd2' }, 204));
    assert.equal(tauri?.state, 'latest');
    assert.equal(tauri?.version, '1.0.0');
    assert.equal(tauri?.channel, 'beta');
    assert.equal(hit(record('/api/sync/ota/my-app/darwin/aarch64/1.0.0', '', { 'x-device-id': 'd2' }))?.state, 'outdated');
    assert.equal(hit(record('/api/sync/ota/my-app/latest/darwin/aarch64', '', { 'x-device-id': 'd2' })), undefined);
    assert.equal(hit(record('/api/sync/ota/my-app/darwin/aarch64/1.0.0')), undefined, 'no device id');
    // The rollout bucket's id is the edge's: the first device header sent, as sent, even one telemetry does not count by.
    const long = 'x'.repeat(150);
    const both = hit(record('/api/sync/ota/my-app/darwin/aarch64/1.0.0', '', { 'x-device-id': long, 'x-user-staging-id': 'staging-1' }));
    assert.deepEqual([both?.deviceId, both?.bucketId], ['staging-1', long]);
  });

  it("counts electron-updater's staging id, Velopack's stagingId, and the Tauri static feed", () => {
    const electron = hit(record('/feeds/my-app/electron/beta-linux-arm64.yml', 'noCache=1', { 'x-user-staging-id': 'u1' }));
    assert.deepEqual([electron?.channel, electron?.platform, electron?.arch, electron?.source], ['beta', 'linux', 'arm64', 'electron']);
    assert.equal(hit(record('/feeds/my-app/electron/latest.yml', '', { 'x-user-staging-id': 'u1' }))?.platform, 'windows');
    const velopack = hit(record('/feeds/my-app/win/velopack/releases.win.json', 'localVersion=1.2.3&id=App&stagingId=s1'));
    assert.deepEqual([velopack?.deviceId, velopack?.version, velopack?.channel], ['s1', '1.2.3', 'win']);
    assert.equal(hit(record('/feeds/my-app/win/velopack/App-1.2.3-full.nupkg', 'stagingId=s1')), undefined, 'a package is not a check');
    assert.equal(hit(record('/feeds/my-app/stable/tauri/latest.json', '', { 'x-device-id': 'd3' }))?.source, 'tauri-static');
    assert.equal(hit(record('/feeds/my-app/stable/sparkle/arm64/appcast.xml', '', { 'x-device-id': 'd3' })), undefined);
  });
});

describe('aggregation', () => {
  it('writes one row per app and dimensions, however many records', async () => {
    const { aggregator: agg, rows } = aggregator();
    const lines = [];
    for (let i = 0; i < 1000; i++) lines.push(fayno(`device-${i % 100}`));
    lines.push(fayno('device-1', '1.2.0'), 'garbage', '', fayno('device-x').replace('owner=admin', 'owner=other'));
    const result = await agg.ingest(lines);
    assert.deepEqual(result, { records: 1003, counted: 1001, rows: 2, writes: 2 });
    const stored = await rows.rows('A1', '2026-03-20', '2026-03-20');
    const outdated = stored.find((r) => r.state === 'outdated');
    assert.equal(outdated?.requests, 1000);
    assert.equal(outdated?.clients.count(), 100);
    // A second batch merges: devices already seen count once.
    await agg.ingest([fayno('device-1'), fayno('device-200')]);
    const again = (await rows.rows('A1', '2026-03-20', '2026-03-20')).find((r) => r.state === 'outdated');
    assert.equal(again?.requests, 1002);
    assert.equal(again?.clients.count(), 101);
  });
});

describe("faynoSync's GET /telemetry answer", () => {
  it('filters devices, never requests; counts a device once over the period; null for empty lists', async () => {
    const { aggregator: agg, rows } = aggregator();
    // faynoSync's own test (wire 4.6/4.7): 5 devices, each checking twice.
    await agg.ingest([
      ...[1, 2].flatMap(() => [
        fayno('device-001', '0.0.1', 'nightly', 'universalPlatform', 'secondArch'),
        fayno('device-002', '0.0.1', 'nightly', 'universalPlatform', 'universalArch'),
        fayno('device-003', '1.2.0', 'nightly', 'secondPlatform', 'secondArch'),
        fayno('device-004', '0.0.3', 'stable', 'universalPlatform', 'universalArch'),
        fayno('device-005', '0.0.3', 'stable', 'secondPlatform', 'universalArch'),
      ]),
    ]);
    const days = telemetryDays('2026-03-20', 'week', undefined);
    assert.equal(days.length, 8);
    const report = telemetryReport({
      admin: 'admin',
      days,
      apps: [{ appId: 'A1', rows: await rows.rows('A1', days[0] as string, days[7] as string) }],
      filters: { channels: ['nightly'], platforms: ['universalPlatform'], architectures: ['secondArch'] },
    });
    assert.deepEqual(report.summary, {
      total_requests: 10,
      unique_clients: 1,
      clients_using_latest_version: 0,
      clients_outdated: 1,
      total_active_apps: 1,
    });
    assert.deepEqual(report.versions, {
      used_versions_count: 1,
      known_versions: ['0.0.1', '0.0.3', '1.2.0'],
      usage: [{ version: '0.0.1', client_count: 1 }],
    });
    assert.deepEqual(report.platforms, [{ platform: 'universalPlatform', client_count: 1 }]);
    assert.deepEqual(report.architectures, [{ arch: 'secondArch', client_count: 1 }]);
    assert.deepEqual(report.channels, [{ channel: 'nightly', client_count: 1 }]);
    assert.equal(report.date, '2026-03-13');
    assert.deepEqual(report.daily_stats.at(-1), {
      date: '2026-03-20',
      total_requests: 10,
      unique_clients: 1,
      clients_using_latest_version: 0,
      clients_outdated: 1,
    });
    assert.equal(report.daily_stats[0]?.total_requests, 0);
    const unfiltered = telemetryReport({
      admin: 'admin',
      days,
      apps: [{ appId: 'A1', rows: await rows.rows('A1', '2026-03-13', '2026-03-20') }],
      filters: {},
    });
    assert.equal(unfiltered.summary.unique_clients, 5);
    assert.equal(unfiltered.summary.clients_using_latest_version, 1);
    const none = telemetryReport({ admin: 'admin', days, apps: [], filters: {} });
    assert.deepEqual([none.platforms, none.versions.usage, none.daily_stats], [null, null, []]);
  });
});
