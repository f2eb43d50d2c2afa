import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CancellationToken, type ProgressInfo } from 'builder-util-runtime';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider.js';
import { NodeExecutor } from '../support/electron-executor.js';
import { createPublishedApp, uploadArtifact, useLocalService } from '../support/local-service.js';

/**
 * The stock electron-updater client code, headless: its generic provider reads our feed exactly as
 * an Electron app would, resolves the files, and its downloader verifies the SHA-512 it was promised.
 */
describe('electron-updater (its own provider and downloader) against the feed', () => {
  const fixture = useLocalService();
  const work = mkdtempSync(join(tmpdir(), 'electron-updater-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  function provider(platform: 'darwin' | 'win32' | 'linux', channel?: string) {
    const updater = { channel: channel ?? null, isAddNoCacheQuery: true };
    return new GenericProvider({ provider: 'generic', url: `${fixture.service.url}/feeds/electron-app/electron/` }, updater as never, {
      // The provider only calls the executor's request methods; ElectronHttpExecutor adds Electron sessions.
      executor: new NodeExecutor() as never,
      platform,
      isUseMultipleRangeRequest: false,
    });
  }

  it('finds the update, picks the files and downloads bytes that match their SHA-512', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'electron-app');
    const release = (await fixture.api('POST', `/apps/${appId}/releases`, { version: '3.1.0', channel: 'stable', notes: 'Faster' })).json
      .id;
    const mac = randomBytes(64 * 1024);
    const win = randomBytes(32 * 1024);
    await uploadArtifact(fixture.service, fixture.token, appId, release, { target: 'darwin', arch: 'aarch64', package: 'zip', bytes: mac });
    await uploadArtifact(fixture.service, fixture.token, appId, release, {
      target: 'windows',
      arch: 'x86_64',
      package: 'nsis',
      bytes: win,
    });
    assert.equal((await fixture.api('POST', `/apps/${appId}/releases/${release}/publish`, {})).status, 200);

    const macProvider = provider('darwin');
    const info = await macProvider.getLatestVersion();
    assert.equal(info.version, '3.1.0');
    assert.equal(info.releaseNotes, 'Faster');
    const file = macProvider.resolveFiles(info)[0];
    assert.ok(file, 'a file to download');
    assert.ok(file.url.pathname.includes('arm64'), 'MacUpdater picks arm64 builds by name');

    const executor = new NodeExecutor();
    const progress: ProgressInfo[] = [];
    const destination = join(work, 'update.zip');
    await executor.download(file.url, destination, {
      sha512: file.info.sha512,
      cancellationToken: new CancellationToken(),
      onProgress: (p: ProgressInfo) => progress.push(p),
    });
    assert.deepEqual(readFileSync(destination), mac);
    assert.ok(progress.length > 0 && progress.at(-1)?.total === mac.length, 'Content-Length reaches the progress bar');

    // A promised hash that does not match fails the download, as it would in the app.
    await assert.rejects(
      executor.download(file.url, join(work, 'bad.zip'), {
        sha512: Buffer.alloc(64).toString('base64'),
        cancellationToken: new CancellationToken(),
      }),
      /sha512 checksum mismatch/,
    );

    const winInfo = await provider('win32').getLatestVersion();
    assert.equal(winInfo.files[0]?.size, win.length);
    await assert.rejects(
      provider('darwin', 'beta').getLatestVersion(),
      (error: { code?: string }) => error.code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND',
    );
  });
});
