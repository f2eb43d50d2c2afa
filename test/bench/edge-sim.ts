/**
 * The edge, simulated: CloudFront's cache at 20 edge locations, driven by the synthesized
 * template's own cache policies and the viewer-request function's own code (run over one
 * in-memory KeyValueStore per location, each seeing a write after the store's propagation delay),
 * with the real FeedPublisher deciding what the edge is told. Figures are printed, never asserted.
 */
import { randomUUID } from 'node:crypto';
import {
  type EdgeRequest,
  type EdgeResponse,
  InMemoryEdgeStore,
  loadEdgeFunction,
  type ViewerRequestHandler,
} from '../../local/edge-runtime.js';
import type { EdgeStateUpdate } from '../../shared/domain/edge-state.js';
import type { App } from '../../shared/domain/model.js';
import { deviceBucket, inRollout } from '../../shared/domain/rollout.js';
import { FeedPublisher } from '../../shared/services/feed-publisher.js';
import { EdgeStateWriter } from '../../shared/storage/edge-state-store.js';
import type { FeedPlacement, StoredFeeds } from '../../shared/storage/feed-repository.js';
import type { Announcement } from '../../shared/storage/outbox-repository.js';
import { synthesize } from '../infra/support.js';
import { newApp, ownerCaller, releaseWorld } from '../unit/in-memory.js';

const DEVICES = 1000;
const LOCATIONS = 20;
const HOURS = 48;
/**
 * KeyValueStore propagation: AWS documents the store as eventually consistent with updates reaching
 * every edge location "within seconds" (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/kvs-with-functions.html);
 * no bound is published, so the simulation draws each location's delay up to this many seconds.
 */
const KVS_PROPAGATION_S = Number(process.env.BENCH_KVS_PROPAGATION_S ?? 10);
/** List prices (us-east-1 / North America, https://aws.amazon.com/cloudfront/pricing/, https://aws.amazon.com/api-gateway/pricing/, https://aws.amazon.com/lambda/pricing/). */
const PRICE = {
  requestsPer10kLow: 0.0075,
  requestsPer10kHigh: 0.01,
  functionPerMillion: 0.1,
  httpApiPerMillion: 1.0,
  lambdaPerMillion: 0.2,
  /** 128 MB × ~20 ms arm64 per uncached check ≈ 0.0025 GB-s × $0.0000133334. */
  lambdaDurationPerCheck: 0.0025 * 0.0000133334,
};

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };

/** The template's cache behaviour for a path (first match) and its cache policy's key parameters. */
function cachingFor(template: Template, path: string) {
  const distribution = Object.values(template.Resources).find((r) => r.Type === 'AWS::CloudFront::Distribution');
  const config = distribution?.Properties.DistributionConfig;
  const matches = (pattern: string) =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    ).test(path);
  const behavior = (config.CacheBehaviors as any[]).find((b) => matches(b.PathPattern)) ?? config.DefaultCacheBehavior;
  const policy = template.Resources[behavior.CachePolicyId.Ref]?.Properties.CachePolicyConfig;
  if (!policy) throw new Error(`${path} is not cached`);
  const key = policy.ParametersInCacheKeyAndForwardedToOrigin;
  return {
    headers: (key.HeadersConfig.Headers ?? []) as string[],
    query: (key.QueryStringsConfig.QueryStrings ?? []) as string[],
    maxTtl: policy.MaxTTL as number,
  };
}

/** Counts what a publish asks of the edge, through the real FeedPublisher over in-memory fakes. */
async function edgeCallsPerPublish(): Promise<{ invalidations: number; kvsWrites: number; keys: number }> {
  const app: App = newApp('Bench', { slug: 'bench-app' });
  const world = releaseWorld([app]);
  let invalidations = 0;
  let kvsWrites = 0;
  let keys = 0;
  const published = new Map<string, number>();
  let rev = 0;
  const feeds = {
    nextRevision: async () => ({ rev: ++rev, ownerId: app.ownerId, slug: 'bench-app' }),
    stored: async (): Promise<StoredFeeds> => new Map(),
    replace: async (
      slug: string,
      _appId: string,
      placements: FeedPlacement[],
      _rev: number,
      _s: StoredFeeds,
      announcement?: Announcement,
    ) => {
      published.set(slug, placements.length);
      if (announcement) await outbox.enqueueEdgeState(announcement.updates);
      return true;
    },
    storedLinks: async () => new Map<string, string>(),
    replaceLinks: async () => true,
  };
  const outbox = {
    enqueue: async (paths: string[]) => {
      if (paths.length > 0) invalidations++;
    },
    enqueueEdgeState: async (updates: readonly EdgeStateUpdate[]) => {
      kvsWrites++;
      keys += updates.length;
    },
  };
  const views = { replace: async () => true, remove: async () => {} };
  const publisher = new FeedPublisher(
    { get: async () => app, allByOwner: async () => [app] },
    world.catalogs,
    world.releases,
    feeds,
    outbox,
    views,
  );
  const { release } = await world.releaseService.create(app, { version: '1.0.0' });
  await world.artifactService.uploadBytes(ownerCaller, app, release.id, { target: 'windows', arch: 'x86_64', bytes: Buffer.from('v1') });
  await publisher.republish(app.id);
  return { invalidations, kvsWrites, keys };
}

interface Location {
  store: InMemoryEdgeStore;
  fn: ViewerRequestHandler;
  cache: Map<string, { answer: string; expires: number }>;
  delay: number;
  keys: Set<string>;
}

/** One run of the fleet: every device checks once an hour (its own phase) through its location. */
async function simulate(template: Template, code: string, keyMode: 'state' | 'bucket') {
  const path = '/api/sync/ota/bench-app/windows/x86_64/1.0.0';
  const caching = cachingFor(template, path);
  const locations: Location[] = Array.from({ length: LOCATIONS }, (_, i) => {
    const store = new InMemoryEdgeStore();
    return {
      store,
      fn: loadEdgeFunction(code, store),
      cache: new Map(),
      delay: ((i + 1) / LOCATIONS) * KVS_PROPAGATION_S,
      keys: new Set(),
    };
  });
  const devices = Array.from({ length: DEVICES }, (_, i) => ({ id: randomUUID(), phase: (i * 3600) / DEVICES, location: i % LOCATIONS }));
  // What the origin publishes over time: a 20 % rollout of 2.0.0 at hour 6, widened to 100 % at hour 30.
  const r2 = '01HZB0000000000000000000BB';
  const timeline = [
    { at: 0, rollout: undefined as number | undefined, version: '1.0.0' },
    { at: 6 * 3600, rollout: 20, version: '2.0.0' },
    { at: 30 * 3600, rollout: 100, version: '2.0.0' },
  ];
  const originAt = (t: number) => [...timeline].reverse().find((p) => p.at <= t) ?? (timeline[0] as (typeof timeline)[number]);
  const truth = (t: number, bucket: number | undefined) => {
    const p = originAt(t);
    if (p.version === '1.0.0') return '1.0.0';
    return p.rollout === undefined || p.rollout >= 100 || inRollout(bucket, { id: r2, rollout: p.rollout }) ? '2.0.0' : '1.0.0';
  };
  // The publisher's writes, each reaching a location after its delay (the writer is the real one).
  const writes = timeline.map((p, n) => ({
    at: p.at,
    updates: [
      {
        key: 's/bench-app',
        state: {
          rev: n + 1,
          ...(p.rollout !== undefined && p.rollout < 100 ? { rollouts: [[deviceBucket(r2), p.rollout] as [number, number]] } : {}),
        },
      },
    ] as EdgeStateUpdate[],
  }));
  const applied = locations.map(() => 0);
  let requests = 0;
  let hits = 0;
  let wrong = 0;
  let wrongAfterPropagation = 0;
  const variantsAtRollout = new Set<string>();
  const events: { t: number; device: (typeof devices)[number] }[] = [];
  for (let h = 0; h < HOURS; h++) for (const device of devices) events.push({ t: h * 3600 + device.phase, device });
  events.sort((a, b) => a.t - b.t);
  for (const { t, device } of events) {
    const location = locations[device.location] as Location;
    while (
      (applied[device.location] as number) < writes.length &&
      (writes[applied[device.location] as number]?.at ?? 0) + location.delay <= t
    ) {
      await new EdgeStateWriter(location.store).apply(writes[applied[device.location] as number]?.updates ?? []);
      applied[device.location] = (applied[device.location] as number) + 1;
    }
    const request: EdgeRequest = {
      uri: path,
      headers: { 'x-device-id': { value: device.id } },
      querystring: { channel: { value: 'stable' } },
    };
    const forwarded = (await location.fn({ request })) as EdgeRequest | EdgeResponse;
    if (!('uri' in forwarded)) throw new Error('refused');
    const bucket = deviceBucket(device.id);
    const key =
      keyMode === 'state'
        ? [
            path,
            ...caching.headers.map((h) => forwarded.headers[h]?.value ?? ''),
            ...caching.query.map((q) => forwarded.querystring?.[q]?.value ?? ''),
          ].join('|')
        : `${path}|stable|${bucket}`;
    requests++;
    const p = originAt(t);
    if (p.rollout === 20 && t > p.at + KVS_PROPAGATION_S && device.location === 0) variantsAtRollout.add(key);
    const cached = location.cache.get(key);
    let answer: string;
    if (cached && cached.expires > t) {
      hits++;
      answer = cached.answer;
    } else {
      // The origin decides in/out itself from the bucket the edge forwarded (never from the key).
      answer = truth(t, Number(forwarded.headers['x-ota-bucket']?.value ?? bucket));
      location.cache.set(key, { answer, expires: t + caching.maxTtl });
    }
    if (answer !== truth(t, bucket)) {
      wrong++;
      const lastChange = p.at;
      if (t > lastChange + KVS_PROPAGATION_S) wrongAfterPropagation++;
    }
  }
  return { requests, hits, wrong, wrongAfterPropagation, variants: variantsAtRollout.size };
}

/** Section 9 of `npm run bench`. */
export async function reportEdgeSimulation(): Promise<void> {
  const s = synthesize();
  const template = s.template(s.stack) as Template;
  const functionResource = Object.entries(template.Resources).find(
    ([id, r]) => r.Type === 'AWS::CloudFront::Function' && id.includes('EdgeKey'),
  );
  if (!functionResource) throw new Error('no edge key function in the template');
  const code = functionResource[1].Properties.FunctionCode as string;
  const policies = Object.values(template.Resources).filter((r) => r.Type === 'AWS::CloudFront::CachePolicy').length;
  const calls = await edgeCallsPerPublish();
  const now = await simulate(template, code, 'state');
  const before = await simulate(template, code, 'bucket');
  const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)} %`;
  const missRate = 1 - now.hits / now.requests;
  const floorLow = PRICE.requestsPer10kLow * 100;
  const floorHigh = PRICE.requestsPer10kHigh * 100;
  const origin = missRate * (PRICE.httpApiPerMillion + PRICE.lambdaPerMillion + PRICE.lambdaDurationPerCheck * 1e6);
  const total = (floor: number) => floor + PRICE.functionPerMillion + origin;
  console.log(
    `\n9. The edge, simulated from the synthesized template (${policies} custom cache policies, the viewer-request function's own code, one KeyValueStore per location)`,
  );
  console.log(
    `   a publish: ${calls.invalidations} invalidation calls, ${calls.kvsWrites} outbox item with ${calls.keys} KeyValueStore keys (slug, app id, faynoSync name)`,
  );
  console.log(
    `   one check path at a 20 % rollout: ${now.variants} cache variants at a location (device bucket in the key before: ${before.variants})`,
  );
  console.log(
    `   ${DEVICES} devices checking hourly through ${LOCATIONS} locations for ${HOURS} h (two publishes): hit rate ${pct(now.hits, now.requests)} (bucket in the key before, not counting its purges: ${pct(before.hits, before.requests)})`,
  );
  console.log(
    `   a publish is visible everywhere within the KeyValueStore's propagation (modelled ≤ ${KVS_PROPAGATION_S} s; AWS: "within seconds"): answers differing from the origin's ${now.wrong} of ${now.requests} (${now.wrongAfterPropagation} after the propagation window; the bucket key without a revision: ${before.wrong}, which only a purge could fix)`,
  );
  console.log(
    `   cost per million checks at list price: $${total(floorLow).toFixed(2)}-$${total(floorHigh).toFixed(2)} = CloudFront requests $${floorLow.toFixed(2)}-$${floorHigh.toFixed(2)} (the floor) + function $${PRICE.functionPerMillion.toFixed(2)} (KeyValueStore reads included) + origin misses ${pct(missRate * 1e6, 1e6)} × (HTTP API + Lambda) $${origin.toFixed(2)}`,
  );
}
