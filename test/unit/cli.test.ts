import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkOperations, fillPath, OPERATIONS, routeOf } from '../../cli/api.js';
import { archOf, checkSha512, describeFile, readBuildFolder } from '../../cli/build-folder.js';
import { CLIENT_SNIPPETS, renderSnippet, type SnippetName } from '../../cli/snippets.js';
import { servedRows } from '../../shared/domain/serving.js';
import * as schemas from '../../shared/http/schemas.js';

describe('the CLI client is the route table', () => {
  it('every operation is a route whose own schemas the CLI uses', () => {
    assert.doesNotThrow(checkOperations);
    assert.equal(routeOf('PublishRelease').path, '/api/sync/ota/apps/{app_id}/releases/{release_id}/publish');
    assert.equal(Object.keys(OPERATIONS).length, 31);
  });

  it("a schema that is not the route table's is caught", () => {
    const original = OPERATIONS.YankRelease;
    (OPERATIONS as any).YankRelease = { answer: schemas.appAnswer };
    try {
      assert.throws(() => routeOf('YankRelease'), /not the route table's/);
    } finally {
      (OPERATIONS as any).YankRelease = original;
    }
  });

  it('fills path parameters, encoded', () => {
    assert.equal(fillPath('/a/{app_id}/b/{x}', { app_id: 'A 1', x: 'é' }), '/a/A%201/b/%C3%A9');
    assert.throws(() => fillPath('/a/{app_id}', {}), /app_id/);
  });
});

describe('build folders', () => {
  it('reads an electron-builder dist: latest*.yml name the files, each with the blockmap beside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eb-'));
    try {
      const files: Record<string, Buffer> = {
        'My App Setup 1.2.0.exe': Buffer.from('exe'),
        'My App-1.2.0-arm64-mac.zip': Buffer.from('zip arm'),
        'My App-1.2.0-mac.zip': Buffer.from('zip x64'),
        'my-app-1.2.0.AppImage': Buffer.from('appimage'),
      };
      const sha = (b: Buffer) => createHash('sha512').update(b).digest('base64');
      for (const [name, bytes] of Object.entries(files)) {
        writeFileSync(join(dir, name), bytes);
        writeFileSync(join(dir, `${name}.blockmap`), 'blockmap');
      }
      const yml = (names: string[]) =>
        `version: 1.2.0\nfiles:\n${names.map((n) => `  - url: ${n}\n    sha512: ${sha(files[n] as Buffer)}\n    size: 3\n`).join('')}`;
      writeFileSync(join(dir, 'latest.yml'), yml(['My App Setup 1.2.0.exe']));
      writeFileSync(join(dir, 'latest-mac.yml'), yml(['My App-1.2.0-arm64-mac.zip', 'My App-1.2.0-mac.zip']));
      writeFileSync(join(dir, 'latest-linux.yml'), yml(['my-app-1.2.0.AppImage']));
      mkdirSync(join(dir, 'win-unpacked'));
      writeFileSync(join(dir, 'win-unpacked', 'My App.exe'), 'x');

      const folder = readBuildFolder(dir);
      assert.equal(folder.kind, 'electron-builder');
      assert.equal(folder.version, '1.2.0');
      assert.deepEqual(folder.files.map((f) => [f.target, f.arch, f.package]).sort(), [
        ['darwin', 'aarch64', 'zip'],
        ['darwin', 'aarch64', 'zip.blockmap'],
        ['darwin', 'x86_64', 'zip'],
        ['darwin', 'x86_64', 'zip.blockmap'],
        ['linux', 'x86_64', 'appimage'],
        ['linux', 'x86_64', 'appimage.blockmap'],
        ['windows', 'x86_64', 'nsis'],
        ['windows', 'x86_64', 'nsis.blockmap'],
      ]);
      assert.equal(
        folder.files.find((f) => f.package === 'nsis.blockmap')?.file,
        join(dir, 'My App Setup 1.2.0.exe.blockmap'),
        'the blockmap of the installer it names',
      );
      assert.deepEqual(
        folder.skipped.map((s) => s.file),
        [join('win-unpacked', 'My App.exe')],
      );
      for (const file of folder.files) if (file.sha512) await checkSha512(file.file, file.sha512);
      writeFileSync(join(dir, 'my-app-1.2.0.AppImage'), 'changed');
      const linux = folder.files.find((f) => f.target === 'linux');
      await assert.rejects(checkSha512(linux?.file as string, linux?.sha512 as string), /does not match the sha512/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads Tauri names, and asks for the arch a macOS bundle does not carry', () => {
    assert.deepEqual(describeFile('/x/MyApp_1.0.0_x64-setup.exe', {}), {
      file: '/x/MyApp_1.0.0_x64-setup.exe',
      target: 'windows',
      arch: 'x86_64',
      package: 'nsis',
    });
    assert.equal(describeFile('/x/app_1.0.0_amd64.deb', {}).package, 'deb');
    assert.equal(archOf('aarch64-apple-darwin/release/bundle'), 'aarch64');
    assert.throws(() => describeFile('/x/MyApp.app.tar.gz', {}), /architecture/);
    assert.equal(describeFile('/x/MyApp.app.tar.gz', { arch: 'aarch64' }).target, 'darwin');
  });

  it('reads differential files: a blockmap belongs to its installer, a delta needs the version it applies to', () => {
    assert.deepEqual(describeFile('/x/my-app-1.2.0-arm64-mac.zip.blockmap', {}), {
      file: '/x/my-app-1.2.0-arm64-mac.zip.blockmap',
      target: 'darwin',
      arch: 'aarch64',
      package: 'zip.blockmap',
    });
    assert.equal(describeFile('/x/My App Setup 1.2.0.exe.blockmap', { arch: 'x86_64', target: 'windows' }).package, 'nsis.blockmap');
    assert.throws(
      () => describeFile('/x/MyApp1.2.0-1.1.0.delta', { arch: 'aarch64' }),
      (e: { hint?: string }) => /--delta-from/.test(e.hint ?? ''),
    );
    assert.deepEqual(describeFile('/x/MyApp1.2.0-1.1.0.delta', { arch: 'aarch64', deltaFrom: '1.1.0' }), {
      file: '/x/MyApp1.2.0-1.1.0.delta',
      target: 'darwin',
      arch: 'aarch64',
      package: 'delta',
      deltaFrom: '1.1.0',
    });
    assert.deepEqual(describeFile('/x/MyApp-1.2.0-win-delta.nupkg', { arch: 'x86_64', deltaFrom: '1.1.0' }), {
      file: '/x/MyApp-1.2.0-win-delta.nupkg',
      target: 'windows',
      arch: 'x86_64',
      package: 'delta.nupkg',
      deltaFrom: '1.1.0',
    });
  });
});

describe("ota config prints the docs' own snippets", () => {
  const app = { apiUrl: 'https://updates.example.com', id: '01APP', name: 'My App', slug: 'my-app', tauriPubkey: 'KEY', channel: 'beta' };
  for (const name of Object.keys(CLIENT_SNIPPETS) as SnippetName[]) {
    it(name, () => {
      const text = renderSnippet(name, app);
      assert.ok(text.includes('https://updates.example.com'), text);
      assert.ok(!text.includes('<'.concat('slug>')) && !text.includes('<ApiUrl>'));
      if (CLIENT_SNIPPETS[name].needsSlug) {
        assert.ok(text.includes('my-app'), text);
        assert.throws(() => renderSnippet(name, { ...app, slug: null }), /no slug/);
      }
    });
  }
});

describe('ota status', () => {
  const release = (id: string, version: string, channel: string, rollout = 100, promoted: string[] = []) => ({
    id,
    version,
    channel,
    promoted_to: promoted,
    rollout_percent: rollout,
    artifacts: [{ target: 'darwin', arch: 'aarch64', package: 'app', status: 'ready' }],
  });

  it('shows what every device gets, rollouts on their way and halted releases, through followed channels and promotions', () => {
    // Newest version first, as the releases route answers.
    const published = [
      release('r5', '2.0.0-beta.1', 'beta'),
      release('r4', '1.3.0', 'stable', 0),
      release('r3', '1.2.0', 'stable', 25),
      release('r2', '1.1.0', 'beta', 100, ['stable']),
      release('r1', '1.0.0', 'stable'),
    ];
    const channels = [
      { name: 'stable', follows: [] },
      { name: 'beta', follows: ['stable'], allow_prerelease: true },
      { name: 'lts', follows: ['beta'], allow_prerelease: false },
    ];
    const rows = servedRows(published, channels);
    const shown = (channel: string) => {
      const row = rows.find((r) => r.channel === channel);
      return row && [row.version, row.from, row.partial.map((p) => `${p.version}@${p.percent}`), row.halted];
    };
    assert.deepEqual(shown('stable'), ['1.1.0', null, ['1.2.0@25'], ['1.3.0']], '1.1.0 was promoted into stable');
    assert.deepEqual(shown('beta'), ['2.0.0-beta.1', null, [], []]);
    assert.deepEqual(shown('lts'), ['1.1.0', 'beta', ['1.2.0@25'], ['1.3.0']], 'no pre-releases, the rest through beta and stable');
  });
});
