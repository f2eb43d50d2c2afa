/**
 * faynoSync's telemetry: the owner's counts (`GET /telemetry`, seed "Get Telemetry") and the beacon
 * some of its clients send (`GET /telemetry/beacon`). Both are counted from the edge's log
 * records (docs/telemetry.md): the beacon is an edge-cached empty answer, so CloudFront answers
 * every beacon itself and its log record is what counts.
 */
import * as z from 'zod/mini';
import { EMPTY, type RouteDefinition } from '../../http/route-definition.js';

const usage = <K extends string>(key: K) => z.nullable(z.array(z.object({ [key]: z.string(), client_count: z.number() })));
const summary = {
  total_requests: z.number(),
  unique_clients: z.number(),
  clients_using_latest_version: z.number(),
  clients_outdated: z.number(),
};

/** The answer, as faynoSync's struct writes it (empty lists are `null`). */
export const telemetryAnswer = z.object({
  date: z.string(),
  date_range: z.array(z.string()),
  admin: z.string(),
  summary: z.object({ ...summary, total_active_apps: z.number() }),
  versions: z.object({
    used_versions_count: z.number(),
    known_versions: z.nullable(z.array(z.string())),
    usage: z.nullable(z.array(z.object({ version: z.string(), client_count: z.number() }))),
  }),
  platforms: usage('platform'),
  architectures: usage('arch'),
  channels: usage('channel'),
  daily_stats: z.array(z.object({ date: z.string(), ...summary })),
});

export const telemetryQuery = z.object({
  date: z.optional(z.string()),
  range: z.optional(z.string()),
  apps: z.optional(z.string()),
  channels: z.optional(z.string()),
  platforms: z.optional(z.string()),
  architectures: z.optional(z.string()),
});

export const FAYNOSYNC_TELEMETRY_ROUTES: readonly RouteDefinition[] = [
  {
    id: 'FsTelemetry',
    responses: { 200: telemetryAnswer },
    method: 'GET',
    path: '/telemetry',
    handler: 'fs-telemetry',
    // Any signed-in user: the service narrows a team user's view to its allowed lists.
    access: { kind: 'signed-in' },
    edgeCache: false,
    request: { query: telemetryQuery },
    grants: ['table:get', 'table:query', 'table:index'],
    domain: 'faynosync',
    face: 'faynosync',
    summary: "faynoSync: the account's checks, unique clients, versions, platforms, archs and channels per day (30 days kept)",
  },
  {
    id: 'FsTelemetryBeacon',
    responses: { 204: EMPTY },
    method: 'GET',
    path: '/telemetry/beacon',
    handler: 'fs-telemetry-beacon',
    access: { kind: 'public' },
    // One cached answer for every beacon: the edge's log record of each is what is counted.
    edgeCache: { query: [] },
    grants: [],
    domain: 'faynosync',
    face: 'faynosync',
    summary: "faynoSync's client beacon (owner, app_name, version, channel, platform, arch, is_latest; X-Device-ID): always 204",
  },
];
