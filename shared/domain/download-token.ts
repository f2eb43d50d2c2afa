/**
 * Download tokens of private apps: what a token looks like, what is kept of it, and when it opens
 * an answer. Pure and dependency-free apart from node:crypto, so the lean check path can load it.
 */
import { newSecret, secretHash } from './secrets.js';

/** Every token starts with this, so a leaked one is recognisable (and secret scanners can match it). */
export const DOWNLOAD_TOKEN_PREFIX = 'dl_';
const TOKEN_SHAPE = /^dl_[0-9a-f]{64}$/;
/** Characters of a token shown in lists (the prefix and 6 hex digits), to tell tokens apart. */
const SHOWN_CHARS = DOWNLOAD_TOKEN_PREFIX.length + 6;

/** Validity of a token created without `expires_at`, and the longest one may have. */
export const DEFAULT_TOKEN_DAYS = 365;
export const MAX_TOKEN_DAYS = 5 * 365;

/** A new token: `dl_` and 64 hex digits (256 random bits). Shown to its creator once. */
export function newDownloadToken(): string {
  return newSecret(DOWNLOAD_TOKEN_PREFIX);
}

/** Whether a value has the shape of a token this service mints (anything else is never looked up). */
export function isDownloadTokenShape(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}

/** What is stored of a token and what its lookup item is keyed by: the SHA-256, hex. */
export function downloadTokenHash(token: string): string {
  return secretHash(token);
}

/** The part of a token that lists show. */
export function downloadTokenShownPrefix(token: string): string {
  return token.slice(0, SHOWN_CHARS);
}

/** A token as a request presented it. `query`: the client cannot send headers, so links handed to it must carry the token too. */
export interface PresentedToken {
  value: string;
  via: 'header' | 'query';
}

/** What a check needs of a token: whose it is, the channel it is limited to, until when it works. */
export interface DownloadTokenGrant {
  appId: string;
  /** The catalog id of the only channel the token opens, when it is limited to one. */
  channelId?: string;
  /** ISO time after which the token no longer works. */
  validUntil: string;
}

/** A token as its owner manages it (never the token itself). */
export interface DownloadToken extends DownloadTokenGrant {
  id: string;
  hash: string;
  prefix: string;
  name?: string;
  createdAt: string;
}

/** Why a token does not open a private answer. */
export type TokenRefusal = 'missing' | 'invalid' | 'expired' | 'channel';

/**
 * Whether a grant opens a private answer of `appId` (undefined: it does). An unknown, revoked or
 * malformed token and another app's token are the same refusal: the caller learns nothing about
 * other apps. `opensChannel` decides for a token limited to one channel.
 */
export function grantRefusal(
  grant: DownloadTokenGrant | undefined,
  appId: string,
  now: Date,
  opensChannel: (channelId: string) => boolean,
): Exclude<TokenRefusal, 'missing'> | undefined {
  if (!grant || grant.appId !== appId) return 'invalid';
  if (!(Date.parse(grant.validUntil) > now.getTime())) return 'expired';
  if (grant.channelId !== undefined && !opensChannel(grant.channelId)) return 'channel';
  return undefined;
}

/** The message a client reads for each refusal (401). */
export const REFUSAL_MESSAGES: Record<TokenRefusal, string> = {
  missing: 'This app is private: send a download token (X-Download-Token header, Authorization: Bearer, or ?token=)',
  invalid: 'The download token is not valid for this app (unknown, revoked or of another app)',
  expired: 'The download token has expired',
  channel: 'The download token is limited to another channel',
};
