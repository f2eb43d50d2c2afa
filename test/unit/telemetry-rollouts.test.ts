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
  it('lists each partial rollout once, newest first, with every feed serving it and when a scheduled release takes over', () => {
    const staged = release('R2', '2.0.0', 20);
    const takeover = { ...release('R5', '2.5.0'), publishAt: '2026-03-22T09:00:00Z' };
    const feed = (platform: string, arch: string, releases: FeedRelease[]) => ({ platform, arch, releases });
    const watches = rolloutWatches([
      { channel: 'stable', feed: feed('darwin', 'aarch64', [takeover, staged, release('R1', '1.0.0')]) },
      { channel: '', feed: feed('darwin', 'aarch64', [takeover, staged, release('R1', '1.0.0')]) },
      { channel: 'stable', feed: feed('windows', 'x86_64', [staged, release('R1', '1.0.0')]) },
      {
        channel: 'beta',
        feed: feed('linux', 'x86_64', [{ ...release('R3', '2.1.0-beta.1', 0), publishAt: '2026-03-20T12:00:00Z' }, staged]),
      },
    ]);
    assert.deepEqual(watches, [
      { id: 'R3', version: '2.1.0-beta.1', percent: 0, feeds: ['beta/linux/x86_64'], from: '2026-03-20T12:00:00Z' },
      {
        id: 'R2',
        version: '2.0.0',
        percent: 20,
        feeds: ['/darwin/aarch64', 'beta/linux/x86_64', 'stable/darwin/aarch64', 'stable/windows/x86_64'],
        until: '2026-03-22T09:00:00Z',
      },
    ]);
  });

  it("sorts a Tauri check's device as the edge did, and an electron-updater's as electron-updater itself does", async () => {
    const watch = { id: 'R2', percent: 30 };
    for (let i = 0; i < 200; i++) {
      const device = `device-${i}`;
      const expected = inRollout(deviceBucket(device), { id: 'R2', rollout: 30 }) ? 'in' : 'out';
      assert.equal(rolloutSide({ source: 'tauri', bucketId: device }, watch), expected);
      const staging = randomUUID();
      const electron = rolloutSide({ source: 'electron', stagingId: staging }, watch);
      assert.equal(electron, (await electronDecides(staging, 30)) ? 'in' : 'out', staging);
    }
    // Clients whose rollout is not decided per device are not split.
    assert.equal(rolloutSide({ source: 'velopack' }, watch), undefined);
    assert.equal(rolloutSide({ source: 'faynosync' }, watch), undefined);
    assert.equal(rolloutSide({ source: 'electron', stagingId: 'not-a-uuid' }, watch), undefined);
  });

  it('takes the rollouts that answered the check: the feed it read, live at its time; for electron-updater the newest its file names', () => {
    const watches: RolloutWatch[] = [
      { id: 'R2', version: '2.0.0', percent: 50, feeds: ['/darwin/aarch64', 'stable/darwin/aarch64', 'stable/windows/x86_64'] },
      { id: 'R3', version: '2.1.0', percent: 10, feeds: ['/darwin/aarch64', 'stable/darwin/aarch64'], until: '2026-03-20T12:00:00Z' },
      { id: 'R4', version: '3.0.0', percent: 10, feeds: ['stable/darwin/aarch64', 'stable/windows/x86_64'], from: '2026-03-20T11:00:00Z' },
      { id: 'L1', version: '3.1.0', percent: 10, feeds: ['stable/linux/aarch64'] },
      { id: 'H1', version: '3.2.0', percent: 0, feeds: ['stable/windows/x86_64'] },
    ];
    const ids = (source: 'tauri' | 'electron', channel: string, platform: string, arch: string, at = T) =>
      decidingWatches({ source, channel, platform, arch, timeMs: at }, watches).map((w) => w.id);
    // The Tauri check reads its target's feed, whatever word the client used for it.
    assert.deepEqual(ids('tauri', 'stable', 'darwin', 'aarch64'), ['R2', 'R3']);
    assert.deepEqual(ids('tauri', 'stable', 'macos', 'arm64'), ['R2', 'R3']);
    assert.deepEqual(ids('tauri', '', 'darwin', 'aarch64'), ['R2', 'R3']);
    assert.deepEqual(ids('tauri', 'stable', 'linux', 'x86_64'), []);
    // Scheduled: R4 from 11:00, R3 until a newer release for everyone goes live at 12:00.
    assert.deepEqual(ids('tauri', 'stable', 'darwin', 'aarch64', Date.parse('2026-03-20T11:30:00Z')), ['R2', 'R3', 'R4']);
    assert.deepEqual(ids('tauri', 'stable', 'darwin', 'aarch64', Date.parse('2026-03-20T12:30:00Z')), ['R2', 'R4']);
    // electron-updater: one release per file, the newest not halted among the OS's feeds; `latest` is the default channel.
    assert.deepEqual(ids('electron', 'latest', 'darwin', ''), ['R3']);
    assert.deepEqual(ids('electron', 'stable', 'windows', ''), ['R2']);
    assert.deepEqual(ids('electron', 'stable', 'windows', '', Date.parse('2026-03-20T12:30:00Z')), ['R4']);
    assert.deepEqual(ids('electron', 'stable', 'linux', 'arm64'), ['L1']);
    assert.deepEqual(ids('electron', 'stable', 'linux', ''), []);
  });

  it('counts each check on a channel serving the rollout once per side, and the stats unite the days', async () => {
    const watch: RolloutWatch = { id: 'R2', version: '2.0.0', percent: 50, feeds: ['/darwin/aarch64', 'stable/darwin/aarch64'] };
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

    // A scheduled release's rollout counts from its time on: the checks an hour before were not offered it.
    merged.length = 0;
    const scheduled = rolloutWatches([
      {
        channel: '',
        feed: { platform: 'darwin', arch: 'aarch64', releases: [{ ...release('R4', '3.0.0', 50), publishAt: '2026-03-20T11:00:00Z' }] },
      },
    ]);
    const later = new TelemetryAggregator(
      { resolve: async () => ({ appId: 'A1', rollouts: scheduled }) },
      deviceHasher(new Uint8Array(32)),
      store,
    );
    await later.ingest(devices.map((d) => check(d, '')));
    assert.deepEqual(merged, []);
  });
});
