import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import type { App, Release } from '../../shared/domain/model.js';
import {
  checkWebhookUrl,
  type DeliveryMessage,
  deliveryBody,
  isPrivateAddress,
  MAX_DELIVERY_ATTEMPTS,
  releaseEventTypes,
  retryDelaySeconds,
  signatureHeader,
  verifySignature,
  type Webhook,
  type WebhookDelivery,
  type WebhookEvent,
} from '../../shared/domain/webhook.js';
import { httpPost, WebhookDeliverer, WebhookFanOut, WebhookService } from '../../shared/services/webhook-service.js';
import type { StreamRecordLike } from '../../shared/storage/stream-records.js';
import { eventsFromStreamRecords } from '../../shared/storage/webhook-repository.js';

const CLOUD = { allowLocalHttp: false };
const LOCAL = { allowLocalHttp: true };

describe('webhook URLs', () => {
  it('takes https URLs to public hosts', () => {
    assert.equal(checkWebhookUrl('https://hooks.example.com/ota?x=1', CLOUD), 'https://hooks.example.com/ota?x=1');
  });

  it('refuses http, credentials, private, loopback and link-local targets and internal names in the cloud', () => {
    for (const url of [
      'http://hooks.example.com/',
      'https://user:pass@hooks.example.com/',
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.8/',
      'https://172.20.1.1/',
      'https://192.168.1.1/',
      'https://127.0.0.1/',
      'https://[::1]/',
      'https://[fd00::1]/',
      'https://[::ffff:169.254.169.254]/',
      'https://localhost/',
      'https://metadata.google.internal/',
      'https://intranet/',
      `https://example.com/${'x'.repeat(2048)}`,
      'example.com/hook',
    ]) {
      assert.throws(() => checkWebhookUrl(url, CLOUD), { name: 'Invalid' }, url);
    }
  });

  it('takes http to loopback only when the local stack allows it', () => {
    assert.equal(checkWebhookUrl('http://127.0.0.1:9999/hook', LOCAL), 'http://127.0.0.1:9999/hook');
    assert.throws(() => checkWebhookUrl('http://127.0.0.1:9999/hook', CLOUD));
    assert.throws(() => checkWebhookUrl('http://hooks.example.com/', LOCAL));
  });

  it('knows private addresses', () => {
    assert.deepEqual(['8.8.8.8', '100.64.0.1', '0.0.0.0', '224.0.0.1', '2606:4700::1111', 'fe80::1'].map(isPrivateAddress), [
      false,
      true,
      true,
      true,
      false,
      true,
    ]);
  });
});

describe('webhook signatures', () => {
  it('is Stripe-style: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">, verified within the tolerance only', () => {
    const header = signatureHeader('s3cret', 1_700_000_000, '{"a":1}');
    const expected = createHmac('sha256', 's3cret').update('1700000000.{"a":1}').digest('hex');
    assert.equal(header, `t=1700000000,v1=${expected}`);
    assert.ok(verifySignature('s3cret', header, '{"a":1}', 1_700_000_100));
    assert.ok(!verifySignature('s3cret', header, '{"a":2}', 1_700_000_100), 'another body');
    assert.ok(!verifySignature('other', header, '{"a":1}', 1_700_000_100), 'another secret');
    assert.ok(!verifySignature('s3cret', header, '{"a":1}', 1_700_000_000 + 301), 'too old');
  });
});

describe('webhook events and retries', () => {
  const release = (over: Partial<Release>): Release =>
    ({ id: 'R', appId: 'A', version: '1.0.0', channelId: 'c', status: 'draft', rolloutPercent: 100, critical: false, ...over }) as Release;

  it('derives events from a release change', () => {
    assert.deepEqual(releaseEventTypes(release({}), release({ status: 'published' })), ['release.published']);
    assert.deepEqual(releaseEventTypes(release({ status: 'published' }), release({ status: 'yanked' })), ['release.yanked']);
    assert.deepEqual(releaseEventTypes(release({ status: 'published' }), release({ status: 'published', rolloutPercent: 50 })), [
      'rollout.changed',
    ]);
    assert.deepEqual(
      releaseEventTypes(
        release({ status: 'published', rolloutPercent: 50 }),
        release({ status: 'published', rolloutPercent: 0, halted: { reason: 'r', at: 't', failureRate: 0.5, reports: 10 } }),
      ),
      ['rollout.halted'],
    );
    assert.deepEqual(releaseEventTypes(release({ status: 'published' }), release({ status: 'published', notes: 'x' } as never)), []);
  });

  it('backs off fourfold from the base, capped at 12 hours', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7].map((n) => retryDelaySeconds(n)),
      [30, 120, 480, 1920, 7680, 30720, 43200],
    );
    assert.deepEqual(
      [1, 2].map((n) => retryDelaySeconds(n, 1)),
      [1, 4],
    );
  });

  it('gives Slack a text and everyone else the event', () => {
    const event: WebhookEvent = { id: 'E', type: 'release.yanked', appId: 'A', createdAt: 't', data: { release: { version: '2.0.0' } } };
    assert.deepEqual(JSON.parse(deliveryBody(event, 'slack')), { text: ':no_entry: app A: release 2.0.0 yanked' });
    assert.deepEqual(JSON.parse(deliveryBody(event, 'json')), {
      id: 'E',
      type: 'release.yanked',
      created_at: 't',
      app_id: 'A',
      data: { release: { version: '2.0.0' } },
    });
  });
});

const hook = (over: Partial<Webhook> = {}): Webhook => ({
  id: 'W',
  appId: 'A',
  url: 'https://hooks.example.com/x',
  events: ['release.published'],
  format: 'json',
  secret: 'whsec_test',
  secretPrefix: 'whsec_test…',
  createdAt: 't',
  ...over,
});

describe('webhook services over fakes', () => {
  it('fans an event out to the subscribed webhooks only, one message each, from stream records', async () => {
    const sent: { id: string; body: string }[] = [];
    const fanOut = new WebhookFanOut(
      { list: async () => [hook(), hook({ id: 'V', events: ['release.yanked'] })] },
      { send: async (b) => void sent.push(...b) },
    );
    const event: WebhookEvent = { id: 'E', type: 'release.published', appId: 'A', createdAt: 't', data: {} };
    const records: StreamRecordLike[] = [
      { eventName: 'INSERT', dynamodb: { NewImage: { type: { S: 'webhook-event' }, event: { S: JSON.stringify(event) } } } },
      { eventName: 'INSERT', dynamodb: { NewImage: { type: { S: 'outbox' } } } },
    ];
    assert.equal(await fanOut.fanOut(eventsFromStreamRecords(records)), 1);
    const message = JSON.parse(sent[0]?.body ?? '{}') as DeliveryMessage;
    assert.equal(message.deliveryId, 'E.W');
    assert.equal(message.webhookId, 'W');
  });

  it('records each try, schedules the retry, gives up at the last attempt and drops deliveries to removed webhooks', async () => {
    const recorded: WebhookDelivery[] = [];
    let status = 503;
    const deliverer = new WebhookDeliverer(
      { get: async (_app, id) => (id === 'W' ? hook() : undefined), recordDelivery: async (d) => void recorded.push(d) },
      { post: async () => ({ status }), retryBaseSeconds: 30 },
    );
    const message: DeliveryMessage = {
      deliveryId: 'E.W',
      webhookId: 'W',
      appId: 'A',
      event: { id: 'E', type: 'release.published', appId: 'A', createdAt: 't', data: {} },
    };
    assert.deepEqual(await deliverer.deliver(message, 2), { done: false, retryInSeconds: 120, last: false });
    assert.deepEqual(await deliverer.deliver(message, MAX_DELIVERY_ATTEMPTS), { done: false, retryInSeconds: 0, last: true });
    status = 204;
    assert.deepEqual(await deliverer.deliver(message, 3), { done: true });
    assert.deepEqual(
      recorded.map((d) => [d.attempt, d.status, d.ok, d.retryInSeconds]),
      [
        [2, 503, false, 120],
        [MAX_DELIVERY_ATTEMPTS, 503, false, undefined],
        [3, 204, true, undefined],
      ],
    );
    assert.match(recorded[1]?.error ?? '', /dead-letter/);
    assert.deepEqual(await deliverer.deliver({ ...message, webhookId: 'gone' }, 1), { done: true });
    assert.equal(recorded.length, 3);
  });

  it('refuses, when connecting, a name that resolves to a private address (the address checked is the one connected to)', async () => {
    const post = httpPost(true);
    const init = { headers: {}, body: '{}', signal: AbortSignal.timeout(5000) };
    await assert.rejects(post('http://localhost:9/hook', init), /resolves to a private address \(127\.0\.0\.1|::1\)/);
    // Without the guard (the local stack), the same name is connected to (nothing listens on port 9: refused).
    await assert.rejects(httpPost(false)('http://localhost:9/hook', init), { code: 'ECONNREFUSED' });
  });

  it('limits webhooks per app and never stores a short own secret', async () => {
    const stored: Webhook[] = [];
    const service = new WebhookService(
      {
        create: async (w, limit) => stored.length < limit && stored.push(w) > 0,
        list: async () => stored,
        get: async (_appId, id) => stored.find((w) => w.id === id),
        delete: async () => {},
        deliveries: async () => [],
      },
      CLOUD,
    );
    const app = { id: 'A' } as App;
    for (let i = 0; i < 10; i++) await service.create(app, { url: `https://hooks.example.com/${i}` });
    await assert.rejects(service.create(app, { url: 'https://hooks.example.com/11' }), { name: 'Conflict' });
    stored.length = 0;
    await assert.rejects(service.create(app, { url: 'https://hooks.example.com/', secret: 'short' }), { name: 'Invalid' });
    const created = await service.create(app, { url: 'https://hooks.example.com/' });
    assert.match(created.secret, /^whsec_/);
    assert.equal(created.secretPrefix, `${created.secret.slice(0, 10)}…`);
  });
});
