import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { devicePinHash, MAX_PINS_PER_APP } from '../../shared/domain/device-pin.js';
import { createPublishedApp, uploadArtifact, useLocalService } from '../support/local-service.js';
import { runOta } from '../support/ota-cli.js';

/** Per-device pins through the local gateway (its edge function and in-memory KeyValueStore included), and `ota pins`. */
describe('per-device pins, end to end', () => {
  const fixture = useLocalService();
  const { api } = fixture;

  /** A published release of `version` in `channel` with one verified darwin/aarch64 file; its id. */
  async function release(appId: string, version: string, channel: string): Promise<string> {
    const created = await api('POST', `/apps/${appId}/releases`, { version, channel });
    assert.equal(created.status, 201, created.text);
    await uploadArtifact(fixture.service, fixture.token, appId, created.json.id, { bytes: randomBytes(64) });
    const published = await api('POST', `/apps/${appId}/releases/${created.json.id}/publish`, {});
    assert.equal(published.status, 200, published.text);
    return created.json.id as string;
  }

  it("answers a pinned device from its pin on the Tauri check and Tauri's latest.json, leaving every other device's cache key alone", async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'pin-app');
    assert.equal((await api('POST', '/channels', { name: 'pin-beta', follows: [] })).status, 201);
    await release(appId, '1.0.0', 'stable');
    const halted = await release(appId, '1.1.0', 'stable');
    assert.equal((await api('PUT', `/apps/${appId}/releases/${halted}/rollout`, { percent: 0 })).status, 200);
    await release(appId, '2.0.0', 'pin-beta');

    const CHECK = '/api/sync/ota/pin-app/darwin/aarch64/0.9.0';
    const STATIC = '/feeds/pin-app/stable/tauri/latest.json';
    // Tauri apps add X-Device-ID; electron-updater style clients send x-user-staging-id (docs/telemetry.md).
    const a = { 'x-device-id': 'qa-device-a' };
    const b = { 'x-device-id': 'device-b' };
    const seen = async (headers: Record<string, string>) => {
      const check = await fixture.service.request('GET', CHECK, { headers });
      const feed = await fixture.service.request('GET', STATIC, { headers });
      assert.equal(check.status, 200, check.text);
      assert.equal(feed.status, 200, feed.text);
      return {
        check: check.json.version as string,
        latest: feed.json.version as string,
        key: await fixture.service.stack.edgeKey(CHECK, headers),
        staticKey: await fixture.service.stack.edgeKey(STATIC, headers),
      };
    };
    const before = await seen(b);
    assert.deepEqual([before.check, before.latest], ['1.0.0', '1.0.0'], '1.1.0 is halted');
    assert.deepEqual((await seen(a)).key, before.key, 'unpinned, A shares the key');

    const pinned = await api('POST', `/apps/${appId}/pins`, { device_id: 'qa-device-a', version: '1.1.0', note: 'QA of the halted build' });
    assert.equal(pinned.status, 201, pinned.text);
    assert.equal(pinned.json.id, devicePinHash('qa-device-a'));
    const held = await seen(a);
    assert.deepEqual([held.check, held.latest], ['1.1.0', '1.1.0'], 'held at the halted version on both checks');
    assert.notEqual(held.key, before.key);
    const other = await seen(b);
    assert.deepEqual(other, before, "B's answers and cache keys are unchanged");

    // The same device pinned again, to a channel: a new pin, a new key for A alone.
    const moved = await api('POST', `/apps/${appId}/pins`, { device_id: 'qa-device-a', channel: 'pin-beta' });
    assert.equal(moved.status, 201, moved.text);
    const beta = await seen(a);
    assert.deepEqual([beta.check, beta.latest], ['2.0.0', '2.0.0']);
    assert.notEqual(beta.key, held.key, 'a changed pin is a new key for the pinned device');
    assert.deepEqual(await seen(b), before);
    // The other header a client may carry its id in.
    assert.equal((await fixture.service.request('GET', CHECK, { headers: { 'x-user-staging-id': 'qa-device-a' } })).json.version, '2.0.0');

    const list = await api('GET', `/apps/${appId}/pins`);
    assert.equal(list.status, 200);
    assert.equal(list.json.max_pins, MAX_PINS_PER_APP);
    assert.deepEqual(
      list.json.pins.map((p: { device_id: string; channel: string | null; version: string | null }) => [p.device_id, p.channel, p.version]),
      [['qa-device-a', 'pin-beta', null]],
    );

    const removed = await api('DELETE', `/apps/${appId}/pins/${pinned.json.id}`);
    assert.equal(removed.status, 204, removed.text);
    assert.deepEqual(await seen(a), before, 'A is back on what everyone gets, under the shared key');
    assert.deepEqual(await seen(b), before);
    assert.equal((await api('DELETE', `/apps/${appId}/pins/${pinned.json.id}`)).status, 404);
  });

  it('refuses what a pin may not be, with clear 4xx errors, and records pins in the audit trail', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'pin-limits');
    await release(appId, '1.0.0', 'stable');
    const pin = (body: unknown) => api('POST', `/apps/${appId}/pins`, body);
    for (const [body, words] of [
      [{ device_id: 'with space', version: '1.0.0' }, /device_id/],
      [{ device_id: 'x'.repeat(201), version: '1.0.0' }, /device_id/],
      [{ device_id: 'd' }, /channel, a version or both/],
      [{ device_id: 'd', channel: 'no-such-channel' }, /no channel/],
      [{ device_id: 'd', version: 'latest' }, /not a semantic version/],
      [{ device_id: 'd', version: '3.0.0' }, /no release/],
    ] as const) {
      const refused = await pin(body);
      assert.equal(refused.status, 400, refused.text);
      assert.match(refused.json.error.message, words);
    }
    assert.equal((await api('DELETE', `/apps/${appId}/pins/not-a-pin-id`)).status, 400);
    for (let i = 0; i < MAX_PINS_PER_APP; i++) assert.equal((await pin({ device_id: `device-${i}`, version: '1.0.0' })).status, 201);
    const full = await pin({ device_id: 'one-more', version: '1.0.0' });
    assert.equal(full.status, 409, full.text);
    assert.match(full.json.error.message, /remove one first/);
    assert.equal((await pin({ device_id: 'device-3', channel: 'stable' })).status, 201, 'a pinned device may be pinned anew');

    const audit = await api('GET', '/audit?limit=100');
    assert.equal(audit.status, 200, audit.text);
    const actions = audit.json.events.map((e: { action: string }) => e.action);
    assert.ok(actions.includes('CreateDevicePin') && actions.includes('DeleteDevicePin'), actions.join(','));
    assert.ok(!JSON.stringify(audit.json).includes('device-3'), 'the trail names pins by id, never the raw device id');
  });

  it('lists, adds and removes pins with the ota CLI', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'pin-cli');
    await release(appId, '1.0.0', 'stable');
    const work = mkdtempSync(join(tmpdir(), 'ota-pins-'));
    const env = {
      ...process.env,
      XDG_CONFIG_HOME: join(work, 'config'),
      OTA_URL: fixture.service.url,
      OTA_TOKEN: fixture.token,
      OTA_APP: '',
    };
    const ota = (...args: string[]) => runOta(args, { cwd: work, env });
    const added = await ota('pins', 'add', 'support-laptop', '--app', 'pin-cli', '--version', '1.0.0', '--note', 'ticket 42', '--json');
    assert.equal(added.code, 0, added.stderr);
    assert.equal(JSON.parse(added.stdout).id, devicePinHash('support-laptop'));
    const listed = await ota('pins', '--app', 'pin-cli');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /support-laptop\s+-\s+1\.0\.0\s+ticket 42/);
    const refused = await ota('pins', 'add', 'x', '--app', 'pin-cli', '--version', '9.9.9');
    assert.equal(refused.code, 2, `${refused.code} ${refused.stderr}`);
    assert.match(refused.stderr, /no release/);
    const removed = await ota('pins', 'remove', 'support-laptop', '--app', 'pin-cli', '--json');
    assert.equal(removed.code, 0, removed.stderr);
    const empty = await ota('pins', 'list', '--app', 'pin-cli', '--json');
    assert.deepEqual(JSON.parse(empty.stdout), { pins: [], max_pins: MAX_PINS_PER_APP });
    assert.equal((await ota('pins', 'remove', 'support-laptop', '--app', 'pin-cli')).code, 4);
  });
});
