import { haltDto } from '../shared/http/dto.js';
import { apiRoute, appOf } from '../shared/http/middleware.js';
import { pathParam } from '../shared/http/request.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { installReports, releaseService, resourceReader } from '../shared/services/container.js';

const rate = (c: { success: number; failure: number; rollback: number }) => {
  const reports = c.success + c.failure + c.rollback;
  return reports === 0 ? 0 : Math.round(((c.failure + c.rollback) / reports) * 10_000) / 10_000;
};

export const handler = apiRoute(routeById('ReleaseInstalls'), resourceReader, async (request) => {
  const { release } = await releaseService().get(appOf(request), pathParam(request.event, 'release_id'));
  const figures = await installReports().figures(release.id);
  return json(200, {
    release_id: release.id,
    version: release.version,
    rollout_percent: release.rolloutPercent,
    reports: figures.reports,
    installs: figures.totals.success,
    failures: figures.totals.failure,
    rollbacks: figures.totals.rollback,
    failure_rate: figures.failureRate,
    ...haltDto(release),
    days: figures.days.map((d) => ({
      date: d.day,
      installs: d.success,
      failures: d.failure,
      rollbacks: d.rollback,
      failure_rate: rate(d),
    })),
  });
});
