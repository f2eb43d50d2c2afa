import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider.js';
import { XMLParser } from 'fast-xml-parser';
import { NodeExecutor } from '../support/electron-executor.js';
import { createPublishedApp, multipartRequest, TEST_SIGNATURE, uploadArtifact, useLocalService } from '../support/local-service.js';

/**
 * One release, every client, through every face: what is published through faynoSync's `/upload`
 * with faynoSync's names (`linux`/`amd64`, a custom `macos`/`arm64`) is offered by every stock
 * client's own request shape, and what is published natively is found by faynoSync's `/checkVersion`.
 */
describe('one release, every client, every face', () => {
  const fixture = useLocalService();
  const { api } = fixture;
  const get = (path: string) => fixture.service.request('GET', path);
  const fsJson = (path: string, body: unknown) => fixture.service.request('POST', path, { token: fixture.token, body });

  const bytesAt = (url: string) => fixture.service.bytesAt(url);

  function electron(slug: string, platform: 'darwin' | 'win32' | 'linux', channel?: string) {
    const updater = { channel: channel ?? null, isAddNoCacheQuery: true };
    return new GenericProvider({ provider: 'generic', url: `${fixture.service.url}/feeds/${slug}/electron/` }, updater as never, {
      executor: new NodeExecutor() as never,
      platform,
      isUseMultipleRangeRequest: false,
    });
  }

  it('offers a release uploaded through faynoSync with its names to Tauri, electron-updater, Squirrel, Sparkle and Velopack', async () => {
    const created = await multipartRequest(fixture.service.url, 'POST', '/app/create', fixture.token, { app: 'crossapp' });
    assert.equal(created.status, 200, created.text);
    const appId = created.json['createAppResult.Created'] as string;
    assert.equal((await api('PUT', `/apps/${appId}/slug`, { slug: 'crossapp' })).status, 200);
    // faynoSync's names: the built-in linux and windows shown, a custom macOS platform, Go's arch names.
    for (const platform of ['linux', 'windows', 'macos']) assert.equal((await fsJson('/platform/create', { platform })).status, 200);
    // A custom name no client knows, declared to be macOS.
    assert.equal((await fsJson('/platform/create', { platform: 'mac-intel', canonical: 'darwin' })).status, 200);
    const listed = await fixture.service.request('GET', '/platform/list', { token: fixture.token });
    const macIntel = listed.json.platforms.find((p: { PlatformName: string }) => p.PlatformName === 'mac-intel');
    assert.equal(macIntel.Canonical, 'darwin', 'the answer says what it is');
    for (const arch of ['amd64', 'arm64']) assert.equal((await fsJson('/arch/create', { arch })).status, 200);

    const files = {
      appimage: { platform: 'linux', arch: 'amd64', name: 'crossapp.AppImage', bytes: randomBytes(3000) },
      exe: { platform: 'windows', arch: 'amd64', name: 'crossapp-setup.exe', bytes: randomBytes(3100) },
      nupkg: { platform: 'windows', arch: 'amd64', name: 'crossapp-1.2.0-full.nupkg', bytes: randomBytes(3200) },
      zip: { platform: 'macos', arch: 'arm64', name: 'crossapp-mac.zip', bytes: randomBytes(3300) },
      intel: { platform: 'mac-intel', arch: 'amd64', name: 'crossapp-intel.zip', bytes: randomBytes(3400) },
    };
    for (const f of Object.values(files)) {
      const uploaded = await multipartRequest(
        fixture.service.url,
        'POST',
        '/upload',
        fixture.token,
        { app_name: 'crossapp', version: '1.2.0', platform: f.platform, arch: f.arch, publish: true, signature: TEST_SIGNATURE },
        [{ name: f.name, bytes: f.bytes }],
      );
      assert.equal(uploaded.status, 200, uploaded.text);
    }
    await fixture.service.stack.ingestIdle();

    // Tauri, dynamic: its own words {{target}}/{{arch}}.
    const linux = await get('/api/sync/ota/crossapp/linux/x86_64/1.0.0');
    assert.equal(linux.status, 200, linux.text);
    assert.equal(linux.json.version, '1.2.0');
    assert.deepEqual(await bytesAt(linux.json.url), files.appimage.bytes);
    const mac = await get('/api/sync/ota/crossapp/darwin/aarch64/1.0.0');
    assert.equal(mac.status, 200, mac.text);
    assert.deepEqual(await bytesAt(mac.json.url), files.zip.bytes);
    const intel = await get('/api/sync/ota/crossapp/darwin/x86_64/1.0.0');
    assert.equal(intel.status, 200, intel.text);
    assert.deepEqual(await bytesAt(intel.json.url), files.intel.bytes);
    const windows = await get('/api/sync/ota/crossapp/windows/x86_64/1.0.0?bundle_type=nsis');
    assert.equal(windows.status, 200, windows.text);
    // Tauri, static: only keys a Tauri client asks for.
    const tauriStatic = await get('/feeds/crossapp/stable/tauri/latest.json');
    assert.equal(tauriStatic.status, 200, tauriStatic.text);
    const keys = Object.keys(tauriStatic.json.platforms);
    for (const key of ['linux-x86_64', 'darwin-aarch64', 'windows-x86_64']) assert.ok(keys.includes(key), `${key} in ${keys}`);
    assert.ok(!keys.some((k) => /amd64|arm64|macos/.test(k)), `no faynoSync names in ${keys}`);

    // electron-updater, with its own provider: latest-linux.yml, latest-mac.yml, latest.yml.
    for (const [platform, expected] of [
      ['linux', files.appimage.bytes],
      ['darwin', files.zip.bytes],
    ] as const) {
      const provider = electron('crossapp', platform);
      const info = await provider.getLatestVersion();
      assert.equal(info.version, '1.2.0', platform);
      const file = provider.resolveFiles(info)[0];
      assert.ok(file, `${platform}: a file`);
      const bytes = await bytesAt(file.url.href);
      assert.deepEqual(bytes, expected, platform);
      assert.equal(createHash('sha512').update(bytes).digest('base64'), file.info.sha512);
    }
    assert.equal((await electron('crossapp', 'win32').getLatestVersion()).version, '1.2.0');

    // Squirrel.Mac asks by electron's arch word; Sparkle by ours; Squirrel.Windows and Velopack read the NuGet package.
    const squirrelMac = await get('/feeds/crossapp/stable/squirrel-mac/arm64/1.0.0');
    assert.equal(squirrelMac.status, 200, squirrelMac.text);
    assert.deepEqual(await bytesAt(squirrelMac.json.url), files.zip.bytes);
    const appcast = await get('/feeds/crossapp/stable/sparkle/aarch64/appcast.xml');
    assert.equal(appcast.status, 200, appcast.text);
    const item = new XMLParser({ ignoreAttributes: false }).parse(appcast.text).rss.channel.item;
    assert.deepEqual(await bytesAt(item.enclosure['@_url']), files.zip.bytes);
    const releases = await get('/feeds/crossapp/stable/squirrel-win/x64/RELEASES');
    assert.equal(releases.status, 200, releases.text);
    assert.match(releases.text, /^[0-9A-F]{40} \S+ 3200$/im);
    const velopack = await get('/feeds/crossapp/stable/velopack/releases.win.json');
    assert.equal(velopack.status, 200, velopack.text);
    assert.equal(velopack.json.Assets[0].Version, '1.2.0');

    // faynoSync's own check still answers with its names.
    const fayno = await get(
      `/checkVersion?${new URLSearchParams({ owner: fixture.service.stack.info.admin.username, app_name: 'crossapp', version: '1.0.0', platform: 'linux', arch: 'amd64', updater: 'manual' })}`,
    );
    assert.equal(fayno.status, 200, fayno.text);
    assert.equal(fayno.json.update_available, true);
    assert.deepEqual(await bytesAt(fayno.json.update_url_appimage), files.appimage.bytes);
  });

  it('finds a natively published release through faynoSync’s /checkVersion and /apps/latest with faynoSync’s arch names', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'nativeapp');
    const release = await api('POST', `/apps/${appId}/releases`, { version: '2.0.0', channel: 'stable', critical: false });
    const bytes = randomBytes(2048);
    await uploadArtifact(fixture.service, fixture.token, appId, release.json.id, {
      target: 'linux',
      arch: 'x86_64',
      package: 'appimage',
      bytes,
    });
    assert.equal((await api('POST', `/apps/${appId}/releases/${release.json.id}/publish`, {})).status, 200);
    const owner = fixture.service.stack.info.admin.username;
    // faynoSync refuses `x86_64` in an arch; its clients say amd64.
    const check = await get(
      `/checkVersion?${new URLSearchParams({ owner, app_name: 'nativeapp', version: '1.0.0', platform: 'linux', arch: 'amd64' })}`,
    );
    assert.equal(check.status, 200, check.text);
    assert.equal(check.json.update_available, true, check.text);
    assert.deepEqual(await bytesAt(check.json.update_url_appimage), bytes);
    const latest = await get(`/apps/latest?${new URLSearchParams({ owner, app_name: 'nativeapp', channel: 'stable', arch: 'amd64' })}`);
    assert.equal(latest.status, 302, latest.text);
  });

  it('serves `latest` electron feeds from the app’s default channel', async () => {
    assert.equal((await api('POST', '/channels', { name: 'edge', follows: [] })).status, 201);
    const appId = await createPublishedApp(fixture.service, fixture.token, 'edgeapp');
    const patched = await api('PATCH', `/apps/${appId}`, { default_channel: 'edge' });
    assert.equal(patched.status, 200, patched.text);
    for (const [version, channel] of [
      ['1.0.0', 'stable'],
      ['3.0.0', 'edge'],
    ] as const) {
      const release = await api('POST', `/apps/${appId}/releases`, { version, channel });
      // A publisher may name the arch in any client's word too (`x64` is the built-in x86_64).
      await uploadArtifact(fixture.service, fixture.token, appId, release.json.id, {
        target: 'linux',
        arch: 'x64',
        package: 'appimage',
        bytes: randomBytes(100),
      });
      assert.equal((await api('POST', `/apps/${appId}/releases/${release.json.id}/publish`, {})).status, 200);
    }
    const raw = await get('/feeds/edgeapp/electron/latest-linux.yml');
    assert.equal(raw.status, 200, raw.text);
    assert.equal((await electron('edgeapp', 'linux').getLatestVersion()).version, '3.0.0');
    assert.equal((await electron('edgeapp', 'linux', 'stable').getLatestVersion()).version, '1.0.0');
    // The default channel moves back: `latest` follows at once.
    assert.equal((await api('PATCH', `/apps/${appId}`, { default_channel: 'stable' })).status, 200);
    assert.equal((await electron('edgeapp', 'linux').getLatestVersion()).version, '1.0.0');
  });
});
