import { ENV, optionalEnv, requireEnv } from '../shared/config/env.js';
import { leanPublicRoute } from '../shared/http/lean-route.js';
import { json } from '../shared/http/respond.js';
import { checkHealth, type HealthProbes, leanHealthProbes } from '../shared/storage/health-probe.js';
import { LeanFeedReader } from '../shared/storage/lean-feed-reader.js';

let built: { config: string; probes: HealthProbes } | undefined;

/**
 * The probes, built once per configuration: in Lambda that is once per container; the local stack
 * may restart its emulators on other ports within one process, and health must probe the current ones.
 */
function probes(): HealthProbes {
  const table = requireEnv(ENV.tableName);
  const bucket = requireEnv(ENV.bucketName);
  const config = [table, bucket, optionalEnv(ENV.dynamodbEndpoint), optionalEnv(ENV.s3Endpoint)].join('|');
  if (built?.config !== config) built = { config, probes: leanHealthProbes(new LeanFeedReader(table), bucket) };
  return built.probes;
}

/** Deep health: 200 when the table and the artifact bucket answer, 503 naming the one that does not; never cached (no-store). */
export const handler = leanPublicRoute(async () => {
  const report = await checkHealth(probes());
  const healthy = report.table && report.bucket;
  return json(healthy ? 200 : 503, {
    status: healthy ? 'healthy' : 'unhealthy',
    checks: { table: report.table ? 'ok' : 'failing', bucket: report.bucket ? 'ok' : 'failing' },
  });
});
