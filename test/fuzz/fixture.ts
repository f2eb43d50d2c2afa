/**
 * The data a fuzz run aims at: two owners, each with apps that have channels, platforms, archs,
 * a published release with verified artifacts, a draft with a multipart upload in progress,
 * Koolbase bundles and SDK keys. Built through the service's own API, as a user would.
 */
import { randomBytes } from 'node:crypto';
import { createPublishedApp, type LocalService, publishRelease, type Reply, sendForm, uploadArtifact } from '../support/local-service.js';

/** Everything one app holds that a request can name. */
export interface ResourceSet {
  appId: string;
  appName: string;
  slug: string;
  /** A published release with verified artifacts. */
  releaseId: string;
  version: string;
  artifactId: string;
  /** The name its Tauri static feed links the artifact under (`…/files/{release}/{artifact}/{name}`). */
  fileName: string;
  /** A draft release whose artifact is a multipart upload in progress, its one part uploaded. */
  draftReleaseId: string;
  draftArtifactId: string;
  uploadId: string;
  partEtag: string;
  channelId: string;
  channelName: string;
  platformId: string;
  platformName: string;
  archId: string;
  archName: string;
  /** A Koolbase bundle (a release of the app) and an SDK key of the project. */
  bundleId: string;
  keyId: string;
  apiKey: string;
  /** faynoSync's id of the version uploaded through `/upload`, and its file as its link names it. */
  fsVersionId: string;
  fsArtifactId: string;
  fsFileName: string;
  /** Whether the app is private (its public answers need a download token). */
  private: boolean;
  /** A download token of the app, and one that was revoked. */
  downloadToken: string;
  downloadTokenId: string;
  revokedDownloadToken: string;
  /** An API token of the app's owner scoped to this app (read, upload), and a team user of the owner. */
  apiToken: string;
  apiTokenId: string;
  teamUserId: string;
  /** The team user's access token (it may create, edit and upload to this app only). */
  teamToken: string;
}

export interface Identity {
  username: string;
  password: string;
  accessToken: string;
  idToken: string;
}

export interface Fixture {
  owner: Identity;
  other: Identity;
  /** The owner's apps: two only read (GET routes aim here; one of them private), one changed, a few to delete. */
  stable: ResourceSet;
  private: ResourceSet;
  mutable: ResourceSet;
  disposable: ResourceSet[];
  /** The second owner's app: its ids are "another owner's" to the owner and the owner's to it. */
  foreign: ResourceSet;
  /** The second owner's app that its own deletes aim at. */
  foreignDisposable: ResourceSet;
  signupKey?: string;
}

const DISPOSABLE_SETS = 3;

function expect(reply: Reply, status: number, what: string): Reply {
  if (reply.status !== status) throw new Error(`fixture: ${what}: expected ${status}, got ${reply.status} ${reply.text.slice(0, 300)}`);
  return reply;
}

function multipart(service: LocalService, path: string, token: string, form: FormData): Promise<Reply> {
  return sendForm(service.url, 'POST', path, token, form);
}

/** One app with everything a route can name, owned by `token`'s caller; `tag` keeps names unique per owner. */
async function resourceSet(
  service: LocalService,
  token: string,
  tag: string,
  options: { rich?: boolean; private?: boolean } = {},
): Promise<ResourceSet> {
  const rich = options.rich === true;
  const api = (method: string, path: string, body?: unknown) =>
    service.request(method, `/api/sync/ota${path}`, { token, ...(body === undefined ? {} : { body }) });
  const slug = `fuzz-${tag}`;
  const appName = `fuzz ${tag}`;
  const appId = await createPublishedApp(service, token, slug, appName);
  const alnum = tag.replace(/[^a-z0-9]/g, '');
  const channel = expect(await api('POST', '/channels', { name: `beta${alnum}` }), 201, 'channel').json;
  const platform = expect(await api('POST', '/platforms', { name: `plat${alnum}` }), 201, 'platform').json;
  const arch = expect(await api('POST', '/archs', { name: `arch${alnum}` }), 201, 'arch').json;

  const version = '1.0.0';
  const { releaseId } = await publishRelease(service, token, appId, {
    version,
    notes: `fuzz ${tag}`,
    target: 'darwin',
    arch: 'aarch64',
    bytes: randomBytes(512),
    artifactSignature: 'dW50cnVzdGVkIGNvbW1lbnQ=',
  });
  if (rich) {
    for (const [target, archName, pkg] of [
      ['windows', 'x86_64', 'nupkg'],
      ['windows', 'x86_64', 'nsis'],
      ['linux', 'x86_64', 'appimage'],
      ['darwin', 'aarch64', 'zip'],
    ] as const) {
      await uploadArtifact(service, token, appId, releaseId, { target, arch: archName, package: pkg, bytes: randomBytes(300) });
    }
  }
  expect(await api('POST', `/apps/${appId}/releases/${releaseId}/publish`, {}), 200, 'publish');
  const release = expect(await api('GET', `/apps/${appId}/releases/${releaseId}`), 200, 'get release').json;
  const artifactId = release.artifacts?.[0]?.id as string;
  if (!artifactId) throw new Error(`fixture: release ${releaseId} has no artifact: ${JSON.stringify(release)}`);

  const feed = expect(await service.request('GET', `/feeds/${slug}/stable/tauri/latest.json`), 200, 'tauri static feed').json;
  const url = Object.values(feed.platforms as Record<string, { url: string }>)[0]?.url ?? '';
  const fileName = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? 'file');

  const draft = expect(await api('POST', `/apps/${appId}/releases`, { version: '2.0.0-beta.1', notes: 'draft' }), 201, 'draft').json;
  const slot = expect(
    await api('POST', `/apps/${appId}/releases/${draft.id}/artifacts`, {
      target: 'windows',
      arch: 'x86_64',
      file_size: 1024,
      multipart: true,
    }),
    201,
    'multipart slot',
  ).json;
  const part = await fetch(slot.multipart.parts[0].upload_url, { method: 'PUT', body: randomBytes(1024) });
  if (part.status !== 200) throw new Error(`fixture: part upload: ${part.status} ${await part.text()}`);

  const form = new FormData();
  form.append('bundle', new Blob([randomBytes(700)], { type: 'application/zip' }), 'bundle.zip');
  form.append('channel', 'stable');
  form.append('release_notes', `bundle ${tag}`);
  const bundle = expect(await multipart(service, `/v1/projects/${appId}/ota/upload`, token, form), 201, 'koolbase bundle').json;
  expect(await service.request('POST', `/v1/projects/${appId}/ota/bundles/${bundle.id}/activate`, { token }), 200, 'activate bundle');
  const key = expect(await service.request('POST', `/v1/projects/${appId}/ota/keys`, { token, body: {} }), 201, 'sdk key').json;

  const upload = new FormData();
  upload.append(
    'data',
    JSON.stringify({ app_name: appName, version: '0.0.9', channel: channel.name, platform: platform.name, arch: arch.name, publish: true }),
  );
  upload.append('file', new Blob([randomBytes(400)]), `${alnum}.dmg`);
  const fsVersion = expect(await multipart(service, '/upload', token, upload), 200, 'faynoSync upload').json;
  const fsVersionId = fsVersion['uploadResult.Uploaded'] as string;
  const search = expect(
    await service.request('GET', `/search?${new URLSearchParams({ app_name: appName })}`, { token }),
    200,
    'search',
  ).json;
  const link: string = search.items.find((v: { ID: string }) => v.ID === fsVersionId)?.Artifacts?.[0]?.link ?? '';
  // `/files/{app_id}/{release_id}/{artifact_id}/{file_name}`
  const [, files, , , fsArtifactId = '', fsFileName = ''] = link ? new URL(link).pathname.split('/') : [];
  if (files !== 'files')
    throw new Error(`fixture: no file link for faynoSync version ${fsVersionId}: ${JSON.stringify(search).slice(0, 500)}`);

  const downloadToken = expect(await api('POST', `/apps/${appId}/download-tokens`, { name: 'fuzz' }), 201, 'download token').json;
  const revoked = expect(await api('POST', `/apps/${appId}/download-tokens`, { name: 'revoked' }), 201, 'second download token').json;
  expect(await api('DELETE', `/apps/${appId}/download-tokens/${revoked.id}`), 204, 'revoke download token');
  const apiToken = expect(await api('POST', '/tokens', { name: `fuzz ${tag}`, apps: [appId] }), 201, 'API token').json;
  const teamPassword = `Team-${randomBytes(9).toString('base64url')}9a!`;
  const teamUser = expect(
    await api('POST', '/team/users', {
      username: `fuzzteam-${alnum}`,
      password: teamPassword,
      permissions: { apps: { create: true, edit: true, upload: true, allowed: [appId] } },
    }),
    201,
    'team user',
  ).json;
  const teamToken = (await service.signIn(`fuzzteam-${alnum}`, teamPassword)).accessToken;
  if (options.private) expect(await api('PATCH', `/apps/${appId}`, { private: true }), 200, 'make the app private');

  return {
    appId,
    appName,
    slug,
    releaseId,
    version,
    artifactId,
    fileName,
    draftReleaseId: draft.id,
    draftArtifactId: slot.artifact_id,
    uploadId: slot.multipart.upload_id,
    partEtag: part.headers.get('etag') ?? '',
    channelId: channel.id,
    channelName: channel.name,
    platformId: platform.id,
    platformName: platform.name,
    archId: arch.id,
    archName: arch.name,
    bundleId: bundle.id,
    keyId: key.id,
    apiKey: key.key,
    fsVersionId,
    fsArtifactId,
    fsFileName: decodeURIComponent(fsFileName),
    private: options.private === true,
    downloadToken: downloadToken.token,
    downloadTokenId: downloadToken.id,
    revokedDownloadToken: revoked.token,
    apiToken: apiToken.token,
    apiTokenId: apiToken.id,
    teamUserId: teamUser.id,
    teamToken,
  };
}

async function identity(service: LocalService, username: string, password: string): Promise<Identity> {
  const tokens = await service.signIn(username, password);
  return { username, password, ...tokens };
}

/** Builds the two owners and their apps on a running stack. */
export async function buildFixture(service: LocalService): Promise<Fixture> {
  const admin = service.stack.info.admin;
  const owner = await identity(service, admin.username, admin.password);
  const otherPassword = `Fuzz-${randomBytes(9).toString('base64url')}9a`;
  const signupKey = service.stack.info.signupKey;
  if (!signupKey) throw new Error('fixture: the local stack has no sign-up key');
  expect(
    await service.request('POST', '/signup', { body: { username: 'fuzzother', password: otherPassword, api_key: signupKey } }),
    200,
    'second owner sign-up',
  );
  const other = await identity(service, 'fuzzother', otherPassword);

  const stable = await resourceSet(service, owner.accessToken, 'stable', { rich: true });
  const privateSet = await resourceSet(service, owner.accessToken, 'private', { private: true });
  const mutable = await resourceSet(service, owner.accessToken, 'mutable');
  const disposable: ResourceSet[] = [];
  for (let i = 0; i < DISPOSABLE_SETS; i++) disposable.push(await resourceSet(service, owner.accessToken, `gone${i}`));
  const foreign = await resourceSet(service, other.accessToken, 'foreign');
  const foreignDisposable = await resourceSet(service, other.accessToken, 'foreigngone');
  return { owner, other, stable, private: privateSet, mutable, disposable, foreign, foreignDisposable, signupKey };
}
