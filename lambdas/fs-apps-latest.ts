import { fayno } from '../shared/faces/faynosync/client-root.js';
import { apiRoute } from '../shared/http/middleware.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('FaynoAppsLatest'), resourceReader, ({ event }) => fayno().appsLatest(event));
