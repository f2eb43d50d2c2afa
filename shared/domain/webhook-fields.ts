/**
 * What a webhook's fields may hold: the events it can ask for, its URL's length. Apart from
 * webhook.ts (which signs with node's crypto) so the request schemas and the console's browser
 * bundle can use them without node.
 */
export const WEBHOOK_EVENT_TYPES = [
  'release.published',
  'release.yanked',
  'rollout.changed',
  'rollout.halted',
  'artifact.verified',
  'artifact.refused',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const MAX_URL_LENGTH = 2048;
