import { edgeCacheControl } from '../shared/http/edge.js';
import { leanPublicRoute } from '../shared/http/lean-route.js';
import { openApiDocument } from '../shared/http/openapi.js';
import { json } from '../shared/http/respond.js';
import { ROUTES } from '../shared/routes.js';

/** Built once per container: the route table does not change while it runs. */
const document = openApiDocument(ROUTES, '0.1.0');

/** `GET /openapi.json`: the OpenAPI 3.1 document of every route, edge-cached for five minutes (a deploy shows within them). */
export const handler = leanPublicRoute(async () => json(200, document, edgeCacheControl(300)));
