import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { edgeRequestCode } from '../../infra/edge-functions.js';
import { type EdgeRequest, type EdgeResponse, InMemoryEdgeStore, loadEdgeFunction } from '../../local/edge-runtime.js';
import {
  decodeEdgeState,
  type EdgeState,
  edgeRollouts,
  edgeStateKeys,
  encodeEdgeState,
  KVS_MAX_VALUE_BYTES,
  rolloutBits,
} from '../../shared/domain/edge-state.js';
import { deviceBucket, inRollout } from '../../shared/domain/rollout.js';
import { ROUTES } from '../../shared/routes.js';

// The exact source the stack deploys (infra/edge-functions.ts), run against an in-memory store.
const store = new InMemoryEdgeStore();
const handler = loadEdgeFunction(edgeRequestCode(ROUTES), store);
const put = (key: string, state: EdgeState) => store.update([{ key, value: encodeEdgeState(state) }]);

const ids = Array.from(
  { length: 10_000 },
  (_, i) => `${i.toString(16).padStart(8, '0')}-4b1e-4c2d-9e3f-${(i * 7919).toString(16).padStart(12, '0')}`,
);

function request(uri: string, headers: Record<string, string> = {}, query: Record<string, string> = {}): { request: EdgeRequest } {
  return {
    request: {
      uri,
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, { value: v }])),
      querystring: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, { value: v }])),
    },
  };
}
async function forwarded(event: { request: EdgeRequest }): Promise<EdgeRequest> {
  const result = await handler(event);
  assert.ok('uri' in result, `forwarded, not answered: ${JSON.stringify(result)}`);
  return result;
}
const keyOf = (r: EdgeRequest) => r.headers['x-ota-edge-key']?.value;
const CHECK = '/api/sync/ota/my-app/windows/x86_64/1.0.0';

describe('the edge state codec', () => {
  it('round-trips and stays far below the 1 KB value limit', () => {
    const state: EdgeState = {
      rev: 1_765_000_000_000,
      private: true,
      rollouts: [
        [12, 20],
        [99, 5],
        [3, 50],
        [47, 1],
      ],
      files: 1_765_000_000_000,
    };
    assert.deepEqual(decodeEdgeState(encodeEdgeState(state)), state);
    assert.ok(encodeEdgeState(state).length < KVS_MAX_VALUE_BYTES / 4);
    assert.equal(decodeEdgeState('not json'), undefined);
  });
});

describe('the viewer-request function (cloudfront-js-2.0, KeyValueStore)', () => {
  it('puts the revision into the one key header, so a publish makes a new key, and drops client-sent copies', async () => {
    await put(edgeStateKeys.slug('my-app'), { rev: 1 });
    const forged = { 'x-ota-edge-key': 'v999', 'x-ota-bucket': '3', 'x-ota-key-hash': 'x' };
    const first = await forwarded(request(CHECK, forged, { channel: 'beta', noCache: '123' }));
    assert.equal(keyOf(first), 'v1?channel=beta');
    assert.equal(first.headers['x-ota-bucket'], undefined, 'no device id: no bucket, whatever the client sent');
    assert.equal(first.headers['x-ota-key-hash'], undefined);
    assert.deepEqual(Object.keys(first.querystring ?? {}), ['channel'], 'undeclared parameters never reach the origin');
    await put(edgeStateKeys.slug('my-app'), { rev: 2 });
    assert.equal(keyOf(await forwarded(request(CHECK, {}, { channel: 'beta' }))), 'v2?channel=beta');
    assert.equal(keyOf(await forwarded(request('/api/sync/ota/unknown-app/windows/x86_64/1.0.0'))), '-?', 'no state: the origin answers');
  });

  it('sorts 10,000 devices into at most 2 variants of a check path at a 20 % rollout, exactly as the origin decides', async () => {
    const releaseId = '01HZA0000000000000000000AA';
    const rollouts = edgeRollouts([
      { id: releaseId, rollout: 20 },
      { id: 'full', rollout: undefined as unknown as number },
    ]);
    await put(edgeStateKeys.slug('my-app'), { rev: 3, rollouts });
    const keys = new Set<string>();
    let inside = 0;
    for (const id of ids.slice(0, 2000)) {
      const r = await forwarded(request(CHECK, { 'x-device-id': id }));
      const key = keyOf(r) as string;
      keys.add(key);
      const origin = inRollout(Number(r.headers['x-ota-bucket']?.value), { id: releaseId, rollout: 20 });
      assert.equal(key, `v3.${origin ? '1' : '0'}?`, id);
      assert.equal(rolloutBits({ rollouts }, deviceBucket(id)), origin ? '1' : '0');
      if (origin) inside++;
    }
    assert.equal(keys.size, 2);
    assert.ok(inside > 300 && inside < 500, `${inside} of 2000 inside`);
    // Feeds are not rollout-aware: one variant.
    const feeds = new Set<string>();
    for (const id of ids.slice(0, 50))
      feeds.add(keyOf(await forwarded(request('/feeds/my-app/stable/tauri/latest.json', { 'x-device-id': id }))) as string);
    assert.equal(feeds.size, 1);
  });

  it('refuses a deleted app at once, a private app without a token (401), and a private app’s bytes (403), in the route’s shape', async () => {
    await put(edgeStateKeys.slug('gone'), { rev: 4, deleted: true });
    const gone = (await handler(request('/api/sync/ota/gone/windows/x86_64/1.0.0'))) as EdgeResponse;
    assert.equal(gone.statusCode, 404);
    assert.equal(JSON.parse(gone.body?.data ?? '').error.code, 'not_found');
    await put(edgeStateKeys.slug('secret'), { rev: 5, private: true });
    const refused = (await handler(request('/feeds/secret/stable/tauri/latest.json'))) as EdgeResponse;
    assert.equal(refused.statusCode, 401);
    await forwarded(request('/feeds/secret/stable/tauri/latest.json', { 'x-download-token': 'dl_x' }));
    const withQuery = await forwarded(request('/feeds/secret/stable/tauri/latest.json', {}, { token: 'dl_x' }));
    assert.deepEqual(Object.keys(withQuery.querystring ?? {}), ['token'], 'the token reaches the origin');
    await put(edgeStateKeys.app('APP1'), { rev: 5, private: true });
    const bytes = (await handler(request('/ota/APP1/REL1/app.zip', {}, { versionId: 'v1' }))) as EdgeResponse;
    assert.equal(bytes.statusCode, 403);
    await put(edgeStateKeys.fayno('alice', 'Gone App'), { rev: 6, deleted: true });
    const fayno = (await handler(request('/checkVersion', {}, { owner: 'alice', app_name: 'Gone App', version: '1.0.0' }))) as EdgeResponse;
    assert.equal(fayno.statusCode, 404);
    assert.equal(typeof JSON.parse(fayno.body?.data ?? '').error, 'string', "faynoSync's error shape");
  });

  it('keys artifacts by the app’s files revision and Koolbase checks by the key’s hash, never the key', async () => {
    await put(edgeStateKeys.app('APP2'), { rev: 7, files: 6 });
    const bytes = await forwarded(request('/ota/APP2/REL1/app.zip', {}, { versionId: 'v1' }));
    assert.equal(keyOf(bytes), 'f6');
    const key = 'pk_live_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
    const check = await forwarded(request('/v1/sdk/ota/check', { 'x-api-key': key }, { channel: 'stable', version: '1.0.0' }));
    const hash = createHash('sha256').update(key).digest('hex');
    assert.equal(keyOf(check), `-.k${hash}?channel=stable&version=1.0.0`, 'a key the edge has no state for');
    assert.equal(check.headers['x-api-key']?.value, key, 'the origin hashes the key itself');
  });

  it("keys a Koolbase check by its key's revision, so a project change needs no purge, and refuses a revoked key itself", async () => {
    const key = 'pk_live_revokedABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    const hash = createHash('sha256').update(key).digest('hex');
    const ask = () => handler(request('/v1/sdk/ota/check', { 'x-api-key': key }, { channel: 'production', version: '0' }));
    await put(edgeStateKeys.apiKey(hash), { rev: 9 });
    assert.equal(keyOf((await ask()) as EdgeRequest), `v9.k${hash}?channel=production&version=0`);
    await put(edgeStateKeys.apiKey(hash), { rev: 10 });
    assert.equal(
      keyOf((await ask()) as EdgeRequest),
      `v10.k${hash}?channel=production&version=0`,
      'a new key: the answers cached before are never served',
    );
    await put(edgeStateKeys.apiKey(hash), { rev: 11, deleted: true });
    const revoked = (await ask()) as EdgeResponse;
    assert.equal(revoked.statusCode, 401);
    assert.deepEqual(JSON.parse(revoked.body?.data ?? ''), { error: 'invalid api key' }, "Koolbase's answer, from the edge");
  });
});
