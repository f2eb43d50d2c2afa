/** faynoSync routes: sign-up, login, apps, channels, platforms, archs. */
import type { RouteDefinition } from '../../routes.js';

export const FAYNOSYNC_ACCOUNT_ROUTES: readonly RouteDefinition[] = [];
