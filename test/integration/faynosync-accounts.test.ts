/**
 * faynoSync's sign-up, login, apps, channels, platforms and archs, replaying the fixture of its
 * own integration tests (reference §4.1, §4.13, §4.15) against the local stack. Passwords are
 * stronger than faynoSync's tests use: the user pool's policy applies.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Reply, useLocalService } from '../support/local-service.js';

const PASSWORD = 'Password-1234';
const SECOND_PASSWORD = 'Administrator-5678';
const BAD_DELETE_ID = 'the provided hex string is not a valid ObjectID';
const RELATED = "you can't delete this item because it is related to other items";

/** faynoSync's four list routes and the key each answers under. */
const LISTS = [
  ['/app/list', 'apps'],
  ['/channel/list', 'channels'],
  ['/platform/list', 'platforms'],
  ['/arch/list', 'archs'],
] as const;

describe('faynoSync accounts, apps and catalogs', () => {
  const fixture = useLocalService();
  let tokenA = '';
  let tokenB = '';
  const ids: Record<string, string> = {};

  const json = (method: string, path: string, token: string | undefined, body: unknown): Promise<Reply> =>
    fixture.service.request(method, path, { ...(token ? { token } : {}), rawBody: typeof body === 'string' ? body : JSON.stringify(body) });

  /** A multipart request with faynoSync's `data` field (and optionally a logo `file`). */
  async function form(method: string, path: string, token: string, data: unknown, logo = false): Promise<Reply> {
    const body = new FormData();
    if (data !== undefined) body.set('data', typeof data === 'string' ? data : JSON.stringify(data));
    if (logo) body.set('file', new Blob([Buffer.from('89504e470d0a1a0a', 'hex')], { type: 'image/png' }), 'logo.png');
    const response = await fetch(`${fixture.service.url}${path}`, { method, body, headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
  }

  const signupKey = () => {
    const key = fixture.service.stack.info.signupKey;
    assert.ok(key, 'the local stack enables sign-up and records its key');
    return key;
  };

  it('signs up two admins; refuses a wrong key, an existing user, a weak password and a bad body', async () => {
    for (const [username, password] of [
      ['fsadmin', PASSWORD],
      ['administrator', SECOND_PASSWORD],
    ]) {
      const reply = await fixture.service.request('POST', '/signup', { body: { username, password, api_key: signupKey() } });
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.text, '{"result":"Successfully created admin user."}');
    }
    const wrongKey = await json('POST', '/signup', undefined, { username: 'x1', password: PASSWORD, api_key: 'UHp3aKb40poKZluZByWQ' });
    assert.equal(wrongKey.status, 401);
    assert.equal(wrongKey.text, '{"error":"wrong api key"}');
    const again = await json('POST', '/signup', undefined, { username: 'fsadmin', password: PASSWORD, api_key: signupKey() });
    assert.equal(again.status, 401);
    assert.equal(again.text, '{"error":"user already exists"}');
    const weak = await json('POST', '/signup', undefined, { username: 'weakling', password: 'password', api_key: signupKey() });
    assert.equal(weak.status, 400);
    assert.match(weak.json.error, /^password is too weak: it needs at least 12 characters, an uppercase letter, a digit, a symbol$/);
    // The weak attempt left no user behind: the name can still be signed up.
    const retry = await json('POST', '/signup', undefined, { username: 'weakling', password: PASSWORD, api_key: signupKey() });
    assert.equal(retry.status, 200, retry.text);
    // Sign-up applies the team users' name rule: no second user that looks like the first.
    for (const username of ['fsadmin\u200b', ' fsadmin', 'fs\u202eadmin', 'café', 'fs admin']) {
      const refused = await json('POST', '/signup', undefined, { username, password: PASSWORD, api_key: signupKey() });
      assert.equal(refused.status, 400, username);
      assert.equal(refused.text, '{"error":"username must be 1-128 letters, digits or . _ @ + -"}');
    }
    const garbage = await json('POST', '/signup', undefined, 'not json');
    assert.equal(garbage.status, 400);
    assert.equal(garbage.text, '{"error":"invalid request body"}');
  });

  it('logs in for a Cognito access token that works on every face; wrong credentials are 401', async () => {
    const failed = await json('POST', '/login', undefined, { username: 'fsadmin', password: 'password1' });
    assert.equal(failed.status, 401);
    assert.equal(failed.text, '{"error":"invalid username or password"}');
    const unknown = await json('POST', '/login', undefined, { username: 'nobody', password: PASSWORD });
    assert.equal(unknown.text, '{"error":"invalid username or password"}');
    const bad = await json('POST', '/login', undefined, '{"username":');
    assert.equal(bad.status, 400);
    assert.equal(bad.text, '{"error":"invalid request body"}');

    const login = await fixture.service.request('POST', '/login', { body: { username: 'fsadmin', password: PASSWORD } });
    assert.equal(login.status, 200, login.text);
    assert.deepEqual(Object.keys(login.json), ['token']);
    tokenA = login.json.token;
    tokenB = (await json('POST', '/login', undefined, { username: 'administrator', password: SECOND_PASSWORD })).json.token;
    const payload = JSON.parse(Buffer.from(tokenA.split('.')[1] as string, 'base64url').toString());
    assert.equal(payload.token_use, 'access');
    // The service's own API takes it too.
    const native = await fixture.service.request('GET', '/api/sync/ota/apps', { token: tokenA });
    assert.equal(native.status, 200);
  });

  it('lists are null before anything is created (§4.1)', async () => {
    for (const [path, key] of LISTS) {
      const reply = await fixture.service.request('GET', path, { token: tokenA });
      assert.equal(reply.status, 200);
      assert.equal(reply.text, `{"${key}":null}`);
    }
  });

  it('creates apps from multipart data with string flags; a duplicate name is 409 (§4.1)', async () => {
    const created = await form('POST', '/app/create', tokenA, { app: 'testapp', private: 'true', tuf: 'true', reports: 'true' }, true);
    assert.equal(created.status, 200, created.text);
    assert.deepEqual(Object.keys(created.json), ['createAppResult.Created']);
    ids.testapp = created.json['createAppResult.Created'];
    const publicApp = await form('POST', '/app/create', tokenA, { app: 'public testapp', reports: 'true', cdn: 'true', description: 'd' });
    ids.publicApp = publicApp.json['createAppResult.Created'];
    ids.updaters = (await form('POST', '/app/create', tokenA, { app: 'updaters' })).json['createAppResult.Created'];
    assert.ok(ids.publicApp && ids.updaters);

    const duplicate = await form('POST', '/app/create', tokenA, { app: 'testapp' });
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.text, '{"error":"app with this name already exists"}');
    // The service's own API refuses the name too: names are unique per owner whatever the face.
    const native = await fixture.service.request('POST', '/api/sync/ota/apps', { token: tokenA, body: { name: 'testapp' } });
    assert.equal(native.status, 409);
    assert.equal(native.json.error.message, 'app with this name already exists');

    // Names that look alike are one name: NFC and NFD `café` collide; invisible characters are refused.
    const cafe = await form('POST', '/app/create', tokenA, { app: 'caf\u00e9' });
    assert.equal(cafe.status, 200, cafe.text);
    ids.cafe = cafe.json['createAppResult.Created'];
    const decomposed = await form('POST', '/app/create', tokenA, { app: 'cafe\u0301' });
    assert.equal(decomposed.status, 409, decomposed.text);
    const nativeDecomposed = await fixture.service.request('POST', '/api/sync/ota/apps', { token: tokenA, body: { name: 'cafe\u0301' } });
    assert.equal(nativeDecomposed.status, 409, nativeDecomposed.text);
    for (const app of [
      'test\u200bapp',
      'testapp\u200d',
      '\ufefftestapp',
      'test\u202eppa',
      'testapp ',
      ' testapp',
      'test\u00a0app',
      'test\u0007app',
    ]) {
      const refused = await form('POST', '/app/create', tokenA, { app });
      assert.equal(refused.status, 400, JSON.stringify(app));
      assert.match(refused.json.error, /^name must not/);
      const native = await fixture.service.request('POST', '/api/sync/ota/apps', { token: tokenA, body: { name: app } });
      assert.equal(native.status, 400, JSON.stringify(app));
    }
    const renamed = await form('POST', '/app/update', tokenA, { id: ids.updaters, app: 'up\u200bdaters' });
    assert.equal(renamed.status, 400, renamed.text);
    assert.equal((await fixture.service.request('DELETE', `/app/delete?id=${ids.cafe}`, { token: tokenA })).status, 200);

    assert.equal((await form('POST', '/app/create', tokenA, { app: 'x', private: true })).text, '{"error":"Invalid JSON data"}');
    assert.equal((await form('POST', '/app/create', tokenA, '{nope')).text, '{"error":"Invalid JSON data"}');
    assert.equal((await form('POST', '/app/create', tokenA, undefined)).text, '{"error":"No JSON data provided"}');
    const missing = await form('POST', '/app/create', tokenA, { description: 'no name' });
    assert.equal(missing.status, 400);
    assert.equal(missing.text, '{"error":"app is required"}');

    const list = await fixture.service.request('GET', '/app/list', { token: tokenA });
    assert.deepEqual(
      list.json.apps.map((a: { AppName: string }) => a.AppName),
      ['testapp', 'public testapp', 'updaters'],
    );
    const [testapp, pub] = list.json.apps;
    assert.deepEqual(Object.keys(testapp), [
      'ID',
      'AppName',
      'Logo',
      'Private',
      'Tuf',
      'Reports',
      'CdnEdge',
      'Description',
      'Owner',
      'Updated_at',
    ]);
    assert.deepEqual(
      { ...testapp, Updated_at: undefined },
      {
        ID: ids.testapp,
        AppName: 'testapp',
        Logo: '',
        Private: true,
        Tuf: true,
        Reports: true,
        CdnEdge: false,
        Description: '',
        Owner: 'fsadmin',
        Updated_at: undefined,
      },
    );
    assert.ok(!Number.isNaN(Date.parse(testapp.Updated_at)));
    assert.equal(pub.Private, false);
    assert.equal(pub.CdnEdge, true);
    assert.equal(pub.Description, 'd');
  });

  it('creates channels, platforms and archs with faynoSync names, results and messages (§4.1)', async () => {
    for (const name of ['nightly', 'stable']) {
      const reply = await json('POST', '/channel/create', tokenA, { channel: name });
      assert.equal(reply.status, 200, reply.text);
      ids[name] = reply.json['createChannelResult.Created'];
      assert.ok(ids[name]);
    }
    const badName = await json('POST', '/channel/create', tokenA, { channel: 'nightly *' });
    assert.equal(badName.status, 400);
    assert.equal(badName.text, '{"error":"invalid channel name"}');
    assert.equal((await json('POST', '/channel/create', tokenA, { channel: 'night-ly' })).text, '{"error":"invalid channel name"}');
    const dupChannel = await json('POST', '/channel/create', tokenA, { channel: 'nightly' });
    assert.equal(dupChannel.status, 409);
    assert.equal(dupChannel.text, '{"error":"channel with this name already exists"}');
    assert.equal((await json('POST', '/channel/create', tokenA, {})).text, '{"error":"Invalid request body"}');

    const platforms: [string, unknown][] = [
      ['universalPlatform', undefined],
      ['windows', undefined],
      ['macos', undefined],
      [
        'macosTauri',
        [
          { type: 'manual', default: false },
          { type: 'tauri', default: true },
        ],
      ],
      ['macosSquirrel', undefined],
      ['secondPlatform', undefined],
    ];
    for (const [platform, updaters] of platforms) {
      const reply = await json('POST', '/platform/create', tokenA, { platform, ...(updaters ? { updaters } : {}) });
      assert.equal(reply.status, 200, `${platform}: ${reply.text}`);
      ids[platform] = reply.json['createPlatformResult.Created'];
    }
    for (const [platform, updaters] of [
      [
        'windows',
        [
          { type: 'manual', default: false },
          { type: 'squirrel_windows', default: true },
          { type: 'electron-builder', default: false },
        ],
      ],
      [
        'macos',
        [
          { type: 'manual', default: false },
          { type: 'squirrel_darwin', default: true },
          { type: 'electron-builder', default: false },
          { type: 'tauri', default: false },
        ],
      ],
    ] as const) {
      const reply = await json('POST', '/platform/update', tokenA, { id: ids[platform], platform, updaters });
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.text, '{"updatePlatformResult.Updated":true}');
    }
    const dupPlatform = await json('POST', '/platform/create', tokenA, { platform: 'universalPlatform' });
    assert.equal(dupPlatform.status, 409);
    assert.equal(dupPlatform.text, '{"error":"platform with this name already exists"}');

    const updaterErrors: [unknown, string][] = [
      [
        [{ type: 'foo', default: true }],
        'invalid updater type: foo. Valid types are: [manual squirrel_darwin squirrel_windows sparkle electron-builder tauri velopack]',
      ],
      [
        [
          { type: 'manual', default: true },
          { type: 'manual', default: false },
        ],
        'duplicate updater type: manual',
      ],
      [[{ type: 'manual', default: false }], 'exactly one updater must be set as default'],
      [
        [
          { type: 'manual', default: true },
          { type: 'tauri', default: true },
        ],
        'only one updater can be set as default',
      ],
    ];
    for (const [updaters, message] of updaterErrors) {
      const created = await json('POST', '/platform/create', tokenA, { platform: 'other', updaters });
      assert.equal(created.status, 400);
      assert.equal(created.json.error, message);
      const updated = await json('POST', '/platform/update', tokenA, { id: ids.secondPlatform, platform: 'secondPlatform', updaters });
      assert.equal(updated.json.error, message);
    }
    const none = await json('POST', '/platform/update', tokenA, { id: ids.secondPlatform, platform: 'secondPlatform', updaters: [] });
    assert.equal(none.text, '{"error":"at least one updater is required"}');
    const missing = await json('POST', '/platform/update', tokenA, { id: ids.secondPlatform, platform: 'secondPlatform' });
    assert.equal(missing.text, '{"error":"Invalid request body"}');
    assert.equal((await json('POST', '/platform/create', tokenA, { platform: 'bad_name' })).text, '{"error":"invalid platform name"}');

    for (const arch of ['universalArch', 'secondArch']) {
      const reply = await json('POST', '/arch/create', tokenA, { arch });
      assert.equal(reply.status, 200, reply.text);
      ids[arch] = reply.json['createArchResult.Created'];
    }
    const dupArch = await json('POST', '/arch/create', tokenA, { arch: 'universalArch' });
    assert.equal(dupArch.status, 409);
    assert.equal(dupArch.text, '{"error":"arch with this name already exists"}');
    assert.equal((await json('POST', '/arch/create', tokenA, { arch: 'x86_64' })).text, '{"error":"invalid architecture name"}');

    const channels = await fixture.service.request('GET', '/channel/list', { token: tokenA });
    assert.deepEqual(
      channels.json.channels.map((c: { ChannelName: string }) => c.ChannelName),
      ['nightly', 'stable'],
    );
    assert.deepEqual(Object.keys(channels.json.channels[0]), ['ID', 'ChannelName', 'Owner', 'Updated_at']);
    assert.equal(channels.json.channels[0].Owner, 'fsadmin');
    const platformList = (await fixture.service.request('GET', '/platform/list', { token: tokenA })).json.platforms;
    assert.equal(platformList.length, 6);
    const byName = new Map(platformList.map((p: { PlatformName: string }) => [p.PlatformName, p]));
    assert.deepEqual((byName.get('universalPlatform') as { Updaters: unknown }).Updaters, [{ type: 'manual', default: true }]);
    assert.deepEqual((byName.get('windows') as { Updaters: unknown }).Updaters, [
      { type: 'manual', default: false },
      { type: 'squirrel_windows', default: true },
      { type: 'electron-builder', default: false },
    ]);
    assert.deepEqual(Object.keys(platformList[0]), ['ID', 'PlatformName', 'Updaters', 'Owner', 'Updated_at']);
    const archs = (await fixture.service.request('GET', '/arch/list', { token: tokenA })).json.archs;
    assert.deepEqual(
      archs.map((a: { ArchID: string }) => a.ArchID),
      ['secondArch', 'universalArch'],
    );
  });

  it("a second owner sees nothing of the first's and gets 404s (§4.13)", async () => {
    for (const [path, key] of LISTS) {
      assert.equal((await fixture.service.request('GET', path, { token: tokenB })).text, `{"${key}":null}`);
    }
    const app = await form('POST', '/app/update', tokenB, { id: ids.testapp, app: 'newApp' });
    assert.equal(app.status, 404);
    assert.equal(app.text, '{"error":"app not found"}');
    const updates: [string, Record<string, unknown>, string][] = [
      ['/channel/update', { id: ids.stable, channel: 'unstable' }, 'channel'],
      [
        '/platform/update',
        { id: ids.universalPlatform, platform: 'newPlatform', updaters: [{ type: 'manual', default: true }] },
        'platform',
      ],
      ['/arch/update', { id: ids.universalArch, arch: 'newArch' }, 'arch'],
    ];
    for (const [path, body, thing] of updates) {
      const reply = await json('POST', path, tokenB, body);
      assert.equal(reply.status, 404, path);
      assert.equal(reply.text, `{"error":"${thing} not found"}`);
    }
    for (const [path, id, thing] of [
      ['/channel/delete', ids.nightly, 'channel'],
      ['/platform/delete', ids.universalPlatform, 'platform'],
      ['/arch/delete', ids.universalArch, 'arch'],
      ['/app/delete', ids.testapp, 'app'],
    ] as const) {
      const reply = await fixture.service.request('DELETE', `${path}?id=${id}`, { token: tokenB });
      assert.equal(reply.status, 404, path);
      assert.deepEqual(reply.json, { details: `${thing} not found`, error: `failed to delete ${thing}` });
    }
    // Names are per owner: the second owner may use the same ones.
    assert.equal((await json('POST', '/channel/create', tokenB, { channel: 'nightly' })).status, 200);
    assert.equal((await form('POST', '/app/create', tokenB, { app: 'testapp' })).status, 200);
    // Everything of the first owner is still there.
    assert.equal((await fixture.service.request('GET', '/app/list', { token: tokenA })).json.apps.length, 3);
  });

  it('renames and deletes as faynoSync does; in-use deletes are 409 with its details (§4.15)', async () => {
    for (const name of ['newChannel', 'unstable']) {
      const reply = await json('POST', '/channel/update', tokenA, { id: ids.stable, channel: name });
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.text, '{"updateChannelResult.Updated":true}');
    }
    assert.equal((await json('POST', '/channel/update', tokenA, { id: ids.stable, channel: 'nightly' })).status, 409);
    assert.equal(
      (await json('POST', '/channel/update', tokenA, { id: ids.stable, channel: 'bad name' })).text,
      '{"error":"invalid channel name"}',
    );
    const channels = await fixture.service.request('GET', '/channel/list', { token: tokenA });
    assert.deepEqual(
      channels.json.channels.map((c: { ChannelName: string }) => c.ChannelName),
      ['nightly', 'unstable'],
    );

    // A version in nightly keeps the channel and the app.
    const release = await fixture.service.request('POST', `/api/sync/ota/apps/${ids.testapp}/releases`, {
      token: tokenA,
      body: { version: '0.0.1', channel: 'nightly' },
    });
    assert.equal(release.status, 201, release.text);
    const inUse = await fixture.service.request('DELETE', `/channel/delete?id=${ids.nightly}`, { token: tokenA });
    assert.equal(inUse.status, 409);
    assert.equal(inUse.text, JSON.stringify({ details: RELATED, error: 'failed to delete channel' }));
    const appInUse = await fixture.service.request('DELETE', `/app/delete?id=${ids.testapp}`, { token: tokenA });
    assert.equal(appInUse.status, 409);
    assert.equal(appInUse.text, JSON.stringify({ details: RELATED, error: 'failed to delete app' }));
    const removed = await fixture.service.request('DELETE', `/api/sync/ota/apps/${ids.testapp}/releases/${release.json.id}`, {
      token: tokenA,
    });
    assert.equal(removed.status, 204);

    for (const id of [ids.nightly, ids.stable]) {
      const reply = await fixture.service.request('DELETE', `/channel/delete?id=${id}`, { token: tokenA });
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.text, '{"deleteChannelResult.DeletedCount":1}');
    }
    assert.equal((await fixture.service.request('GET', '/channel/list', { token: tokenA })).text, '{"channels":null}');
    // "stable" was the built-in default channel: deleting it here hid it, under its own name again.
    const native = await fixture.service.request('GET', '/api/sync/ota/channels', { token: tokenA });
    assert.ok(native.json.items.some((c: { name: string }) => c.name === 'stable'));

    const renamed = await json('POST', '/platform/update', tokenA, {
      id: ids.universalPlatform,
      platform: 'newPlatform',
      updaters: [{ type: 'manual', default: true }],
    });
    assert.equal(renamed.text, '{"updatePlatformResult.Updated":true}');
    const badPlatform = await json('POST', '/platform/update', tokenA, {
      id: ids.universalPlatform,
      platform: 'new * Platform',
      updaters: [{ type: 'manual', default: true }],
    });
    assert.equal(badPlatform.status, 400);
    assert.equal(badPlatform.text, '{"error":"invalid platform name"}');
    for (const name of ['windows', 'macos', 'macosTauri', 'macosSquirrel', 'secondPlatform']) {
      const reply = await fixture.service.request('DELETE', `/platform/delete?id=${ids[name]}`, { token: tokenA });
      assert.equal(reply.text, '{"deletePlatformResult.DeletedCount":1}', name);
    }
    const platforms = (await fixture.service.request('GET', '/platform/list', { token: tokenA })).json.platforms;
    assert.deepEqual(
      platforms.map((p: { PlatformName: string }) => p.PlatformName),
      ['newPlatform'],
    );

    assert.equal(
      (await json('POST', '/arch/update', tokenA, { id: ids.universalArch, arch: 'newArch' })).text,
      '{"updateArchResult.Updated":true}',
    );
    assert.equal(
      (await fixture.service.request('DELETE', `/arch/delete?id=${ids.secondArch}`, { token: tokenA })).text,
      '{"deleteArchResult.DeletedCount":1}',
    );
    const archs = (await fixture.service.request('GET', '/arch/list', { token: tokenA })).json.archs;
    assert.deepEqual(
      archs.map((a: { ArchID: string }) => a.ArchID),
      ['newArch'],
    );

    const updated = await form('POST', '/app/update', tokenA, { id: ids.testapp, app: 'newApp', tuf: 'false', reports: 'false' }, true);
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.text, '{"updateAppResult.Updated":true}');
    const newApp = (await fixture.service.request('GET', '/app/list', { token: tokenA })).json.apps.find(
      (a: { ID: string }) => a.ID === ids.testapp,
    );
    assert.equal(newApp.AppName, 'newApp');
    assert.equal(newApp.Tuf, false);
    assert.equal(newApp.Reports, false);
    assert.equal(newApp.Private, true);
    const clash = await form('POST', '/app/update', tokenA, { id: ids.testapp, app: 'updaters' });
    assert.equal(clash.status, 409);
    assert.equal(clash.text, '{"error":"app with this name already exists"}');
    assert.equal((await form('POST', '/app/update', tokenA, { app: 'x' })).text, '{"error":"id is required"}');
    assert.equal((await form('POST', '/app/update', tokenA, { id: ids.testapp })).text, '{"error":"app is required"}');
    assert.equal((await form('POST', '/app/update', tokenA, { id: 'not-an-id', app: 'x' })).text, '{"error":"invalid id format"}');
    // The old name is free again after the rename.
    const reused = await form('POST', '/app/create', tokenA, { app: 'testapp' });
    assert.equal(reused.status, 200, reused.text);
    ids.reused = reused.json['createAppResult.Created'];

    for (const id of [ids.testapp, ids.updaters, ids.publicApp, ids.reused]) {
      const reply = await fixture.service.request('DELETE', `/app/delete?id=${id}`, { token: tokenA });
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.text, '{"deleteAppResult.DeletedCount":1}');
    }
    assert.equal((await fixture.service.request('GET', '/app/list', { token: tokenA })).text, '{"apps":null}');
    // A deleted app's name can be taken again.
    assert.equal((await form('POST', '/app/create', tokenA, { app: 'updaters' })).status, 200);

    const gone = await fixture.service.request('DELETE', `/app/delete?id=${ids.testapp}`, { token: tokenA });
    assert.equal(gone.status, 404);
    const malformed = await fixture.service.request('DELETE', '/app/delete?id=zzz', { token: tokenA });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.text, `{"error":"${BAD_DELETE_ID}"}`);
    assert.equal((await fixture.service.request('DELETE', '/channel/delete', { token: tokenA })).text, `{"error":"${BAD_DELETE_ID}"}`);
  });

  it("gives apps a slug at once (from the name, suffixed on a clash); a deleted app's slug is held for its owner (409 for others)", async () => {
    const native = (token: string, method: string, path: string, body?: unknown) =>
      fixture.service.request(method, `/api/sync/ota${path}`, { token, ...(body === undefined ? {} : { body }) });
    const create = async (token: string, app: string) => {
      const created = await form('POST', '/app/create', token, { app });
      assert.equal(created.status, 200, created.text);
      const id = created.json['createAppResult.Created'] as string;
      return { id, slug: (await native(token, 'GET', `/apps/${id}`)).json.slug as string };
    };
    const first = await create(tokenA, 'Slug Démo App');
    assert.equal(first.slug, 'slug-demo-app');
    const clash = await create(tokenB, 'Slug Démo App');
    assert.match(clash.slug, /^slug-demo-app-[a-z0-9]{5}$/, 'another owner: the same base with a suffix');

    assert.equal((await fixture.service.request('DELETE', `/app/delete?id=${first.id}`, { token: tokenA })).status, 200);
    const taken = await native(tokenB, 'PUT', `/apps/${clash.id}/slug`, { slug: 'slug-demo-app' });
    assert.equal(taken.status, 409, taken.text);
    const until = /held for its former owner until (\S+)$/.exec(taken.json.error.message)?.[1] ?? '';
    const days = (Date.parse(until) - Date.now()) / 86_400_000;
    assert.ok(days > 29.9 && days <= 30, `held 30 days, not ${days}`);
    assert.notEqual((await create(tokenB, 'slug demo app')).slug, 'slug-demo-app', 'nor does a new app of another owner get it');

    const again = await create(tokenA, 'Slug Demo App');
    assert.equal(again.slug, 'slug-demo-app', 'its former owner reclaims it at once');
  });
});
