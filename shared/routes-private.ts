/**
 * Private apps: the routes that manage download tokens. Entries have the shape of the route
 * table's (`shared/routes.ts`, which includes them); this file only imports types from it.
 */
import type { RouteDefinition } from './routes.js';

export const PRIVATE_ROUTES: readonly RouteDefinition[] = [];
