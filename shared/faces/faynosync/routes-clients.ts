/** faynoSync routes: the public checkVersion and apps/latest. */
import type { RouteDefinition } from '../../routes.js';

export const FAYNOSYNC_CLIENT_ROUTES: readonly RouteDefinition[] = [];
