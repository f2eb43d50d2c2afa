/** faynoSync routes: uploads, version edits and deletes, search, download. */
import type { RouteDefinition } from '../../routes.js';

export const FAYNOSYNC_VERSION_ROUTES: readonly RouteDefinition[] = [];
