import type { ResourceReader } from '../domain/access.js';
import { apiTokenHash } from '../domain/api-token.js';
import type { Caller } from '../domain/caller.js';
import { Forbidden, Invalid, NotFound } from '../domain/errors.js';
import { isId, newId } from '../domain/ids.js';
import { flagAllows, inAllowed } from '../domain/permissions.js';
import { newSecret } from '../domain/secrets.js';

export { TOKEN_ACTIONS } from '../domain/permissions.js';

import type { Action } from '../domain/access.js';
import type { ApiTokenRecord, ApiTokenRepository } from '../storage/api-token-repository.js';

export const MAX_TOKEN_APPS = 100;

export interface NewApiToken {
  name: string;
  apps: readonly string[];
  actions: readonly Action[];
  /** ISO time; undefined: no expiry. */
  expiresAt?: string;
  /** `ota` through the service's paths, `fns` through faynoSync's. */
  prefix: 'ota' | 'fns';
}

/** API tokens for CI: shown once, stored as a hash, scoped to apps and actions, with an expiry, listed and revoked. */
export class TokenService {
  constructor(
    private readonly tokens: ApiTokenRepository,
    private readonly reader: ResourceReader,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Creates a token within the caller's own reach: the owner's apps, or for a team user the apps
   * of its `allowed` list and the actions its flags allow. The token itself is returned once.
   */
  async create(caller: Caller, input: NewApiToken): Promise<{ record: ApiTokenRecord; token: string }> {
    if (caller.kind === 'token') throw new Forbidden('Admin JWT is required');
    if (input.expiresAt !== undefined && Date.parse(input.expiresAt) <= this.now().getTime())
      throw new Invalid('expires_at must be in the future');
    const apps = [...new Set(input.apps)];
    if (apps.length === 0 || apps.length > MAX_TOKEN_APPS) throw new Invalid(`a token names 1 to ${MAX_TOKEN_APPS} apps`);
    for (const appId of apps) {
      const app = isId(appId) ? await this.reader.app(appId) : undefined;
      if (!app || app.ownerId !== caller.ownerId || app.deleting) throw new Invalid('one or more allowed_apps are invalid');
    }
    const actions = [...new Set(input.actions)];
    if (caller.kind === 'team') {
      const beyond =
        apps.some((id) => !inAllowed(caller.permissions, 'app', id)) || actions.some((a) => !flagAllows(caller.permissions, 'app', a));
      if (beyond) throw new Forbidden('Permission denied: a token cannot do more than its creator');
    }
    const token = newSecret(`${input.prefix}_`);
    const record: ApiTokenRecord = {
      id: newId(),
      hash: apiTokenHash(token),
      prefix: token.slice(0, input.prefix.length + 9),
      name: input.name,
      ownerId: caller.ownerId,
      ...(caller.ownerName ? { ownerName: caller.ownerName } : {}),
      createdBy: caller.userId,
      apps,
      actions,
      createdAt: this.now().toISOString(),
      ...(input.expiresAt ? { expiresAt: new Date(input.expiresAt).toISOString() } : {}),
    };
    await this.tokens.put(record);
    return { record, token };
  }

  /** The account's tokens, newest first: all of them for the owner, its own for a team user. */
  async list(caller: Caller): Promise<ApiTokenRecord[]> {
    const all = await this.tokens.listByOwner(caller.ownerId);
    return caller.kind === 'owner' ? all : all.filter((t) => t.createdBy === caller.userId);
  }

  /** Revokes at once: the next request with the token is a 401. Another account's token, or an unknown id, is a 404. */
  async revoke(caller: Caller, id: string): Promise<void> {
    const token = isId(id) ? (await this.list(caller)).find((t) => t.id === id) : undefined;
    if (!token) throw new NotFound('Token not found');
    await this.tokens.delete(token);
  }
}
