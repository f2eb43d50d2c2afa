import { lookup as dnsLookup, type LookupOptions } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Conflict, NotFound } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { App } from '../domain/model.js';
import {
  checkOwnSecret,
  checkWebhookUrl,
  DELIVERY_TIMEOUT_MS,
  type DeliveryMessage,
  deliveryBody,
  isPrivateAddress,
  MAX_DELIVERY_ATTEMPTS,
  MAX_WEBHOOKS_PER_APP,
  newWebhookSecret,
  retryDelaySeconds,
  secretShownPrefix,
  signatureHeader,
  type UrlPolicy,
  WEBHOOK_EVENT_TYPES,
  type Webhook,
  type WebhookDelivery,
  type WebhookEvent,
  type WebhookEventType,
  type WebhookFormat,
} from '../domain/webhook.js';
import type { WebhookRepository } from '../storage/webhook-repository.js';

export interface NewWebhook {
  url: string;
  events?: WebhookEventType[];
  format?: WebhookFormat;
  /** The owner's own secret; one is generated when absent. */
  secret?: string;
  description?: string;
}

/** An app's webhooks, as its owner manages them (callers arrive already authorized for the app). */
export class WebhookService {
  constructor(
    private readonly webhooks: Pick<WebhookRepository, 'create' | 'list' | 'get' | 'delete' | 'deliveries'>,
    private readonly policy: UrlPolicy,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Registers a webhook; the secret is in the answer this once. */
  async create(app: App, input: NewWebhook): Promise<Webhook> {
    const url = checkWebhookUrl(input.url, this.policy);
    const secret = input.secret === undefined ? newWebhookSecret() : checkOwnSecret(input.secret);
    const webhook: Webhook = {
      id: newId(),
      appId: app.id,
      url,
      events: input.events && input.events.length > 0 ? [...new Set(input.events)] : [...WEBHOOK_EVENT_TYPES],
      format: input.format ?? 'json',
      secret,
      secretPrefix: secretShownPrefix(secret),
      ...(input.description ? { description: input.description } : {}),
      createdAt: this.now().toISOString(),
    };
    if (!(await this.webhooks.create(webhook, MAX_WEBHOOKS_PER_APP))) {
      throw new Conflict(`An app holds at most ${MAX_WEBHOOKS_PER_APP} webhooks: remove one first`);
    }
    return webhook;
  }

  async list(app: App): Promise<Webhook[]> {
    return this.webhooks.list(app.id);
  }

  async remove(app: App, webhookId: string): Promise<void> {
    await this.webhooks.delete(await this.find(app, webhookId));
  }

  /** The webhook's latest deliveries, newest first (404 for a webhook the app does not have). */
  async deliveries(app: App, webhookId: string): Promise<WebhookDelivery[]> {
    const webhook = await this.find(app, webhookId);
    return this.webhooks.deliveries(webhook.id);
  }

  private async find(app: App, webhookId: string): Promise<Webhook> {
    const webhook = await this.webhooks.get(app.id, webhookId);
    if (!webhook) throw new NotFound('Webhook not found');
    return webhook;
  }
}

/** Where the fan-out puts delivery messages. */
export interface DeliveryQueue {
  send(bodies: readonly { id: string; body: string }[]): Promise<void>;
}

/**
 * Events to deliveries: each event from the table's stream becomes one queue message per webhook
 * of its app that subscribed to its type. A delivery id is the event's and the webhook's, so a
 * repeated stream record makes a message a receiver recognizes.
 */
export class WebhookFanOut {
  constructor(
    private readonly webhooks: Pick<WebhookRepository, 'list'>,
    private readonly queue: DeliveryQueue,
  ) {}

  async fanOut(events: readonly WebhookEvent[]): Promise<number> {
    const messages: { id: string; body: string }[] = [];
    // One read of an app's webhooks per batch, however many of its events the batch holds.
    const webhooksOf = new Map<string, Promise<Webhook[]>>();
    for (const event of events) {
      if (!webhooksOf.has(event.appId)) webhooksOf.set(event.appId, this.webhooks.list(event.appId));
      for (const webhook of (await webhooksOf.get(event.appId)) ?? []) {
        if (!webhook.events.includes(event.type)) continue;
        const message: DeliveryMessage = { deliveryId: `${event.id}.${webhook.id}`, webhookId: webhook.id, appId: event.appId, event };
        messages.push({ id: message.deliveryId, body: JSON.stringify(message) });
      }
    }
    if (messages.length > 0) await this.queue.send(messages);
    return messages.length;
  }
}

/** What became of one try: done (delivered, or nothing to deliver to), or to be tried again after a delay. */
export type DeliveryOutcome = { done: true } | { done: false; retryInSeconds: number; last: boolean };

export type Post = (
  url: string,
  init: { headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{ status: number }>;

/**
 * The HTTP POST of a delivery: no redirects followed (a 3xx is a failed try), the answer's body
 * discarded. With `refusePrivate`, the connection's own DNS lookup refuses a name that resolves to
 * a private, loopback or link-local address, so the address checked is the address connected to
 * (no window for DNS rebinding between a check and the connection).
 */
export function httpPost(refusePrivate: boolean): Post {
  return (url, init) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(
        target,
        {
          method: 'POST',
          headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
          signal: init.signal,
          ...(refusePrivate ? { lookup: publicOnlyLookup } : {}),
        },
        (response) => {
          response.resume();
          resolve({ status: response.statusCode ?? 0 });
        },
      );
      request.on('error', reject);
      request.end(init.body);
    });
}

/** dns.lookup for a connection, failing when any address of the name is not public. */
const publicOnlyLookup = ((hostname: string, options: LookupOptions, callback: (...args: unknown[]) => void) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) return callback(new Error(`${hostname} resolves to a private address (${bad.address})`));
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    if (!first) return callback(new Error(`${hostname} has no address`));
    return callback(null, first.address, first.family);
  });
}) as unknown as NonNullable<RequestOptions['lookup']>;

/**
 * One try of one delivery: reads the webhook (a removed one gets nothing), signs the body, POSTs it
 * with a timeout and records the attempt. A 2xx is a success; anything else is retried after a
 * growing delay until SQS moves the message to the dead-letter queue.
 */
export class WebhookDeliverer {
  constructor(
    private readonly webhooks: Pick<WebhookRepository, 'get' | 'recordDelivery'>,
    private readonly options: {
      post: Post;
      retryBaseSeconds: number;
      now?: () => Date;
    },
  ) {}

  async deliver(message: DeliveryMessage, attempt: number): Promise<DeliveryOutcome> {
    const webhook = await this.webhooks.get(message.appId, message.webhookId);
    if (!webhook) return { done: true };
    const now = this.options.now ?? (() => new Date());
    const started = now();
    const body = deliveryBody(message.event, webhook.format);
    let status: number | undefined;
    let error: string | undefined;
    try {
      const response = await this.options.post(webhook.url, {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'ota-update-server-webhooks/1',
          'x-ota-signature': signatureHeader(webhook.secret, Math.floor(started.getTime() / 1000), body),
          'x-ota-event': message.event.type,
          'x-ota-event-id': message.event.id,
          'x-ota-delivery-id': message.deliveryId,
          'x-ota-attempt': String(attempt),
        },
        body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      status = response.status;
      if (status < 200 || status > 299) error = `HTTP ${status}`;
    } catch (caught) {
      error = caught instanceof Error ? `${caught.name}: ${caught.message}`.slice(0, 300) : String(caught);
    }
    const ok = error === undefined;
    const last = attempt >= MAX_DELIVERY_ATTEMPTS;
    const retryInSeconds = ok || last ? undefined : retryDelaySeconds(attempt, this.options.retryBaseSeconds);
    await this.webhooks.recordDelivery({
      id: message.deliveryId,
      webhookId: webhook.id,
      eventId: message.event.id,
      eventType: message.event.type,
      attempt,
      at: started.toISOString(),
      ...(status !== undefined ? { status } : {}),
      ok,
      ...(error !== undefined ? { error: last ? `${error}; gave up (dead-letter queue)` : error } : {}),
      durationMs: now().getTime() - started.getTime(),
      ...(retryInSeconds !== undefined ? { retryInSeconds } : {}),
    });
    if (ok) return { done: true };
    return { done: false, retryInSeconds: retryInSeconds ?? 0, last };
  }
}
