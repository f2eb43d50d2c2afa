import { fayno } from '../shared/faces/faynosync/client-root.js';
import { apiRoute } from '../shared/http/middleware.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute('FaynoAppsLatest', resourceReader, ({ event }) => fayno().appsLatest(event));
