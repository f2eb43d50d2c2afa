import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { dynamoDocumentClient } from '../../shared/clients/dynamodb.js';
import { multipartRequest, type Reply, useLocalService } from '../support/local-service.js';

const APPS = 50;

/**
 * How many DynamoDB requests one faynoSync call makes for an owner with many apps: a version is
 * found by its id and an app by its name with a few key reads, not one read per app. The handlers
 * run in this process, so the container's DocumentClient carries a counting middleware. The
 * figures are printed (docs/architecture.md quotes them) and bounded here.
 */
describe(`DynamoDB requests of faynoSync calls with ${APPS} apps`, () => {
  const fixture = useLocalService();
  let counted: string[] | undefined;
  let versionId = '';

  before(async () => {
    dynamoDocumentClient().middlewareStack.add(
      (next, context) => async (args) => {
        counted?.push(context.commandName ?? 'unknown');
        return next(args);
      },
      { step: 'initialize', name: 'countRequests' },
    );
    for (let i = 1; i <= APPS; i++) {
      const created = await fixture.api('POST', '/apps', { name: `counted-${i}` });
      assert.equal(created.status, 201, created.text);
    }
    const uploaded = await multipartRequest(
      fixture.service.url,
      'POST',
      '/upload',
      fixture.token,
      { app_name: `counted-${APPS}`, version: '1.0.0' },
      [{ name: 'LICENSE', bytes: randomBytes(64) }],
    );
    assert.equal(uploaded.status, 200, uploaded.text);
    versionId = uploaded.json['uploadResult.Uploaded'];
    await fixture.service.stack.ingestIdle();
  });

  /** The requests one call makes, by command name. */
  async function count(call: () => Promise<Reply>, expected: number): Promise<Record<string, number>> {
    await fixture.service.stack.ingestIdle();
    counted = [];
    const reply = await call();
    const names = counted;
    counted = undefined;
    assert.equal(reply.status, expected, reply.text);
    const byCommand: Record<string, number> = {};
    for (const name of names) byCommand[name] = (byCommand[name] ?? 0) + 1;
    console.log(`${names.length} requests: ${JSON.stringify(byCommand)}`);
    return byCommand;
  }
  const total = (byCommand: Record<string, number>) => Object.values(byCommand).reduce((a, b) => a + b, 0);

  it('POST /apps/update (no files) finds the app by name and the version by id', async () => {
    const data = { id: versionId, app_name: `counted-${APPS}`, version: '1.0.0', changelog: 'counted' };
    const byCommand = await count(() => multipartRequest(fixture.service.url, 'POST', '/apps/update', fixture.token, data), 200);
    // 17 before the name claim was read (two Queries, one over every app, in place of one GetItem).
    assert.ok(total(byCommand) <= 16, JSON.stringify(byCommand));
  });

  it('GET /download by version id and file id finds the version without reading every app', async () => {
    const found = await fixture.service.request('GET', `/search?app_name=counted-${APPS}`, { token: fixture.token });
    const link: string = found.json.items[0].Artifacts[0].link;
    const [, releaseId, artifactId] = /\/files\/[^/]+\/([^/]+)\/([^/]+)\//.exec(link) ?? [];
    assert.equal(releaseId, versionId);
    const byCommand = await count(
      () => fixture.service.request('GET', `/download?key=${releaseId}%2F${artifactId}`, { token: fixture.token }),
      200,
    );
    // 57 before the release's lookup item (one read per app).
    assert.ok(total(byCommand) <= 6, JSON.stringify(byCommand));
  });

  it('DELETE /apps/delete?id= finds the version without reading every app', async () => {
    const byCommand = await count(() => fixture.service.request('DELETE', `/apps/delete?id=${versionId}`, { token: fixture.token }), 200);
    // 66 before the release's lookup item (one read per app).
    assert.ok(total(byCommand) <= 20, JSON.stringify(byCommand));
  });
});
