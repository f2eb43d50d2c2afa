import { leanPublicRoute } from '../shared/http/lean-route.js';
import { json } from '../shared/http/respond.js';

export const handler = leanPublicRoute(async () => json(200, { status: 'healthy' }));
