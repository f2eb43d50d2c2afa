import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { uploadArtifact, useLocalService } from '../support/local-service.js';

/**
 * faynoSync's public answers (`/checkVersion`, `/apps/latest`) against the scenarios of its own
 * tests (reference faynosync-wire.md 4.4, 4.5, 4.9, 4.12). The versions are set up through the
 * service's own API, so these tests stand on their own; faynoSync's 4-part versions are covered
 * by the upload tests. Versions here are 3-part because the service API takes semver.
 */
describe('faynoSync checkVersion and apps/latest', () => {
  const fixture = useLocalService();
  let owner = '';
  let appId = '';
  const bytes = (label: string) => Buffer.from(`${label} bytes`);

  const api = (method: string, path: string, body?: unknown) => fixture.api(method, path, body);
  const check = (query: Record<string, string>) =>
    fixture.service.request('GET', `/checkVersion?${new URLSearchParams({ owner, app_name: 'testapp', ...query })}`);
  const latest = (query: Record<string, string>) =>
    fixture.service.request('GET', `/apps/latest?${new URLSearchParams({ owner, app_name: 'testapp', ...query })}`);

  async function release(
    version: string,
    channel: string,
    files: { platform: string; arch: string; package: string; signature?: string }[],
    options: { publish?: boolean; critical?: boolean; intermediate?: boolean; changelog?: string; rollout?: number } = {},
  ): Promise<string> {
    const created = await api('POST', `/apps/${appId}/releases`, {
      version,
      channel,
      publish: false,
      ...(options.critical ? { critical: true } : {}),
      ...(options.intermediate ? { intermediate: true } : {}),
      ...(options.changelog ? { changelog: options.changelog } : {}),
      ...(options.rollout !== undefined ? { rollout_percent: options.rollout } : {}),
    });
    assert.equal(created.status, 201, created.text);
    const id = created.json.id as string;
    for (const f of files) {
      await uploadArtifact(fixture.service, fixture.token, appId, id, {
        target: f.platform,
        arch: f.arch,
        package: f.package,
        bytes: bytes(`${version}-${f.platform}-${f.arch}-${f.package}`),
        artifactSignature: f.signature ?? null,
      });
    }
    if (options.publish !== false) {
      const published = await api('POST', `/apps/${appId}/releases/${id}/publish`, {});
      assert.equal(published.status, 200, published.text);
    }
    return id;
  }

  const universal = (pkgs: string[]) => pkgs.map((p) => ({ platform: 'universalPlatform', arch: 'universalArch', package: p }));
  const ids: Record<string, string> = {};
  before(async () => {
    owner = fixture.service.stack.info.admin.username;
    for (const name of ['nightly', 'stable2', 'beta']) assert.equal((await api('POST', '/channels', { name, follows: [] })).status, 201);
    for (const [name, updaters] of [
      ['universalPlatform', [{ type: 'manual', default: true }]],
      ['secondPlatform', [{ type: 'manual', default: true }]],
      [
        'macosTauri',
        [
          { type: 'manual', default: false },
          { type: 'tauri', default: true },
        ],
      ],
      [
        'macosSquirrel',
        [
          { type: 'manual', default: false },
          { type: 'squirrel_darwin', default: true },
        ],
      ],
    ] as const) {
      assert.equal((await api('POST', '/platforms', { name, updaters })).status, 201);
    }
    for (const name of ['universalArch', 'secondArch']) assert.equal((await api('POST', '/archs', { name })).status, 201);
    const app = await api('POST', '/apps', { name: 'testapp' });
    assert.equal(app.status, 201, app.text);
    appId = app.json.id;

    ids['0.0.2'] = await release('0.0.2', 'nightly', universal(['dmg', 'pkg', 'none']), { critical: true, changelog: '### Changelog' });
    ids['0.0.3'] = await release('0.0.3', 'nightly', universal(['dmg']), { publish: false });
    ids['0.0.4'] = await release('0.0.4', 'stable2', universal(['dmg', 'pkg', 'none']), { critical: true });
    ids['0.0.5'] = await release('0.0.5', 'stable2', universal(['dmg']), { publish: false });
  });

  it('answers as faynoSync does for equal, older and newer client versions (4.5)', async () => {
    const equal = await check({ version: '0.0.2', channel: 'nightly', platform: 'universalPlatform', arch: 'universalArch' });
    assert.equal(equal.status, 200, equal.text);
    assert.deepEqual(Object.keys(equal.json), [
      'critical',
      'possible_rollback',
      'update_available',
      'update_url',
      'update_url_dmg',
      'update_url_pkg',
    ]);
    assert.equal(equal.json.critical, false, 'equal to the newest: critical is false even for a critical version');
    assert.equal(equal.json.update_available, false);
    assert.equal(equal.json.possible_rollback, false);
    assert.match(equal.json.update_url_dmg, new RegExp(`/files/${appId}/${ids['0.0.2']}/[A-Z0-9]+/testapp-0\\.0\\.2\\.dmg$`));
    assert.match(equal.json.update_url, /\/testapp-0\.0\.2$/);

    // 0.0.3 is a draft: the client is ahead of what is published.
    const ahead = await check({ version: '0.0.3', channel: 'nightly', platform: 'universalPlatform', arch: 'universalArch' });
    assert.equal(ahead.json.possible_rollback, true);
    assert.equal(ahead.json.critical, true);
    assert.equal(ahead.json.changelog, '### Changelog\n');
    assert.equal(ahead.json.update_url_dmg, equal.json.update_url_dmg);

    const behind = await check({ version: '0.0.1', channel: 'nightly', platform: 'universalPlatform', arch: 'universalArch' });
    assert.deepEqual(Object.keys(behind.json), [
      'changelog',
      'critical',
      'update_available',
      'update_url',
      'update_url_dmg',
      'update_url_pkg',
    ]);
    assert.equal(behind.json.update_available, true);
    assert.equal(behind.json.critical, true);

    const stable = await check({ version: '0.0.5', channel: 'stable2', platform: 'universalPlatform', arch: 'universalArch' });
    assert.equal(stable.json.possible_rollback, true);
    assert.equal(stable.json.critical, true);
    assert.equal(stable.json.changelog, undefined, 'no changelog key when the newest has none');
    assert.match(stable.json.update_url_pkg, /testapp-0\.0\.4\.pkg$/);

    // The link serves the verified bytes of that file.
    const hop = await fetch(behind.json.update_url_pkg, { redirect: 'manual' });
    assert.equal(hop.status, 302);
    const file = await fetch(hop.headers.get('location') as string);
    assert.equal(Buffer.from(await file.arrayBuffer()).toString(), '0.0.2-universalPlatform-universalArch-pkg bytes');
  });

  it("refuses what faynoSync refuses, with faynoSync's texts (3.4)", async () => {
    const cases: [Record<string, string>, string][] = [
      [
        { version: '0.0.1', platform: 'universalPlatform', arch: 'universalArch' },
        'you have a created channels, setting channel is required',
      ],
      [{ version: '0.0.1', channel: 'nope' }, 'wrong name of channel. Channel does not exist'],
      [{ version: '0.0.1', channel: 'nightly', app_name: 'my_app' }, 'invalid app_name parameter'],
      [{ version: 'abc', channel: 'nightly' }, 'invalid version parameter'],
      [{ version: '0.0.1', channel: 'night-ly' }, 'invalid channel parameter'],
      [{ version: '0.0.1', channel: 'nightly', arch: 'x86_64' }, 'invalid arch parameter'],
      [{ version: '1..2', channel: 'nightly' }, 'Malformed version: 1..2'],
      [{ version: '0.0.1', channel: 'nightly', app_name: 'unknown' }, 'app_name not found in apps_meta collection'],
      [{ version: '0.0.1', channel: 'nightly', owner: 'someone-else' }, 'app_name not found in apps_meta collection'],
      [
        { version: '0.0.1', channel: 'nightly', platform: 'secondPlatform', arch: 'secondArch' },
        'no matching documents found for app_name: testapp',
      ],
    ];
    for (const [query, error] of cases) {
      const reply = await check(query);
      assert.equal(reply.status, 400, JSON.stringify(query));
      assert.deepEqual(reply.json, { error }, JSON.stringify(query));
    }
  });

  it('offers the lowest stepping stone above the client first (4.12)', async () => {
    const second = (pkg = 'dmg') => [{ platform: 'secondPlatform', arch: 'secondArch', package: pkg }];
    ids['0.0.6'] = await release('0.0.6', 'beta', second(), { intermediate: true, changelog: '### Changelog' });
    ids['0.0.7'] = await release('0.0.7', 'beta', second(), { intermediate: true });
    ids['0.0.8'] = await release('0.0.8', 'beta', second());
    ids['0.0.9'] = await release('0.0.9', 'beta', second(), { intermediate: true, critical: true });
    ids['0.0.10'] = await release('0.0.10', 'beta', second());
    const at = (version: string) => check({ version, channel: 'beta', platform: 'secondPlatform', arch: 'secondArch' });
    const from6 = await at('0.0.6');
    assert.deepEqual([from6.json.is_intermediate_required, from6.json.critical], [true, false]);
    assert.match(from6.json.update_url_dmg, /testapp-0\.0\.7\.dmg$/);
    for (const client of ['0.0.7', '0.0.8']) {
      const reply = await at(client);
      assert.deepEqual([reply.json.is_intermediate_required, reply.json.critical], [true, true], client);
      assert.match(reply.json.update_url_dmg, /testapp-0\.0\.9\.dmg$/);
    }
    const from9 = await at('0.0.9');
    assert.equal(from9.json.is_intermediate_required, undefined);
    assert.match(from9.json.update_url_dmg, /testapp-0\.0\.10\.dmg$/);
    const equal = await at('0.0.10');
    assert.deepEqual([equal.json.update_available, equal.json.possible_rollback], [false, false]);
  });

  it("answers in the platform's updater format: tauri JSON, squirrel_darwin url, 204 when current (4.9)", async () => {
    ids['0.1.0'] = await release('0.1.0', 'nightly', [
      { platform: 'macosTauri', arch: 'universalArch', package: 'zip', signature: 'dW50cnVzdGVkU2lnbmF0dXJl' },
      { platform: 'macosSquirrel', arch: 'universalArch', package: 'zip' },
    ]);
    const tauri = await check({ version: '0.0.9', channel: 'nightly', platform: 'macosTauri', arch: 'universalArch' });
    assert.deepEqual(Object.keys(tauri.json), ['version', 'url', 'signature']);
    assert.equal(tauri.json.version, '0.1.0');
    assert.equal(tauri.json.signature, 'dW50cnVzdGVkU2lnbmF0dXJl');
    assert.equal((await check({ version: '0.1.0', channel: 'nightly', platform: 'macosTauri', arch: 'universalArch' })).status, 204);

    const squirrel = await check({ version: '0.0.9', channel: 'nightly', platform: 'macosSquirrel', arch: 'universalArch' });
    assert.deepEqual(Object.keys(squirrel.json), ['critical', 'update_available', 'url']);
    assert.match(squirrel.json.url, /testapp-0\.1\.0\.zip$/);
    assert.equal((await check({ version: '0.1.0', channel: 'nightly', platform: 'macosSquirrel', arch: 'universalArch' })).status, 204);
    // updater= picks another of the platform's updaters.
    const manual = await check({
      version: '0.0.9',
      channel: 'nightly',
      platform: 'macosSquirrel',
      arch: 'universalArch',
      updater: 'manual',
    });
    assert.match(manual.json.update_url_zip, /testapp-0\.1\.0\.zip$/);
  });

  it('hands a staged version to the client with its rollout percent and a stable seed', async () => {
    ids['0.2.0'] = await release('0.2.0', 'nightly', universal(['dmg']), { rollout: 20 });
    const reply = await check({ version: '0.1.0', channel: 'nightly', platform: 'universalPlatform', arch: 'universalArch' });
    assert.equal(reply.json.rollout.percent, 20);
    assert.equal(
      reply.json.rollout.seed,
      createHash('sha256')
        .update(ids['0.2.0'] as string)
        .digest('hex')
        .slice(0, 16),
    );
  });

  it('apps/latest: the nested map, a redirect when one link is left, and its errors (4.4)', async () => {
    const map = await latest({ channel: 'stable2', platform: 'universalPlatform', arch: 'universalArch' });
    assert.equal(map.status, 200, map.text);
    const packages = map.json.stable2.universalPlatform.universalArch;
    assert.deepEqual(Object.keys(packages).sort(), ['dmg', 'no-extension', 'pkg']);
    assert.match(packages.dmg.url, /testapp-0\.0\.4\.dmg$/);
    const one = await latest({ channel: 'stable2', platform: 'universalPlatform', arch: 'universalArch', package: 'dmg' });
    assert.equal(one.status, 302);
    assert.equal(one.headers.get('location'), packages.dmg.url);
    assert.deepEqual((await latest({})).json, { error: "Parameters 'app_name' and 'channel' are required" });
    assert.equal((await latest({ channel: 'nope' })).status, 404);
    assert.deepEqual((await latest({ channel: 'stable2', platform: 'secondPlatform' })).json, {
      error: 'No matching data found for the provided parameters',
    });
  });

  it('follows a yank at once: the version leaves every answer', async () => {
    const yanked = await api('POST', `/apps/${appId}/releases/${ids['0.0.4']}/yank`, {});
    assert.equal(yanked.status, 200, yanked.text);
    const reply = await check({ version: '0.0.1', channel: 'stable2', platform: 'universalPlatform', arch: 'universalArch' });
    assert.deepEqual(reply.json, { error: 'no matching documents found for app_name: testapp' });
  });

  it('an owner with no channels, platforms or archs of its own is answered without them', async () => {
    const token = await fixture.service.newAccountToken('solo-owner');
    const call = (method: string, path: string, body?: unknown) =>
      fixture.service.request(method, `/api/sync/ota${path}`, { token, ...(body ? { body } : {}) });
    const app = await call('POST', '/apps', { name: 'solo' });
    const created = await call('POST', `/apps/${app.json.id}/releases`, { version: '1.0.0', publish: false });
    await uploadArtifact(fixture.service, token, app.json.id, created.json.id, {
      target: 'any',
      arch: 'any',
      package: 'none',
      bytes: bytes('solo'),
      artifactSignature: null,
    });
    assert.equal((await call('POST', `/apps/${app.json.id}/releases/${created.json.id}/publish`, {})).status, 200);
    const reply = await fixture.service.request(
      'GET',
      `/checkVersion?${new URLSearchParams({ owner: 'solo-owner', app_name: 'solo', version: '0.9.0' })}`,
    );
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual(Object.keys(reply.json), ['critical', 'update_available', 'update_url']);
  });
});
