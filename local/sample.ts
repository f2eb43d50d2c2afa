import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { passwordSignIn } from './provision.js';
import { localStateDir, readStackInfo } from './state-dir.js';

/**
 * `npm run sample`: against a running `npm start`, makes the app "Sample App" (slug `sample-app`),
 * signs a stand-in macOS bundle with a real minisign key (the Tauri CLI's `tauri signer`), uploads
 * it as the next 1.0.x, waits for ingest to verify it, publishes it, and prints the Tauri check URL
 * of a client on 1.0.0 (stdout; progress goes to stderr). Run it again for the next version.
 */

const SLUG = 'sample-app';
const NAME = 'Sample App';
const require = createRequire(import.meta.url);
const TAURI_CLI = join(dirname(require.resolve('@tauri-apps/cli/package.json')), 'tauri.js');

const info = readStackInfo();
const api = `${info.apiUrl}/api/sync/ota`;
const work = join(localStateDir(), 'sample');
const say = (line: string) => process.stderr.write(`${line}\n`);

// biome-ignore lint/suspicious/noExplicitAny: the sample reads a few fields of the native API's answers
async function call(method: string, path: string, token: string, body?: unknown): Promise<any> {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

function tauriSigner(args: string[]): void {
  execFileSync(process.execPath, [TAURI_CLI, 'signer', ...args], {
    cwd: work,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CI: 'true' },
  });
}

async function main(): Promise<void> {
  mkdirSync(work, { recursive: true });
  const { accessToken: token } = await passwordSignIn(info.cognito, info.admin.username, info.admin.password);

  // The key pair an app's developer makes once; its public half goes into tauri.conf.json and the app.
  const keyFile = join(work, 'updater.key');
  if (!existsSync(keyFile)) tauriSigner(['generate', '--ci', '--password', '', '--write-keys', keyFile, '--force']);
  const publicKey = readFileSync(`${keyFile}.pub`, 'utf8');

  const apps = (await call('GET', '/apps', token)).apps as { id: string; name: string }[];
  let appId = apps.find((app) => app.name === NAME)?.id;
  if (!appId) {
    appId = (await call('POST', '/apps', token, { name: NAME })).id as string;
    await call('PUT', `/apps/${appId}/slug`, token, { slug: SLUG });
    say(`Created app "${NAME}" (${appId}) with slug ${SLUG}`);
  }
  // With the key registered, ingest verifies every artifact's signature against it.
  await call('PATCH', `/apps/${appId}`, token, { tauri_pubkey: publicKey });

  const releases = (await call('GET', `/apps/${appId}/releases?limit=1000`, token)).releases as unknown[];
  const version = `1.0.${releases.length + 1}`;
  const bundle = join(work, `SampleApp_${version}_aarch64.app.tar.gz`);
  writeFileSync(bundle, randomBytes(64 * 1024));
  tauriSigner(['sign', '--private-key-path', keyFile, '--password', '', '--app-version', version, bundle]);
  const signature = readFileSync(`${bundle}.sig`, 'utf8');

  const release = await call('POST', `/apps/${appId}/releases`, token, { version, channel: 'stable', notes: `Sample ${version}` });
  const bytes = readFileSync(bundle);
  const slot = await call('POST', `/apps/${appId}/releases/${release.id}/artifacts`, token, {
    target: 'darwin',
    arch: 'aarch64',
    file_size: bytes.length,
    signature,
  });
  const put = await fetch(slot.upload_url, { method: 'PUT', body: bytes });
  if (!put.ok) throw new Error(`upload: ${put.status} ${await put.text()}`);
  say(`Uploaded ${bundle} as ${version}; waiting for ingest to verify it…`);

  // Verification is asynchronous: the artifact is pending until ingest has checked size, hashes and signature.
  const artifactPath = `/apps/${appId}/releases/${release.id}/artifacts/${slot.artifact_id}`;
  for (let attempt = 0; ; attempt++) {
    const artifact = await call('GET', artifactPath, token);
    if (artifact.status === 'ready') break;
    if (artifact.status !== 'pending') throw new Error(`artifact ${artifact.status}: ${artifact.reason}`);
    if (attempt > 300) throw new Error('the artifact is still pending after 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await call('POST', `/apps/${appId}/releases/${release.id}/publish`, token, {});
  say(`Published ${version}. A Tauri client on 1.0.0 (darwin, aarch64) asks:`);
  console.log(`${api}/${SLUG}/darwin/aarch64/1.0.0`);
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
