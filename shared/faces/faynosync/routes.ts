/**
 * faynoSync's API at its own paths (no prefix), on the one release model. Entries have the shape
 * of the route table's (`shared/routes.ts`, which includes them); this file only imports types
 * from it, so the two never import each other at run time.
 */
import type { RouteDefinition } from '../../routes.js';

export const FAYNOSYNC_ROUTES: readonly RouteDefinition[] = [];
