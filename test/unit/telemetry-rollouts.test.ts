import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { AppUpdater } from 'electron-updater/out/AppUpdater.js';
import { deviceHasher } from '../../shared/domain/device-hash.js';
import { formatEdgeLogLine } from '../../shared/domain/edge-log.js';
import type { FeedRelease } from '../../shared/domain/feed.js';
import { UniqueCounter } from '../../shared/domain/hyperloglog.js';
import { deviceBucket, inRollout } from '../../shared/domain/rollout.js';
import type { CounterRow } from '../../shared/domain/telemetry-counters.js';
import {
  decidingWatches,
  type RolloutRow,
  type RolloutWatch,
  rolloutSide,
  rolloutWatches,
} from '../../shared/domain/telemetry-rollouts.js';
import { TelemetryAggregator } from '../../shared/services/telemetry-aggregator.js';
import { TelemetryService } from '../../shared/services/telemetry-service.js';

const T = Date.parse('2026-03-20T10:00:00Z');
const DAY = '2026-03-20';

/** electron-updater's own decision (AppUpdater.isStagingMatch) for a staging id and a percentage. */
async function electronDecides(stagingUserId: string, stagingPercentage: number): Promise<boolean> {
  const updater = {
    stagingUserIdPromise: { value: Promise.resolve(stagingUserId) },
    _logger: { info: () => undefined, warn: () => undefined },
  };
  const isStagingMatch = Reflect.get(AppUpdater.prototype, 'isStagingMatch') as (info: { stagingPercentage: number }) => Promise<boolean>;
  return isStagingMatch.call(updater, { stagingPercentage });
}

const release = (id: string, version: string, rollout?: number): FeedRelease => ({
  id,
  version,
  pubDate: '2026-03-01T00:00:00Z',
  files: [],
  ...(rollout !== undefined ? { rollout } : {}),
});

describe('rollout in/out split', () => {
  it('lists each partial rollout once, with every channel placement serving it', () => {
    const staged = release('R2', '2.0.0', 20);
    const watches = rolloutWatches([
      { channel: 'stable', feed: { releases: [staged, release('R1', '1.0.0')] } },
      { channel: '', feed: { releases: [staged, release('R1', '1.0.0')] } },
      { channel: 'beta', feed: { releases: [release('R3', '2.1.0-beta.1', 0), staged] } },
    ]);
    assert.deepEqual(watches, [
      { id: 'R2', version: '2.0.0', percent: 20, channels: ['', 'beta', 'stable'] },
      { id: 'R3', version: '2.1.0-beta.1', percent: 0, channels: ['beta'] },
    ]);
  });

  it("sorts a Tauri check's device as the check does, and an electron-updater's as electron-updater itself does", async () => {
    const watch = { id: 'R2', percent: 30 };
    for (let i = 0; i < 200; i++) {
      const device = `device-${i}`;
      const expected = inRollout(deviceBucket(device), { id: 'R2', rollout: 30 }) ? 'in' : 'out';
      assert.equal(rolloutSide({ source: 'tauri', deviceId: device }, watch), expected);
      const staging = randomUUID();
      const electron = rolloutSide({ source: 'electron', deviceId: staging, stagingId: staging }, watch);
      assert.equal(electron, (await electronDecides(staging, 30)) ? 'in' : 'out', staging);
    }
    // Clients whose rollout is not decided per device are not split.
    assert.equal(rolloutSide({ source: 'velopack', deviceId: 'd' }, watch), undefined);
    assert.equal(rolloutSide({ source: 'faynosync', deviceId: 'd' }, watch), undefined);
    assert.equal(rolloutSide({ source: 'electron', deviceId: 'not-a-uuid', stagingId: 'not-a-uuid' }, watch), undefined);
  });

  it('takes the rollouts that answered the check: its channel, live that day, and for electron-updater the newest only', () => {
    const watches: RolloutWatch[] = [
      { id: 'R2', version: '2.0.0', percent: 50, channels: ['', 'stable'] },
      { id: 'R3', version: '2.1.0', percent: 10, channels: ['', 'stable'] },
      { id: 'R4', version: '3.0.0', percent: 10, channels: ['stable'], from: '2026-03-21' },
      { id: 'B1', version: '4.0.0-beta.1', percent: 10, channels: ['beta'] },
    ];
    const ids = (source: 'tauri' | 'electron', channel: string) => decidingWatches({ source, channel, day: DAY }, watches).map((w) => w.id);
    assert.deepEqual(ids('tauri', 'stable'), ['R2', 'R3']);
    assert.deepEqual(ids('tauri', ''), ['R2', 'R3']);
    // electron-updater's feed offers the newest release only; `latest` is the default channel.
    assert.deepEqual(ids('electron', 'latest'), ['R3']);
    assert.deepEqual(ids('electron', 'beta'), ['B1']);
    assert.deepEqual(
      decidingWatches({ source: 'tauri', channel: 'stable', day: '2026-03-21' }, watches).map((w) => w.id),
      ['R2', 'R3', 'R4'],
    );
  });

  it('counts each check on a channel serving the rollout once per side, and the stats unite the days', async () => {
    const watch: RolloutWatch = { id: 'R2', version: '2.0.0', percent: 50, channels: ['', 'stable'] };
    const merged: RolloutRow[] = [];
    const store = {
      async merge(_rows: CounterRow[], rollouts: RolloutRow[] = []) {
        merged.push(...rollouts);
        return rollouts.length;
      },
    };
    const apps = { resolve: async () => ({ appId: 'A1', rollouts: [watch] }) };
    const aggregator = new TelemetryAggregator(apps, deviceHasher(new Uint8Array(32).fill(3)), store);
    const check = (device: string, channel: string) =>
      formatEdgeLogLine({
        timeMs: T,
        status: 200,
        method: 'GET',
        path: '/api/sync/ota/my-app/darwin/aarch64/1.0.0',
        requestId: 'r',
        query: channel ? `channel=${channel}` : '',
        resultType: 'Hit',
        headers: { 'X-Device-ID': device },
      });
    const devices = Array.from({ length: 30 }, (_, i) => `dev-${i}`);
    const lines = [...devices.map((d) => check(d, '')), ...devices.map((d) => check(d, 'stable')), check('dev-0', 'beta')];
    await aggregator.ingest(lines);
    const inside = devices.filter((d) => inRollout(deviceBucket(d), { id: 'R2', rollout: 50 })).length;
    const service = new TelemetryService(
      { allByOwner: async () => [] },
      { all: async () => ({ channels: [], platforms: [], archs: [] }), ownerName: async () => undefined },
      { rows: async () => [], rolloutRows: async () => merged },
      () => DAY,
    );
    const stats = await service.appStats('A1', {});
    const split = { in: { requests: 2 * inside, uniqueClients: inside }, out: { requests: 2 * (30 - inside), uniqueClients: 30 - inside } };
    assert.deepEqual(stats.rollouts, [{ releaseId: 'R2', version: '2.0.0', ...split, days: [{ day: DAY, ...split }] }]);
    assert.ok(merged.every((row) => row.clients instanceof UniqueCounter));

    // A scheduled release's rollout counts from its day on: earlier checks were not offered it.
    merged.length = 0;
    const scheduled = rolloutWatches([
      { channel: '', feed: { releases: [{ ...release('R4', '3.0.0', 50), publishAt: '2026-03-21T08:00:00Z' }] } },
    ]);
    assert.equal(scheduled[0]?.from, '2026-03-21');
    const later = new TelemetryAggregator(
      { resolve: async () => ({ appId: 'A1', rollouts: scheduled }) },
      deviceHasher(new Uint8Array(32)),
      store,
    );
    await later.ingest(devices.map((d) => check(d, '')));
    assert.deepEqual(merged, []);
  });
});
