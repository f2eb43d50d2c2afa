import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GetObjectTaggingCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CancellationToken } from 'builder-util-runtime';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider.js';
import { XMLParser } from 'fast-xml-parser';
import { parse } from 'yaml';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/provision.js';
import { NodeExecutor } from '../support/electron-executor.js';
import { multipartRequest, type Reply, TEST_SIGNATURE, uploadArtifact, useLocalService } from '../support/local-service.js';

const PRIVATE = 'private, no-store';
const TOKEN_SHAPE = /^dl_[0-9a-f]{64}$/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What Tauri's updater does with its configured headers (reqwest, plugins/updater/src/updater.rs):
 * it sends them to the check and to the download URL, and follows the download's redirect the
 * way reqwest does: same headers, except Authorization, Cookie and Proxy-Authorization, which
 * reqwest drops when the redirect leaves for another host or port.
 */
async function reqwestGet(url: string, headers: Record<string, string>): Promise<{ status: number; bytes: Buffer; hops: string[] }> {
  const hops: string[] = [];
  let current = new URL(url);
  let sent = { ...headers };
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(current, { headers: sent, redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) {
      return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), hops };
    }
    const next = new URL(location, current);
    hops.push(next.href);
    if (next.host !== current.host) {
      sent = Object.fromEntries(
        Object.entries(sent).filter(([name]) => !['authorization', 'cookie', 'proxy-authorization'].includes(name.toLowerCase())),
      );
    }
    current = next;
  }
  throw new Error('too many redirects');
}

describe('private apps and download tokens', () => {
  const fixture = useLocalService();
  const { api } = fixture;
  let s3: S3Client;
  let appId = '';
  let token = '';
  const bytes: Record<string, Buffer> = {};

  const get = (path: string, headers: Record<string, string> = {}) => fixture.service.request('GET', path, { headers });
  const withToken = (value: string) => ({ 'x-download-token': value });
  const check = (query = '', headers: Record<string, string> = {}) =>
    get(`/api/sync/ota/private-app/darwin/aarch64/1.0.0${query}`, headers);

  async function newToken(body: Record<string, unknown> = {}, app = appId): Promise<string> {
    const created = await fixture.service.request('POST', `/api/sync/ota/apps/${app}/download-tokens`, { token: fixture.token, body });
    assert.equal(created.status, 201, created.text);
    assert.match(created.json.token, TOKEN_SHAPE);
    return created.json.token as string;
  }

  async function release(version: string, channel: string, files: { target: string; arch: string; package: string }[]): Promise<string> {
    const created = await api('POST', `/apps/${appId}/releases`, { version, channel, notes: `Notes ${version}` });
    assert.equal(created.status, 201, created.text);
    for (const f of files) {
      const data = randomBytes(700);
      bytes[`${version}/${f.target}/${f.arch}/${f.package}`] = data;
      await uploadArtifact(fixture.service, fixture.token, appId, created.json.id, { ...f, bytes: data });
    }
    assert.equal((await api('POST', `/apps/${appId}/releases/${created.json.id}/publish`, {})).status, 200);
    return created.json.id as string;
  }

  /** The `private` tag of every verified object of the app, as s3rver stores it. */
  async function privacyTags(id: string): Promise<string[]> {
    const { bucketName } = fixture.service.stack.info;
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucketName, Prefix: `ota/${id}/` }));
    const tags = [];
    for (const object of listed.Contents ?? []) {
      const { TagSet } = await s3.send(new GetObjectTaggingCommand({ Bucket: bucketName, Key: object.Key }));
      tags.push(TagSet?.find((t) => t.Key === 'private')?.Value ?? '(none)');
    }
    return tags;
  }

  function assertRefused(reply: Reply, message: RegExp, what: string): void {
    assert.equal(reply.status, 401, `${what}: ${reply.text}`);
    assert.equal(reply.headers.get('cache-control'), 'no-store', what);
    assert.match(reply.json.error.message ?? reply.json.error, message, what);
  }

  before(async () => {
    const { s3Endpoint } = fixture.service.stack.info;
    s3 = new S3Client({ endpoint: s3Endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
    const created = await api('POST', '/apps', { name: 'Private App', private: true });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.private, true);
    appId = created.json.id;
    assert.equal((await api('PUT', `/apps/${appId}/slug`, { slug: 'private-app' })).status, 200);
    await release('1.1.0', 'stable', [
      { target: 'darwin', arch: 'aarch64', package: 'app' },
      { target: 'darwin', arch: 'aarch64', package: 'zip' },
      { target: 'darwin', arch: 'x86_64', package: 'zip' },
      { target: 'windows', arch: 'x86_64', package: 'nupkg' },
    ]);
    token = await newToken({ name: 'CI builds' });
  });
  after(() => s3?.destroy());

  it('creates, lists and revokes tokens: shown once, listed without the secret, refused input is a 400', async () => {
    const list = await api('GET', `/apps/${appId}/download-tokens`);
    assert.equal(list.status, 200);
    const [listed] = list.json.tokens;
    assert.deepEqual(Object.keys(listed).sort(), ['channel', 'created_at', 'expired', 'expires_at', 'id', 'name', 'prefix'].sort());
    assert.equal(listed.name, 'CI builds');
    assert.equal(listed.prefix, token.slice(0, 9));
    assert.equal(listed.channel, null);
    assert.equal(listed.expired, false);
    const days = (Date.parse(listed.expires_at) - Date.now()) / 86_400_000;
    assert.ok(days > 364 && days <= 365, `a year by default, not ${days} days`);
    assert.ok(!list.text.includes(token.slice(9)), 'the token itself is never listed');

    for (const [body, message] of [
      [{ expires_at: new Date(Date.now() - 1000).toISOString() }, /expires_at must be in the future/],
      [{ expires_at: '2030-01-01' }, /RFC 3339/],
      [{ expires_at: new Date(Date.now() + 6 * 365 * 86_400_000).toISOString() }, /at most 1825 days/],
      [{ channel: 'nope' }, /no channel "nope"/],
    ] as const) {
      const refused = await api('POST', `/apps/${appId}/download-tokens`, body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.match(refused.json.error.message, message);
    }

    const doomed = await newToken();
    assert.equal((await check('', withToken(doomed))).status, 200);
    const doomedId = (await api('GET', `/apps/${appId}/download-tokens`)).json.tokens.find(
      (t: { prefix: string }) => t.prefix === doomed.slice(0, 9),
    ).id;
    assert.equal((await api('DELETE', `/apps/${appId}/download-tokens/${doomedId}`)).status, 204);
    assertRefused(await check('', withToken(doomed)), /not valid/, 'a revoked token');
    assert.equal((await api('DELETE', `/apps/${appId}/download-tokens/${doomedId}`)).status, 404, 'revoking twice');
    assert.equal((await api('DELETE', `/apps/${appId}/download-tokens/01ARZ3NDEKTSV4RRFFQ69G5FAV`)).status, 404);
  });

  it("answers a private app's Tauri check and downloads only with its token (header, Authorization, query), never cacheably", async () => {
    assertRefused(await check(), /private: send a download token/, 'no token');
    const viaHeader = await check('', withToken(token));
    assert.equal(viaHeader.status, 200, viaHeader.text);
    assert.equal(viaHeader.json.version, '1.1.0');
    assert.equal(viaHeader.headers.get('cache-control'), PRIVATE);
    assert.ok(!viaHeader.json.url.includes('token='), 'a client that sends a header sends it to the download too');
    const viaBearer = await check('', { authorization: `Bearer ${token}` });
    assert.equal(viaBearer.status, 200);
    assert.equal(viaBearer.headers.get('cache-control'), PRIVATE);
    const viaQuery = await check(`?token=${token}`);
    assert.equal(viaQuery.status, 200);
    assert.equal(new URL(viaQuery.json.url).searchParams.get('token'), token, 'a query-only client gets links that carry it');
    assert.equal((await check('?channel=stable&bundle_type=app', withToken(token))).status, 200);

    // The download: 401 without, a short-lived presigned URL with.
    const download = new URL(viaHeader.json.url).pathname;
    assertRefused(await get(download), /private/, 'download without a token');
    const redirect = await get(download, withToken(token));
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('cache-control'), PRIVATE);
    const signed = new URL(redirect.headers.get('location') as string);
    assert.equal(signed.searchParams.get('X-Amz-SignedHeaders'), 'host', 'only host is signed: extra client headers do not break it');
    assert.ok(Number(signed.searchParams.get('X-Amz-Expires')) <= 600, 'expires within minutes');
    assert.ok(!signed.searchParams.has('token'), 'the token never travels on to S3 in the URL');
    const followed = await get(new URL(viaQuery.json.url).pathname + new URL(viaQuery.json.url).search);
    assert.equal(followed.status, 302, 'the link of a query-token answer works with no header at all');

    // The newest-release link of a website.
    assertRefused(await get('/api/sync/ota/private-app/latest/darwin/aarch64'), /private/, 'latest without a token');
    const latest = await get('/api/sync/ota/private-app/latest/darwin/aarch64?package=zip', withToken(token));
    assert.equal(latest.status, 302);
    assert.equal(latest.headers.get('cache-control'), PRIVATE);
    const zip = await fetch(latest.headers.get('location') as string);
    assert.deepEqual(Buffer.from(await zip.arrayBuffer()), bytes['1.1.0/darwin/aarch64/zip']);
  });

  it('refuses a wrong, malformed, expired or other app’s token, always as a 401 nobody caches', async () => {
    assertRefused(await check('', withToken(`dl_${'0'.repeat(64)}`)), /not valid/, 'an unknown token');
    assertRefused(await check('', withToken('dl_short')), /not valid/, 'a malformed token');
    assertRefused(await check(`?token=dl_${'x'.repeat(300)}`), /not valid/, 'an oversized query token');
    assertRefused(await check('?token=%E0%A4%A'), /not valid/, 'a query token that is no percent-encoding');
    const other = await api('POST', '/apps', { name: 'Other Private', private: true });
    const otherToken = await newToken({}, other.json.id);
    assertRefused(await check('', withToken(otherToken)), /not valid/, "another app's token");
    const shortLived = await newToken({ expires_at: new Date(Date.now() + 1500).toISOString() });
    assert.equal((await check('', withToken(shortLived))).status, 200, 'valid until it expires');
    await sleep(1700);
    assertRefused(await check('', withToken(shortLived)), /expired/, 'an expired token');
    const listed = (await api('GET', `/apps/${appId}/download-tokens`)).json.tokens;
    assert.equal(listed.find((t: { prefix: string }) => t.prefix === shortLived.slice(0, 9)).expired, true);
    // A Cognito access token is not a download token.
    assertRefused(await check('', { authorization: `Bearer ${fixture.token}` }), /private/, 'a management token');
  });

  it('a Tauri-style client with custom headers follows the redirect to the bytes (Authorization dropped at the host change)', async () => {
    const answer = await check('?bundle_type=app', { ...withToken(token), 'x-device-id': 'device-42' });
    const custom = { 'x-device-id': 'device-42', 'x-app-flavour': 'enterprise', accept: 'application/octet-stream' };
    const withHeader = await reqwestGet(answer.json.url, { ...custom, ...withToken(token) });
    assert.equal(withHeader.status, 200);
    assert.deepEqual(withHeader.bytes, bytes['1.1.0/darwin/aarch64/app'], 'X-Download-Token goes on to S3, which ignores it');
    assert.equal(withHeader.hops.length, 1);
    const withBearer = await reqwestGet(answer.json.url, { ...custom, authorization: `Bearer ${token}` });
    assert.equal(withBearer.status, 200);
    assert.deepEqual(withBearer.bytes, bytes['1.1.0/darwin/aarch64/app']);
  });

  it("serves a private app's feeds with the token the way each client sends it, links carrying a query token", async () => {
    // electron-updater: its own provider with requestHeaders, its own downloader verifying the SHA-512.
    const provider = new GenericProvider(
      { provider: 'generic', url: `${fixture.service.url}/feeds/private-app/electron/` },
      { channel: null, isAddNoCacheQuery: true } as never,
      { executor: new NodeExecutor() as never, platform: 'darwin', isUseMultipleRangeRequest: false },
    );
    await assert.rejects(provider.getLatestVersion(), /401/, 'no token, no feed');
    provider.setRequestHeaders(withToken(token));
    const info = await provider.getLatestVersion();
    assert.equal(info.version, '1.1.0');
    const file = provider.resolveFiles(info)[0];
    assert.ok(file);
    const destination = join(tmpdir(), `private-update-${Date.now()}.zip`);
    await new NodeExecutor().download(file.url, destination, {
      headers: withToken(token),
      sha512: file.info.sha512,
      cancellationToken: new CancellationToken(),
    });
    const electronFeed = await get('/feeds/private-app/electron/latest-mac.yml', withToken(token));
    assert.equal(electronFeed.headers.get('cache-control'), PRIVATE);
    assert.equal(parse(electronFeed.text).version, '1.1.0');
    assertRefused(await get('/feeds/private-app/electron/latest-mac.yml'), /private/, 'electron feed without a token');

    // Tauri static, with the header.
    assertRefused(await get('/feeds/private-app/stable/tauri/latest.json'), /private/, 'Tauri static without a token');
    const tauri = await get('/feeds/private-app/stable/tauri/latest.json', withToken(token));
    assert.equal(tauri.status, 200);
    assert.equal(tauri.headers.get('cache-control'), PRIVATE);
    assert.ok(!tauri.text.includes('token='));

    // Sparkle can only put the token in its SUFeedURL: the enclosure URL carries it on, and works with no header.
    assertRefused(await get('/feeds/private-app/stable/sparkle/x86_64/appcast.xml'), /private/, 'Sparkle without a token');
    const appcast = await get(`/feeds/private-app/stable/sparkle/x86_64/appcast.xml?token=${token}`);
    assert.equal(appcast.status, 200);
    assert.equal(appcast.headers.get('cache-control'), PRIVATE);
    const item = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(appcast.text).rss.channel.item;
    const enclosure = new URL(item.enclosure['@url']);
    assert.equal(enclosure.searchParams.get('token'), token);
    const sparkleBytes = await reqwestGet(enclosure.href, {});
    assert.deepEqual(sparkleBytes.bytes, bytes['1.1.0/darwin/x86_64/zip']);

    // Squirrel.Mac (the JSON's url) and Squirrel.Windows (RELEASES lines, absolute URLs with the query).
    assertRefused(await get('/feeds/private-app/stable/squirrel-mac/aarch64/1.0.0'), /private/, 'Squirrel.Mac without a token');
    const squirrelMac = await get(`/feeds/private-app/stable/squirrel-mac/aarch64/1.0.0?token=${token}`);
    assert.equal(squirrelMac.status, 200);
    assert.deepEqual((await reqwestGet(squirrelMac.json.url, {})).bytes, bytes['1.1.0/darwin/aarch64/zip']);
    const releases = await get(`/feeds/private-app/stable/squirrel-win/x86_64/RELEASES?token=${token}&id=private-app&localVersion=1.0.0`);
    assert.equal(releases.status, 200, releases.text);
    const line = /^([0-9A-F]{40}) (\S+) (\d+)$/.exec(releases.text.trim());
    assert.ok(line, releases.text);
    assert.equal(new URL(line[2] as string).searchParams.get('token'), token);
    assert.deepEqual((await reqwestGet(line[2] as string, {})).bytes, bytes['1.1.0/windows/x86_64/nupkg']);

    // Velopack keeps its base URL's query on every request it makes under it.
    const base = '/feeds/private-app/stable/velopack';
    assertRefused(await get(`${base}/releases.win.json`), /private/, 'Velopack without a token');
    const velopack = await get(`${base}/releases.win.json?token=${token}&localVersion=1.0.0&id=privateapp`);
    assert.equal(velopack.status, 200);
    const asset = velopack.json.Assets[0];
    assertRefused(await get(`${base}/${asset.FileName}`), /private/, 'a Velopack package without a token');
    const pkg = await reqwestGet(`${fixture.service.url}${base}/${asset.FileName}?token=${token}`, {});
    assert.deepEqual(pkg.bytes, bytes['1.1.0/windows/x86_64/nupkg']);
    assert.equal(asset.SHA256, createHash('sha256').update(pkg.bytes).digest('hex').toUpperCase());
  });

  it('a token limited to one channel opens that channel (and the releases it follows), nothing else', async () => {
    assert.equal((await api('POST', '/channels', { name: 'beta' })).status, 201);
    assert.equal((await api('POST', '/channels', { name: 'internal', follows: [] })).status, 201);
    await release('1.2.0', 'beta', [{ target: 'darwin', arch: 'aarch64', package: 'app' }]);
    await release('1.3.0', 'internal', [{ target: 'darwin', arch: 'aarch64', package: 'app' }]);
    const beta = await newToken({ channel: 'beta' });
    const listed = (await api('GET', `/apps/${appId}/download-tokens`)).json.tokens.find(
      (t: { prefix: string }) => t.prefix === beta.slice(0, 9),
    );
    assert.equal(listed.channel, 'beta');

    const inBeta = await check('?channel=beta', withToken(beta));
    assert.equal(inBeta.status, 200, inBeta.text);
    assert.equal(inBeta.json.version, '1.2.0');
    assert.equal((await get(new URL(inBeta.json.url).pathname + new URL(inBeta.json.url).search, withToken(beta))).status, 302);
    assertRefused(await check('', withToken(beta)), /another channel/, 'the default channel');
    assertRefused(await check('?channel=stable', withToken(beta)), /another channel/, 'stable');
    assertRefused(await check('?channel=internal', withToken(beta)), /another channel/, 'internal');
    assertRefused(await get('/feeds/private-app/internal/tauri/latest.json', withToken(beta)), /another channel/, 'internal feed');

    // Files by id: beta follows stable, so stable's 1.1.0 is beta's too; internal's 1.3.0 is not.
    const all = await get('/feeds/private-app/beta/tauri/latest.json', withToken(beta));
    assert.equal(all.status, 200);
    const stableFile = (await get('/feeds/private-app/stable/tauri/latest.json', withToken(token))).json.platforms['darwin-aarch64']
      .url as string;
    assert.equal((await get(new URL(stableFile).pathname, withToken(beta))).status, 302, "a stable file through beta's token");
    const internalFile = (await get('/feeds/private-app/internal/tauri/latest.json', withToken(token))).json.platforms['darwin-aarch64']
      .url as string;
    assertRefused(await get(new URL(internalFile).pathname, withToken(beta)), /another channel/, "internal's file");
    assert.equal((await get(new URL(internalFile).pathname, withToken(token))).status, 302, 'an unlimited token opens every channel');
  });

  it("guards faynoSync's checkVersion and apps/latest, whose links carry a query token, and /app/update flips privacy", async () => {
    const owner = fixture.service.stack.info.admin.username;
    const query = (extra: Record<string, string>) =>
      new URLSearchParams({ app_name: 'Private App', owner, channel: 'stable', platform: 'darwin', arch: 'aarch64', ...extra });
    assertRefused(await get(`/checkVersion?${query({ version: '1.0.0' })}`), /private/, 'checkVersion without a token');
    // darwin's built-in updater is Tauri: faynoSync's Tauri answer, whose url carries the query token on.
    const checked = await get(`/checkVersion?${query({ version: '1.0.0', token })}`);
    assert.equal(checked.status, 200, checked.text);
    assert.equal(checked.headers.get('cache-control'), PRIVATE);
    assert.equal(checked.json.version, '1.1.0');
    const link = new URL(checked.json.url);
    assert.equal(link.searchParams.get('token'), token);
    const linked = (await reqwestGet(link.href, {})).bytes;
    assert.ok([bytes['1.1.0/darwin/aarch64/app'], bytes['1.1.0/darwin/aarch64/zip']].some((b) => b?.equals(linked)));
    assertRefused(await get(link.pathname), /private/, 'the by-app-id file link without a token');
    assertRefused(await get(`/apps/latest?${query({ package: 'zip' })}`), /private/, 'apps/latest without a token');
    const latest = await get(`/apps/latest?${query({ package: 'zip' })}`, withToken(token));
    assert.equal(latest.status, 302);
    assert.equal(latest.headers.get('cache-control'), PRIVATE);

    // faynoSync's own form: an app created private is enforced; /app/update "private":"false" opens it.
    const form = new FormData();
    form.append('data', JSON.stringify({ app: 'fs-private', private: 'true' }));
    const created = await fetch(`${fixture.service.url}/app/create`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${fixture.token}` },
    });
    assert.equal(created.status, 200);
    const fsId = ((await created.json()) as Record<string, string>)['createAppResult.Created'];
    assert.equal((await api('GET', `/apps/${fsId}`)).json.private, true);
    const update = new FormData();
    update.append('data', JSON.stringify({ id: fsId, app: 'fs-private', private: 'false' }));
    const updated = await fetch(`${fixture.service.url}/app/update`, {
      method: 'POST',
      body: update,
      headers: { authorization: `Bearer ${fixture.token}` },
    });
    assert.equal(updated.status, 200, await updated.text());
    assert.equal((await api('GET', `/apps/${fsId}`)).json.private, false);
  });

  it("faynoSync's private app: /checkVersion links go through /download?key=, which answers {download_url} to its callers and download tokens", async () => {
    const owner = fixture.service.stack.info.admin.username;
    const base = fixture.service.url;
    const created = await multipartRequest(base, 'POST', '/app/create', fixture.token, { app: 'fsdl', private: 'true' });
    assert.equal(created.status, 200, created.text);
    const id = created.json['createAppResult.Created'] as string;
    const deb = randomBytes(900);
    const data = {
      app_name: 'fsdl',
      version: '2.0.0',
      channel: 'stable',
      platform: 'linux',
      arch: 'aarch64',
      publish: true,
      signature: TEST_SIGNATURE,
    };
    const uploaded = await multipartRequest(base, 'POST', '/upload', fixture.token, data, [{ name: 'fsdl.deb', bytes: deb }]);
    assert.equal(uploaded.status, 200, uploaded.text);
    const dlToken = await newToken({ name: 'fsdl devices' }, id);

    // manual: faynoSync's default JSON (linux's built-in updater is Tauri, whose own url stays a redirecting link).
    const checkQuery = new URLSearchParams({
      owner,
      app_name: 'fsdl',
      version: '1.0.0',
      channel: 'stable',
      platform: 'linux',
      arch: 'aarch64',
    });
    const checked = await get(`/checkVersion?${checkQuery}&updater=manual&token=${dlToken}`);
    assert.equal(checked.status, 200, checked.text);
    const link = new URL(checked.json.update_url_deb);
    assert.equal(`${link.origin}${link.pathname}`, `${base}/download`, checked.json.update_url_deb);
    assert.match(link.searchParams.get('key') ?? '', new RegExp(`^files/${id}/[0-9A-Z]{26}/[0-9A-Z]{26}/fsdl-2\\.0\\.0\\.deb$`));
    assert.equal(link.searchParams.get('token'), dlToken, 'a query token rides on the link');
    const tauri = await get(`/checkVersion?${checkQuery}&token=${dlToken}`);
    assert.equal(tauri.status, 200, tauri.text);
    assert.ok((await reqwestGet(tauri.json.url, {})).bytes.equals(deb), "Tauri's url still redirects to the bytes");
    const latest = await get(`/apps/latest?${new URLSearchParams({ owner, app_name: 'fsdl', channel: 'stable' })}`, withToken(dlToken));
    assert.equal(new URL(latest.headers.get('location') ?? '', base).pathname, '/download', 'apps/latest links the same way');

    const bare = `/download?key=${encodeURIComponent(link.searchParams.get('key') ?? '')}`;
    const downloaded = async (reply: Reply, who: string) => {
      assert.equal(reply.status, 200, `${who}: ${reply.text}`);
      assert.deepEqual(Object.keys(reply.json), ['download_url'], who);
      const fetched = await fetch(reply.json.download_url);
      assert.equal(fetched.status, 200, who);
      assert.ok(Buffer.from(await fetched.arrayBuffer()).equals(deb), `${who}: the exact uploaded bytes`);
    };
    await downloaded(await get(`${link.pathname}${link.search}`), 'the link with its query token');
    await downloaded(await get(bare, withToken(dlToken)), 'X-Download-Token');
    await downloaded(await get(bare, { authorization: `Bearer ${dlToken}` }), 'Authorization: Bearer dl_');
    await downloaded(await get(bare, { authorization: `Bearer ${fixture.token}` }), 'the owner');
    const teamUser = async (name: string, download: boolean) => {
      const password = `Fsdl-${randomBytes(6).toString('hex')}-1a`;
      const made = await api('POST', '/team/users', { username: name, password, permissions: { apps: { download, allowed: [id] } } });
      assert.equal(made.status, 201, made.text);
      return (await fixture.service.signIn(name, password)).accessToken;
    };
    await downloaded(await get(bare, { authorization: `Bearer ${await teamUser('fsdl-downloader', true)}` }), 'a team user with download');
    const apiToken = async (actions: string[]) =>
      (await api('POST', '/tokens', { name: 'fsdl', apps: [id], actions })).json.token as string;
    await downloaded(await get(bare, { authorization: `Bearer ${await apiToken(['download'])}` }), 'an API token with download');

    const refused = (reply: Reply, status: number, who: string) => {
      assert.equal(reply.status, status, `${who}: ${reply.text}`);
      assert.equal(typeof reply.json.error, 'string', `${who}: faynoSync's error shape`);
      assert.equal(reply.json.download_url, undefined, who);
    };
    refused(await get(bare), 401, 'no credentials');
    refused(await get(bare, { authorization: `Bearer ${await teamUser('fsdl-reader', false)}` }), 403, 'a team user without download');
    refused(await get(bare, { authorization: `Bearer ${await apiToken(['read'])}` }), 403, 'an API token without download');
    refused(await get(bare, withToken(token)), 401, "another app's download token");
    refused(await get(bare, withToken(`dl_${'0'.repeat(64)}`)), 401, 'an unknown download token');
    // A download token opens what the app's clients are offered: a draft is its callers' alone.
    const draft = await multipartRequest(base, 'POST', '/upload', fixture.token, { ...data, version: '2.1.0', publish: false }, [
      { name: 'fsdl.deb', bytes: randomBytes(900) },
    ]);
    assert.equal(draft.status, 200, draft.text);
    const drafts = await fixture.service.request('GET', '/search?app_name=fsdl&published=false', { token: fixture.token });
    const draftKey = `/download?key=${encodeURIComponent(drafts.json.items[0].Artifacts[0].link)}`;
    refused(await get(draftKey, withToken(dlToken)), 404, 'a draft with a download token');
    assert.equal((await get(draftKey, { authorization: `Bearer ${fixture.token}` })).status, 200, 'a draft for its owner');

    // Made public, its links are the by-app-id file links again; /download still needs a credential.
    assert.equal((await api('PATCH', `/apps/${id}`, { private: false })).status, 200);
    const open = await get(`/checkVersion?${checkQuery}&updater=manual`);
    assert.equal(open.status, 200, open.text);
    assert.match(new URL(open.json.update_url_deb).pathname, /^\/files\//);
    refused(await get(bare), 401, 'a public app without credentials');
    await downloaded(await get(bare, withToken(dlToken)), "a public app's own download token");
  });

  it('tags the objects at ingest and on every privacy change; a public app answers as before, cacheable, whatever it is sent', async () => {
    assert.ok(
      (await privacyTags(appId)).every((tag) => tag === 'true'),
      'objects verified while private are tagged',
    );
    assert.equal((await api('PATCH', `/apps/${appId}`, { private: false })).json.private, false);
    const open = await check();
    assert.equal(open.status, 200);
    assert.match(open.headers.get('cache-control') ?? '', /^public, max-age=0, s-maxage=\d+$/);
    const tagged = await privacyTags(appId);
    assert.ok(tagged.length >= 6 && tagged.every((tag) => tag === 'false'), `untagged when public: ${tagged}`);
    // A token (even a wrong one) changes nothing for a public app: one read, the shared answer, links without it.
    assert.equal((await check(`?token=${'x'.repeat(300)}`)).status, 200, 'nor does a query token that cannot be one');
    const stray = await check(`?token=dl_${'1'.repeat(64)}`);
    assert.equal(stray.status, 200);
    assert.equal(stray.headers.get('cache-control'), open.headers.get('cache-control'));
    assert.ok(!stray.json.url.includes('token='), 'a public answer never carries a token: the edge shares it');
    const download = await get(new URL(open.json.url).pathname);
    assert.equal(download.status, 302);
    assert.notEqual(download.headers.get('cache-control'), PRIVATE);
    const feed = await get('/feeds/private-app/stable/tauri/latest.json');
    assert.match(feed.headers.get('cache-control') ?? '', /^public/);

    assert.equal((await api('PATCH', `/apps/${appId}`, { private: true })).json.private, true);
    assertRefused(await check(), /private/, 'private again');
    assert.ok((await privacyTags(appId)).every((tag) => tag === 'true'));
    await release('1.4.0', 'stable', [{ target: 'linux', arch: 'x86_64', package: 'appimage' }]);
    const newest = await privacyTags(appId);
    assert.ok(newest.length >= 7 && newest.every((tag) => tag === 'true'), 'an object verified while private is tagged at ingest');
  });

  it('holds the 100-token limit under 110 creations at once: exactly 100 made, the rest a 409, and a revoke makes room', async () => {
    const created = await api('POST', '/apps', { name: 'Token Limit', private: true });
    assert.equal(created.status, 201, created.text);
    const id = created.json.id as string;
    const path = `/api/sync/ota/apps/${id}/download-tokens`;
    const replies = await Promise.all(
      Array.from({ length: 110 }, (_, i) => fixture.service.request('POST', path, { token: fixture.token, body: { name: `t${i}` } })),
    );
    const statuses = replies.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 100, statuses.join(','));
    for (const refused of replies.filter((r) => r.status !== 201)) {
      assert.equal(refused.status, 409, refused.text);
      assert.match(refused.json.error.message, /at most 100 download tokens/);
    }
    const listed = (await api('GET', `/apps/${id}/download-tokens`)).json.tokens as { id: string }[];
    assert.equal(listed.length, 100);
    assert.equal((await api('DELETE', `/apps/${id}/download-tokens/${listed[0]?.id}`)).status, 204);
    assert.equal((await api('POST', `/apps/${id}/download-tokens`, {})).status, 201, 'a revoke makes room for one');
    assert.equal((await api('POST', `/apps/${id}/download-tokens`, {})).status, 409);
  });
});
