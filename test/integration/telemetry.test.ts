import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { AppUpdater } from 'electron-updater/out/AppUpdater.js';
import { createPublishedApp, publishRelease, uploadArtifact, useLocalService } from '../support/local-service.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'telemetry', 'edge-hits.log');
const FIXTURE_DAY = '2026-12-01';

/** electron-updater's own staging decision (AppUpdater.isStagingMatch) for its staging id. */
function electronUpdaterTakes(stagingUserId: string, stagingPercentage: number): Promise<boolean> {
  const updater = {
    stagingUserIdPromise: { value: Promise.resolve(stagingUserId) },
    _logger: { info: () => undefined, warn: () => undefined },
  };
  const isStagingMatch = Reflect.get(AppUpdater.prototype, 'isStagingMatch') as (info: { stagingPercentage: number }) => Promise<boolean>;
  return isStagingMatch.call(updater, { stagingPercentage });
}

/**
 * Telemetry end to end: checks through the local stack (whose gateway writes CloudFront's log
 * records into the aggregation) and a replayed file of edge records give exact counts in
 * faynoSync's GET /telemetry and the native stats.
 */
describe('telemetry: checks at the edge, counted', () => {
  const fixture = useLocalService();
  let appId = '';
  let owner = '';
  const today = new Date().toISOString().slice(0, 10);
  const telemetry = (query: string) => fixture.service.request('GET', `/telemetry?${query}`, { token: fixture.token });

  before(async () => {
    const { service, token } = fixture;
    owner = service.stack.info.admin.username;
    appId = await createPublishedApp(service, token, 'tele-app', 'teleapp');
    for (const version of ['1.0.0', '1.1.0']) await publishRelease(service, token, appId, { version, bytes: Buffer.from(`v${version}`) });
  });

  it('counts the checks that reached the local stack, by device, with nothing stored raw', async () => {
    const { service } = fixture;
    const fs = (version: string, device?: string) =>
      service.request(
        'GET',
        `/checkVersion?${new URLSearchParams({ owner, app_name: 'teleapp', version, channel: 'stable', platform: 'darwin', arch: 'aarch64' })}`,
        {
          headers: device ? { 'X-Device-ID': device } : {},
        },
      );
    // darwin's default updater is Tauri's: the update as Tauri's JSON, "current" as a 204.
    const first = await fs('1.0.0', 'live-fs-1');
    assert.equal(first.json?.version, '1.1.0', first.text);
    await fs('1.0.0', 'live-fs-1');
    assert.equal((await fs('1.1.0', 'live-fs-2')).status, 204);
    await fs('1.0.0');
    const tauri = (version: string, device: string) =>
      service.request('GET', `/api/sync/ota/tele-app/darwin/aarch64/${version}?channel=stable`, { headers: { 'X-Device-ID': device } });
    assert.equal((await tauri('1.0.0', 'live-tauri-1')).status, 200);
    assert.equal((await tauri('1.1.0', 'live-tauri-2')).status, 204);
    const feed = await service.request('GET', '/feeds/tele-app/stable/tauri/latest.json', { headers: { 'X-Device-ID': 'live-feed-1' } });
    assert.equal(feed.status, 200);
    const beacon = await service.request(
      'GET',
      `/telemetry/beacon?${new URLSearchParams({ owner, app_name: 'teleapp', version: '1.1.0', channel: 'stable', platform: 'darwin', arch: 'aarch64', is_latest: 'true' })}`,
      { headers: { 'X-Device-ID': 'live-fs-2' } },
    );
    assert.equal(beacon.status, 204);
    await service.stack.telemetryIdle();

    const answer = await telemetry(`date=${today}&apps=teleapp`);
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.json, {
      date: today,
      date_range: [today],
      admin: owner,
      summary: { total_requests: 7, unique_clients: 5, clients_using_latest_version: 2, clients_outdated: 2, total_active_apps: 1 },
      versions: {
        used_versions_count: 2,
        known_versions: ['1.0.0', '1.1.0'],
        usage: [
          { version: '1.0.0', client_count: 2 },
          { version: '1.1.0', client_count: 2 },
        ],
      },
      platforms: [{ platform: 'darwin', client_count: 4 }],
      architectures: [{ arch: 'aarch64', client_count: 4 }],
      channels: [{ channel: 'stable', client_count: 5 }],
      daily_stats: [{ date: today, total_requests: 7, unique_clients: 5, clients_using_latest_version: 2, clients_outdated: 2 }],
    });
    // Filters narrow the devices, never the requests (as faynoSync).
    const filtered = await telemetry(`date=${today}&apps=teleapp&platforms=linux`);
    assert.deepEqual(filtered.json.summary, {
      total_requests: 7,
      unique_clients: 0,
      clients_using_latest_version: 0,
      clients_outdated: 0,
      total_active_apps: 1,
    });
    assert.equal(filtered.json.platforms, null);
    assert.equal((await telemetry('range=year')).status, 400);
    assert.equal((await telemetry('range=week')).json.daily_stats.length, 8);
  });

  it('counts a replayed file of CloudFront log records (edge hits that never reached the origin)', async () => {
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'local/telemetry-replay.ts', FIXTURE], {
      cwd: ROOT,
      env: { ...process.env, OTA_LOCAL_DIR: fixture.service.stateDir },
    });
    assert.deepEqual(JSON.parse(stdout.trim().split('\n').at(-1) ?? ''), { records: 12, counted: 9, rows: 4, writes: 4 });
    const answer = await telemetry(`date=${FIXTURE_DAY}&apps=teleapp`);
    assert.deepEqual(answer.json.summary, {
      total_requests: 9,
      unique_clients: 7,
      clients_using_latest_version: 3,
      clients_outdated: 2,
      total_active_apps: 1,
    });
    assert.deepEqual(answer.json.versions.usage, [
      { version: '1.0.0', client_count: 3 },
      { version: '1.1.0', client_count: 3 },
    ]);
    assert.deepEqual(answer.json.platforms, [{ platform: 'darwin', client_count: 6 }]);
    assert.deepEqual(answer.json.architectures, [{ arch: 'aarch64', client_count: 5 }]);

    const stats = await fixture.api('GET', `/apps/${appId}/stats?from=${FIXTURE_DAY}&to=${today}`);
    assert.equal(stats.status, 200, stats.text);
    assert.deepEqual(stats.json.totals, { requests: 9 + 7, unique_clients: 7 + 5 });
    const velopack = stats.json.rows.find(
      (r: { day: string; version: string; platform: string }) => r.day === FIXTURE_DAY && r.platform === '' && r.version === '1.0.0',
    );
    assert.deepEqual(velopack, {
      day: FIXTURE_DAY,
      channel: 'stable',
      platform: '',
      arch: '',
      version: '1.0.0',
      state: 'unknown',
      requests: 1,
      unique_clients: 1,
    });
  });

  it("keeps another account's and a team user's view within their rights", async () => {
    const other = await fixture.service.newAccountToken('tele-other');
    const answer = await fixture.service.request('GET', '/telemetry?range=week', { token: other });
    assert.equal(answer.status, 200);
    assert.deepEqual([answer.json.summary.total_requests, answer.json.daily_stats], [0, []]);
    const stats = await fixture.service.request('GET', `/api/sync/ota/apps/${appId}/stats`, { token: other });
    assert.equal(stats.status, 404);
  });

  it("splits a partial rollout's devices into in and out, as their checks were answered", async () => {
    const { service, token } = fixture;
    const rolloutApp = await createPublishedApp(service, token, 'tele-roll', 'teleroll');
    const first = await publishRelease(service, token, rolloutApp, { version: '1.0.0', bytes: Buffer.from('r1.0.0') });
    const { releaseId } = await publishRelease(service, token, rolloutApp, { version: '2.0.0', bytes: Buffer.from('r2.0.0') });
    // Windows installers too, so electron-updater's feed offers 2.0.0 with its stagingPercentage.
    for (const [id, bytes] of [
      [first.releaseId, 'w1.0.0'],
      [releaseId, 'w2.0.0'],
    ] as const)
      await uploadArtifact(service, token, rolloutApp, id, {
        target: 'windows',
        arch: 'x86_64',
        package: 'nsis',
        bytes: Buffer.from(bytes),
      });
    assert.equal((await fixture.api('PUT', `/apps/${rolloutApp}/releases/${releaseId}/rollout`, { percent: 30 })).status, 200);
    const offered = new Set<string>();
    const current = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const device = `roll-device-${i}`;
      // Each device checks twice: requests count both, devices once.
      for (let round = 0; round < 2; round++) {
        const check = await service.request('GET', '/api/sync/ota/tele-roll/darwin/aarch64/1.0.0', { headers: { 'X-Device-ID': device } });
        if (check.status === 200 && check.json?.version === '2.0.0') offered.add(device);
        else if (check.status === 204) current.add(device);
        else assert.fail(`${check.status} ${check.text}`);
      }
    }
    assert.equal(offered.size + current.size, 40);
    assert.ok(offered.size > 0 && current.size > 0, `a 30 % rollout over 40 devices offered ${offered.size}`);
    // electron-updater decides itself, from the feed's stagingPercentage and its staging UUID: its own function says which side.
    let electronIn = 0;
    for (let i = 0; i < 20; i++) {
      const stagingId = randomUUID();
      const feed = await service.request('GET', '/feeds/tele-roll/electron/latest.yml', { headers: { 'x-user-staging-id': stagingId } });
      assert.equal(feed.status, 200, feed.text);
      const percentage = Number(/^stagingPercentage: (\d+)$/m.exec(feed.text)?.[1]);
      assert.equal(percentage, 30, feed.text);
      if (await electronUpdaterTakes(stagingId, percentage)) electronIn++;
    }
    await service.stack.telemetryIdle();

    const stats = await fixture.api('GET', `/apps/${rolloutApp}/stats`);
    assert.equal(stats.status, 200, stats.text);
    const split = {
      in: { requests: 2 * offered.size + electronIn, unique_clients: offered.size + electronIn },
      out: { requests: 2 * current.size + 20 - electronIn, unique_clients: current.size + 20 - electronIn },
    };
    assert.deepEqual(stats.json.rollouts, [{ release_id: releaseId, version: '2.0.0', ...split, days: [{ day: today, ...split }] }]);
  });
});
