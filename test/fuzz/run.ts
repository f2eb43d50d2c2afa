/**
 * `npm run fuzz`: fuzzed requests across every route of the route table against the local stack,
 * counting answers. Any 5xx is a bug (the local gateway answers 500 where a function failed), as
 * is a request that got no answer, a 2xx without a valid credential, a 2xx for another owner's
 * ids, a 2xx of an owner-only route for an API token or a team user, or a private app's answer
 * without a valid download token; afterwards the server must still be healthy. Exit code 1 on any.
 *
 * Environment: FUZZ_SEED (a number or any text; printed, random when unset), FUZZ_REQUESTS
 * (default 10000), FUZZ_CONCURRENCY (default 12), FUZZ_ROUTES (comma-separated route ids, to
 * fuzz a part of the table; another order, so other requests), FUZZ_REPLAY (comma-separated request
 * numbers of a run: with its seed and count, sends just those requests again and prints their
 * answers; the fixture's ids are new), FUZZ_VERBOSE=1 (print every unmutated request answered 4xx: what keeps
 * valid requests from reaching deeper, when the fixture or a route changes).
 */
import { Agent } from 'node:http';
import cliProgress from 'cli-progress';
import type { RouteDefinition } from '../../shared/http/route-definition.js';
import { ROUTES } from '../../shared/routes.js';
import { LocalService } from '../support/local-service.js';
import { buildFixture, type Fixture } from './fixture.js';
import { Rng, seedFrom } from './prng.js';
import {
  CROSS_CREDENTIALS,
  DELEGATED_CREDENTIALS,
  type FuzzRequest,
  generateRequest,
  REFUSED_CREDENTIALS,
  routeOrder,
} from './requests.js';
import { asCurl, type Outcome, send } from './send.js';

const REQUESTS = positiveInt('FUZZ_REQUESTS', 10_000);
const CONCURRENCY = positiveInt('FUZZ_CONCURRENCY', 12);
const SEED = seedFrom(process.env.FUZZ_SEED);
const ONLY = process.env.FUZZ_ROUTES?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const VERBOSE = process.env.FUZZ_VERBOSE === '1';
const REPLAY = process.env.FUZZ_REPLAY ? new Set(process.env.FUZZ_REPLAY.split(',').map((s) => Number(s.trim()))) : undefined;
const TIMEOUT_MS = 60_000;
const SHOWN_FAILURES = 8;

function positiveInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

interface RouteStats {
  count: number;
  ms: number[];
  classes: [number, number, number, number, number];
  noAnswer: number;
}

interface Failure {
  req: FuzzRequest;
  outcome: Outcome;
  why: string;
}

/**
 * Log lines of the in-process handlers (Powertools JSON, the gateway's failures) are held back
 * while the run prints its progress; error lines are kept for the report.
 */
function captureLogs(): { errors: string[]; counts: Map<string, number>; restore: () => void } {
  const errors: string[] = [];
  const counts = new Map<string, number>();
  const originals = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)] as const;
  const filter =
    (write: (typeof originals)[number]) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
      const level = /^\{"level":"(\w+)"/.exec(text)?.[1]?.toUpperCase();
      if (level) {
        counts.set(level, (counts.get(level) ?? 0) + 1);
        if (level === 'ERROR' && errors.length < 50) errors.push(text.trim());
        return true;
      }
      return (write as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = filter(originals[0]) as typeof process.stdout.write;
  process.stderr.write = filter(originals[1]) as typeof process.stderr.write;
  return {
    errors,
    counts,
    restore: () => {
      process.stdout.write = originals[0];
      process.stderr.write = originals[1];
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number) : 0;
}

/** Why an answer is a failure of the service, or undefined when it is an acceptable answer. */
function verdict(route: RouteDefinition, req: FuzzRequest, outcome: Outcome): string | undefined {
  if (outcome.status === undefined) return `no answer: ${outcome.error ?? 'unknown'}`;
  if (outcome.status >= 500) return `${outcome.status} answer`;
  const ok = outcome.status >= 200 && outcome.status < 300;
  // A private app's answer (an update, a feed, a redirect to its bytes) only with a valid download token; the SDK key is the Koolbase check's credential.
  const keyed = route.edgeCache !== false && route.edgeCache.apiKeyHash === true;
  if (
    route.access.kind === 'public' &&
    req.aimsAtPrivate &&
    !keyed &&
    req.downloadToken !== 'valid' &&
    outcome.status >= 200 &&
    outcome.status < 400
  ) {
    return `${outcome.status} for a private app with ${req.downloadToken === 'none' ? 'no' : 'an invalid'} download token`;
  }
  // Another account's id in the path is a 404 for every credential of another account, never a 403.
  const pathResource = route.access.kind === 'caller' ? route.access.resource : undefined;
  if (
    outcome.status === 403 &&
    CROSS_CREDENTIALS.has(req.auth) &&
    pathResource &&
    pathResource.type !== 'account' &&
    req.ownedParams.includes(pathResource.param)
  ) {
    return `403 for another owner's ${pathResource.param} (as if it did not exist: 404)`;
  }
  if (!ok || route.access.kind === 'public') return undefined;
  if (REFUSED_CREDENTIALS.has(req.auth)) return `${outcome.status} for a signed-in route with a ${req.auth} credential`;
  if (route.access.kind === 'owner' && DELEGATED_CREDENTIALS.has(req.auth)) {
    return `${outcome.status} for an owner-only route with a ${req.auth} credential`;
  }
  if (route.access.kind !== 'caller') return undefined;
  const resource = route.access.resource;
  if (CROSS_CREDENTIALS.has(req.auth) && resource.type !== 'account' && req.ownedParams.includes(resource.param)) {
    return `${outcome.status} for another owner's ${resource.param}`;
  }
  return undefined;
}

async function fuzz(service: LocalService, fixture: Fixture, routes: readonly RouteDefinition[]) {
  const rng = new Rng(SEED);
  const order = routeOrder(routes, REQUESTS, rng);
  const base = new URL(service.url);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const byStatus = new Map<string, number>();
  const byRoute = new Map<string, RouteStats>(routes.map((r) => [r.id, { count: 0, ms: [], classes: [0, 0, 0, 0, 0], noAnswer: 0 }]));
  const latencies: number[] = [];
  const failures: Failure[] = [];
  let failureCount = 0;
  const rejectedClean: string[] = [];
  /** Caller routes' answers by the credential sent: 2xx/3xx, or the 4xx status. */
  const byCredential = new Map<string, Map<string, number>>();
  let cleanRequests = 0;
  let clean2xx = 0;
  let sent = 0;
  const replayed: { req: FuzzRequest; outcome: Outcome }[] = [];
  const bar = new cliProgress.SingleBar(
    { format: '  fuzzing [{bar}] {percentage}% {value}/{total} | 5xx or failures: {failures}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(order.length, 0, { failures: 0 });
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < order.length) {
      const index = next++;
      const route = order[index] as RouteDefinition;
      // Generated synchronously in index order, so the same seed gives the same requests whatever the timing.
      const req = generateRequest(index, route, fixture, rng);
      if (REPLAY && !REPLAY.has(index)) {
        bar.increment(1, { failures: failureCount });
        continue;
      }
      sent++;
      const clean = req.mutations.length === 0;
      const outcome = await send(
        base,
        agent,
        req,
        TIMEOUT_MS,
        (status) => REPLAY !== undefined || status >= 500 || (VERBOSE && clean && status >= 400),
      );
      if (REPLAY) replayed.push({ req, outcome });
      if (VERBOSE && clean && outcome.status !== undefined && outcome.status >= 400 && outcome.status < 500) {
        rejectedClean.push(`${route.id} ${outcome.status} ${req.method} ${req.target.slice(0, 160)} → ${outcome.body?.slice(0, 200)}`);
      }
      latencies.push(outcome.ms);
      const stats = byRoute.get(route.id) as RouteStats;
      stats.count++;
      stats.ms.push(outcome.ms);
      if (outcome.status === undefined) {
        stats.noAnswer++;
        byStatus.set('no answer', (byStatus.get('no answer') ?? 0) + 1);
      } else {
        const cls = Math.floor(outcome.status / 100) - 1;
        if (cls >= 0 && cls < 5) stats.classes[cls as 0 | 1 | 2 | 3 | 4]++;
        byStatus.set(String(outcome.status), (byStatus.get(String(outcome.status)) ?? 0) + 1);
        if (route.access.kind !== 'public') {
          const row = byCredential.get(req.auth) ?? new Map<string, number>();
          const key = outcome.status < 400 ? 'ok' : String(outcome.status);
          row.set(key, (row.get(key) ?? 0) + 1);
          byCredential.set(req.auth, row);
        }
      }
      if (clean) {
        cleanRequests++;
        if (outcome.status !== undefined && outcome.status < 300) clean2xx++;
      }
      const why = verdict(route, req, outcome);
      if (why) {
        failureCount++;
        if (failures.length < 200) failures.push({ req, outcome, why });
      }
      bar.increment(1, { failures: failureCount });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  bar.stop();
  agent.destroy();
  return {
    byStatus,
    byRoute,
    latencies,
    failures,
    failureCount,
    seconds,
    cleanRequests,
    clean2xx,
    rejectedClean,
    byCredential,
    sent,
    replayed,
  };
}

/** The server after the run: alive, and an owner's ordinary flows still work. */
async function healthAfter(service: LocalService, fixture: Fixture): Promise<{ name: string; ok: boolean; detail: string }[]> {
  const token = fixture.owner.accessToken;
  const checks: { name: string; ok: boolean; detail: string }[] = [];
  const record = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const health = await service.request('GET', '/health');
  record('GET /health is 200', health.status === 200, `${health.status} ${health.text.slice(0, 100)}`);
  const apps = await service.request('GET', '/api/sync/ota/apps', { token });
  const listed = Array.isArray(apps.json?.apps) && apps.json.apps.some((a: { id: string }) => a.id === fixture.stable.appId);
  record('the owner lists its apps (GET /api/sync/ota/apps, the stable app in it)', apps.status === 200 && listed, `${apps.status}`);
  const app = await service.request('GET', `/api/sync/ota/apps/${fixture.stable.appId}`, { token });
  record('the owner reads its app', app.status === 200 && app.json?.id === fixture.stable.appId, `${app.status}`);
  const created = await service.request('POST', '/api/sync/ota/apps', { token, body: { name: `after fuzz ${Date.now()}` } });
  const removed = created.json?.id
    ? await service.request('DELETE', `/api/sync/ota/apps/${created.json.id}`, { token })
    : { status: 0, text: '' };
  record(
    'the owner creates and deletes an app',
    created.status === 201 && removed.status < 300,
    `${created.status} then ${removed.status}`,
  );
  const check = await service.request('GET', `/api/sync/ota/${fixture.stable.slug}/darwin/aarch64/0.0.1`);
  record(
    'a Tauri check of the stable app offers its release',
    check.status === 200 && check.json?.version === fixture.stable.version,
    `${check.status}`,
  );
  const other = await service.request('GET', `/api/sync/ota/apps/${fixture.stable.appId}`, { token: fixture.other.accessToken });
  record("another owner still gets 404 for the owner's app", other.status === 404, `${other.status}`);
  const koolbase = await service.request('GET', '/v1/sdk/ota/check?channel=stable&version=0', {
    headers: { 'x-api-key': fixture.stable.apiKey },
  });
  record('a Koolbase SDK check with a valid key answers 200', koolbase.status === 200, `${koolbase.status}`);
  return checks;
}

function table(rows: (string | number)[][], align: ('l' | 'r')[]): string {
  const widths = align.map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
  return rows
    .map((r) =>
      r.map((cell, i) => (align[i] === 'r' ? String(cell).padStart(widths[i] ?? 0) : String(cell).padEnd(widths[i] ?? 0))).join('  '),
    )
    .join('\n');
}

async function main(): Promise<number> {
  const routes = ONLY ? ROUTES.filter((r) => ONLY.includes(r.id)) : ROUTES;
  if (routes.length === 0) throw new Error(`FUZZ_ROUTES names no route of the table: ${ONLY?.join(',')}`);
  console.log(
    `npm run fuzz: seed ${SEED} (FUZZ_SEED=${SEED} replays it), ${REQUESTS} requests over ${routes.length} routes, concurrency ${CONCURRENCY}`,
  );
  const service = await LocalService.start();
  let logs: ReturnType<typeof captureLogs> | undefined;
  try {
    const fixtureStarted = performance.now();
    const fixture = await buildFixture(service);
    console.log(
      `fixture: 2 owners, ${3 + fixture.disposable.length + 1} apps with releases, verified artifacts, channels, bundles, SDK keys (${((performance.now() - fixtureStarted) / 1000).toFixed(1)} s)`,
    );
    const rssBefore = process.memoryUsage().rss;
    logs = captureLogs();
    const run = await fuzz(service, fixture, routes);
    logs.restore();
    const health = await healthAfter(service, fixture);
    const rssAfter = process.memoryUsage().rss;

    const sorted = [...run.latencies].sort((a, b) => a - b);
    const count = (predicate: (status: string) => boolean) =>
      [...run.byStatus].filter(([s]) => predicate(s)).reduce((sum, [, n]) => sum + n, 0);
    const fiveXX = count((s) => s.startsWith('5'));
    const classOf = (c: string) => count((s) => s.startsWith(c));
    console.log('\nFigures');
    console.log(
      table(
        [
          ['seed', SEED],
          ['requests', run.sent],
          ['routes fuzzed', `${[...run.byRoute.values()].filter((s) => s.count > 0).length}/${routes.length}`],
          ['2xx / 3xx / 4xx', `${classOf('2')} / ${classOf('3')} / ${classOf('4')}`],
          ['5xx', fiveXX],
          ['no answer', run.byStatus.get('no answer') ?? 0],
          ['unmutated requests (2xx or 3xx)', `${run.cleanRequests} (${run.clean2xx})`],
          ['requests/s', (run.sent / run.seconds).toFixed(0)],
          ['duration', `${run.seconds.toFixed(1)} s`],
          [
            'latency p50 / p99 / max',
            `${percentile(sorted, 0.5).toFixed(1)} / ${percentile(sorted, 0.99).toFixed(1)} / ${(sorted[sorted.length - 1] ?? 0).toFixed(0)} ms`,
          ],
          ['server RSS before / after', `${(rssBefore / 2 ** 20).toFixed(0)} / ${(rssAfter / 2 ** 20).toFixed(0)} MB`],
          ['handler log lines (by level)', [...logs.counts].map(([l, n]) => `${l} ${n}`).join(', ') || 'none'],
        ],
        ['l', 'r'],
      ),
    );
    console.log('\nAnswers by status');
    console.log(
      table(
        [...run.byStatus].sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => [s, n]),
        ['l', 'r'],
      ),
    );
    console.log('\nAnswers of signed-in routes by credential (2xx/3xx, then 4xx by status)');
    const columns = ['ok', '400', '401', '403', '404', '409', '413'];
    console.log(
      table(
        [
          ['credential', 'n', ...columns, 'other'],
          ...[...run.byCredential].map(([kind, row]) => {
            const n = [...row.values()].reduce((a, b) => a + b, 0);
            const other = [...row].filter(([k]) => !columns.includes(k)).reduce((a, [, v]) => a + v, 0);
            return [kind, n, ...columns.map((c) => row.get(c) ?? 0), other];
          }),
        ],
        ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
    );
    console.log('\nAnswers by route');
    console.log(
      table(
        [
          ['route', 'method path', 'n', '2xx', '3xx', '4xx', '5xx', 'no answer', 'p50 ms', 'max ms'],
          ...routes.map((r) => {
            const s = run.byRoute.get(r.id) as RouteStats;
            const ms = [...s.ms].sort((a, b) => a - b);
            return [
              r.id,
              `${r.method} ${r.path}`,
              s.count,
              s.classes[1],
              s.classes[2],
              s.classes[3],
              s.classes[4],
              s.noAnswer,
              percentile(ms, 0.5).toFixed(0),
              (ms[ms.length - 1] ?? 0).toFixed(0),
            ];
          }),
        ],
        ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
    );
    console.log('\nServer after the run');
    for (const c of health) console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name} (${c.detail})`);

    for (const { req, outcome } of run.replayed.sort((a, b) => a.req.index - b.req.index)) {
      console.log(`\nReplayed #${req.index} ${req.routeId} (mutations: ${req.mutations.join(', ') || 'none'})`);
      console.log(`  ${asCurl(new URL(service.url), req)}`);
      console.log(`  answer: ${outcome.status ?? `none (${outcome.error})`} ${outcome.body ?? ''}`);
    }
    if (VERBOSE) {
      console.log(`\nUnmutated requests answered 4xx (${run.rejectedClean.length}):`);
      for (const line of run.rejectedClean.sort()) console.log(`  ${line}`);
    }
    if (run.failureCount > 0) {
      console.log(`\n${run.failureCount} failures; the first ${Math.min(SHOWN_FAILURES, run.failures.length)}:`);
      for (const f of run.failures.slice(0, SHOWN_FAILURES)) {
        console.log(`\n#${f.req.index} ${f.req.routeId}: ${f.why} (mutations: ${f.req.mutations.join(', ') || 'none'})`);
        console.log(
          `  replay: FUZZ_SEED=${SEED} FUZZ_REQUESTS=${REQUESTS}${ONLY ? ` FUZZ_ROUTES=${ONLY.join(',')}` : ''} FUZZ_REPLAY=${f.req.index} npm run fuzz`,
        );
        console.log(`  ${asCurl(new URL(service.url), f.req)}`);
        if (f.outcome.body) console.log(`  answer: ${f.outcome.body}`);
      }
      const reasons = new Map<string, number>();
      for (const f of run.failures) reasons.set(`${f.req.routeId}: ${f.why}`, (reasons.get(`${f.req.routeId}: ${f.why}`) ?? 0) + 1);
      console.log('\nFailures by route and reason (first 200 failures):');
      for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${n}× ${reason}`);
    }
    if (logs.errors.length > 0) {
      console.log(`\nError log lines of the handlers (first ${Math.min(5, logs.errors.length)} of ${logs.counts.get('ERROR') ?? 0}):`);
      for (const line of logs.errors.slice(0, 5)) console.log(`  ${line.slice(0, 1_500)}`);
    }
    const healthy = health.every((c) => c.ok);
    const passed = run.failureCount === 0 && healthy;
    console.log(
      `\n${passed ? 'PASS' : 'FAIL'}: ${fiveXX} answers of 5xx, ${run.failureCount} failures in all, server ${healthy ? 'healthy' : 'NOT healthy'} afterwards (seed ${SEED})`,
    );
    return passed ? 0 : 1;
  } finally {
    logs?.restore();
    await service.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
