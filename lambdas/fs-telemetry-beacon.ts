import { EDGE_CACHE_CONTROL } from '../shared/http/edge.js';
import { behindEdge, leanPublicRoute } from '../shared/http/lean-route.js';
import { noUpdate } from '../shared/http/respond.js';

// Always 204, the same for every beacon: CloudFront answers them from its cache, and the edge's log
// record of each beacon is what the telemetry aggregator counts.
export const handler = leanPublicRoute(async () => noUpdate(EDGE_CACHE_CONTROL, behindEdge()), 'faynosync');
