import type { ListedToken } from '../services/download-token-service.js';

/** A download token as its owner sees it: never the token, only its first characters. */
export function downloadTokenDto({ token, channel }: ListedToken, now = new Date()) {
  return {
    id: token.id,
    name: token.name ?? null,
    prefix: token.prefix,
    channel: channel ?? null,
    expires_at: token.validUntil,
    expired: !(Date.parse(token.validUntil) > now.getTime()),
    created_at: token.createdAt,
  };
}
