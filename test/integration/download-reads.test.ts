import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { dynamoDocumentClient } from '../../shared/clients/dynamodb.js';
import { createPublishedApp, publishRelease, type Reply, uploadArtifact, useLocalService } from '../support/local-service.js';

/**
 * An uncached download is one read: every download route answers from one GetItem of an item keyed
 * by what its path carries (a private app's answer reads its download token besides). The handlers
 * run in this process: the lean public paths' signed requests are seen on node:http's diagnostics
 * channel (the SDK's own requests, such as the local edge's state reads, carry its user agent and
 * are not counted there), the container's DocumentClient through a counting middleware.
 */
describe('DynamoDB reads of an uncached download', () => {
  const fixture = useLocalService();
  let counted: string[] | undefined;
  let appId = '';
  let releaseId = '';
  let artifactId = '';
  let fileName = '';

  const lean = (message: unknown) => {
    const request = (message as { request: ClientRequest }).request;
    const target = request.getHeader('x-amz-target');
    if (
      typeof target === 'string' &&
      target.startsWith('DynamoDB_') &&
      !String(request.getHeader('user-agent') ?? '').includes('aws-sdk')
    ) {
      counted?.push(target.split('.')[1] ?? target);
    }
  };

  before(async () => {
    subscribe('http.client.request.start', lean);
    dynamoDocumentClient().middlewareStack.add(
      (next, context) => async (args) => {
        counted?.push(context.commandName ?? 'unknown');
        return next(args);
      },
      { step: 'initialize', name: 'countDownloadReads' },
    );
    appId = await createPublishedApp(fixture.service, fixture.token, 'read-once');
    ({ releaseId } = await publishRelease(fixture.service, fixture.token, appId, { version: '1.0.0', bytes: randomBytes(256) }));
    const published = await fixture.api('POST', `/apps/${appId}/releases/${releaseId}/publish`, {});
    assert.equal(published.status, 200, published.text);
    // Tauri's static feed hands out the slug's file links.
    const feed = await fixture.service.request('GET', '/feeds/read-once/stable/tauri/latest.json');
    assert.equal(feed.status, 200, feed.text);
    const url: string = feed.json.platforms['darwin-aarch64'].url;
    const match = /\/files\/([^/]+)\/([^/]+)\/([^/?]+)$/.exec(url);
    assert.ok(match?.[1] === releaseId && match[2] && match[3], url);
    [artifactId, fileName] = [match[2], match[3]];
  });
  after(() => unsubscribe('http.client.request.start', lean));

  /** The reads one request makes, by operation. */
  async function reads(path: string, headers: Record<string, string> = {}): Promise<string[]> {
    await fixture.service.stack.ingestIdle();
    counted = [];
    const reply: Reply = await fixture.service.request('GET', path, { headers });
    const names = counted;
    counted = undefined;
    assert.ok([200, 302].includes(reply.status), `${path}: ${reply.status} ${reply.text}`);
    return names;
  }

  it('a file by its slug link is one GetItem', async () => {
    assert.deepEqual(await reads(`/api/sync/ota/read-once/files/${releaseId}/${artifactId}/${fileName}`), ['GetItem']);
  });

  it('a file by its app-id link is one GetItem', async () => {
    // A Mac build's package is `app` (an .app bundle, served as .app.tar.gz): the name must end in it.
    assert.deepEqual(await reads(`/files/${appId}/${releaseId}/${artifactId}/read-once.app`), ['GetItem']);
  });

  it("a release's file and the latest file are one GetItem (the feed item)", async () => {
    assert.deepEqual(await reads(`/api/sync/ota/read-once/download/${releaseId}/darwin/aarch64`), ['GetItem']);
    assert.deepEqual(await reads('/api/sync/ota/read-once/latest/darwin/aarch64'), ['GetItem']);
  });

  it("an installer's blockmap and an older version's, by the names electron-updater derives, are one GetItem each", async () => {
    const id = await createPublishedApp(fixture.service, fixture.token, 'read-maps');
    for (const version of ['1.0.0', '1.1.0']) {
      const release = (await fixture.api('POST', `/apps/${id}/releases`, { version, channel: 'stable' })).json.id;
      for (const pkg of ['nsis', 'nsis.blockmap'])
        await uploadArtifact(fixture.service, fixture.token, id, release, {
          target: 'windows',
          arch: 'x86_64',
          package: pkg,
          bytes: randomBytes(64),
        });
      assert.equal((await fixture.api('POST', `/apps/${id}/releases/${release}/publish`, {})).status, 200);
    }
    // electron-updater's Windows feed names the installer; its blockmaps are found by name beside it.
    const feed = await fixture.service.request('GET', '/feeds/read-maps/electron/latest.yml');
    assert.equal(feed.status, 200, feed.text);
    const url = /url: (\S+)/.exec(feed.text)?.[1] ?? '';
    const installer = new URL(url, `${fixture.service.url}/feeds/read-maps/electron/`).pathname;
    assert.match(installer, /1\.1\.0/, feed.text);
    assert.deepEqual(await reads(installer), ['GetItem']);
    assert.deepEqual(await reads(`${installer}.blockmap`), ['GetItem'], "the installer's own blockmap");
    assert.deepEqual(await reads(`${installer.replaceAll('1.1.0', '1.0.0')}.blockmap`), ['GetItem'], "the installed version's blockmap");
  });

  it("a private app's file is its link and its download token: two GetItems, on the public path and faynoSync's /download", async () => {
    const created = await fixture.api('POST', '/apps', { name: 'Read Once Private', private: true });
    assert.equal(created.status, 201, created.text);
    const id: string = created.json.id;
    const { releaseId: rid } = await publishRelease(fixture.service, fixture.token, id, { version: '1.0.0', bytes: randomBytes(256) });
    assert.equal((await fixture.api('POST', `/apps/${id}/releases/${rid}/publish`, {})).status, 200);
    const release = await fixture.api('GET', `/apps/${id}/releases/${rid}`);
    const aid: string = release.json.artifacts[0].id;
    const token = await fixture.api('POST', `/apps/${id}/download-tokens`, {});
    assert.equal(token.status, 201, token.text);
    const headers = { 'x-download-token': token.json.token as string };
    assert.deepEqual(await reads(`/files/${id}/${rid}/${aid}/read-once.app`, headers), ['GetItem', 'GetItem']);
    const link = encodeURIComponent(`/files/${id}/${rid}/${aid}/read-once.app`);
    assert.deepEqual((await reads(`/download?key=${link}`, headers)).sort(), ['GetItemCommand', 'GetItemCommand']);
  });
});
