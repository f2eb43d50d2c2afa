/**
 * faynoSync's API at its own paths (no prefix), on the one release model. Entries have the shape
 * `RouteDefinition` (`shared/http/route-definition.ts`); the route table (`shared/routes.ts`)
 * includes them, and nothing here imports the table back.
 */
import type { RouteDefinition } from '../../http/route-definition.js';
import { FAYNOSYNC_ACCOUNT_ROUTES } from './routes-accounts.js';
import { FAYNOSYNC_CLIENT_ROUTES } from './routes-clients.js';
import { FAYNOSYNC_TEAM_ROUTES } from './routes-team.js';
import { FAYNOSYNC_TELEMETRY_ROUTES } from './routes-telemetry.js';
import { FAYNOSYNC_VERSION_ROUTES } from './routes-versions.js';

export const FAYNOSYNC_ROUTES: readonly RouteDefinition[] = [
  ...FAYNOSYNC_ACCOUNT_ROUTES,
  ...FAYNOSYNC_VERSION_ROUTES,
  ...FAYNOSYNC_CLIENT_ROUTES,
  ...FAYNOSYNC_TEAM_ROUTES,
  ...FAYNOSYNC_TELEMETRY_ROUTES,
];
