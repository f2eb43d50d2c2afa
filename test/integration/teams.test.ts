import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { type FormFile, multipartRequest, type Reply, useLocalService } from '../support/local-service.js';

const PASSWORD = 'Team-user-password-1';

/** A faynoSync multipart request (`data` plus `file` parts) with a bearer token. */
const multipart = (url: string, path: string, token: string, data: unknown, files: FormFile[]): Promise<Reply> =>
  multipartRequest(url, 'POST', path, token, data, files);

/**
 * Team users, whoami, the admin's password and API tokens, through faynoSync's paths (reference
 * 2.19-2.21, scenarios 4.14 and 4.16) and the service's own, and the audit trail that records them.
 */
describe('teams, API tokens and the audit trail', () => {
  const fixture = useLocalService();
  const ids: Record<string, string> = {};
  let team = '';
  let teamId = '';
  let other = '';

  const fs = (method: string, path: string, token: string, body?: unknown) =>
    fixture.service.request(method, path, { token, ...(body === undefined ? {} : { body }) });
  /** A faynoSync upload of one file to newApp's stable channel. */
  const uploadVersion = (token: string, version: string) =>
    multipart(
      fixture.service.url,
      '/upload',
      token,
      { app_name: 'newApp', version, channel: 'stable', platform: 'universalPlatform', arch: 'universalArch' },
      [{ name: 'app.dmg', bytes: randomBytes(64) }],
    );
  const login = (username: string, password: string) => fixture.service.request('POST', '/login', { body: { username, password } });

  before(async () => {
    other = await fixture.service.newAccountToken('teams-second-owner');
    for (const [kind, name] of [
      ['app', 'testapp'],
      ['channel', 'stable'],
      ['platform', 'universalPlatform'],
      ['arch', 'universalArch'],
    ] as const) {
      const created =
        kind === 'app'
          ? await multipart(fixture.service.url, '/app/create', fixture.token, { app: name }, [])
          : await fs('POST', `/${kind}/create`, fixture.token, { [kind]: name });
      assert.equal(created.status, 200, created.text);
      ids[name] = Object.values(created.json as Record<string, string>)[0] as string;
    }
  });

  it('an owner creates a team user with faynoSync permissions; it signs in and acts only as they say (4.14)', async () => {
    const permissions = {
      apps: { create: true, delete: false, edit: false, download: true, upload: false, allowed: [ids.testapp, ids.testapp] },
      channels: { create: true, delete: false, edit: false, allowed: [ids.stable, ids.stable] },
      platforms: { create: true, delete: false, edit: false, allowed: [ids.universalPlatform] },
      archs: { create: true, delete: false, edit: false, allowed: [ids.universalArch] },
    };
    const created = await fs('POST', '/user/create', fixture.token, { username: 'teamuser1', password: PASSWORD, permissions });
    assert.equal(created.status, 200, created.text);
    assert.deepEqual(created.json, { message: 'Team user created successfully' });
    assert.equal((await fs('POST', '/user/create', fixture.token, { username: 'teamuser1', password: PASSWORD, permissions })).status, 409);
    const weak = await fs('POST', '/user/create', fixture.token, { username: 'weakling', password: 'password', permissions });
    assert.equal(weak.status, 400);
    assert.match(weak.json.error, /password is too weak/);
    assert.equal((await fs('POST', '/user/create', fixture.token, { username: 'nobody', password: PASSWORD })).status, 400);

    assert.equal((await login('teamuser1', 'Wrong-password-1')).status, 401);
    const signedIn = await login('teamuser1', PASSWORD);
    assert.equal(signedIn.status, 200, signedIn.text);
    team = signedIn.json.token;

    // Flags: upload and edit are off.
    const upload = await multipart(fixture.service.url, '/upload', team, { app_name: 'testapp', version: '0.0.1' }, [
      { name: 'a.dmg', bytes: randomBytes(64) },
    ]);
    assert.equal(upload.status, 403, upload.text);
    assert.deepEqual(upload.json, { error: 'Permission denied' });
    for (const [path, body] of [
      ['/app/update', { id: ids.testapp, app: 'newApp' }],
      ['/channel/update', { id: ids.stable, channel: 'renamed' }],
      ['/arch/update', { id: ids.universalArch, arch: 'renamed' }],
    ] as const) {
      const refused =
        path === '/app/update' ? await multipart(fixture.service.url, path, team, body, []) : await fs('POST', path, team, body);
      assert.deepEqual([refused.status, refused.json], [403, { error: 'Permission denied' }], path);
    }

    // Lists show what is in the allowed lists, once each.
    assert.deepEqual(
      (await fs('GET', '/app/list', team)).json.apps.map((a: { AppName: string; Owner: string }) => [a.AppName, a.Owner]),
      [['testapp', 'admin']],
    );
    assert.deepEqual(
      (await fs('GET', '/channel/list', team)).json.channels.map((c: { ChannelName: string }) => c.ChannelName),
      ['stable'],
    );

    // What it creates joins its allowed list; it may not delete it (delete is off).
    const teamApp = await multipart(fixture.service.url, '/app/create', team, { app: 'teamapp' }, []);
    assert.equal(teamApp.status, 200, teamApp.text);
    ids.teamapp = teamApp.json['createAppResult.Created'];
    assert.deepEqual(
      (await fs('GET', '/app/list', team)).json.apps.map((a: { AppName: string }) => a.AppName),
      ['testapp', 'teamapp'],
    );
    assert.deepEqual((await fs('DELETE', `/app/delete?id=${ids.teamapp}`, team)).json, { error: 'Permission denied' });

    // Owner-only routes.
    for (const [method, path] of [
      ['POST', '/user/update'],
      ['GET', '/users/list'],
      ['DELETE', '/user/delete'],
      ['POST', '/admin/update'],
    ] as const) {
      const refused = await fs(method, path, team, {});
      assert.deepEqual([refused.status, refused.json], [403, { error: 'Admin access required' }], path);
    }
    const audit = await fixture.service.request('GET', '/api/sync/ota/audit', { token: team });
    assert.equal(audit.status, 403);
  });

  it('whoami answers both shapes; the list shows permissions in Go case; another owner sees none of them', async () => {
    const admin = await fs('GET', '/whoami', fixture.token);
    assert.equal(admin.status, 200);
    assert.equal(admin.json.is_admin, true);
    assert.equal(admin.json.username, 'admin');
    ids.admin = admin.json.id;
    const me = await fs('GET', '/whoami', team);
    assert.equal(me.json.is_admin, false);
    assert.equal(me.json.username, 'teamuser1');
    assert.equal(me.json.owner, 'admin');
    assert.deepEqual(Object.keys(me.json.permissions), ['Apps', 'Channels', 'Platforms', 'Archs']);
    teamId = me.json.id;

    const users = await fs('GET', '/users/list', fixture.token);
    assert.equal(users.status, 200);
    assert.equal(users.json.users.length, 1);
    assert.equal(users.json.users[0].id, teamId);
    assert.deepEqual(users.json.users[0].permissions.Apps.Allowed, [ids.testapp, ids.teamapp]);
    assert.equal(users.json.users[0].permissions.Channels.Edit, false);
    assert.deepEqual((await fs('GET', '/users/list', other)).json, { users: null });
    assert.equal((await fs('POST', '/user/update', other, { id: teamId, username: 'teamuser1', password: PASSWORD })).status, 404);
    assert.equal((await fs('DELETE', '/user/delete', other, { id: teamId })).status, 404);
    assert.equal((await fs('DELETE', '/user/delete', fixture.token, { id: 'not-an-id' })).status, 400);
  });

  it("new permissions apply to the team user's next request, without a new token", async () => {
    const updated = await fs('POST', '/user/update', fixture.token, {
      id: teamId,
      username: 'teamuser1',
      password: PASSWORD,
      permissions: {
        apps: { create: false, delete: true, edit: true, download: true, upload: true, allowed: [ids.testapp, ids.teamapp] },
        channels: { create: false, delete: true, edit: true, allowed: [ids.stable] },
        platforms: { allowed: [] },
        archs: { allowed: [] },
      },
    });
    assert.deepEqual([updated.status, updated.json], [200, { message: 'Team user updated successfully' }]);
    const renamed = await multipart(fixture.service.url, '/app/update', team, { id: ids.testapp, app: 'newApp' }, []);
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal((await multipart(fixture.service.url, '/app/create', team, { app: 'another' }, [])).status, 403);
    // An app of the account outside its allowed list: refused, with faynoSync's words.
    const mine = await multipart(fixture.service.url, '/app/create', fixture.token, { app: 'ownersonly' }, []);
    const outside = await multipart(
      fixture.service.url,
      '/app/update',
      team,
      { id: mine.json['createAppResult.Created'], app: 'stolen' },
      [],
    );
    assert.equal(outside.status, 403);
    assert.match(outside.json.error, /not in your allowed apps list/);
    const uploaded = await uploadVersion(team, '0.0.2');
    assert.equal(uploaded.status, 200, uploaded.text);
    assert.deepEqual((await fs('DELETE', `/app/delete?id=${ids.teamapp}`, team)).json, { 'deleteAppResult.DeletedCount': 1 });
    // The catalog lists are filtered by the new lists: no platforms or archs any more.
    assert.deepEqual((await fs('GET', '/platform/list', team)).json, { platforms: null });
  });

  it('a disabled team user is refused at once and cannot sign in; enabled again, it works', async () => {
    const users = await fixture.api('GET', '/team/users');
    assert.equal(users.status, 200);
    assert.equal(users.json.users[0].username, 'teamuser1');
    const [listed] = users.json.users;
    assert.ok(Date.parse(listed.created_at) > 0 && Date.parse(listed.updated_at) > 0, 'snake_case times');
    assert.deepEqual([listed.createdAt, listed.updatedAt], [listed.created_at, listed.updated_at], 'deprecated copies until 0.2.0');
    const disabled = await fixture.api('PATCH', `/team/users/${teamId}`, { disabled: true });
    assert.equal(disabled.status, 200, disabled.text);
    assert.equal(disabled.json.disabled, true);
    const refused = await fs('GET', '/app/list', team);
    assert.deepEqual([refused.status, refused.json], [401, { error: 'User is disabled' }]);
    // Cognito refuses a disabled user's sign-in; cognito-local does not (docs/operations.md), but what it hands out is refused too.
    const again = await login('teamuser1', PASSWORD);
    if (again.status === 200) assert.equal((await fs('GET', '/app/list', again.json.token)).status, 401);
    else assert.equal(again.status, 401);
    assert.equal((await fixture.api('PATCH', `/team/users/${teamId}`, { disabled: false })).status, 200);
    assert.equal((await fs('GET', '/app/list', team)).status, 200);
    assert.equal((await fixture.service.request('PATCH', `/api/sync/ota/team/users/${teamId}`, { token: other, body: {} })).status, 404);
  });

  it('API tokens through faynoSync: upload only, within allowed_apps, expiring, revocable, per owner (4.16)', async () => {
    const past = await fs('POST', '/token/create', fixture.token, {
      name: 'late',
      allowed_apps: [ids.testapp],
      expires_at: new Date(Date.now() - 60_000).toISOString(),
    });
    assert.deepEqual([past.status, past.json], [400, { error: 'expires_at must be in the future' }]);
    const foreign = await fs('POST', '/token/create', other, { name: 'x', allowed_apps: [ids.testapp] });
    assert.deepEqual([foreign.status, foreign.json], [400, { error: 'one or more allowed_apps are invalid' }]);

    const created = await fs('POST', '/token/create', fixture.token, { name: 'cicd-token-admin', allowed_apps: [ids.testapp] });
    assert.equal(created.status, 201, created.text);
    const token: string = created.json.token;
    assert.match(token, /^fns_[0-9a-f]{64}$/);
    assert.equal(created.json.token_prefix, token.slice(0, 12));
    assert.equal(created.json.expires_at, null);

    const uploaded = await uploadVersion(token, '0.0.3');
    assert.equal(uploaded.status, 200, uploaded.text);
    assert.deepEqual((await multipart(fixture.service.url, '/app/create', token, { app: 'bytoken' }, [])).json, {
      error: 'API tokens are restricted to app upload',
    });
    assert.deepEqual((await fs('GET', '/users/list', token)).json, { error: 'Admin JWT is required' });

    const list = await fs('GET', '/token/list', fixture.token);
    assert.deepEqual(
      list.json.tokens.map((t: { id: string }) => t.id),
      [created.json.id],
    );
    assert.equal(JSON.stringify(list.json).includes(token), false, 'a list never shows the token');
    assert.deepEqual((await fs('GET', '/token/list', other)).json, { tokens: [] });
    assert.deepEqual((await fs('DELETE', '/token/delete', other, { id: created.json.id })).json, { error: 'Token not found' });
    assert.deepEqual((await fs('DELETE', '/token/delete', fixture.token, { id: created.json.id })).json, { message: 'Token revoked' });
    assert.deepEqual((await fs('GET', '/search?app_name=newApp', token)).json, { error: 'invalid or expired token' });

    const shortLived = await fs('POST', '/token/create', fixture.token, {
      name: 'short',
      allowed_apps: [ids.testapp],
      expires_at: new Date(Date.now() + 1_000).toISOString(),
    });
    assert.equal(shortLived.status, 201);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const expired = await multipart(fixture.service.url, '/upload', shortLived.json.token, { app_name: 'newApp', version: '0.0.4' }, []);
    assert.deepEqual([expired.status, expired.json], [401, { error: 'token expired' }]);
  });

  it('API tokens through the service: scoped to apps and actions, listed by prefix, revoked at once', async () => {
    const otherApp = await fixture.api('POST', '/apps', { name: 'out-of-scope' });
    const created = await fixture.api('POST', '/tokens', { name: 'ci', apps: [ids.testapp], actions: ['read', 'upload', 'edit'] });
    assert.equal(created.status, 201, created.text);
    const token: string = created.json.token;
    assert.match(token, /^ota_[0-9a-f]{64}$/);
    assert.ok(Date.parse(created.json.expires_at) > Date.now() + 89 * 86_400_000, 'a token expires in 90 days by default');
    assert.deepEqual(
      [created.json.created_by, created.json.created_at, created.json.last_used_at],
      [created.json.createdBy, created.json.createdAt, null],
      'snake_case keys, as the rest of the native API',
    );
    // The camelCase keys 0.1.0 answered stay as deprecated copies until 0.2.0 (docs/teams-and-tokens.md).
    assert.deepEqual([created.json.expiresAt, created.json.lastUsedAt], [created.json.expires_at, created.json.last_used_at]);
    const api = (method: string, path: string, body?: unknown) =>
      fixture.service.request(method, `/api/sync/ota${path}`, { token, ...(body === undefined ? {} : { body }) });

    const release = await api('POST', `/apps/${ids.testapp}/releases`, { version: '2.0.0' });
    assert.equal(release.status, 201, release.text);
    assert.equal((await api('GET', `/apps/${ids.testapp}/releases`)).status, 200);
    assert.deepEqual(
      (await api('GET', '/apps')).json.apps.map((a: { id: string }) => a.id),
      [ids.testapp],
    );
    const outside = await api('GET', `/apps/${otherApp.json.id}`);
    assert.deepEqual([outside.status, outside.json.error.code], [403, 'forbidden']);
    assert.equal((await api('DELETE', `/apps/${ids.testapp}/releases/${release.json.id}`)).status, 403);
    assert.equal((await api('POST', '/channels', { name: 'bytoken' })).status, 403);
    assert.equal((await api('POST', '/tokens', { name: 'child', apps: [ids.testapp] })).status, 403);
    const whoami = await api('GET', '/whoami');
    assert.deepEqual([whoami.json.kind, whoami.json.scope.apps], ['token', [ids.testapp]]);
    assert.equal(typeof whoami.json.account_id, 'string');
    assert.deepEqual(
      [whoami.json.accountId, whoami.json.accountName],
      [whoami.json.account_id, whoami.json.account_name],
      'deprecated copies',
    );
    // Another owner's app is a 404, as for everyone else.
    assert.equal(
      (await fixture.service.request('POST', '/api/sync/ota/tokens', { token: other, body: { name: 'x', apps: [ids.testapp] } })).status,
      400,
    );

    const listed = await fixture.api('GET', '/tokens');
    assert.equal(listed.json.tokens[0].prefix, token.slice(0, 12));
    assert.equal(JSON.stringify(listed.json).includes(token), false);
    assert.equal((await fixture.api('DELETE', `/tokens/${created.json.id}`)).status, 204);
    assert.equal((await api('GET', '/apps')).status, 401);
    assert.equal((await fixture.api('DELETE', `/tokens/${created.json.id}`)).status, 404);
  });

  it('a team user allowed to make tokens makes them within its own permissions; deleting the user kills them', async () => {
    assert.equal((await fixture.api('PATCH', `/team/users/${teamId}`, { tokens: true })).status, 200);
    const tooMuch = await fixture.service.request('POST', '/api/sync/ota/tokens', {
      token: team,
      body: { name: 'wide', apps: [ids.testapp], actions: ['download', 'upload', 'delete', 'edit', 'read'] },
    });
    assert.equal(tooMuch.status, 201, tooMuch.text);
    const beyond = await fixture.service.request('POST', '/api/sync/ota/tokens', {
      token: team,
      body: {
        name: 'beyond',
        apps: [(await fixture.api('GET', '/apps')).json.apps.find((a: { name: string }) => a.name === 'ownersonly').id],
      },
    });
    assert.equal(beyond.status, 403);
    // The token narrows with its maker's permissions: take `edit` away from the user, and the token loses it too.
    const edit = () => fixture.service.request('PATCH', `/api/sync/ota/apps/${ids.testapp}`, { token: tooMuch.json.token, body: {} });
    assert.equal((await edit()).status, 200);
    const users = (await fixture.api('GET', '/team/users')).json.users;
    const permissions = users.find((u: { id: string }) => u.id === teamId).permissions;
    const narrowed = await fixture.api('PATCH', `/team/users/${teamId}`, {
      permissions: { ...permissions, apps: { ...permissions.apps, edit: false } },
    });
    assert.equal(narrowed.status, 200, narrowed.text);
    assert.equal((await edit()).status, 403);
    const deleted = await fs('DELETE', '/user/delete', fixture.token, { id: teamId });
    assert.deepEqual([deleted.status, deleted.json], [200, { message: 'Team user deleted successfully' }]);
    // Access ends with the next request, not when the access token expires.
    assert.deepEqual((await fs('GET', '/app/list', team)).json, { error: 'User not found' });
    assert.equal((await login('teamuser1', PASSWORD)).status, 401);
    const tokenOfDeleted = await fixture.service.request('GET', '/api/sync/ota/apps', { token: tooMuch.json.token });
    assert.equal(tokenOfDeleted.status, 401);
  });

  it("/admin/update changes the owner's password, with faynoSync's checks", async () => {
    const idp = fixture.service.stack.info.admin;
    const update = (body: unknown) => fs('POST', '/admin/update', fixture.token, body);
    assert.deepEqual((await update({ id: ids.admin, username: 'administrator', password: PASSWORD })).json, { error: 'Username mismatch' });
    assert.deepEqual((await update({ id: 'xyz', username: 'admin', password: PASSWORD })).json, { error: 'Invalid ID format' });
    const otherId = (await fs('GET', '/whoami', other)).json.id;
    assert.deepEqual((await update({ id: otherId, username: 'admin', password: PASSWORD })).json, { error: 'Admin not found' });
    assert.equal((await update({ id: ids.admin, username: 'admin', password: 'short' })).status, 400);
    const changed = await update({ id: ids.admin, username: 'admin', password: `${idp.password}-new` });
    assert.deepEqual([changed.status, changed.json], [200, { message: 'Admin updated successfully' }]);
    assert.equal((await login('admin', idp.password)).status, 401);
    assert.equal((await login('admin', `${idp.password}-new`)).status, 200);
  });

  it('the audit trail records who changed what, when and the result, newest first, paged; only the owner reads it', async () => {
    const first = await fixture.api('GET', '/audit?limit=5');
    assert.equal(first.status, 200, first.text);
    assert.equal(first.json.events.length, 5);
    const times = first.json.events.map((e: { at: string }) => e.at);
    assert.deepEqual(times, [...times].sort().reverse());
    assert.equal(first.json.events[0].action, 'FsAdminUpdate');
    assert.equal(first.json.events[0].actor.name, 'admin');
    // The docs' paging (docs/teams-and-tokens.md), verbatim: the raw `next` goes into the URL; every page follows on from the last.
    assert.match(first.json.next, /^[A-Za-z0-9_-]+$/, 'the cursor is URL-safe as it is');
    const pages = [first.json.events];
    let next: string | null = first.json.next;
    while (next !== null) {
      const page = await fixture.api('GET', `/audit?limit=5&cursor=${next}`);
      assert.equal(page.status, 200, page.text);
      pages.push(page.json.events);
      next = page.json.next;
    }
    const all = pages.flat();
    assert.equal(new Set(all.map((e: { id: string }) => e.id)).size, all.length, 'no event twice');
    const allTimes = all.map((e: { at: string }) => e.at);
    assert.deepEqual(allTimes, [...allTimes].sort().reverse(), 'pages continue newest first');
    const byTeam = all.find((e: { actor: { name: string }; action: string }) => e.actor.name === 'teamuser1' && e.action === 'FsAppCreate');
    assert.ok(byTeam, 'the team user appears as itself');
    assert.equal(byTeam.actor.kind, 'team');
    const refused = all.find((e: { action: string; status: number }) => e.action === 'FsUpload' && e.status === 403);
    assert.ok(refused, 'refused changes are recorded with their result');
    assert.equal(refused.error, 'Permission denied');
    assert.ok(all.some((e: { actor: { kind: string }; action: string }) => e.actor.kind === 'token' && e.action === 'FsUpload'));
    assert.equal(JSON.stringify(all).includes(PASSWORD), false, 'bodies (passwords) are never recorded');
    // A cursor is only one this service gave: garbage, a raw sort key, a key of another kind are 400.
    const sortKey = Buffer.from(first.json.next, 'base64url').toString();
    for (const cursor of ['garbage', encodeURIComponent(sortKey), Buffer.from('APP#x').toString('base64url'), `${first.json.next}=`]) {
      const bad = await fixture.api('GET', `/audit?cursor=${cursor}`);
      assert.equal(bad.status, 400, cursor);
      assert.equal(bad.json.error.message, 'cursor is not one this service gave');
    }
    assert.equal((await fixture.api('GET', '/audit?limit=1000')).status, 400);
    // Another owner reads its own trail only.
    const theirs = (await fixture.service.request('GET', '/api/sync/ota/audit', { token: other })).json.events;
    assert.ok(theirs.length > 0);
    assert.deepEqual([...new Set(theirs.map((e: { actor: { name: string } }) => e.actor.name))], ['teams-second-owner']);
  });

  it('what a team user creates at once all lands in its allowed list (no lost update)', async () => {
    const password = 'Parallel-pass-123';
    const created = await fixture.api('POST', '/team/users', {
      username: 'parallel',
      password,
      permissions: { channels: { create: true } },
    });
    assert.equal(created.status, 201, created.text);
    const token = (await fixture.service.signIn('parallel', password)).accessToken;
    // Twenty at once: a read-modify-write retried five times gave up here (a 500) on a busy machine.
    const made = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fixture.service.request('POST', '/api/sync/ota/channels', { token, body: { name: `parallel-${i}` } }),
      ),
    );
    assert.deepEqual(
      made.map((r) => r.status),
      made.map(() => 201),
      made.map((r) => r.text).join('\n'),
    );
    const user = (await fixture.api('GET', '/team/users')).json.users.find((u: { id: string }) => u.id === created.json.id);
    assert.deepEqual([...user.permissions.channels.allowed].sort(), made.map((r) => r.json.id).sort());
    const listed = await fixture.service.request('GET', '/api/sync/ota/channels', { token });
    assert.equal(listed.json.items.length, 20);
  });
});
