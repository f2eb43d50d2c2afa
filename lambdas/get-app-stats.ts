import { apiRoute, appOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { appStatsQuery } from '../shared/http/telemetry-schemas.js';
import { routeById } from '../shared/routes.js';
import { resourceReader, telemetryService } from '../shared/services/container.js';

export const handler = apiRoute(routeById('GetAppStats'), resourceReader, { query: appStatsQuery }, async (request) => {
  const app = appOf(request);
  const stats = await telemetryService().appStats(app.id, request.query);
  return json(200, {
    app_id: app.id,
    from: stats.from,
    to: stats.to,
    totals: { requests: stats.totals.requests, unique_clients: stats.totals.uniqueClients },
    rows: stats.rows.map(({ uniqueClients, ...row }) => ({ ...row, unique_clients: uniqueClients })),
  });
});
