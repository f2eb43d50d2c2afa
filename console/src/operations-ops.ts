/**
 * The operations of the release manager's screens (rollouts, telemetry, team, tokens, keys, audit,
 * webhooks, device pins):
 * route id, method and path, typed by the route table's own schemas (type-only imports). operations.ts
 * merges them into OPERATIONS, and test/unit/console.test.ts proves each is the route table's.
 */
import type * as z from 'zod/mini';
import type * as access from '../../shared/http/access-schemas.js';
import type * as priv from '../../shared/http/private-schemas.js';
import type * as s from '../../shared/http/schemas.js';
import type { appStatsAnswer } from '../../shared/http/telemetry-schemas.js';
import type * as hooks from '../../shared/http/webhook-schemas.js';

const APP = '/api/sync/ota/apps/{app_id}';
const RELEASE = `${APP}/releases/{release_id}`;
const KEYS = '/v1/projects/{project_id}/ota/keys';

export const OPS_OPERATIONS = {
  SetRollout: { method: 'PUT', path: `${RELEASE}/rollout` },
  ReleaseInstalls: { method: 'GET', path: `${RELEASE}/installs` },
  PromoteRelease: { method: 'POST', path: `${RELEASE}/promote` },
  RollbackChannel: { method: 'POST', path: `${APP}/channels/{channel}/rollback` },
  GetAppStats: { method: 'GET', path: `${APP}/stats` },
  ListTeamUsers: { method: 'GET', path: '/api/sync/ota/team/users' },
  CreateTeamUser: { method: 'POST', path: '/api/sync/ota/team/users' },
  UpdateTeamUser: { method: 'PATCH', path: '/api/sync/ota/team/users/{user_id}' },
  DeleteTeamUser: { method: 'DELETE', path: '/api/sync/ota/team/users/{user_id}' },
  ListApiTokens: { method: 'GET', path: '/api/sync/ota/tokens' },
  CreateApiToken: { method: 'POST', path: '/api/sync/ota/tokens' },
  RevokeApiToken: { method: 'DELETE', path: '/api/sync/ota/tokens/{token_id}' },
  ListDownloadTokens: { method: 'GET', path: `${APP}/download-tokens` },
  CreateDownloadToken: { method: 'POST', path: `${APP}/download-tokens` },
  RevokeDownloadToken: { method: 'DELETE', path: `${APP}/download-tokens/{token_id}` },
  KoolbaseListKeys: { method: 'GET', path: KEYS },
  KoolbaseCreateKey: { method: 'POST', path: KEYS },
  KoolbaseRotateKey: { method: 'POST', path: `${KEYS}/{key_id}/rotate` },
  KoolbaseDeleteKey: { method: 'DELETE', path: `${KEYS}/{key_id}` },
  ListAuditEvents: { method: 'GET', path: '/api/sync/ota/audit' },
  ListWebhooks: { method: 'GET', path: `${APP}/webhooks` },
  CreateWebhook: { method: 'POST', path: `${APP}/webhooks` },
  DeleteWebhook: { method: 'DELETE', path: `${APP}/webhooks/{webhook_id}` },
  ListWebhookDeliveries: { method: 'GET', path: `${APP}/webhooks/{webhook_id}/deliveries` },
  ListDevicePins: { method: 'GET', path: `${APP}/pins` },
  CreateDevicePin: { method: 'POST', path: `${APP}/pins` },
  DeleteDevicePin: { method: 'DELETE', path: `${APP}/pins/{pin_id}` },
} as const;

/**
 * A Koolbase SDK key as its routes answer it. Written out, not imported: the face's schemas module
 * reaches node-only code, and the console may not import a face; test/unit/console-ops.test.ts
 * proves at compile time that this is the schema's output type.
 */
export interface KoolbaseKey {
  id: string;
  prefix: string;
  channel: string | null;
  created_at: string;
  expires_at: string | null;
  replaced_by: string | null;
}

type Out<T extends z.ZodMiniType> = z.output<T>;
type In<T extends z.ZodMiniType> = z.input<T>;

export interface OpsOperationTypes {
  SetRollout: { body: In<typeof s.rolloutBody>; answer: Out<typeof s.releaseAnswer> };
  ReleaseInstalls: { body: never; answer: Out<typeof s.installFiguresAnswer> };
  PromoteRelease: { body: In<typeof s.promoteReleaseBody>; answer: Out<typeof s.releaseAnswer> };
  RollbackChannel: { body: In<typeof s.rollbackChannelBody>; answer: Out<typeof s.rollbackAnswer> };
  GetAppStats: { body: never; answer: Out<typeof appStatsAnswer> };
  ListTeamUsers: { body: never; answer: Out<typeof access.teamUserListAnswer> };
  CreateTeamUser: { body: In<typeof access.createTeamUserBody>; answer: Out<typeof access.teamUserAnswer> };
  UpdateTeamUser: { body: In<typeof access.updateTeamUserBody>; answer: Out<typeof access.teamUserAnswer> };
  DeleteTeamUser: { body: never; answer: undefined };
  ListApiTokens: { body: never; answer: Out<typeof access.apiTokenListAnswer> };
  CreateApiToken: { body: In<typeof access.createApiTokenBody>; answer: Out<typeof access.newApiTokenAnswer> };
  RevokeApiToken: { body: never; answer: undefined };
  ListDownloadTokens: { body: never; answer: Out<typeof priv.downloadTokenListAnswer> };
  CreateDownloadToken: { body: In<typeof priv.createDownloadTokenBody>; answer: Out<typeof priv.newDownloadTokenAnswer> };
  RevokeDownloadToken: { body: never; answer: undefined };
  KoolbaseListKeys: { body: never; answer: KoolbaseKey[] };
  KoolbaseCreateKey: { body: { channel?: string }; answer: KoolbaseKey & { key: string } };
  KoolbaseRotateKey: { body: { grace_seconds?: number }; answer: KoolbaseKey & { key: string } };
  KoolbaseDeleteKey: { body: never; answer: undefined };
  ListAuditEvents: { body: never; answer: Out<typeof access.auditPageAnswer> };
  ListWebhooks: { body: never; answer: Out<typeof hooks.webhookListAnswer> };
  CreateWebhook: { body: In<typeof hooks.createWebhookBody>; answer: Out<typeof hooks.newWebhookAnswer> };
  DeleteWebhook: { body: never; answer: undefined };
  ListWebhookDeliveries: { body: never; answer: Out<typeof hooks.webhookDeliveryListAnswer> };
  ListDevicePins: { body: never; answer: Out<typeof s.pinListAnswer> };
  CreateDevicePin: { body: In<typeof s.createPinBody>; answer: Out<typeof s.pinAnswer> };
  DeleteDevicePin: { body: never; answer: undefined };
}
