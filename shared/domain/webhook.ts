/**
 * Webhooks: an owner's URLs told about an app's release events, signed with a per-webhook secret
 * (Stripe's scheme: `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`), retried with backoff.
 * Pure rules here: which events a change makes, the signature, the retry schedule, URL checks.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { Invalid } from './errors.js';
import type { Artifact, Release } from './model.js';
import { MAX_URL_LENGTH, type WebhookEventType } from './webhook-fields.js';

export { MAX_URL_LENGTH, WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook-fields.js';

export type WebhookFormat = 'json' | 'slack';

export interface Webhook {
  id: string;
  appId: string;
  url: string;
  events: WebhookEventType[];
  format: WebhookFormat;
  /** The signing key; never shown after creation. */
  secret: string;
  /** The secret's first characters, to tell webhooks apart in a list. */
  secretPrefix: string;
  description?: string;
  createdAt: string;
}

/** What happened, as a webhook receives it (`data` is the release or artifact after the change). */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  appId: string;
  createdAt: string;
  data: Record<string, unknown>;
}

/** One attempt to deliver one event to one webhook. */
export interface WebhookDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: WebhookEventType;
  /** 1 for the first try; SQS's receive count. */
  attempt: number;
  at: string;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  ok: boolean;
  error?: string;
  durationMs: number;
  /** Seconds until the next try, when one is scheduled. */
  retryInSeconds?: number;
}

/** What the delivery queue carries: which event goes to which webhook (never the secret or the URL: read fresh at each try). */
export interface DeliveryMessage {
  deliveryId: string;
  webhookId: string;
  appId: string;
  event: WebhookEvent;
}

export const MAX_WEBHOOKS_PER_APP = 10;
/** Receives of one message before SQS moves it to the dead-letter queue (the first try and 7 retries). */
export const MAX_DELIVERY_ATTEMPTS = 8;
/** The receiver has this long to answer. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Deliveries the deliveries route shows (newest first); older ones expire from the table. */
export const DELIVERIES_SHOWN = 50;
/** Retry delays grow fourfold from this (30 s, 2 min, 8 min, 32 min, ~2 h, ~8.5 h, 12 h). */
export const DEFAULT_RETRY_BASE_SECONDS = 30;
/** SQS's largest visibility timeout (12 hours). */
export const MAX_RETRY_DELAY_SECONDS = 12 * 3600;
/** A receiver should refuse signatures older than this (replays). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const SECRET_PREFIX = 'whsec_';

/** A new signing secret: 32 random bytes. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** An owner's own secret: 16 to 200 printable ASCII characters. */
export function checkOwnSecret(secret: string): string {
  if (!/^[\x21-\x7e]{16,200}$/.test(secret)) throw new Invalid('secret must be 16 to 200 printable ASCII characters without spaces');
  return secret;
}

export function secretShownPrefix(secret: string): string {
  return `${secret.slice(0, secret.startsWith(SECRET_PREFIX) ? SECRET_PREFIX.length + 4 : 4)}…`;
}

/** The `X-OTA-Signature` header for a body sent at `unixSeconds`. */
export function signatureHeader(secret: string, unixSeconds: number, body: string): string {
  return `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`;
}

/** Whether a signature header is valid for the body and recent enough (what a receiver does; the docs show the same). */
export function verifySignature(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  tolerance = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  const parts = new Map(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > tolerance) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  const given = Buffer.from(v1);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Seconds before the next try after `attempt` failed (1-based): base × 4^(attempt−1), at most 12 hours. */
export function retryDelaySeconds(attempt: number, base = DEFAULT_RETRY_BASE_SECONDS): number {
  return Math.min(MAX_RETRY_DELAY_SECONDS, Math.round(base * 4 ** Math.max(0, attempt - 1)));
}

/** The events a release change makes (the same save that records the change records these). */
export function releaseEventTypes(previous: Release, next: Release): WebhookEventType[] {
  const types: WebhookEventType[] = [];
  if (previous.status !== 'published' && next.status === 'published') types.push('release.published');
  if (previous.status !== 'yanked' && next.status === 'yanked') types.push('release.yanked');
  if (next.halted && !previous.halted) types.push('rollout.halted');
  else if (previous.rolloutPercent !== next.rolloutPercent && !types.includes('release.published')) types.push('rollout.changed');
  return types;
}

/** What an event tells about a release. */
export function releaseEventData(release: Release): Record<string, unknown> {
  return {
    release: {
      id: release.id,
      version: release.version,
      channel_id: release.channelId,
      status: release.status,
      rollout_percent: release.rolloutPercent,
      critical: release.critical,
      ...(release.halted ? { halted: { reason: release.halted.reason, at: release.halted.at } } : {}),
    },
  };
}

/** What an event tells about a verified or refused artifact. */
export function artifactEventData(artifact: Artifact, outcome: { status: string; reason?: string; sha256?: string; size?: number }) {
  return {
    artifact: {
      id: artifact.id,
      release_id: artifact.releaseId,
      platform_id: artifact.platformId,
      arch_id: artifact.archId,
      package: artifact.package,
      status: outcome.status,
      ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
      ...(outcome.sha256 !== undefined ? { sha256: outcome.sha256 } : {}),
      ...(outcome.size !== undefined ? { size: outcome.size } : {}),
    },
  };
}

/** The body a webhook receives: the event as JSON, or Slack's incoming-webhook `{"text"}`. */
export function deliveryBody(event: WebhookEvent, format: WebhookFormat): string {
  if (format === 'slack') return JSON.stringify({ text: slackText(event) });
  return JSON.stringify({ id: event.id, type: event.type, created_at: event.createdAt, app_id: event.appId, data: event.data });
}

function slackText(event: WebhookEvent): string {
  const release = event.data.release as { version?: string; rollout_percent?: number; halted?: { reason: string } } | undefined;
  const artifact = event.data.artifact as { package?: string; reason?: string; release_id?: string } | undefined;
  const app = `app ${event.appId}`;
  switch (event.type) {
    case 'release.published':
      return `:rocket: ${app}: release ${release?.version} published (rollout ${release?.rollout_percent}%)`;
    case 'release.yanked':
      return `:no_entry: ${app}: release ${release?.version} yanked`;
    case 'rollout.changed':
      return `:twisted_rightwards_arrows: ${app}: release ${release?.version} rollout set to ${release?.rollout_percent}%`;
    case 'rollout.halted':
      return `:octagonal_sign: ${app}: release ${release?.version} rollout halted: ${release?.halted?.reason ?? ''}`;
    case 'artifact.verified':
      return `:white_check_mark: ${app}: artifact ${artifact?.package} of release ${artifact?.release_id} verified`;
    case 'artifact.refused':
      return `:x: ${app}: artifact ${artifact?.package} of release ${artifact?.release_id} refused: ${artifact?.reason ?? ''}`;
  }
}

export interface UrlPolicy {
  /** `http://` to localhost and loopback addresses (the local stack only, by configuration). */
  allowLocalHttp: boolean;
}

/** Checks a webhook URL as registered: https, no credentials, not too long, no private or link-local target. */
export function checkWebhookUrl(raw: string, policy: UrlPolicy): string {
  if (raw.length > MAX_URL_LENGTH) throw new Invalid(`url must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Invalid('url must be an absolute URL');
  }
  if (url.username || url.password) throw new Invalid('url must not carry credentials (user:password@)');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const local = isLoopbackHost(host);
  if (url.protocol === 'http:' && local && policy.allowLocalHttp) return url.toString();
  if (url.protocol !== 'https:') throw new Invalid('url must be https');
  if (!policy.allowLocalHttp && (local || isPrivateAddress(host) || isInternalName(host))) {
    throw new Invalid('url must not point at a private, loopback or link-local address');
  }
  return url.toString();
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host);
}

function isInternalName(host: string): boolean {
  return isIP(host) === 0 && (!host.includes('.') || /\.(internal|local|localdomain|home\.arpa)$/.test(host));
}

/** Whether an IP address (v4, v6 or v4-mapped v6) is private, loopback, link-local, CGNAT, unspecified or otherwise not public. */
export function isPrivateAddress(address: string): boolean {
  const a = address.toLowerCase();
  const mapped = a.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  if (mapped?.[1]) return isPrivateAddress(mapped[1]);
  // The URL parser writes a v4-mapped address in hex (`::ffff:a9fe:a9fe`).
  const hex = a.match(/^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/);
  if (hex?.[1] && hex[2]) {
    const [high, low] = [Number.parseInt(hex[1], 16), Number.parseInt(hex[2], 16)];
    return isPrivateAddress(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  if (isIP(a) === 4) {
    const [x = 0, y = 0] = a.split('.').map(Number);
    return (
      x === 0 ||
      x === 10 ||
      x === 127 ||
      (x === 100 && y >= 64 && y <= 127) ||
      (x === 169 && y === 254) ||
      (x === 172 && y >= 16 && y <= 31) ||
      (x === 192 && y === 168) ||
      (x === 198 && (y === 18 || y === 19)) ||
      x >= 224
    );
  }
  if (isIP(a) === 6) return a === '::' || a === '::1' || /^f[cd]/.test(a) || /^fe[89ab]/.test(a) || a.startsWith('ff');
  return false;
}
