import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { verifySignature } from '../../shared/domain/webhook.js';
import { createPublishedApp, uploadArtifact, useLocalService } from '../support/local-service.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A receiver on a free port that records what arrives and answers with the statuses it is told, then 200. */
class Receiver {
  readonly received: Received[] = [];
  private readonly statuses = new Map<string, number[]>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const path = request.url ?? '/';
        this.received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
        const status = this.statuses.get(path)?.shift() ?? 200;
        response.writeHead(status).end(status === 200 ? 'ok' : 'boom');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    this.server = server;
  }

  answer(path: string, statuses: number[]): void {
    this.statuses.set(path, statuses);
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async until(what: string, done: () => boolean, timeoutMs = 20_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; received ${JSON.stringify(this.received.map((r) => r.path))}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
  }
}

/**
 * Webhooks end to end: registered through the native API, told about a release published through
 * it (an event item written with the change, fanned out from the table's stream locally, delivered
 * through the local SQS-like queue by the same consumer as in the cloud), signed, retried with
 * backoff after 500s, and listed in the deliveries route; a Slack-format webhook gets `text`.
 */
describe('webhooks, end to end', () => {
  const fixture = useLocalService({ webhookRetryBaseSeconds: 1 });
  const { api } = fixture;
  const receiver = new Receiver();
  before(() => receiver.start());
  after(() => receiver.stop());

  it('delivers a signed release.published, retries two 500s with backoff, records every attempt; Slack gets text', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'hooked-app');
    const created = await api('POST', `/apps/${appId}/webhooks`, {
      url: `${receiver.url}/json`,
      events: ['release.published', 'artifact.verified'],
      description: 'CI notifications',
    });
    assert.equal(created.status, 201, created.text);
    const secret = created.json.secret as string;
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    const webhookId = created.json.id as string;
    const slack = await api('POST', `/apps/${appId}/webhooks`, {
      url: `${receiver.url}/slack`,
      events: ['release.published'],
      format: 'slack',
      secret: 'my-own-secret-of-some-length',
    });
    assert.equal(slack.status, 201, slack.text);
    assert.equal(slack.json.secret, 'my-own-secret-of-some-length');

    // The secret is never shown again.
    const listed = await api('GET', `/apps/${appId}/webhooks`);
    assert.equal(listed.status, 200);
    assert.equal(listed.json.webhooks.length, 2);
    assert.ok(!listed.text.includes(secret) && !listed.text.includes('my-own-secret-of-some-length'));
    assert.equal(listed.json.webhooks[0].secret_prefix.endsWith('…'), true);

    const release = await api('POST', `/apps/${appId}/releases`, { version: '1.0.0', channel: 'stable' });
    assert.equal(release.status, 201, release.text);
    const releaseId = release.json.id as string;
    await uploadArtifact(fixture.service, fixture.token, appId, releaseId, { bytes: randomBytes(16) });
    // The artifact's verification is told (subscribed), and answered 200 at once.
    await receiver.until('artifact.verified', () => receiver.at('/json').some((r) => r.headers['x-ota-event'] === 'artifact.verified'));
    const verified = JSON.parse(receiver.at('/json')[0]?.body ?? '{}');
    assert.equal(verified.data.artifact.status, 'ready');
    assert.equal(verified.data.artifact.release_id, releaseId);
    receiver.answer('/json', [500, 500]);
    const published = await api('POST', `/apps/${appId}/releases/${releaseId}/publish`, {});
    assert.equal(published.status, 200, published.text);

    await receiver.until(
      'three tries of release.published',
      () => receiver.at('/json').filter((r) => r.headers['x-ota-event'] === 'release.published').length >= 3,
    );
    const tries = receiver.at('/json').filter((r) => r.headers['x-ota-event'] === 'release.published');
    assert.equal(tries.length, 3);
    for (const [i, attempt] of tries.entries()) {
      const header = String(attempt.headers['x-ota-signature']);
      assert.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
      assert.ok(verifySignature(secret, header, attempt.body, Math.floor(Date.now() / 1000)), 'the signature verifies with the secret');
      assert.ok(!verifySignature('another-secret-entirely', header, attempt.body, Math.floor(Date.now() / 1000)));
      assert.equal(attempt.headers['x-ota-attempt'], String(i + 1));
    }
    // One event, one delivery: the same ids on every try.
    assert.equal(new Set(tries.map((t) => t.headers['x-ota-event-id'])).size, 1);
    assert.equal(new Set(tries.map((t) => t.headers['x-ota-delivery-id'])).size, 1);
    const body = JSON.parse(tries[0]?.body ?? '{}');
    assert.equal(body.type, 'release.published');
    assert.equal(body.app_id, appId);
    assert.equal(body.data.release.version, '1.0.0');
    assert.equal(body.data.release.status, 'published');
    // Backoff: 1 s, then 4 s (base 1 s, four times longer each time).
    const gaps = [(tries[1]?.at ?? 0) - (tries[0]?.at ?? 0), (tries[2]?.at ?? 0) - (tries[1]?.at ?? 0)];
    assert.ok((gaps[0] ?? 0) >= 900, `first retry after ${gaps[0]} ms`);
    assert.ok((gaps[1] ?? 0) >= 3900, `second retry after ${gaps[1]} ms`);
    assert.equal(receiver.at('/json').filter((r) => r.headers['x-ota-event'] === 'artifact.verified').length, 1);

    const deliveries = await api('GET', `/apps/${appId}/webhooks/${webhookId}/deliveries`);
    assert.equal(deliveries.status, 200, deliveries.text);
    const ofPublish = (deliveries.json.deliveries as { event_type: string; attempt: number; status: number; ok: boolean }[]).filter(
      (d) => d.event_type === 'release.published',
    );
    assert.deepEqual(
      ofPublish.map((d) => [d.attempt, d.status, d.ok]),
      [
        [3, 200, true],
        [2, 500, false],
        [1, 500, false],
      ],
    );
    assert.equal(deliveries.json.deliveries[0].retry_in_seconds, null);

    await receiver.until('the Slack delivery', () => receiver.at('/slack').length >= 1);
    const slackBody = JSON.parse(receiver.at('/slack')[0]?.body ?? '{}');
    assert.deepEqual(Object.keys(slackBody), ['text']);
    assert.match(slackBody.text, /release 1\.0\.0 published/);
  });

  it('tells of rollout changes and yanks, from the saves that make them', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'hooked-ops');
    const created = await api('POST', `/apps/${appId}/webhooks`, {
      url: `${receiver.url}/ops`,
      events: ['rollout.changed', 'rollout.halted', 'release.yanked'],
    });
    assert.equal(created.status, 201, created.text);
    const release = await api('POST', `/apps/${appId}/releases`, { version: '2.0.0', channel: 'stable' });
    const releaseId = release.json.id as string;
    await uploadArtifact(fixture.service, fixture.token, appId, releaseId, { bytes: randomBytes(16) });
    assert.equal((await api('POST', `/apps/${appId}/releases/${releaseId}/publish`, {})).status, 200);
    assert.equal((await api('PUT', `/apps/${appId}/releases/${releaseId}/rollout`, { percent: 25 })).status, 200);
    assert.equal((await api('PATCH', `/apps/${appId}/releases/${releaseId}`, { notes: 'edited' })).status, 200);
    assert.equal((await api('POST', `/apps/${appId}/releases/${releaseId}/yank`, {})).status, 200);
    await receiver.until('rollout.changed and release.yanked', () => receiver.at('/ops').length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const got = receiver.at('/ops').map((r) => JSON.parse(r.body) as { type: string; data: { release: { rollout_percent: number } } });
    // Publishing (not subscribed) and editing notes (no event) send nothing here.
    assert.deepEqual(
      got.map((e) => e.type),
      ['rollout.changed', 'release.yanked'],
    );
    assert.equal(got[0]?.data.release.rollout_percent, 25);
  });

  it('refuses URLs that are not https, carry credentials or are too long; removes a webhook', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'hook-rules');
    for (const url of ['ftp://example.com/x', 'https://user:pw@example.com/x', `https://example.com/${'a'.repeat(2100)}`, 'not a url']) {
      const refused = await api('POST', `/apps/${appId}/webhooks`, { url });
      assert.equal(refused.status, 400, `${url}: ${refused.text}`);
    }
    const shortSecret = await api('POST', `/apps/${appId}/webhooks`, { url: 'https://example.com/hook', secret: 'short' });
    assert.equal(shortSecret.status, 400);
    const unknownEvent = await api('POST', `/apps/${appId}/webhooks`, { url: 'https://example.com/hook', events: ['release.deleted'] });
    assert.equal(unknownEvent.status, 400);
    const created = await api('POST', `/apps/${appId}/webhooks`, { url: 'https://example.com/hook' });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.events.length, 6);
    assert.equal((await api('DELETE', `/apps/${appId}/webhooks/${created.json.id}`)).status, 204);
    assert.equal((await api('DELETE', `/apps/${appId}/webhooks/${created.json.id}`)).status, 404);
    assert.equal((await api('GET', `/apps/${appId}/webhooks/${created.json.id}/deliveries`)).status, 404);
    assert.deepEqual((await api('GET', `/apps/${appId}/webhooks`)).json.webhooks, []);
    // At most 10 per app, even when created at once.
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => api('POST', `/apps/${appId}/webhooks`, { url: `https://example.com/hook/${i}` })),
    );
    assert.deepEqual(statuses.map((r) => r.status).sort(), [...Array(10).fill(201), 409, 409]);
    assert.equal((await api('GET', `/apps/${appId}/webhooks`)).json.webhooks.length, 10);
  });
});
