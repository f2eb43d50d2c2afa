/** faynoSync routes: the public checkVersion and apps/latest, each one read of the app's faynoSync view. */
import { EMPTY, REDIRECT, type RouteDefinition } from '../../http/route-definition.js';
import { checkVersionAnswer, latestAnswer } from './answers.js';

const PUBLIC = { kind: 'public' } as const;

export const FAYNOSYNC_CLIENT_ROUTES: readonly RouteDefinition[] = [
  {
    id: 'FaynoCheckVersion',
    responses: { 200: checkVersionAnswer, 204: EMPTY, 302: REDIRECT },
    method: 'GET',
    path: '/checkVersion',
    handler: 'fs-check-version',
    access: PUBLIC,
    // X-Device-ID is accepted and never part of the key: faynoSync's rollout is decided by the client.
    edgeCache: { query: ['app_name', 'version', 'owner', 'channel', 'platform', 'arch', 'updater'], downloadToken: true },
    grants: ['table:get'],
    domain: 'faynosync',
    face: 'faynosync',
    summary: "faynoSync's update check: update_available, update_url_<package>, critical, intermediate, rollback, per-updater formats",
  },
  {
    id: 'FaynoAppsLatest',
    responses: { 200: latestAnswer, 302: REDIRECT },
    method: 'GET',
    path: '/apps/latest',
    handler: 'fs-apps-latest',
    access: PUBLIC,
    edgeCache: { query: ['app_name', 'owner', 'channel', 'platform', 'arch', 'package'], downloadToken: true },
    grants: ['table:get'],
    domain: 'faynosync',
    face: 'faynosync',
    summary: "faynoSync's latest links: channel → platform → arch → package, or a 302 when one link remains",
  },
];
