import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PIN_HASH_CHARS } from '../../shared/domain/device-pin.js';
import { ROUTES } from '../../shared/routes.js';
import { createPublishedApp, LocalService } from '../support/local-service.js';

const SAMPLE_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/** A concrete path for a route template, with ids that look real. */
function concrete(path: string, ids: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? SAMPLE_ID);
}

describe('management routes are authorized and scoped to the owning account', () => {
  let service: LocalService;
  let ownerToken: string;
  let otherToken: string;
  let appId: string;
  let releaseId: string;

  before(async () => {
    service = await LocalService.start();
    ownerToken = await service.adminToken();
    otherToken = await service.newAccountToken('someone-else');
    appId = await createPublishedApp(service, ownerToken, 'owned-app');
    releaseId = (await service.request('POST', `/api/sync/ota/apps/${appId}/releases`, { token: ownerToken, body: { version: '1.0.0' } }))
      .json.id;
  });
  after(async () => {
    await service?.stop();
  });

  it('every user route refuses a request without a valid access token (401)', async () => {
    const { idToken } = await service.signIn(service.stack.info.admin.username, service.stack.info.admin.password);
    const forged = `${ownerToken.slice(0, -4)}AAAA`;
    const userRoutes = ROUTES.filter((r) => r.access.kind !== 'public');
    assert.ok(userRoutes.length >= 9);
    for (const route of userRoutes) {
      const path = concrete(route.path, { app_id: appId, release_id: releaseId });
      for (const [label, headers] of [
        ['no header', {}],
        ['not bearer', { authorization: `Basic ${Buffer.from('admin:x').toString('base64')}` }],
        ['garbage', { authorization: 'Bearer not.a.jwt' }],
        ['forged signature', { authorization: `Bearer ${forged}` }],
        ['id token instead of access token', { authorization: `Bearer ${idToken}` }],
      ] as const) {
        const reply = await service.request(route.method, path, { headers, body: {} });
        assert.equal(reply.status, 401, `${route.method} ${route.path} with ${label}`);
        // The faynoSync and Koolbase faces answer in their own shape: {"error":"<message>"}.
        if (route.face === 'faynosync' || route.face === 'koolbase')
          assert.equal(typeof reply.json.error, 'string', `${route.path}: ${reply.text}`);
        else assert.equal(reply.json.error.code, 'unauthorized');
      }
    }
  });

  it("another account gets 404 for the owner's app and cannot change it", async () => {
    // Koolbase's `{project_id}` is an app id too.
    for (const route of ROUTES.filter((r) => r.access.kind !== 'public' && /\{(app_id|project_id)\}/.test(r.path))) {
      const ids = { app_id: appId, project_id: appId, release_id: releaseId, pin_id: 'a'.repeat(PIN_HASH_CHARS) };
      const reply = await service.request(route.method, concrete(route.path, ids), {
        token: otherToken,
        body: { name: 'x', slug: 'stolen-slug', version: '9.9.9', target: 'linux', arch: 'x86_64', file_size: 1 },
      });
      assert.equal(reply.status, 404, `${route.method} ${route.path}`);
    }
    const theirList = await service.request('GET', '/api/sync/ota/apps', { token: otherToken });
    assert.deepEqual(theirList.json.apps, []);
    const stillThere = await service.request('GET', `/api/sync/ota/apps/${appId}/releases`, { token: ownerToken });
    assert.equal(stillThere.json.releases.length, 1);
    assert.equal((await service.request('GET', `/api/sync/ota/apps/${appId}`, { token: ownerToken })).json.slug, 'owned-app');
  });

  it('public routes need no token', async () => {
    assert.equal((await service.request('GET', '/health')).status, 200);
    assert.equal((await service.request('GET', '/api/sync/ota/owned-app/linux/x86_64/0.1.0')).status, 204);
  });
});
