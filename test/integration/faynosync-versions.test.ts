import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { type FormFile, multipartRequest, type Reply, useLocalService } from '../support/local-service.js';

type FileSpec = FormFile;

const SIGNATURE = 'dW50cnVzdGVkU2lnbmF0dXJlVGhhdExvb2tzTGlrZUFsb25nU3RyaW5n==';

/**
 * faynoSync's versions at its own paths (reference 2.11-2.15, 2.18; scenarios of 4.1-4.3, 4.9):
 * uploads in the body and through the presigned path, edits, deletes, search and download.
 */
describe('faynoSync versions face', () => {
  const fixture = useLocalService();
  let other = '';

  before(async () => {
    other = await fixture.service.newAccountToken('fs-versions-second');
  });

  const multipart = (method: string, path: string, data: unknown, files: FileSpec[] = [], token = fixture.token) =>
    multipartRequest(fixture.service.url, method, path, token, data, files);

  const upload = (data: unknown, files: FileSpec[], token?: string) => multipart('POST', '/upload', data, files, token);
  const updateVersion = (data: unknown, files: FileSpec[] = [], token?: string) => multipart('POST', '/apps/update', data, files, token);
  const deleteArtifacts = (data: unknown, token?: string) => multipart('POST', '/artifact/delete', data, [], token);
  const search = (query: string, token = fixture.token) => fixture.service.request('GET', `/search?${query}`, { token });
  const file = (name: string, size = 256): FileSpec => ({ name, bytes: randomBytes(size) });

  /** An app made through faynoSync's own /app/create (which gives it a slug at once). */
  async function createApp(name: string): Promise<string> {
    const body = new FormData();
    body.append('data', JSON.stringify({ app: name }));
    const created = await fetch(`${fixture.service.url}/app/create`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${fixture.token}` },
    });
    const reply = (await created.json()) as Record<string, string>;
    assert.equal(created.status, 200, JSON.stringify(reply));
    return reply['createAppResult.Created'] as string;
  }

  async function createPlatform(name: string, updaters: { type: string; default: boolean }[] = [{ type: 'manual', default: true }]) {
    assert.equal((await fixture.api('POST', '/platforms', { name, updaters })).status, 201);
  }

  const versions = (reply: Reply) => reply.json.items.map((v: { Version: string }) => v.Version);
  const ids: Record<string, string> = {};
  const licenseBytes = randomBytes(64);

  it('uploads before any channel, platform or arch exist go to the default channel and "any"; a duplicate is a 409; delete', async () => {
    await createApp('testapp');
    await createApp('updaters');
    const first = await upload({ app_name: 'testapp', version: '0.0.1.137' }, [{ name: 'LICENSE', bytes: licenseBytes }]);
    assert.equal(first.status, 200, first.text);
    const id = first.json['uploadResult.Uploaded'];
    assert.equal(typeof id, 'string');
    assert.deepEqual(Object.keys(first.json), ['uploadResult.Uploaded']);

    const found = await search('app_name=testapp');
    assert.equal(found.status, 200, found.text);
    assert.equal(found.json.items[0].ID, id);
    assert.equal(found.json.items[0].Channel, 'stable');
    assert.equal(found.json.items[0].Published, false);
    assert.deepEqual(
      found.json.items[0].Artifacts.map((a: { platform: string; arch: string; package: string }) => [a.platform, a.arch, a.package]),
      [['', '', '']],
    );
    assert.match(found.json.items[0].Artifacts[0].link, /\/files\/[0-9A-Z]{26}\/[0-9A-Z]{26}\/[0-9A-Z]{26}\/testapp-0\.0\.1\.137$/);

    const duplicate = await upload({ app_name: 'testapp', version: '0.0.1.137' }, [file('LICENSE')]);
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.text, '{"error":"app with this name, version, platform, architecture and extension already exists"}');

    const deleted = await fixture.service.request('DELETE', `/apps/delete?id=${id}`, { token: fixture.token });
    assert.equal(deleted.status, 200);
    assert.equal(deleted.text, '{"deleteSpecificAppResult.DeletedCount":1}');
    assert.equal((await search('app_name=testapp')).json.total, 0);
    assert.equal((await fixture.service.request('DELETE', `/apps/delete?id=${id}`, { token: fixture.token })).status, 404);
  });

  it("checks the upload's data in faynoSync's order, with its texts", async () => {
    const cases: [unknown, FileSpec[], number, string][] = [
      [undefined, [file('a.deb')], 400, 'No JSON data provided'],
      ['{not json', [file('a.deb')], 400, 'Invalid JSON data'],
      [{ app_name: 'testapp', version: '1.0.0', publish: 'true' }, [file('a.deb')], 400, 'Invalid JSON data'],
      [{ app_name: 'testapp', version: '1.0.0', rollout: 101 }, [file('a.deb')], 400, 'rollout must be an integer between 0 and 100'],
      [{ app_name: 'my_app', version: '1.0.0' }, [file('a.deb')], 400, 'invalid app_name parameter'],
      [{ app_name: 'testapp', version: '1.0.0-beta' }, [file('a.deb')], 400, 'invalid version parameter'],
      [{ app_name: 'testapp', version: '1.0.0', channel: 'nightly-1' }, [file('a.deb')], 400, 'invalid channel parameter'],
      [{ app_name: 'testapp', version: '1.0.0', platform: 'mac_os' }, [file('a.deb')], 400, 'invalid platform parameter'],
      [{ app_name: 'testapp', version: '1.0.0', arch: 'x86_64' }, [file('a.deb')], 400, 'invalid arch parameter'],
      [{ app_name: 'testapp', version: '1.0.0', channel: 'nosuch' }, [file('a.deb')], 400, 'wrong name of channel. Channel does not exist'],
      [{ app_name: 'testapp', version: '1.0.0' }, [], 400, 'no results found. Please check your files.'],
      [
        { app_name: 'nosuchapp', version: '1.0.0' },
        [file('a.deb')],
        404,
        "app_name not found in apps_meta collection or you don't have permission to access it",
      ],
    ];
    for (const [data, files, status, error] of cases) {
      const reply = await upload(data, files);
      assert.equal(reply.status, status, `${JSON.stringify(data)}: ${reply.text}`);
      assert.deepEqual(reply.json, { error }, JSON.stringify(data));
    }
    // The other owner's app answers as an unknown one.
    const stolen = await upload({ app_name: 'testapp', version: '9.9.9' }, [file('a.deb')], other);
    assert.equal(stolen.status, 404);
    // `1-2-3` is `1.2.3` to faynoSync.
    const dashed = await upload({ app_name: 'testapp', version: '0-0-0-1' }, [file('a.deb')]);
    assert.equal(dashed.status, 200, dashed.text);
    assert.deepEqual(versions(await search('app_name=testapp')), ['0.0.0.1']);
    await fixture.service.request('DELETE', `/apps/delete?id=${dashed.json['uploadResult.Uploaded']}`, { token: fixture.token });
  });

  it('requires channel, platform and arch once one was created (TestUploadAppWithout*)', async () => {
    assert.equal((await fixture.api('POST', '/channels', { name: 'nightly' })).status, 201);
    const noChannel = await upload({ app_name: 'testapp', version: '0.0.1.137' }, [file('a.deb')]);
    assert.equal(noChannel.status, 400);
    assert.equal(noChannel.text, '{"error":"you have a created channels, setting channel is required"}');

    for (const name of ['universalPlatform', 'secondPlatform']) await createPlatform(name);
    const noPlatform = await upload({ app_name: 'testapp', version: '0.0.1.137', channel: 'nightly' }, [file('a.deb')]);
    assert.equal(noPlatform.text, '{"error":"you have a created platforms, setting platform is required"}');
    const wrongPlatform = await upload({ app_name: 'testapp', version: '0.0.1.137', channel: 'nightly', platform: 'nope' }, [
      file('a.deb'),
    ]);
    assert.equal(wrongPlatform.text, '{"error":"wrong name of platform. Platform does not exist"}');

    for (const name of ['universalArch', 'secondArch']) assert.equal((await fixture.api('POST', '/archs', { name })).status, 201);
    const noArch = await upload({ app_name: 'testapp', version: '0.0.1.137', channel: 'nightly', platform: 'universalPlatform' }, [
      file('a.deb'),
    ]);
    assert.equal(noArch.status, 400);
    assert.equal(noArch.text, '{"error":"you have a created archs, setting arch is required"}');
  });

  it('appends the files of one version to one id, whatever the request (TestMultipleUpload), and edits it (TestUpdateSpecificApp)', async () => {
    const rows: [string, string, boolean, boolean][] = [
      ['0.0.2.137', 'nightly', true, false],
      ['0.0.3.137', 'nightly', false, false],
      ['0.0.4.137', 'stable', true, true],
      ['0.0.5.137', 'stable', false, false],
    ];
    for (const [version, channel, publish, critical] of rows) {
      const seen = new Set<string>();
      for (const name of ['testapp.dmg', 'testapp.pkg', 'LICENSE']) {
        const reply = await upload(
          { app_name: 'testapp', version, channel, publish, critical, platform: 'universalPlatform', arch: 'universalArch' },
          [name === 'LICENSE' ? { name, bytes: licenseBytes } : file(name)],
        );
        assert.equal(reply.status, 200, `${version} ${name}: ${reply.text}`);
        seen.add(reply.json['uploadResult.Uploaded']);
      }
      assert.equal(seen.size, 1, `every upload of ${version} answers the same id`);
      ids[version] = [...seen][0] as string;
    }

    const edit = {
      id: ids['0.0.2.137'],
      app_name: 'testapp',
      version: '0.0.2.137',
      channel: 'nightly',
      publish: true,
      critical: true,
      platform: 'universalPlatform',
      arch: 'universalArch',
      changelog: '### Changelog',
    };
    for (let i = 0; i < 2; i++) {
      const reply = await updateVersion(edit, [{ name: 'LICENSE', bytes: licenseBytes }]);
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.text, '{"updatedResult.Updated":true}');
    }
    const v2 = (await search('app_name=testapp&channel=nightly&published=true')).json.items[0];
    assert.equal(v2.Version, '0.0.2.137');
    assert.equal(v2.Critical, true);
    assert.equal(v2.Artifacts.length, 3, 'the duplicate LICENSE was skipped');
    assert.deepEqual(v2.Changelog, [{ Version: '0.0.2.137', Changes: '### Changelog', Date: v2.Changelog[0].Date }]);

    // TestUpdateSpecificAppWithSecondUser: 404 where faynoSync answers 500.
    const second = await updateVersion(edit, [{ name: 'LICENSE', bytes: licenseBytes }], other);
    assert.equal(second.status, 404);
    assert.equal(second.text, '{"error":"app_name not found in apps_meta collection"}');

    const moved = await updateVersion({ ...edit, channel: 'stable' });
    assert.equal(moved.status, 400);
    assert.equal(moved.text, '{"error":"updating the channel is not allowed"}');
    const wrongVersion = await updateVersion({ ...edit, version: '0.0.3.137' });
    assert.equal(wrongVersion.status, 404);
    assert.equal(wrongVersion.text, `{"error":"app with this parameters doesn't exist"}`);
  });

  it('searches with the filters of TestSearch*, newest first, in both envelopes', async () => {
    const table: [string, string[]][] = [
      ['', ['0.0.5.137', '0.0.4.137', '0.0.3.137', '0.0.2.137']],
      ['&channel=nightly', ['0.0.3.137', '0.0.2.137']],
      ['&channel=stable&published=true', ['0.0.4.137']],
      ['&channel=stable&published=true&critical=true', ['0.0.4.137']],
      ['&channel=nightly&published=true&critical=true&platform=universalPlatform', ['0.0.2.137']],
      ['&channel=stable&published=true&critical=true&platform=universalPlatform&arch=universalArch', ['0.0.4.137']],
      ['&published=true', ['0.0.4.137', '0.0.2.137']],
      ['&published=false', ['0.0.5.137', '0.0.3.137']],
      ['&critical=true', ['0.0.4.137', '0.0.2.137']],
      ['&platform=universalPlatform', ['0.0.5.137', '0.0.4.137', '0.0.3.137', '0.0.2.137']],
      ['&platform=secondPlatform', []],
      ['&published=maybe', ['0.0.5.137', '0.0.4.137', '0.0.3.137', '0.0.2.137']],
    ];
    for (const [filter, expected] of table) {
      const reply = await search(`app_name=testapp${filter}`);
      assert.equal(reply.status, 200, reply.text);
      assert.deepEqual(versions(reply), expected, filter);
      assert.equal(reply.json.total, expected.length, filter);
      assert.deepEqual(reply.json.apps, reply.json.items, "the seed's `apps` and current faynoSync's `items` agree");
      assert.equal(reply.json.page, 1);
      assert.equal(reply.json.limit, 9);
    }
    const all = await search('app_name=testapp');
    const v4 = all.json.items[1];
    assert.deepEqual(Object.keys(v4), [
      'ID',
      'AppName',
      'Version',
      'Channel',
      'Published',
      'Critical',
      'Intermediate',
      'Artifacts',
      'Changelog',
      'Updated_at',
      'RolloutPercent',
      // Ours, added after faynoSync's fields (its clients ignore unknown ones): why a halt rule stopped the rollout.
      'Halted',
    ]);
    assert.deepEqual(
      { ...v4, Artifacts: undefined, Changelog: undefined, Updated_at: undefined },
      {
        ID: ids['0.0.4.137'],
        AppName: 'testapp',
        Version: '0.0.4.137',
        Channel: 'stable',
        Published: true,
        Critical: true,
        Intermediate: false,
        Artifacts: undefined,
        Changelog: undefined,
        Updated_at: undefined,
        RolloutPercent: 100,
        Halted: null,
      },
    );
    assert.deepEqual(
      v4.Artifacts.map((a: { platform: string; arch: string; package: string }) => [a.platform, a.arch, a.package]),
      [
        ['universalPlatform', 'universalArch', '.dmg'],
        ['universalPlatform', 'universalArch', '.pkg'],
        ['universalPlatform', 'universalArch', ''],
      ],
    );
    assert.match(v4.Artifacts[0].link, /^http:\/\/127\.0\.0\.1:\d+\/files\/.+\/testapp-0\.0\.4\.137\.dmg$/);

    const paged = await search('app_name=testapp&limit=2&page=2');
    assert.deepEqual(versions(paged), ['0.0.3.137', '0.0.2.137']);
    assert.deepEqual([paged.json.total, paged.json.page, paged.json.limit], [4, 2, 2]);

    const unknownChannel = await search('app_name=testapp&channel=beta');
    assert.equal(unknownChannel.status, 404);
    assert.equal(unknownChannel.text, '{"error":"channel not found in apps_meta collection"}');
    const theirs = await search('app_name=testapp', other);
    assert.equal(theirs.status, 404);
    assert.equal(theirs.text, '{"error":"app_name not found in apps_meta collection"}');
  });

  it('answers a presigned download URL for a key naming one of the caller’s files', async () => {
    const v4 = (await search('app_name=testapp&channel=stable&published=true')).json.items[0];
    const license = v4.Artifacts[2];
    const byLink = await fixture.service.request('GET', `/download?key=${encodeURIComponent(license.link)}`, { token: fixture.token });
    assert.equal(byLink.status, 200, byLink.text);
    assert.deepEqual(Object.keys(byLink.json), ['download_url']);
    const bytes = Buffer.from(await (await fetch(byLink.json.download_url)).arrayBuffer());
    assert.deepEqual(bytes, licenseBytes);

    const [, releaseId, artifactId] = /\/files\/[^/]+\/([^/]+)\/([^/]+)\//.exec(license.link) ?? [];
    const byIds = await fixture.service.request('GET', `/download?key=${releaseId}%2F${artifactId}`, { token: fixture.token });
    assert.equal(byIds.status, 200, byIds.text);
    const path = new URL(license.link).pathname;
    // The link itself is the public file route's: a published version's file redirects to its bytes.
    const redirected = await fixture.service.request('GET', path);
    assert.equal(redirected.status, 302, redirected.text);
    assert.equal((await fixture.service.request('GET', `/download?key=${encodeURIComponent(path)}`, { token: fixture.token })).status, 200);

    assert.equal((await fixture.service.request('GET', `/download?key=${encodeURIComponent(license.link)}`, { token: other })).status, 404);
    assert.equal((await fixture.service.request('GET', `/download?key=${releaseId}%2F${artifactId}`, { token: other })).status, 404);
    assert.equal((await fixture.service.request('GET', '/download?key=testapp%2Fstable%2Fx.deb', { token: fixture.token })).status, 404);
  });

  it('writes publish, critical and intermediate on every edit: an omitted publish takes the version out of every answer', async () => {
    const base = { id: ids['0.0.4.137'], app_name: 'testapp', version: '0.0.4.137', channel: 'stable' };
    assert.equal((await updateVersion(base)).status, 200);
    let v4 = (await search('app_name=testapp&channel=stable')).json.items.find((v: { Version: string }) => v.Version === '0.0.4.137');
    assert.deepEqual([v4.Published, v4.Critical], [false, false]);
    assert.equal((await updateVersion({ ...base, publish: true, critical: true, intermediate: true, rollout: 40 })).status, 200);
    v4 = (await search('app_name=testapp&channel=stable')).json.items.find((v: { Version: string }) => v.Version === '0.0.4.137');
    assert.deepEqual([v4.Published, v4.Critical, v4.Intermediate, v4.RolloutPercent], [true, true, true, 40]);
  });

  it('deletes files by their index in the shrinking list, and whole versions (TestDeleteArtifact, TestMultipleDelete)', async () => {
    const data = { id: ids['0.0.5.137'], app_name: 'testapp', version: '0.0.5.137' };
    const outOfRange = await deleteArtifacts({ ...data, artifacts_to_delete: ['3'] });
    assert.equal(outOfRange.text, '{"deleteSpecificArtifactResult":false}');
    assert.equal((await deleteArtifacts({ ...data, artifacts_to_delete: ['x'] })).text, '{"deleteSpecificArtifactResult":false}');
    assert.equal((await deleteArtifacts({ ...data, artifacts_to_delete: ['0'] }, other)).status, 404);

    const deleted = await deleteArtifacts({ ...data, artifacts_to_delete: ['0', '1'] });
    assert.equal(deleted.status, 200, deleted.text);
    assert.equal(deleted.text, '{"deleteSpecificArtifactResult":true}');
    const v5 = (await search('app_name=testapp&channel=stable')).json.items[0];
    assert.equal(v5.Version, '0.0.5.137');
    assert.deepEqual(
      v5.Artifacts.map((a: { package: string }) => a.package),
      ['.pkg'],
      '["0","1"] removes the original entries 0 and 2',
    );

    assert.equal((await fixture.service.request('DELETE', `/apps/delete?id=${ids['0.0.5.137']}`, { token: other })).status, 404);
    const gone = await fixture.service.request('DELETE', `/apps/delete?id=${ids['0.0.5.137']}`, { token: fixture.token });
    assert.equal(gone.text, '{"deleteSpecificAppResult.DeletedCount":1}');
    assert.deepEqual(versions(await search('app_name=testapp')), ['0.0.4.137', '0.0.3.137', '0.0.2.137']);
    const badId = await fixture.service.request('DELETE', '/apps/delete?id=653a5e4f51ce5114611f5abb', { token: fixture.token });
    assert.equal(badId.status, 400);
  });

  it('keeps the updater checks that concern packages, and accepts feed files without storing them (TestMultipleUploadWithUpdaters)', async () => {
    await createPlatform('macosSquirrel', [
      { type: 'manual', default: false },
      { type: 'squirrel_darwin', default: true },
    ]);
    await createPlatform('macosTauri', [
      { type: 'manual', default: false },
      { type: 'tauri', default: true },
    ]);
    await createPlatform('macos', [
      { type: 'manual', default: false },
      { type: 'electron-builder', default: true },
    ]);
    await createPlatform('windows2', [
      { type: 'squirrel_windows', default: true },
      { type: 'velopack', default: false },
    ]);
    const data = (version: string, channel: string, publish: boolean, platform: string, updater: string, extra = {}) => ({
      app_name: 'updaters',
      version,
      channel,
      publish,
      platform,
      arch: 'universalArch',
      updater,
      ...extra,
    });
    const squirrelDmg = await upload(data('0.0.1.137', 'nightly', false, 'macosSquirrel', 'squirrel_darwin'), [file('testapp.dmg')]);
    assert.equal(squirrelDmg.status, 400);
    assert.equal(
      squirrelDmg.json.error,
      'squirrel darwin updater requires a ZIP archive for update functionality. Please include a ZIP file in your upload',
    );
    const squirrelZip = await upload(data('0.0.2.137', 'nightly', true, 'macosSquirrel', 'squirrel_darwin'), [file('test.zip')]);
    assert.equal(squirrelZip.status, 200, squirrelZip.text);

    const tauriUnsigned = await upload(data('0.0.1.137', 'nightly', false, 'macosTauri', 'tauri'), [file('test.zip')]);
    assert.equal(tauriUnsigned.status, 400);
    assert.equal(
      tauriUnsigned.json.error,
      'tauri updater requires a signature parameter for update functionality. Please include a signature in your request',
    );
    const tauriSigned = await upload(data('0.0.2.137', 'nightly', true, 'macosTauri', 'tauri', { signature: SIGNATURE }), [
      file('test.zip'),
    ]);
    assert.equal(tauriSigned.status, 200, tauriSigned.text);
    assert.equal(tauriSigned.json['uploadResult.Uploaded'], squirrelZip.json['uploadResult.Uploaded'], 'appended to 0.0.2.137');

    // faynoSync refuses these without the feed file it stores; here the feeds are generated, so the packages suffice.
    const electronDmg = await upload(data('0.0.3.137', 'nightly', false, 'macos', 'electron-builder'), [file('testapp.dmg')]);
    assert.equal(electronDmg.status, 200, electronDmg.text);
    const ymlOnly = await upload(data('0.0.4.137', 'nightly', true, 'macos', 'electron-builder'), [file('latest-mac.yml')]);
    assert.equal(ymlOnly.status, 200, ymlOnly.text);
    const squirrelWindows = await upload(data('0.0.6.137', 'stable', true, 'windows2', 'squirrel_windows'), [
      file('test-0.0.6-full.nupkg'),
      file('RELEASES'),
    ]);
    assert.equal(squirrelWindows.status, 200, squirrelWindows.text);

    // The app got a slug when it was created: squirrel_windows (and electron-builder) checks redirect to the generated feeds.
    const checkOf = (platform: string, channel: string) =>
      fixture.service.request(
        'GET',
        `/checkVersion?${new URLSearchParams({ owner: fixture.service.stack.info.admin.username, app_name: 'updaters', version: '0.0.1', channel, platform, arch: 'universalArch' })}`,
      );
    const squirrelCheck = await checkOf('windows2', 'stable');
    assert.equal(squirrelCheck.status, 302, squirrelCheck.text);
    assert.match(squirrelCheck.headers.get('location') ?? '', /\/feeds\/updaters\/stable\/squirrel-win\/universalArch\/RELEASES$/);

    const velopackNoFull = await upload(data('1.0.0', 'nightly', true, 'windows2', 'velopack'), [file('releases.nightly.json')]);
    assert.equal(velopackNoFull.status, 400);
    assert.match(velopackNoFull.json.error, /velopack updater requires a full package/);
    const velopack = await upload(data('1.0.0', 'nightly', true, 'windows2', 'velopack'), [
      file('releases.nightly.json'),
      file('velopackapp-1.0.0-full.nupkg'),
      file('velopackapp-1.0.0-delta.nupkg'),
    ]);
    assert.equal(velopack.status, 200, velopack.text);

    const all = (await search('app_name=updaters&limit=20')).json.items as {
      Version: string;
      Published: boolean;
      Artifacts: { platform: string; package: string }[];
    }[];
    const of = (v: string) => all.find((x) => x.Version === v);
    assert.deepEqual(
      of('0.0.2.137')?.Artifacts.map((a) => [a.platform, a.package]),
      [
        ['macosSquirrel', '.zip'],
        ['macosTauri', '.zip'],
      ],
    );
    assert.equal(of('0.0.2.137')?.Published, true);
    assert.deepEqual(of('0.0.4.137')?.Artifacts, [], 'a feed file is accepted, not stored');
    assert.equal(of('0.0.4.137')?.Published, false, 'nothing to offer yet: the version waits as a draft');
    assert.deepEqual(
      of('0.0.6.137')?.Artifacts.map((a) => a.package),
      ['.nupkg'],
    );
    assert.deepEqual(
      of('1.0.0')?.Artifacts.map((a) => a.package),
      ['.nupkg'],
      'the releases JSON and the delta are not stored',
    );
  });

  /** An app of its own with one platform and arch per name, so a test runs alone or after the others. */
  async function raceApp(app: string, platforms: string[], arch: string): Promise<string> {
    const id = await createApp(app);
    for (const name of platforms) await createPlatform(name);
    assert.equal((await fixture.api('POST', '/archs', { name: arch })).status, 201);
    return id;
  }

  const presign = (body: unknown, token = fixture.token) => fixture.service.request('POST', '/upload/presign', { token, body });
  /** Confirms once ingest has settled every file (409 "still verifying" until then). */
  async function confirmSettled(body: unknown, token = fixture.token): Promise<Reply> {
    await fixture.service.stack.ingestIdle();
    let reply = await fixture.service.request('POST', '/upload/confirm', { token, body });
    for (let i = 0; i < 60 && reply.status === 409 && /still verifying/.test(reply.text); i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      reply = await fixture.service.request('POST', '/upload/confirm', { token, body });
    }
    return reply;
  }
  const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

  const searchVersion = async (app: string, version: string) =>
    ((await search(`app_name=${app}&limit=50`)).json.items as { Version: string; Published: boolean; Artifacts: unknown[] }[]).find(
      (v) => v.Version === version,
    );

  it('five identical concurrent uploads: one stores the file, the others answer 200 or 409, never 500; the version keeps its file', async () => {
    await raceApp('raceapp', ['racePlatform'], 'raceArch');
    for (const version of ['1.0.1', '1.0.2', '1.0.3']) {
      const bytes = randomBytes(2048);
      const data = { app_name: 'raceapp', version, channel: 'stable', platform: 'racePlatform', arch: 'raceArch', publish: true };
      const replies = await Promise.all(Array.from({ length: 5 }, () => upload(data, [{ name: 'raceapp.dmg', bytes }])));
      const statuses = replies.map((r) => r.status);
      assert.ok(statuses.includes(200), `${version}: ${replies.map((r) => `${r.status} ${r.text}`).join(' | ')}`);
      assert.ok(
        statuses.every((s) => s === 200 || s === 409),
        `${version}: ${replies.map((r) => `${r.status} ${r.text}`).join(' | ')}`,
      );
      const found = await searchVersion('raceapp', version);
      assert.equal(found?.Artifacts.length, 1, `${version} keeps its file`);
      assert.equal(found?.Published, true, `${version} is published`);
    }
  });

  it('six concurrent per-platform uploads with publish: true all succeed and leave the version published with six files', async () => {
    const platforms = ['raceA', 'raceB', 'raceC', 'raceD', 'raceE', 'raceF'];
    await raceApp('raceapp6', platforms, 'raceArch6');
    for (const version of ['2.0.1', '2.0.2', '2.0.3']) {
      const replies = await Promise.all(
        platforms.map((platform) =>
          upload({ app_name: 'raceapp6', version, channel: 'stable', platform, arch: 'raceArch6', publish: true }, [
            file(`app-${platform}.dmg`),
          ]),
        ),
      );
      assert.deepEqual(
        replies.map((r) => r.status),
        platforms.map(() => 200),
        replies.map((r) => r.text).join(' | '),
      );
      const found = await searchVersion('raceapp6', version);
      assert.equal(found?.Artifacts.length, 6, `${version} has its six files`);
      assert.equal(found?.Published, true, `${version} is published`);
    }
  });

  it('/apps/update with publish: true and a file brings a yanked version back with the file, in one call', async () => {
    await raceApp('yankapp', ['yankPlatform'], 'yankArch');
    const data = { app_name: 'yankapp', version: '3.0.0', channel: 'stable', platform: 'yankPlatform', arch: 'yankArch', publish: true };
    const first = await upload(data, [file('yankapp.dmg')]);
    assert.equal(first.status, 200, first.text);
    const id = first.json['uploadResult.Uploaded'];
    const yanked = await updateVersion({ id, app_name: 'yankapp', version: '3.0.0', channel: 'stable' });
    assert.equal(yanked.status, 200, yanked.text);
    assert.equal((await searchVersion('yankapp', '3.0.0'))?.Published, false);

    const both = await updateVersion({ ...data, id }, [file('yankapp.pkg')]);
    assert.equal(both.status, 200, both.text);
    const found = await searchVersion('yankapp', '3.0.0');
    assert.equal(found?.Published, true);
    assert.equal(found?.Artifacts.length, 2, 'the file was added');
  });

  it('a presign retried after a refused file keeps the request to publish, and confirm then publishes', async () => {
    await raceApp('presignapp', ['presignPlatform'], 'presignArch');
    const body = {
      app_name: 'presignapp',
      version: '4.0.0',
      channel: 'stable',
      platform: 'presignPlatform',
      arch: 'presignArch',
      publish: true,
      files: [{ name: 'presignapp.dmg', size: 1024, sha256: '0'.repeat(64) }],
    };
    const first = await presign(body);
    assert.equal(first.status, 200, first.text);
    const id = first.json.id;
    assert.deepEqual(first.json.confirm, { id, publish: true });
    assert.equal((await fetch(first.json.uploads[0].upload_url, { method: 'PUT', body: randomBytes(1024) })).status, 200);
    const refused = await confirmSettled(first.json.confirm);
    assert.equal(refused.status, 400, refused.text);

    const bytes = randomBytes(1024);
    const retried = await presign({ ...body, files: [{ name: 'presignapp.dmg', size: 1024, sha256: sha256Of(bytes) }] });
    assert.equal(retried.status, 200, retried.text);
    assert.deepEqual(retried.json.confirm, { id, publish: true }, "the retry keeps the first presign's request to publish");
    assert.equal((await fetch(retried.json.uploads[0].upload_url, { method: 'PUT', body: bytes })).status, 200);
    const confirmed = await confirmSettled(retried.json.confirm);
    assert.equal(confirmed.status, 200, confirmed.text);
    const found = await searchVersion('presignapp', '4.0.0');
    assert.equal(found?.Published, true);
    assert.equal(found?.Artifacts.length, 1);
  });

  it('confirm publishes only what its own presign created with publish: true; an upload-only token cannot publish anything else through it', async () => {
    const appId = await raceApp('confirmapp', ['confirmPlatform'], 'confirmArch');
    const created = await fixture.service.request('POST', '/token/create', {
      token: fixture.token,
      body: { name: 'ci-upload-only', allowed_apps: [appId] },
    });
    assert.equal(created.status, 201, created.text);
    const ci: string = created.json.token;
    const data = { app_name: 'confirmapp', channel: 'stable', platform: 'confirmPlatform', arch: 'confirmArch' };
    const confirmAs = (token: string, id: string) =>
      fixture.service.request('POST', '/upload/confirm', { token, body: { id, publish: true } });

    // A draft the owner uploaded without publish: the token may not publish it natively (403), nor through confirm.
    const draft = await upload({ ...data, version: '5.0.0' }, [file('confirmapp.dmg')]);
    assert.equal(draft.status, 200, draft.text);
    const draftId = draft.json['uploadResult.Uploaded'];
    const native = await fixture.service.request('POST', `/api/sync/ota/apps/${appId}/releases/${draftId}/publish`, {
      token: ci,
      body: {},
    });
    assert.equal(native.status, 403, native.text);
    const viaConfirm = await confirmAs(ci, draftId);
    assert.equal(viaConfirm.status, 409, viaConfirm.text);
    assert.match(viaConfirm.json.error, /POST \/apps\/update/);
    assert.equal((await searchVersion('confirmapp', '5.0.0'))?.Published, false);
    // Not the owner either: confirm is not a publish route.
    assert.equal((await confirmAs(fixture.token, draftId)).status, 409);

    // A yanked version stays yanked.
    const live = await upload({ ...data, version: '5.0.1', publish: true }, [file('confirmapp.dmg')]);
    const liveId = live.json['uploadResult.Uploaded'];
    assert.equal((await searchVersion('confirmapp', '5.0.1'))?.Published, true);
    assert.equal((await updateVersion({ id: liveId, app_name: 'confirmapp', version: '5.0.1', channel: 'stable' })).status, 200);
    const yanked = await confirmAs(ci, liveId);
    assert.equal(yanked.status, 409, yanked.text);
    assert.equal((await searchVersion('confirmapp', '5.0.1'))?.Published, false);

    // What the token's own presign created with publish: true, its confirm publishes.
    const bytes = randomBytes(512);
    const own = await presign({ ...data, version: '5.0.2', publish: true, files: [{ name: 'confirmapp.dmg', size: 512 }] }, ci);
    assert.equal(own.status, 200, own.text);
    assert.deepEqual(own.json.confirm, { id: own.json.id, publish: true });
    assert.equal((await fetch(own.json.uploads[0].upload_url, { method: 'PUT', body: bytes })).status, 200);
    const confirmed = await confirmSettled(own.json.confirm, ci);
    assert.equal(confirmed.status, 200, confirmed.text);
    assert.equal((await searchVersion('confirmapp', '5.0.2'))?.Published, true);
  });

  it('an upload-only token adds a file to a published version and it is offered at once: uploading, not publishing', async () => {
    const appId = await raceApp('liveapp', ['livePlatform', 'liveOther'], 'liveArch');
    const created = await fixture.service.request('POST', '/token/create', {
      token: fixture.token,
      body: { name: 'ci-live', allowed_apps: [appId] },
    });
    const ci: string = created.json.token;
    const data = { app_name: 'liveapp', version: '6.0.0', channel: 'stable', arch: 'liveArch', publish: true };
    assert.equal((await upload({ ...data, platform: 'livePlatform' }, [file('liveapp.dmg')], ci)).status, 200);
    assert.equal((await searchVersion('liveapp', '6.0.0'))?.Published, true, 'creating a version published takes the upload permission');

    const added = await upload({ ...data, platform: 'liveOther' }, [file('liveapp.dmg')], ci);
    assert.equal(added.status, 200, added.text);
    const found = (await search('app_name=liveapp')).json.items[0] as {
      Published: boolean;
      Artifacts: { link: string; platform: string }[];
    };
    assert.equal(found.Published, true);
    const other = found.Artifacts.find((a) => a.platform === 'liveOther');
    assert.ok(other, 'the new file is listed');
    assert.equal((await fixture.service.request('GET', new URL(other.link).pathname)).status, 302, 'and served');
  });

  it('answers 413 naming the presigned path for a body over 4 MiB', async () => {
    const reply = await upload({ app_name: 'testapp', version: '0.0.9.137', channel: 'nightly' }, [file('big.dmg', 5 * 1024 * 1024)]);
    assert.equal(reply.status, 413);
    assert.equal(typeof reply.json.error, 'string');
    assert.match(reply.json.error, /POST \/upload\/presign/);
    assert.match(reply.json.error, /POST \/upload\/confirm/);
  });

  it('uploads a 20 MB file through the presigned path: presign, PUT, confirm (409 while verifying), then publish', async () => {
    const big = randomBytes(20 * 1024 * 1024);
    const sha256 = createHash('sha256').update(big).digest('hex');
    const body = {
      app_name: 'testapp',
      version: '0.0.9.137',
      channel: 'nightly',
      publish: true,
      platform: 'universalPlatform',
      arch: 'universalArch',
      changelog: 'big one',
      files: [
        { name: 'testapp.dmg', size: big.length, sha256 },
        { name: 'latest-mac.yml', size: 12 },
      ],
    };
    const presigned = await fixture.service.request('POST', '/upload/presign', { token: fixture.token, body });
    assert.equal(presigned.status, 200, presigned.text);
    const id = presigned.json.id as string;
    assert.equal(presigned.json.uploads.length, 1);
    assert.equal(presigned.json.uploads[0].name, 'testapp.dmg');
    assert.deepEqual(
      presigned.json.skipped.map((s: { name: string }) => s.name),
      ['latest-mac.yml'],
    );
    assert.deepEqual(presigned.json.confirm, { id, publish: true });

    const early = await fixture.service.request('POST', '/upload/confirm', { token: fixture.token, body: presigned.json.confirm });
    assert.equal(early.status, 409);
    assert.match(early.json.error, /still verifying 1 file/);
    assert.equal((await fixture.service.request('POST', '/upload/confirm', { token: other, body: presigned.json.confirm })).status, 404);

    const put = await fetch(presigned.json.uploads[0].upload_url, { method: 'PUT', body: big });
    assert.equal(put.status, 200);
    await fixture.service.stack.ingestIdle();
    let confirmed: Reply | undefined;
    for (let i = 0; i < 60; i++) {
      confirmed = await fixture.service.request('POST', '/upload/confirm', { token: fixture.token, body: presigned.json.confirm });
      if (confirmed.status !== 409) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal(confirmed?.status, 200, confirmed?.text);
    assert.equal(confirmed?.text, JSON.stringify({ 'uploadResult.Uploaded': id }));

    const v9 = (await search('app_name=testapp&channel=nightly&published=true')).json.items[0];
    assert.equal(v9.Version, '0.0.9.137');
    assert.equal(v9.ID, id);
    assert.deepEqual(
      v9.Artifacts.map((a: { package: string }) => a.package),
      ['.dmg'],
    );
    const download = await fixture.service.request('GET', `/download?key=${encodeURIComponent(v9.Artifacts[0].link)}`, {
      token: fixture.token,
    });
    const fetched = Buffer.from(await (await fetch(download.json.download_url)).arrayBuffer());
    assert.equal(createHash('sha256').update(fetched).digest('hex'), sha256);

    // A file whose bytes do not match the declared SHA-256 is named in the confirm's 400.
    const wrong = await fixture.service.request('POST', '/upload/presign', {
      token: fixture.token,
      body: { ...body, version: '0.0.10.137', files: [{ name: 'testapp.pkg', size: 1024, sha256: '0'.repeat(64) }] },
    });
    assert.equal(wrong.status, 200, wrong.text);
    assert.equal((await fetch(wrong.json.uploads[0].upload_url, { method: 'PUT', body: randomBytes(1024) })).status, 200);
    await fixture.service.stack.ingestIdle();
    let refused: Reply | undefined;
    for (let i = 0; i < 60; i++) {
      refused = await fixture.service.request('POST', '/upload/confirm', { token: fixture.token, body: wrong.json.confirm });
      if (refused.status !== 409) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal(refused?.status, 400, refused?.text);
    assert.match(refused?.json.error, /testapp-0\.0\.10\.137\.pkg \(universalPlatform\/universalArch\) was rejected: SHA-256/);

    const huge = await fixture.service.request('POST', '/upload/presign', {
      token: fixture.token,
      body: { ...body, version: '0.0.11.137', files: [{ name: 'huge.dmg', size: 6 * 1024 ** 3 }] },
    });
    assert.equal(huge.status, 400);
    assert.match(huge.json.error, /multipart/);
  });
});
