import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalService } from '../support/local-service.js';
import { collect, OTA } from '../support/ota-cli.js';

const require = createRequire(import.meta.url);
const TAURI_CLI = join(dirname(require.resolve('@tauri-apps/cli/package.json')), 'tauri.js');
const MiB = 1024 ** 2;

describe('the ota CLI, driven as a child process against the local stack', () => {
  let service: LocalService;
  let work: string;
  let env: NodeJS.ProcessEnv;

  const start = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    spawn(process.execPath, [OTA, ...args], { cwd: work, env: { ...env, ...extraEnv }, stdio: ['pipe', 'pipe', 'pipe'] });
  const ota = (args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) =>
    collect(start(args, options.env), options.input);
  const tauriSign = (file: string, version: string) =>
    execFileSync(
      process.execPath,
      [TAURI_CLI, 'signer', 'sign', '--private-key-path', join(work, 'updater.key'), '--password', '', '--app-version', version, file],
      {
        cwd: work,
        stdio: 'ignore',
        env: { ...process.env, CI: 'true' },
      },
    );

  before(async () => {
    service = await LocalService.start();
    work = mkdtempSync(join(tmpdir(), 'ota-cli-'));
    env = { ...process.env, XDG_CONFIG_HOME: join(work, 'config'), OTA_TOKEN: '', OTA_URL: '', OTA_APP: '' };
    execFileSync(
      process.execPath,
      [TAURI_CLI, 'signer', 'generate', '--ci', '--password', '', '--write-keys', join(work, 'updater.key'), '--force'],
      {
        cwd: work,
        stdio: 'ignore',
        env: { ...process.env, CI: 'true' },
      },
    );
  });
  after(async () => {
    await service?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('says what to do before login (exit 3), then signs in and keeps the token in a 0600 file', async () => {
    const before = await ota(['apps']);
    assert.equal(before.code, 3);
    assert.match(before.stderr, /Not signed in\n {2}run ota login/);

    const { username, password } = service.stack.info.admin;
    const login = await ota(['login', '--url', service.url, '--username', username, '--password-stdin', '--json'], {
      input: `${password}\n`,
    });
    assert.equal(login.code, 0, login.stderr);
    assert.equal(statSync(login.json.config).mode & 0o777, 0o600);
    const me = await ota(['whoami', '--json']);
    assert.equal(me.json.kind, 'owner');
  });

  it('publishes a signed Tauri build folder, resumes an interrupted multipart upload, and the Tauri check offers it', async (t) => {
    const created = await ota(['apps', 'create', 'CLI App', '--slug', 'cli-app', '--pubkey-file', join(work, 'updater.key.pub'), '--json']);
    assert.equal(created.code, 0, created.stderr);
    assert.ok(created.json.tauri_pubkey);

    // What `tauri build` leaves with createUpdaterArtifacts: bundles and their .sig files.
    const bundle = join(work, 'src-tauri', 'target', 'release', 'bundle');
    mkdirSync(join(bundle, 'macos'), { recursive: true });
    mkdirSync(join(bundle, 'appimage'), { recursive: true });
    const app = join(bundle, 'macos', 'CLI App.app.tar.gz');
    const appImage = join(bundle, 'appimage', 'cli-app_1.0.1_amd64.AppImage');
    writeFileSync(app, randomBytes(256 * 1024));
    writeFileSync(appImage, randomBytes(20 * MiB));
    tauriSign(app, '1.0.1');
    tauriSign(appImage, '1.0.1');
    writeFileSync(join(bundle, 'appimage', 'build.log'), 'not a bundle');

    // A slow first run (8 MiB/s, one part at a time), interrupted once the first part is stored.
    const args = ['publish', bundle, '--app', 'cli-app', '--channel', 'stable', '--arch', 'aarch64', '--multipart-from', '8M', '--json'];
    const slow = start([...args, '--concurrency', '1', '--limit-rate', '8M']);
    const interrupted = collect(slow);
    const uploads = join(work, 'config', 'ota', 'uploads');
    const deadline = Date.now() + 60_000;
    for (;;) {
      const states = existsSync(uploads) ? readdirSync(uploads).map((f) => JSON.parse(readFileSync(join(uploads, f), 'utf8'))) : [];
      if (states.some((s) => Object.keys(s.etags).length >= 1)) break;
      assert.ok(Date.now() < deadline, 'the first part is stored within a minute');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    slow.kill('SIGINT');
    const stopped = await interrupted;
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /run the same command again to resume/);
    const offeredBefore = await service.request('GET', '/api/sync/ota/cli-app/linux/x86_64/1.0.0');
    assert.equal(offeredBefore.status, 204, 'nothing is offered while the release is a draft');

    // The same command again: the stored parts are not sent twice, the rest is, then publish.
    const resumed = await ota(args);
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.equal(resumed.json.kind, 'tauri');
    assert.equal(resumed.json.release.status, 'published');
    const big = resumed.json.uploads.find((u: any) => u.package === 'appimage');
    assert.equal(big.mode, 'multipart');
    assert.equal(big.parts, 3);
    assert.ok(big.resumed_parts >= 1, 'parts stored before the interruption are kept');
    assert.ok(big.sent_bytes <= big.bytes - 8 * MiB);
    assert.equal(big.status, 'ready');
    t.diagnostic(
      `resumed ${big.resumed_parts}/${big.parts} parts; sent ${(big.sent_bytes / MiB).toFixed(1)} MiB in ${big.seconds.toFixed(2)} s (${(big.sent_bytes / MiB / big.seconds).toFixed(1)} MiB/s, verification awaited after)`,
    );
    assert.deepEqual(readdirSync(uploads), [], 'the state file goes once the upload completes');
    assert.ok(resumed.json.skipped.some((s: any) => s.file.endsWith('build.log')));

    const linux = await service.request('GET', '/api/sync/ota/cli-app/linux/x86_64/1.0.0');
    assert.equal(linux.status, 200);
    assert.equal(linux.json.version, '1.0.1');
    assert.equal(linux.json.signature, readFileSync(`${appImage}.sig`, 'utf8').trim());
    const mac = await service.request('GET', '/api/sync/ota/cli-app/darwin/aarch64/1.0.0');
    assert.equal(mac.json.version, '1.0.1');

    const status = await ota(['status', '--app', 'cli-app', '--json']);
    assert.deepEqual(
      status.json.serves.map((s: any) => [s.channel, s.target, s.arch, s.package, s.version]),
      [
        ['stable', 'darwin', 'aarch64', 'app', '1.0.1'],
        ['stable', 'linux', 'x86_64', 'appimage', '1.0.1'],
      ],
    );
    const snippet = await ota(['config', 'tauri', '--app', 'cli-app']);
    assert.equal(
      JSON.parse(snippet.stdout).plugins.updater.endpoints[0],
      `${service.url}/api/sync/ota/cli-app/{{target}}/{{arch}}/{{current_version}}?bundle_type={{bundle_type}}`,
    );
    assert.equal(JSON.parse(snippet.stdout).plugins.updater.pubkey, created.json.tauri_pubkey);
  });

  it('refuses a file the server cannot verify with exit 6, and rolls out, halts and yanks', async () => {
    assert.equal((await ota(['release', 'create', '--app', 'cli-app', '--version', '1.0.2'])).code, 0);
    const unsigned = join(work, 'cli-app_1.0.2_amd64.AppImage');
    writeFileSync(unsigned, randomBytes(4096));
    const refused = await ota(['upload', unsigned, '--app', 'cli-app', '--release', '1.0.2']);
    assert.equal(refused.code, 6, refused.stderr);
    assert.match(refused.stderr, /refused .*signature/);

    assert.equal((await ota(['rollout', '30', '--app', 'cli-app', '--release', '1.0.1', '--json'])).json.rollout_percent, 30);
    assert.equal((await ota(['halt', '--app', 'cli-app', '--release', '1.0.1', '--json'])).json.rollout_percent, 0);
    assert.equal((await ota(['yank', '--app', 'cli-app', '--release', '1.0.1', '--json'])).json.status, 'yanked');
    const missing = await ota(['yank', '--app', 'cli-app', '--release', '9.9.9']);
    assert.equal(missing.code, 4);
    assert.equal((await ota(['rollout', '120', '--app', 'cli-app', '--release', '1.0.1'])).code, 2);
  });

  it("publishes an electron-builder dist folder: the latest*.yml say what ships, electron-updater's feed offers it", async () => {
    assert.equal((await ota(['apps', 'create', 'EB App', '--slug', 'eb-app'])).code, 0);
    const dist = join(work, 'dist');
    mkdirSync(dist);
    const files = {
      'EB App-1.2.0-arm64-mac.zip': randomBytes(3000),
      'EB App-1.2.0-mac.zip': randomBytes(3000),
      'EB App Setup 1.2.0.exe': randomBytes(3000),
    };
    for (const [name, bytes] of Object.entries(files)) {
      writeFileSync(join(dist, name), bytes);
      writeFileSync(join(dist, `${name}.blockmap`), 'blockmap');
    }
    const yml = (names: (keyof typeof files)[]) =>
      `version: 1.2.0\nfiles:\n${names.map((n) => `  - url: ${n}\n    sha512: ${createHash('sha512').update(files[n]).digest('base64')}\n    size: 3000\n`).join('')}path: ${names[0]}\n`;
    writeFileSync(join(dist, 'latest-mac.yml'), yml(['EB App-1.2.0-arm64-mac.zip', 'EB App-1.2.0-mac.zip']));
    writeFileSync(join(dist, 'latest.yml'), yml(['EB App Setup 1.2.0.exe']));

    const published = await ota(['publish', dist, '--app', 'eb-app', '--json']);
    assert.equal(published.code, 0, published.stdout + published.stderr);
    assert.equal(published.json.kind, 'electron-builder');
    assert.deepEqual(published.json.uploads.map((u: any) => `${u.target}/${u.arch}/${u.package}`).sort(), [
      'darwin/aarch64/zip',
      'darwin/aarch64/zip.blockmap',
      'darwin/x86_64/zip',
      'darwin/x86_64/zip.blockmap',
      'windows/x86_64/nsis',
      'windows/x86_64/nsis.blockmap',
    ]);
    assert.equal(published.json.skipped.length, 0);
    const mac = await service.request('GET', '/feeds/eb-app/electron/latest-mac.yml');
    assert.equal(mac.status, 200);
    assert.match(mac.text, /version: 1\.2\.0/);
    // electron-updater asks for `${url}.blockmap` beside each installer the yml names.
    const [url] = /https?:\/\/\S+arm64\.zip/.exec(mac.text) ?? [];
    assert.ok(url, mac.text);
    const blockmap = await service.request('GET', `${new URL(url).pathname}.blockmap`);
    assert.equal(blockmap.status, 302, blockmap.text);
    assert.equal(await (await fetch(blockmap.headers.get('location') as string)).text(), 'blockmap');
    const win = await service.request('GET', '/feeds/eb-app/electron/latest.yml');
    assert.match(win.text, /version: 1\.2\.0/);
  });

  it('works in CI with an API token from the environment', async () => {
    const token = await ota(['tokens', 'create', 'ci', '--app', 'cli-app', '--json']);
    assert.equal(token.code, 0, token.stderr);
    const ci = { XDG_CONFIG_HOME: join(work, 'ci-config'), OTA_TOKEN: token.json.token, OTA_URL: service.url };
    const releases = await ota(['release', 'list', '--app', 'cli-app', '--json'], { env: ci });
    assert.equal(releases.code, 0, releases.stderr);
    assert.ok(releases.json.releases.some((r: any) => r.version === '1.0.1'));
    const revoked = await ota(['tokens', 'revoke', token.json.id]);
    assert.equal(revoked.code, 0);
    const after = await ota(['release', 'list', '--app', 'cli-app', '--json'], { env: ci });
    assert.equal(after.code, 3);
    assert.match(after.json.error.hint, /OTA_TOKEN/);
  });
});
