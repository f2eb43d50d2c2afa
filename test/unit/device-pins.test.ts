import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { edgeRequestCode } from '../../infra/edge-functions.js';
import { type EdgeRequest, InMemoryEdgeStore, loadEdgeFunction } from '../../local/edge-runtime.js';
import { devicePinHash, MAX_PINS_PER_APP } from '../../shared/domain/device-pin.js';
import { edgeStateKeys, encodeEdgeState, KVS_MAX_VALUE_BYTES, mergeEdgeState } from '../../shared/domain/edge-state.js';
import { Conflict, Invalid, NotFound } from '../../shared/domain/errors.js';
import type { PlatformFeed } from '../../shared/domain/feed.js';
import { ROUTES } from '../../shared/routes.js';
import { DevicePinService } from '../../shared/services/device-pin-service.js';
import { checkForUpdate } from '../../shared/services/update-check.js';
import { ownerCaller as caller, newApp, releaseWorld } from './in-memory.js';

const store = new InMemoryEdgeStore();
const handler = loadEdgeFunction(edgeRequestCode(ROUTES), store);
const CHECK = '/api/sync/ota/pin-app/darwin/aarch64/1.0.0';

async function edge(deviceId?: string): Promise<EdgeRequest> {
  const result = await handler({
    request: { uri: CHECK, headers: deviceId ? { 'x-device-id': { value: deviceId } } : {}, querystring: {} },
  });
  assert.ok('uri' in result);
  return result;
}

describe('per-device pins', () => {
  it('gives a pinned device a key component and the x-ota-pin header, and leaves every other device on the shared key', async () => {
    const pinned = 'qa-laptop-7';
    await store.update([{ key: edgeStateKeys.slug('pin-app'), value: encodeEdgeState({ rev: 5, pins: [devicePinHash(pinned)] }) }]);
    const mine = await edge(pinned);
    assert.equal(mine.headers['x-ota-edge-key']?.value, `v5.p${devicePinHash(pinned)}?`);
    assert.equal(mine.headers['x-ota-pin']?.value, devicePinHash(pinned));
    for (const other of ['device-a', 'device-b', undefined]) {
      const theirs = await edge(other);
      assert.equal(theirs.headers['x-ota-edge-key']?.value, 'v5?', 'one shared key for everyone else');
      assert.equal(theirs.headers['x-ota-pin'], undefined);
    }
    const forged = await handler({
      request: { uri: CHECK, headers: { 'x-ota-pin': { value: devicePinHash(pinned) } }, querystring: {} },
    });
    assert.ok('uri' in forged && forged.headers['x-ota-pin'] === undefined, 'a client-sent pin header is dropped');
  });

  it("keys a pinned device by the pins revision too, so a pin changed alone renews that device's key only", async () => {
    const pinned = 'qa-laptop-8';
    const hash = devicePinHash(pinned);
    await store.update([{ key: edgeStateKeys.slug('pin-app'), value: encodeEdgeState({ rev: 5, pins: [hash], pinsRev: 9 }) }]);
    assert.equal((await edge(pinned)).headers['x-ota-edge-key']?.value, `v5.p${hash}.9?`);
    assert.equal((await edge('someone')).headers['x-ota-edge-key']?.value, 'v5?');
  });

  it('merges a pins-only update over the stored state in order, whichever arrives first', () => {
    const stored = { rev: 5, rollouts: [[1, 20]] as [number, number][], files: 3 };
    const pinsOnly = { key: 'k', state: { rev: 8, pins: ['a'] }, pinsOnly: true as const };
    assert.deepEqual(mergeEdgeState(stored, pinsOnly), { rev: 5, rollouts: [[1, 20]], files: 3, pins: ['a'], pinsRev: 8 });
    const withPins = { ...stored, pins: ['a'], pinsRev: 8 };
    assert.equal(mergeEdgeState(withPins, { ...pinsOnly, state: { rev: 7, pins: [] } }), undefined, 'an older pin change is dropped');
    // A full update computed before the pin change (rev 6) but arriving after it: its answers, the newer pins.
    assert.deepEqual(mergeEdgeState(withPins, { key: 'k', state: { rev: 6 } }), { rev: 6, pins: ['a'], pinsRev: 8, files: 3 });
    assert.deepEqual(mergeEdgeState(withPins, { key: 'k', state: { rev: 9, pins: ['a'] } }), { rev: 9, pins: ['a'], files: 3 });
    assert.equal(mergeEdgeState({ rev: 5, deleted: true }, pinsOnly), undefined, 'a deleted app stays deleted');
    assert.deepEqual(mergeEdgeState(undefined, pinsOnly), { rev: 8, pins: ['a'] }, 'no state yet: the whole state');
  });

  it('validates pins: device id, a channel of the catalog, a release of the app, at most MAX_PINS_PER_APP', async () => {
    const app = newApp('Pins', { slug: 'pins' });
    const world = releaseWorld([app]);
    const service = new DevicePinService(world.catalogs, world.releases, world.changes);
    await world.releaseService.create(app, { version: '1.0.0' });
    await assert.rejects(service.add(app, caller, { deviceId: 'has space', version: '1.0.0' }), Invalid);
    await assert.rejects(service.add(app, caller, { deviceId: 'x'.repeat(201), version: '1.0.0' }), Invalid);
    await assert.rejects(service.add(app, caller, { deviceId: 'd' }), Invalid, 'a channel or a version');
    await assert.rejects(service.add(app, caller, { deviceId: 'd', channel: 'nope' }), Invalid);
    await assert.rejects(service.add(app, caller, { deviceId: 'd', version: 'one' }), Invalid);
    await assert.rejects(service.add(app, caller, { deviceId: 'd', version: '2.0.0' }), Invalid, 'no such release');
    const first = await service.add(app, caller, { deviceId: 'd', version: '1.0.0', note: 'support #42' });
    assert.deepEqual([first.pin.version, first.pin.note, first.pin.by], ['1.0.0', 'support #42', caller.userId]);
    const again = await service.add(app, caller, { deviceId: 'd', channel: 'stable' });
    assert.equal(again.channel, 'stable');
    assert.equal((await service.list(app)).length, 1, 'a device has one pin');
    for (let i = 1; i < MAX_PINS_PER_APP; i++) await service.add(app, caller, { deviceId: `device-${i}`, version: '1.0.0' });
    await assert.rejects(
      service.add(app, caller, { deviceId: 'one-too-many', version: '1.0.0' }),
      (error: unknown) => error instanceof Conflict && error.reason === 'pin_limit',
    );
    await service.add(app, caller, { deviceId: 'd', version: '1.0.0' });
    await assert.rejects(service.remove(app, 'not-a-hash'), Invalid);
    await assert.rejects(service.remove(app, devicePinHash('never-pinned')), NotFound);
    await service.remove(app, devicePinHash('d'));
    assert.equal((await service.list(app)).length, MAX_PINS_PER_APP - 1);
  });

  it('keeps the largest edge value (20 pins, 4 rollouts) under the 1 KB KeyValueStore limit', () => {
    const pins = Array.from({ length: MAX_PINS_PER_APP }, (_, i) => devicePinHash(`device-${i}`));
    const value = encodeEdgeState({
      rev: Date.now(),
      private: true,
      files: Date.now(),
      rollouts: [
        [1, 2],
        [3, 4],
        [5, 6],
        [7, 8],
      ],
      pins,
      pinsRev: Date.now(),
    });
    assert.ok(Buffer.byteLength(value) < KVS_MAX_VALUE_BYTES, `${Buffer.byteLength(value)} bytes`);
  });

  it('offers a pinned device its version (even a halted one) or its channel, and everyone else the newest', async () => {
    const file = { artifactId: 'a', package: 'app.tar.gz', key: 'k', size: 1, sha256: 's', sha512: 's', signature: 'sig' };
    const feed = (channel: string, versions: [string, number][]): PlatformFeed => ({
      appId: 'A',
      channel,
      platform: 'darwin',
      arch: 'aarch64',
      releases: versions.map(([version, rollout]) => ({
        id: version,
        version,
        pubDate: '2026-01-01T00:00:00Z',
        ...(rollout < 100 ? { rollout } : {}),
        files: [{ ...file, artifactId: version }],
      })),
      criticalBelow: [],
      pins: { [devicePinHash('held')]: { v: '1.2.0' }, [devicePinHash('beta-tester')]: { c: 'beta' } },
    });
    const feeds: Record<string, PlatformFeed> = {
      stable: feed('stable', [
        ['1.3.0', 100],
        ['1.2.0', 0],
        ['1.1.0', 100],
      ]),
      beta: feed('beta', [['2.0.0', 100]]),
    };
    const reads: string[] = [];
    const source = {
      read: async (_slug: string, channel: string) => {
        reads.push(channel);
        return feeds[channel || 'stable'];
      },
    };
    const access = { admitAnswer: async () => {} };
    const check = async (pin?: string) => {
      reads.length = 0;
      const answer = await checkForUpdate(
        source,
        { slug: 'pin-app', target: 'darwin', arch: 'aarch64', currentVersion: '1.0.0', ...(pin ? { pin: devicePinHash(pin) } : {}) },
        access,
      );
      return answer.outcome.kind === 'update' ? answer.outcome.release.version : answer.outcome.kind;
    };
    assert.equal(await check(), '1.3.0');
    assert.equal(await check('someone'), '1.3.0', 'a hash no pin names changes nothing');
    assert.equal(await check('held'), '1.2.0', 'held at 1.2.0, halted for everyone else');
    assert.equal(reads.length, 1, 'no extra read for a version pin');
    assert.equal(await check('beta-tester'), '2.0.0');
    assert.equal(reads.length, 2, 'one extra read for a channel pin');
  });
});
