import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPublishedApp, LocalService, publishRelease } from '../support/local-service.js';
import { verifyTauriSignature } from '../support/minisign.js';

const require = createRequire(import.meta.url);
const TAURI_CLI = join(dirname(require.resolve('@tauri-apps/cli/package.json')), 'tauri.js');

function tauri(args: string[], cwd: string): string {
  return execFileSync(process.execPath, [TAURI_CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
}

describe('a Tauri v2 update signed with the official signer round-trips', () => {
  let service: LocalService;
  let work: string;

  before(async () => {
    service = await LocalService.start();
    work = mkdtempSync(join(tmpdir(), 'tauri-sign-'));
  });
  after(async () => {
    await service?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('what the check returns verifies against the public key over the bytes the download serves', async () => {
    tauri(['signer', 'generate', '--write-keys', join(work, 'updater.key'), '--password', 'correct horse', '--ci', '--force'], work);
    const bundle = randomBytes(64 * 1024);
    writeFileSync(join(work, 'MyApp.app.tar.gz'), bundle);
    tauri(
      ['signer', 'sign', '--private-key-path', join(work, 'updater.key'), '--password', 'correct horse', join(work, 'MyApp.app.tar.gz')],
      work,
    );
    const signature = readFileSync(join(work, 'MyApp.app.tar.gz.sig'), 'utf8');
    const publicKey = readFileSync(join(work, 'updater.key.pub'), 'utf8');

    const token = await service.adminToken();
    const appId = await createPublishedApp(service, token, 'signed-app');
    await publishRelease(service, token, appId, { version: '1.2.0', notes: 'Signed', signature, bytes: bundle });

    // What the Tauri updater does: check, then GET the url following redirects, then verify.
    const check = await fetch(`${service.url}/api/sync/ota/signed-app/darwin/aarch64/1.1.0`, { headers: { accept: 'application/json' } });
    assert.equal(check.status, 200);
    const update = (await check.json()) as { version: string; url: string; signature: string };
    assert.equal(update.signature, signature, 'the .sig file content is passed through unchanged');
    const download = await fetch(update.url, { headers: { accept: 'application/octet-stream' } });
    assert.equal(download.status, 200);
    const served = Buffer.from(await download.arrayBuffer());

    const { trustedComment } = verifyTauriSignature(publicKey, update.signature, served);
    assert.match(trustedComment, /file:MyApp\.app\.tar\.gz/);
    // The verifier is not a rubber stamp: one flipped byte fails it.
    served[100] = (served[100] ?? 0) ^ 0xff;
    assert.throws(() => verifyTauriSignature(publicKey, update.signature, served), /does not match/);
  });
});
