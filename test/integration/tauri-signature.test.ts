import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, sign as cryptoSign, generateKeyPairSync, randomBytes } from 'node:crypto';
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
    // With the app's updater key registered, ingest itself verifies every signature.
    const registered = await service.request('PATCH', `/api/sync/ota/apps/${appId}`, { token, body: { tauri_pubkey: publicKey } });
    assert.equal(registered.status, 200, registered.text);
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

  it('refuses, with the reason, an artifact whose signature does not verify or names another version', async () => {
    const token = await service.adminToken();
    const appId = await createPublishedApp(service, token, 'strict-app');
    const key = minisignKeyPair();
    const badKey = await service.request('PATCH', `/api/sync/ota/apps/${appId}`, { token, body: { tauri_pubkey: 'bm90IGEga2V5' } });
    assert.equal(badKey.status, 400);
    await service.request('PATCH', `/api/sync/ota/apps/${appId}`, { token, body: { tauri_pubkey: key.publicKey } });

    const file = randomBytes(4096);
    const cases = [
      { version: '1.0.0', signature: key.sign(file, 'version:1.0.0'), bytes: file, reason: undefined },
      { version: '1.1.0', signature: key.sign(file, 'version:1.1.0'), bytes: randomBytes(4096), reason: /does not match the file/ },
      { version: '1.2.0', signature: key.sign(file, 'version:9.9.9'), bytes: file, reason: /for version 9\.9\.9, the release is 1\.2\.0/ },
      { version: '1.3.0', signature: minisignKeyPair().sign(file, 'version:1.3.0'), bytes: file, reason: /another key/ },
      { version: '1.4.0', signature: undefined, bytes: file, reason: /requires one/ },
    ];
    for (const c of cases) {
      const { releaseId } = await publishRelease(service, token, appId, {
        version: c.version,
        bytes: c.bytes,
        // The case without one sends none (the test helper would sign it otherwise).
        ...(c.signature ? { signature: c.signature } : { artifactSignature: null }),
      });
      const artifact = (await service.request('GET', `/api/sync/ota/apps/${appId}/releases/${releaseId}`, { token })).json.artifacts[0];
      if (c.reason === undefined) {
        assert.equal(artifact.status, 'ready', c.version);
        assert.match(artifact.blake2b512, /^[0-9a-f]{128}$/);
      } else {
        assert.equal(artifact.status, 'rejected', c.version);
        assert.match(artifact.reason, c.reason, c.version);
      }
    }
    // Only the verified release is ever offered.
    const check = await service.request('GET', '/api/sync/ota/strict-app/darwin/aarch64/0.1.0');
    assert.equal(check.json.version, '1.0.0');
  });
});

/** A minisign key pair made here, to sign with any trusted comment (`tauri signer` picks its own). */
function minisignKeyPair(): { publicKey: string; sign(file: Buffer, trusted: string): string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const keyId = randomBytes(8);
  const pub = `untrusted comment: minisign public key\n${Buffer.concat([Buffer.from('Ed'), keyId, raw]).toString('base64')}\n`;
  return {
    publicKey: Buffer.from(pub).toString('base64'),
    sign(file, trusted) {
      const comment = `timestamp:1700000000\tfile:app.tar.gz\t${trusted}`;
      const signature = cryptoSign(null, createHash('blake2b512').update(file).digest(), privateKey);
      const global = cryptoSign(null, Buffer.concat([signature, Buffer.from(comment)]), privateKey);
      const text = [
        'untrusted comment: signature from minisign secret key',
        Buffer.concat([Buffer.from('ED'), keyId, signature]).toString('base64'),
        `trusted comment: ${comment}`,
        global.toString('base64'),
        '',
      ].join('\n');
      return Buffer.from(text).toString('base64');
    },
  };
}
