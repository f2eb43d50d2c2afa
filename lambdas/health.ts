import { publicRoute } from '../shared/http/handler.js';
import { json } from '../shared/http/respond.js';

export const handler = publicRoute(async () => json(200, { status: 'healthy' }));
