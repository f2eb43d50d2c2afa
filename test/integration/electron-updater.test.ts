import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CancellationToken, type ProgressInfo } from 'builder-util-runtime';
import type { BlockMap } from 'builder-util-runtime/out/blockMapApi.js';
import { GenericDifferentialDownloader } from 'electron-updater/out/differentialDownloader/GenericDifferentialDownloader.js';
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

  it('differential download: the blockmaps of the new and the installed version beside the installer, then only the changed blocks', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'diff-app');
    const installed = randomBytes(16 * BLOCK);
    const next = Buffer.concat([installed.subarray(0, 10 * BLOCK), randomBytes(2 * BLOCK), installed.subarray(12 * BLOCK)]);
    for (const [version, bytes] of [
      ['1.0.0', installed],
      ['1.1.0', next],
    ] as const) {
      const id = (await fixture.api('POST', `/apps/${appId}/releases`, { version, channel: 'stable' })).json.id;
      for (const [pkg, body] of [
        ['nsis', bytes],
        ['nsis.blockmap', gzipSync(JSON.stringify(blockmapOf(bytes)))],
      ] as const)
        await uploadArtifact(fixture.service, fixture.token, appId, id, { target: 'windows', arch: 'x86_64', package: pkg, bytes: body });
      assert.equal((await fixture.api('POST', `/apps/${appId}/releases/${id}/publish`, {})).status, 200);
    }

    // What AppUpdater.differentialDownloadInstaller does for an app at 1.0.0.
    const windows = new GenericProvider(
      { provider: 'generic', url: `${fixture.service.url}/feeds/diff-app/electron/` },
      {
        channel: null,
        isAddNoCacheQuery: true,
      } as never,
      { executor: new NodeExecutor() as never, platform: 'win32', isUseMultipleRangeRequest: false },
    );
    const info = await windows.getLatestVersion();
    assert.equal(info.version, '1.1.0');
    const [file] = windows.resolveFiles(info);
    assert.ok(file);
    assert.deepEqual(
      info.files.map((f) => f.url),
      [file.url.href],
      'the feed lists the installer only: its blockmap is found by name',
    );
    const [oldUrl, newUrl] = await windows.getBlockMapFiles(file.url, '1.0.0', info.version);
    assert.ok(oldUrl && newUrl);
    assert.equal(newUrl.pathname, `${file.url.pathname}.blockmap`);
    const executor = new NodeExecutor();
    const blockmap = async (url: URL): Promise<BlockMap> =>
      JSON.parse(gunzipSync(await executor.downloadToBuffer(url, { cancellationToken: new CancellationToken() })).toString());
    assert.deepEqual(await blockmap(newUrl), blockmapOf(next));
    assert.deepEqual(
      await blockmap(oldUrl),
      blockmapOf(installed),
      "the installed version's blockmap, by the name electron-updater derives",
    );

    // Electron's net follows the installer's 302 itself; Node's http (this test's executor) does not, so it is followed once here.
    const located = await fetch(file.url, { redirect: 'manual' });
    assert.equal(located.status, 302);
    const oldFile = join(work, 'installer-1.0.0.exe');
    const newFile = join(work, 'installer-1.1.0.exe');
    writeFileSync(oldFile, installed);
    const logged: string[] = [];
    await new GenericDifferentialDownloader(file.info as never, executor, {
      newUrl: new URL(located.headers.get('location') as string),
      oldFile,
      newFile,
      logger: { info: (m: unknown) => logged.push(String(m)), warn: () => {}, error: () => {} },
      requestHeaders: null,
      isUseMultipleRangeRequest: false,
      cancellationToken: new CancellationToken(),
    }).download(await blockmap(oldUrl), await blockmap(newUrl));
    assert.deepEqual(readFileSync(newFile), next, 'rebuilt from the old installer and the changed blocks, its SHA-512 checked');
    assert.ok(
      logged.some((line) => /To download: 8 KB \(13%\)/.test(line)),
      `only the two changed blocks travel: ${logged.join(' | ')}`,
    );

    // A version without a blockmap, a draft's, or a name that is neither: 404, so electron-updater falls back to the full file.
    for (const name of ['diff-app-0.9.0-windows-x64.exe.blockmap', 'diff-app-1.1.0-windows-x64.zip.blockmap', 'x.blockmap']) {
      const path: string = file.url.pathname.replace(/[^/]+$/, name);
      assert.equal((await fixture.service.request('GET', path)).status, 404, name);
    }
  });
});

/** 4 KiB blocks: the blockmap builder-util-runtime declares (app-builder cuts blocks by content; fixed blocks suffice here). */
const BLOCK = 4096;

function blockmapOf(bytes: Buffer): BlockMap {
  const checksums: string[] = [];
  const sizes: number[] = [];
  for (let offset = 0; offset < bytes.length; offset += BLOCK) {
    const block = bytes.subarray(offset, offset + BLOCK);
    checksums.push(createHash('sha256').update(block).digest('base64'));
    sizes.push(block.length);
  }
  return { version: '2', files: [{ name: 'file', offset: 0, checksums, sizes }] };
}
