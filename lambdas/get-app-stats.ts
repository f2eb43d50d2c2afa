import { apiRoute, appOf } from '../shared/http/middleware.js';
import { json } from '../shared/http/respond.js';
import { appStatsQuery } from '../shared/http/telemetry-schemas.js';
import { routeById } from '../shared/routes.js';
import { resourceReader, telemetryService } from '../shared/services/container.js';
import type { Counts } from '../shared/services/telemetry-service.js';

export const handler = apiRoute(routeById('GetAppStats'), resourceReader, { query: appStatsQuery }, async (request) => {
  const app = appOf(request);
  const stats = await telemetryService().appStats(app.id, request.query);
  return json(200, {
    app_id: app.id,
    from: stats.from,
    to: stats.to,
    totals: wire(stats.totals),
    rows: stats.rows.map(({ uniqueClients, ...row }) => ({ ...row, unique_clients: uniqueClients })),
    rollouts: stats.rollouts.map((r) => ({
      release_id: r.releaseId,
      version: r.version,
      in: wire(r.in),
      out: wire(r.out),
      days: r.days.map((d) => ({ day: d.day, in: wire(d.in), out: wire(d.out) })),
    })),
  });
});

const wire = (c: Counts) => ({ requests: c.requests, unique_clients: c.uniqueClients });
