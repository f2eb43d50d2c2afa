import { fayno } from '../shared/faces/faynosync/client-root.js';
import { apiRoute } from '../shared/http/middleware.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute('FaynoCheckVersion', resourceReader, ({ event }) => fayno().checkVersion(event));
