/**
 * Teams, API tokens, whoami and the audit trail: the service's own paths. Entries have the shape
 * of the route table's (`shared/routes.ts`, which includes them); this file only imports types from it.
 */
import type { RouteDefinition } from './routes.js';

export const ACCESS_ROUTES: readonly RouteDefinition[] = [];
