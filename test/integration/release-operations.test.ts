import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { createPublishedApp, uploadArtifact, useLocalService } from '../support/local-service.js';

/** Promote, yank and roll back through the local gateway (its edge function included), as clients see them. */
describe('release operations, end to end', () => {
  const fixture = useLocalService();
  const { api } = fixture;
  const get = (path: string) => fixture.service.request('GET', path);

  /** A published release of `version` in `channel` with one verified darwin/aarch64 file; its id. */
  async function release(appId: string, version: string, channel: string, bytes = randomBytes(64), zip = false): Promise<string> {
    const created = await api('POST', `/apps/${appId}/releases`, { version, channel });
    assert.equal(created.status, 201, created.text);
    await uploadArtifact(fixture.service, fixture.token, appId, created.json.id, { bytes });
    // Squirrel.Mac and Sparkle take a zip.
    if (zip) await uploadArtifact(fixture.service, fixture.token, appId, created.json.id, { bytes: randomBytes(64), package: 'zip' });
    const published = await api('POST', `/apps/${appId}/releases/${created.json.id}/publish`, {});
    assert.equal(published.status, 200, published.text);
    return created.json.id as string;
  }

  const bytesAt = (url: string) => fixture.service.bytesAt(url);

  it("promotes a release into another channel: that channel's clients get the very same bytes, nothing is uploaded again", async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'promote-app');
    assert.equal((await api('POST', '/channels', { name: 'promote-beta', follows: [] })).status, 201);
    await release(appId, '1.0.0', 'stable');
    const bytes = randomBytes(4096);
    const rc = await release(appId, '1.1.0', 'promote-beta', bytes);
    const before = await api('GET', `/apps/${appId}/releases/${rc}`);
    const stable = () => get('/api/sync/ota/promote-app/darwin/aarch64/0.9.0');
    assert.equal((await stable()).json.version, '1.0.0');

    const promoted = await api('POST', `/apps/${appId}/releases/${rc}/promote`, { channel: 'stable' });
    assert.equal(promoted.status, 200, promoted.text);
    assert.equal(promoted.json.channel, 'promote-beta');
    assert.deepEqual(promoted.json.promoted_to, ['stable']);
    assert.deepEqual(promoted.json.artifacts, before.json.artifacts, 'the same artifacts: same ids, hashes and states');

    const check = await stable();
    assert.equal(check.json.version, '1.1.0');
    assert.deepEqual(await bytesAt(check.json.url), bytes, 'stable gets the bytes beta was verified with');
    const beta = await get('/api/sync/ota/promote-app/darwin/aarch64/0.9.0?channel=promote-beta');
    assert.equal(beta.json.version, '1.1.0', 'beta keeps it');
    const appcast = await get('/feeds/promote-app/stable/sparkle/aarch64/appcast.xml');
    const item = new XMLParser({ ignoreAttributes: false }).parse(appcast.text).rss.channel.item;
    const items = Array.isArray(item) ? item : [item];
    assert.deepEqual(await bytesAt(items[0].enclosure['@_url']), bytes, 'the feeds too');

    assert.equal((await api('POST', `/apps/${appId}/releases/${rc}/promote`, { channel: 'nope' })).status, 400);
    const draft = await api('POST', `/apps/${appId}/releases`, { version: '1.2.0', channel: 'promote-beta' });
    assert.equal((await api('POST', `/apps/${appId}/releases/${draft.json.id}/promote`, { channel: 'stable' })).status, 409);
  });

  it('yanks with the previous release served at once to every client of every feed', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'yank-app');
    const oldBytes = randomBytes(256);
    await release(appId, '1.0.0', 'stable', oldBytes, true);
    const bad = await release(appId, '1.1.0', 'stable', randomBytes(64), true);
    const answers = async () => {
      const tauri = await get('/api/sync/ota/yank-app/darwin/aarch64/0.9.0');
      const tauriStatic = await get('/feeds/yank-app/stable/tauri/latest.json');
      const electron = await get('/feeds/yank-app/electron/latest-mac.yml');
      const squirrel = await get('/feeds/yank-app/stable/squirrel-mac/arm64/0.9.0');
      const appcast = await get('/feeds/yank-app/stable/sparkle/aarch64/appcast.xml');
      const fayno = await get(
        `/checkVersion?${new URLSearchParams({ owner: fixture.service.stack.info.admin.username, app_name: 'yank-app', version: '0.9.0', channel: 'stable', platform: 'darwin', arch: 'aarch64', updater: 'manual' })}`,
      );
      return {
        tauri: tauri.json.version,
        tauriStatic: tauriStatic.json.version,
        electron: /^version: (\S+)$/m.exec(electron.text)?.[1],
        squirrel: squirrel.status === 200 ? squirrel.json.name : `${squirrel.status} ${squirrel.text}`,
        sparkle: /sparkle:shortVersionString>([^<]+)</.exec(appcast.text)?.[1] ?? /sparkle:version="([^"]+)"/.exec(appcast.text)?.[1],
        fayno: fayno.json.update_available ? /1\.\d\.\d/.exec(JSON.stringify(fayno.json))?.[0] : `none (${fayno.status})`,
        tauriUrl: tauri.json.url as string,
      };
    };
    const live = await answers();
    assert.deepEqual(
      { ...live, tauriUrl: undefined },
      {
        tauri: '1.1.0',
        tauriStatic: '1.1.0',
        electron: '1.1.0',
        squirrel: '1.1.0',
        sparkle: '1.1.0',
        fayno: '1.1.0',
        tauriUrl: undefined,
      },
    );
    assert.equal((await api('POST', `/apps/${appId}/releases/${bad}/yank`, {})).status, 200);
    const after = await answers();
    assert.deepEqual(
      { ...after, tauriUrl: undefined },
      {
        tauri: '1.0.0',
        tauriStatic: '1.0.0',
        electron: '1.0.0',
        squirrel: '1.0.0',
        sparkle: '1.0.0',
        fayno: '1.0.0',
        tauriUrl: undefined,
      },
    );
    assert.deepEqual(await bytesAt(after.tauriUrl), oldBytes);
  });

  it('rolls a channel back to a version in one request: newer releases yanked, a promotion into it withdrawn', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'rollback-app');
    assert.equal((await api('POST', '/channels', { name: 'rollback-beta', follows: [] })).status, 201);
    const goodBytes = randomBytes(128);
    await release(appId, '2.0.0', 'stable', goodBytes);
    await release(appId, '2.1.0', 'stable');
    await release(appId, '2.2.0', 'stable');
    const rc = await release(appId, '2.3.0', 'rollback-beta');
    assert.equal((await api('POST', `/apps/${appId}/releases/${rc}/promote`, { channel: 'stable' })).status, 200);
    const stable = () => get('/api/sync/ota/rollback-app/darwin/aarch64/1.0.0');
    assert.equal((await stable()).json.version, '2.3.0');

    const done = await api('POST', `/apps/${appId}/channels/stable/rollback`, { to: '2.0.0' });
    assert.equal(done.status, 200, done.text);
    assert.equal(done.json.to.version, '2.0.0');
    assert.deepEqual(
      done.json.yanked.map((r: { version: string; status: string }) => `${r.version} ${r.status}`),
      ['2.2.0 yanked', '2.1.0 yanked'],
    );
    assert.deepEqual(
      done.json.withdrawn.map((r: { version: string; promoted_to: string[] }) => `${r.version} ${r.promoted_to.length}`),
      ['2.3.0 0'],
    );
    const check = await stable();
    assert.equal(check.json.version, '2.0.0');
    assert.deepEqual(await bytesAt(check.json.url), goodBytes);
    assert.equal((await get('/api/sync/ota/rollback-app/darwin/aarch64/1.0.0?channel=rollback-beta')).json.version, '2.3.0');
    assert.equal((await api('POST', `/apps/${appId}/channels/stable/rollback`, { to: '9.9.9' })).status, 404);
    assert.equal((await api('POST', `/apps/${appId}/channels/stable/rollback`, { to: '2.2.0' })).status, 409, 'a yanked version');
  });
});
