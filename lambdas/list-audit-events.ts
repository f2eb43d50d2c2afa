import { auditTrail } from '../shared/auth/credentials.js';
import { auditEventDto } from '../shared/http/access-dto.js';
import { auditQuery } from '../shared/http/access-schemas.js';
import { apiRoute, callerOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('ListAuditEvents'), resourceReader, { query: auditQuery }, async (request) => {
  const { query } = request;
  const page = await auditTrail().page(callerOf(request).ownerId, query.limit, query.cursor);
  return json(200, { events: page.events.map(auditEventDto), next: page.next ?? null });
});
