import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { parse } from 'yaml';
import { type ExpatReading, loadAsElectronUpdater, parseWithExpat } from '../support/client-parsers.js';
import { createPublishedApp, uploadArtifact, useLocalService } from '../support/local-service.js';

/** The stock updaters' feeds over HTTP, generated from one publish, and the bytes behind them. */
describe('feeds for the stock updaters', () => {
  const fixture = useLocalService();
  const { api } = fixture;

  /** Follows a feed's download URL (a 302 to the bytes) and returns the bytes. */
  async function fetchFile(url: string): Promise<Buffer> {
    const { pathname } = new URL(url);
    const redirect = await fixture.service.request('GET', pathname);
    assert.equal(redirect.status, 302, `${pathname}: ${redirect.text}`);
    const file = await fetch(redirect.headers.get('location') as string);
    assert.equal(file.status, 200);
    return Buffer.from(await file.arrayBuffer());
  }

  it('publishes once and every feed follows: electron-updater, Squirrel.Mac, Sparkle, Tauri static', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'feeds-app');
    const bytes: Record<string, Buffer> = {};
    async function release(
      version: string,
      files: { target: string; arch: string; package: string }[],
      extra: Record<string, unknown> = {},
    ) {
      const id = (await api('POST', `/apps/${appId}/releases`, { version, channel: 'stable', notes: `Notes ${version}`, ...extra })).json
        .id;
      for (const f of files) {
        const data = randomBytes(512);
        bytes[`${version}/${f.target}/${f.arch}/${f.package}`] = data;
        await uploadArtifact(fixture.service, fixture.token, appId, id, { ...f, bytes: data });
      }
      assert.equal((await api('POST', `/apps/${appId}/releases/${id}/publish`, {})).status, 200);
      return id;
    }
    const everything = [
      { target: 'darwin', arch: 'x86_64', package: 'zip' },
      { target: 'darwin', arch: 'aarch64', package: 'zip' },
      { target: 'windows', arch: 'x86_64', package: 'nsis' },
      { target: 'linux', arch: 'x86_64', package: 'appimage' },
    ];
    await release('1.0.0', everything);
    await release('1.1.0', everything, { critical: true });
    // 1.2.0 reaches macOS only: the static Tauri file must not offer it to the other platforms.
    await release('1.2.0', everything.slice(0, 2));

    // electron-updater: latest-mac.yml lists both arches, the arm64 build named so MacUpdater picks it.
    const mac = await fixture.service.request('GET', '/feeds/feeds-app/electron/latest-mac.yml');
    assert.equal(mac.status, 200);
    const macDoc = parse(mac.text);
    assert.equal(macDoc.version, '1.2.0');
    assert.equal(macDoc.files.length, 2);
    const arm = macDoc.files.find((f: { url: string }) => new URL(f.url).pathname.includes('arm64'));
    assert.ok(arm, 'an arm64 file name');
    const armBytes = await fetchFile(arm.url);
    assert.deepEqual(armBytes, bytes['1.2.0/darwin/aarch64/zip']);
    assert.equal(arm.sha512, createHash('sha512').update(armBytes).digest('base64'), 'sha512 as electron-updater verifies it');
    assert.equal(arm.size, armBytes.length);
    const win = parse((await fixture.service.request('GET', '/feeds/feeds-app/electron/latest.yml?noCache=123')).text);
    assert.equal(win.version, '1.1.0', 'windows has no 1.2.0');
    assert.deepEqual(await fetchFile(win.path), bytes['1.1.0/windows/x86_64/nsis']);
    assert.equal(parse((await fixture.service.request('GET', '/feeds/feeds-app/electron/latest-linux.yml')).text).version, '1.1.0');
    assert.equal(
      (await fixture.service.request('GET', '/feeds/feeds-app/electron/beta-mac.yml')).status,
      404,
      'a missing channel is a 404 (ERR_UPDATER_CHANNEL_FILE_NOT_FOUND)',
    );
    assert.equal(
      (await fixture.service.request('GET', '/feeds/feeds-app/electron/latest-linux-arm64.yml')).status,
      404,
      'no linux arm64 build',
    );

    // Squirrel.Mac: 200 with the zip when newer, 204 when current.
    const squirrel = await fixture.service.request('GET', '/feeds/feeds-app/stable/squirrel-mac/aarch64/1.0.0');
    assert.equal(squirrel.status, 200);
    assert.equal(squirrel.json.name, '1.2.0');
    assert.deepEqual(await fetchFile(squirrel.json.url), bytes['1.2.0/darwin/aarch64/zip']);
    assert.equal((await fixture.service.request('GET', '/feeds/feeds-app/stable/squirrel-mac/aarch64/1.2.0')).status, 204);
    assert.equal((await fixture.service.request('GET', '/feeds/feeds-app/nightly/squirrel-mac/aarch64/1.0.0')).status, 404);

    // Sparkle: the newest release; clients below the skipped critical 1.1.0 must take it as critical.
    const appcast = await fixture.service.request('GET', '/feeds/feeds-app/stable/sparkle/x86_64/appcast.xml');
    assert.equal(appcast.status, 200);
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => name === 'item' });
    const items = parser.parse(appcast.text).rss.channel.item;
    assert.deepEqual(
      items.map((i: Record<string, unknown>) => String(i['sparkle:version'])),
      ['1.2.0'],
    );
    assert.equal(items[0]['sparkle:criticalUpdate']['@sparkle:version'], '1.1.0');
    assert.deepEqual(await fetchFile(items[0].enclosure['@url']), bytes['1.2.0/darwin/x86_64/zip']);
    assert.equal(items[0].enclosure['@length'], '512');

    // Tauri static: one version, only the platforms that have it.
    const tauri = await fixture.service.request('GET', '/feeds/feeds-app/stable/tauri/latest.json');
    assert.equal(tauri.json.version, '1.2.0');
    assert.deepEqual(Object.keys(tauri.json.platforms).sort(), [
      'darwin-aarch64',
      'darwin-aarch64-zip',
      'darwin-x86_64',
      'darwin-x86_64-zip',
    ]);

    // 1.3.0 reaches arm64 Macs first: latest-mac.yml stays at the version both arches have.
    await release('1.3.0', [{ target: 'darwin', arch: 'aarch64', package: 'zip' }]);
    const lagging = parse((await fixture.service.request('GET', '/feeds/feeds-app/electron/latest-mac.yml')).text);
    assert.equal(lagging.version, '1.2.0', 'Intel Macs are never handed a file list without theirs');
    assert.equal(lagging.files.length, 1, 'the arm64 item starts at 1.3.0: only the x64 1.2.0 build, which arm64 Macs also run');
    const newer = (await fixture.api('GET', `/apps/${appId}/releases?limit=1`)).json.releases[0];
    await fixture.api('POST', `/apps/${appId}/releases/${newer.id}/yank`, {});
    // A guessed neighbour of a served file (electron-updater asks for `.blockmap`s) is not the file.
    assert.equal((await fixture.service.request('GET', `${new URL(arm.url).pathname}.blockmap`)).status, 404);

    // Yank 1.2.0: every feed falls back at once.
    const releases = (await api('GET', `/apps/${appId}/releases?status=published`)).json.releases.filter(
      (r: { version: string }) => r.version === '1.2.0',
    );
    await api('POST', `/apps/${appId}/releases/${releases[0].id}/yank`, {});
    assert.equal(parse((await fixture.service.request('GET', '/feeds/feeds-app/electron/latest-mac.yml')).text).version, '1.1.0');
    assert.equal((await fixture.service.request('GET', '/feeds/feeds-app/stable/tauri/latest.json')).json.version, '1.1.0');
    assert.equal(
      Object.keys((await fixture.service.request('GET', '/feeds/feeds-app/stable/tauri/latest.json')).json.platforms).length,
      8,
      'now every platform is at 1.1.0',
    );
    assert.equal((await fixture.service.request('GET', new URL(arm.url).pathname)).status, 404, 'a yanked file is not served');
    const unknown = await fixture.service.request(
      'GET',
      `/api/sync/ota/feeds-app/files/${releases[0].id}/01ARZ3NDEKTSV4RRFFQ69G5FAV/x.zip`,
    );
    assert.equal(unknown.status, 404);
  });

  it('keeps every feed readable whatever the notes hold (a CI changelog with ANSI colours, a NUL, U+FFFE)', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'ansi-app');
    const notes = '\u001b[32mAdded\u001b[0m dark mode\r\n\u0000\ufffe\uffff- fixes ]]> café 🚀';
    const id = (await api('POST', `/apps/${appId}/releases`, { version: '1.0.0', notes })).json.id;
    for (const target of ['darwin', 'windows']) {
      const pkg = target === 'darwin' ? 'zip' : 'nsis';
      await uploadArtifact(fixture.service, fixture.token, appId, id, { target, arch: 'x86_64', package: pkg, bytes: randomBytes(64) });
    }
    assert.equal((await api('POST', `/apps/${appId}/releases/${id}/publish`, {})).status, 200);

    const appcast = await fixture.service.request('GET', '/feeds/ansi-app/stable/sparkle/x86_64/appcast.xml');
    const [reading] = parseWithExpat([appcast.text]);
    assert.equal(typeof reading, 'object', `expat refused the appcast: ${String(reading)}`);
    assert.equal((reading as ExpatReading).cdata.description?.[0], '[32mAdded[0m dark mode\n- fixes ]]> café 🚀');
    for (const file of ['latest-mac.yml', 'latest.yml']) {
      const yml = await fixture.service.request('GET', `/feeds/ansi-app/electron/${file}`);
      const doc = loadAsElectronUpdater(yml.text) as { releaseNotes: string };
      assert.equal(doc.releaseNotes, '\u001b[32mAdded\u001b[0m dark mode\r\n\u0000- fixes ]]> café 🚀', file);
    }
    const tauri = await fixture.service.request('GET', '/feeds/ansi-app/stable/tauri/latest.json');
    assert.equal(tauri.json.notes, notes, 'JSON carries every character');
  });

  it('tells electron-updater the rollout share so the client decides by its own staging id', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'staged-app');
    const id = (await api('POST', `/apps/${appId}/releases`, { version: '2.0.0', channel: 'stable', rollout_percent: 20 })).json.id;
    await uploadArtifact(fixture.service, fixture.token, appId, id, {
      target: 'linux',
      arch: 'x86_64',
      package: 'appimage',
      bytes: randomBytes(64),
    });
    await api('POST', `/apps/${appId}/releases/${id}/publish`, {});
    const doc = parse((await fixture.service.request('GET', '/feeds/staged-app/electron/latest-linux.yml')).text);
    assert.equal(doc.version, '2.0.0');
    assert.equal(doc.stagingPercentage, 20);
  });

  it('lists the NuGet packages in Squirrel.Windows RELEASES and the Velopack feed, and serves them', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'squirrel-win');
    const packages: Buffer[] = [];
    for (const version of ['1.0.0', '1.1.0']) {
      const id = (await api('POST', `/apps/${appId}/releases`, { version, channel: 'stable', publish: true })).json.id;
      const data = randomBytes(300);
      packages.push(data);
      await uploadArtifact(fixture.service, fixture.token, appId, id, { target: 'windows', arch: 'x86_64', package: 'nupkg', bytes: data });
    }
    const releases = await fixture.service.request('GET', '/feeds/squirrel-win/stable/squirrel-win/x86_64/RELEASES');
    assert.equal(releases.status, 200);
    const lines = releases.text.split('\n');
    const last = /^([0-9A-F]{40}) (\S+) (\d+)$/.exec(lines[lines.length - 1] ?? '');
    assert.ok(last, releases.text);
    assert.match(last[2] as string, /\/squirrelwin-1\.1\.0-full\.nupkg$/, 'Squirrel reads the version from the file name');
    const served = await fetchFile(last[2] as string);
    assert.deepEqual(served, packages[1]);
    assert.equal(last[1], createHash('sha1').update(served).digest('hex').toUpperCase());
    assert.equal(Number(last[3]), served.length);
    assert.equal((await fixture.service.request('GET', '/feeds/squirrel-win/stable/squirrel-win/aarch64/RELEASES')).status, 404);

    // Velopack reads the same packages: releases.win.json, then {base}/{FileName}.
    const velopack = await fixture.service.request(
      'GET',
      '/feeds/squirrel-win/stable/velopack/releases.win.json?localVersion=1.0.0&id=squirrel-win&stagingId=abc',
    );
    assert.equal(velopack.status, 200);
    const assets = velopack.json.Assets as {
      Version: string;
      FileName: string;
      SHA256: string;
      SHA1: string;
      Size: number;
      Type: string;
    }[];
    assert.deepEqual(
      assets.map((a) => a.Version),
      ['1.1.0'],
    );
    const newest = assets[0] as (typeof assets)[number];
    assert.equal(newest.Type, 'Full');
    const redirect = await fixture.service.request('GET', `/feeds/squirrel-win/stable/velopack/${newest.FileName}`);
    assert.equal(redirect.status, 302);
    const pkg = Buffer.from(await (await fetch(redirect.headers.get('location') as string)).arrayBuffer());
    assert.deepEqual(pkg, packages[1]);
    assert.equal(newest.SHA256, createHash('sha256').update(pkg).digest('hex').toUpperCase());
    assert.equal(newest.Size, pkg.length);
    assert.equal((await fixture.service.request('GET', '/feeds/squirrel-win/stable/velopack/releases.osx.json')).status, 404);
    assert.equal((await fixture.service.request('GET', '/feeds/squirrel-win/stable/velopack/other-9.9.9-full.nupkg')).status, 404);
  });
});
