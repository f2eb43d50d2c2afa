/**
 * faynoSync's API at its own paths (no prefix), on the one release model. Entries have the shape
 * of the route table's (`shared/routes.ts`, which includes them); these files only import types
 * from it, so the two never import each other at run time.
 */
import type { RouteDefinition } from '../../routes.js';
import { FAYNOSYNC_ACCOUNT_ROUTES } from './routes-accounts.js';
import { FAYNOSYNC_CLIENT_ROUTES } from './routes-clients.js';
import { FAYNOSYNC_TEAM_ROUTES } from './routes-team.js';
import { FAYNOSYNC_VERSION_ROUTES } from './routes-versions.js';

export const FAYNOSYNC_ROUTES: readonly RouteDefinition[] = [
  ...FAYNOSYNC_ACCOUNT_ROUTES,
  ...FAYNOSYNC_VERSION_ROUTES,
  ...FAYNOSYNC_CLIENT_ROUTES,
  ...FAYNOSYNC_TEAM_ROUTES,
];
