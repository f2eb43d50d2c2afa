import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VIEWER_RESPONSE_CODE } from '../../infra/edge-functions.js';
import { deviceBucket, inRollout } from '../../shared/domain/rollout.js';
import { noUpdate } from '../../shared/http/respond.js';
import { renderTauriUpdate } from '../../shared/protocols/tauri.js';

// CloudFront Functions are plain JavaScript with a global `handler`; run them as CloudFront would.
function load(code: string): (event: unknown) => any {
  return new Function(`${code}; return handler;`)();
}

describe('edge functions', () => {
  it('viewer response turns the marked empty 200 into 204 and leaves real answers alone', () => {
    const handler = load(VIEWER_RESPONSE_CODE);
    const noUpdate = handler({
      response: { statusCode: 200, headers: { 'x-ota-no-update': { value: '1' }, 'content-type': { value: 'text/plain' } } },
    });
    assert.equal(noUpdate.statusCode, 204);
    assert.deepEqual(noUpdate.headers, {});
    const update = handler({ response: { statusCode: 200, headers: { 'content-type': { value: 'application/json' } } } });
    assert.equal(update.statusCode, 200);
    assert.equal(handler({ response: { statusCode: 404, headers: { 'x-ota-no-update': { value: '1' } } } }).statusCode, 404);
  });

  it('"no update" is an empty 204 locally, and behind the edge a marked 200 the viewer response makes the same 204', () => {
    const cacheControl = 'public, max-age=0, s-maxage=60';
    const local = noUpdate(cacheControl, false);
    assert.deepEqual(local, { statusCode: 204, headers: { 'cache-control': cacheControl }, body: '' });
    const origin = noUpdate(cacheControl, true);
    assert.deepEqual(origin, { statusCode: 200, headers: { 'cache-control': cacheControl, 'x-ota-no-update': '1' }, body: '' });
    // What CloudFront hands the viewer-response function: the origin's headers, lower-cased, as { value }.
    const headers = Object.fromEntries(Object.entries(origin.headers ?? {}).map(([name, value]) => [name, { value }]));
    const viewer = load(VIEWER_RESPONSE_CODE)({ response: { statusCode: origin.statusCode, headers } });
    assert.equal(viewer.statusCode, local.statusCode);
    assert.deepEqual(viewer.headers, { 'cache-control': { value: cacheControl } });
  });
});

describe('device buckets for rollouts', () => {
  const ids = Array.from(
    { length: 10_000 },
    (_, i) => `${i.toString(16).padStart(8, '0')}-4b1e-4c2d-9e3f-${(i * 7919).toString(16).padStart(12, '0')}`,
  );

  it('puts 20 % of 10,000 devices in a 20 % rollout (±2 %), each rollout choosing its own devices', () => {
    const share = (releaseId: string, rollout: number) =>
      ids.filter((id) => inRollout(deviceBucket(id), { id: releaseId, rollout })).length / ids.length;
    for (const release of ['01HZA0000000000000000000AA', '01HZB0000000000000000000BB']) {
      const inside = share(release, 20);
      assert.ok(inside > 0.18 && inside < 0.22, `${release}: ${inside}`);
    }
    const a = new Set(ids.filter((id) => inRollout(deviceBucket(id), { id: '01HZA0000000000000000000AA', rollout: 20 })));
    const both = ids.filter((id) => a.has(id) && inRollout(deviceBucket(id), { id: '01HZC0000000000000000000CC', rollout: 20 })).length;
    assert.ok(both < a.size * 0.6, `another rollout chooses other devices (${both} of ${a.size} in both)`);
    assert.equal(share('01HZA0000000000000000000AA', 0), 0, 'halted');
    assert.equal(share('01HZA0000000000000000000AA', 100), 1);
    assert.equal(inRollout(undefined, { id: 'R', rollout: 99 }), false, 'no device id: never inside a partial rollout');
  });
});

describe('the Tauri renderer', () => {
  it('renders exactly the fields the Tauri updater reads, with the file’s own signature', () => {
    const release = { id: 'R', version: '1.2.0', pubDate: '2026-03-13T12:00:00.000Z', notes: 'n', files: [] };
    const file = { artifactId: 'A', package: 'app', key: 'k', size: 1, sha256: 'h', sha512: 'h5', signature: 's' };
    assert.deepEqual(renderTauriUpdate(release, file, 'https://x/dl'), {
      version: '1.2.0',
      url: 'https://x/dl',
      signature: 's',
      notes: 'n',
      pub_date: '2026-03-13T12:00:00.000Z',
    });
  });
});
