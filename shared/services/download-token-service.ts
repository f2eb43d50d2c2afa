import type { Channel } from '../domain/catalog.js';
import {
  DEFAULT_TOKEN_DAYS,
  type DownloadToken,
  downloadTokenHash,
  downloadTokenShownPrefix,
  MAX_TOKEN_DAYS,
  newDownloadToken,
} from '../domain/download-token.js';
import { Conflict, Invalid, NotFound, shown } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { App } from '../domain/model.js';
import { type CatalogRepository, entryByNameOrId } from '../storage/catalog-repository.js';
import type { DownloadTokenRepository } from '../storage/download-token-repository.js';

/** Tokens an app may hold at once (expired ones count until they are deleted or expire from the table). */
export const MAX_TOKENS_PER_APP = 100;
const DAY_MS = 24 * 3600 * 1000;

export interface NewDownloadToken {
  name?: string;
  /** Name or id of one of the owner's channels: the token then opens that channel only. */
  channel?: string;
  /** RFC 3339; default DEFAULT_TOKEN_DAYS from now. */
  expiresAt?: string;
}

/** A listed token with its channel's current name. */
export interface ListedToken {
  token: DownloadToken;
  channel?: string;
}

/**
 * A private app's download tokens: created (the token shown once, only its SHA-256 kept), listed
 * and revoked by the app's owner. Callers arrive already authorized for the app.
 */
export class DownloadTokenService {
  constructor(
    private readonly tokens: Pick<DownloadTokenRepository, 'create' | 'list' | 'get' | 'revoke'>,
    private readonly catalogs: Pick<CatalogRepository, 'findByName' | 'get' | 'all'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(app: App, input: NewDownloadToken): Promise<{ token: string; listed: ListedToken }> {
    const now = this.now();
    const validUntil = this.expiry(input.expiresAt, now);
    const channel = input.channel === undefined ? undefined : await this.channel(app, input.channel);
    const token = newDownloadToken();
    const record: DownloadToken = {
      id: newId(),
      appId: app.id,
      hash: downloadTokenHash(token),
      prefix: downloadTokenShownPrefix(token),
      ...(input.name ? { name: input.name } : {}),
      ...(channel ? { channelId: channel.id } : {}),
      validUntil,
      createdAt: now.toISOString(),
    };
    if (!(await this.tokens.create(record, MAX_TOKENS_PER_APP))) {
      throw new Conflict(`An app holds at most ${MAX_TOKENS_PER_APP} download tokens: revoke one first`);
    }
    return { token, listed: { token: record, ...(channel ? { channel: channel.name } : {}) } };
  }

  /** The app's tokens, oldest first, with their channels' current names. */
  async list(app: App): Promise<ListedToken[]> {
    const tokens = await this.tokens.list(app.id);
    const limited = tokens.some((t) => t.channelId !== undefined);
    const names = limited ? new Map((await this.catalogs.all(app.ownerId)).channels.map((c) => [c.id, c.name])) : new Map();
    return tokens.map((token) => {
      const channel = token.channelId === undefined ? undefined : (names.get(token.channelId) ?? token.channelId);
      return { token, ...(channel !== undefined ? { channel } : {}) };
    });
  }

  /** Revokes a token at once (a check reads its item, which is gone); 404 for an unknown one. */
  async revoke(app: App, tokenId: string): Promise<void> {
    const token = await this.tokens.get(app.id, tokenId);
    if (!token) throw new NotFound('Download token not found');
    await this.tokens.revoke(token);
  }

  private expiry(expiresAt: string | undefined, now: Date): string {
    if (expiresAt === undefined) return new Date(now.getTime() + DEFAULT_TOKEN_DAYS * DAY_MS).toISOString();
    const at = Date.parse(expiresAt);
    if (!(at > now.getTime())) throw new Invalid('expires_at must be in the future');
    if (at > now.getTime() + MAX_TOKEN_DAYS * DAY_MS) throw new Invalid(`expires_at must be at most ${MAX_TOKEN_DAYS} days ahead`);
    return new Date(at).toISOString();
  }

  private async channel(app: App, nameOrId: string): Promise<Channel> {
    const entry = await entryByNameOrId(this.catalogs, app.ownerId, 'channel', nameOrId);
    if (entry?.kind !== 'channel') throw new Invalid(`channel: no channel ${shown(nameOrId)}`);
    return entry;
  }
}
