import { PIN_HASH_CHARS } from '../shared/domain/device-pin.js';
import { REFUSAL_MESSAGES } from '../shared/domain/download-token.js';
import { edgeStateKeys } from '../shared/domain/edge-state.js';
import { BUCKETS, MAX_DEVICE_ID } from '../shared/domain/rollout.js';
import {
  API_KEY_HASH_HEADER,
  API_KEY_HEADER,
  DEVICE_BUCKET_HEADER,
  DEVICE_ID_HEADERS,
  DEVICE_PIN_HEADER,
  DOWNLOAD_TOKEN_HEADER,
  DOWNLOAD_TOKEN_QUERY,
  EDGE_KEY_HEADER,
  NO_UPDATE_HEADER,
} from '../shared/http/edge.js';
import { HTTP_ERRORS } from '../shared/http/errors.js';
import { type RouteDefinition, routeSpecificity } from '../shared/http/route-definition.js';
import { objectKeys } from '../shared/storage/keys.js';

/**
 * CloudFront Function (cloudfront-js-2.0) on the viewer response of every edge-cached route.
 *
 * CloudFront documents which 3xx/4xx/5xx codes it caches but no caching of 204, so behind the
 * edge "no update" is an empty, cacheable 200 marked with a header; this function turns it back
 * into the 204 the Tauri updater expects, for cache hits and misses alike.
 */
export const VIEWER_RESPONSE_CODE = `function handler(event) {
  var response = event.response;
  if (response.statusCode === 200 && response.headers['${NO_UPDATE_HEADER}']) {
    response.statusCode = 204;
    response.statusDescription = 'No Content';
    delete response.headers['${NO_UPDATE_HEADER}'];
    delete response.headers['content-type'];
  }
  return response;
}`;

/** How the viewer-request function reads one cached path: where its app's identifier is, and what goes into the key. */
export interface EdgePathRule {
  /** Anchored regular expression over the URI; group 1 is the identifier (slug or app id) when `id` names one. */
  readonly re: string;
  /** Which KeyValueStore key the identifier makes: a slug, an app id, faynoSync's owner + app_name query, or none. */
  readonly id: 'slug' | 'app' | 'fayno' | 'none';
  /** The device's in/out of the app's rollouts goes into the key (the route declares `deviceBucket`). */
  readonly rollout?: true;
  /** A pinned device gets a key of its own and `x-ota-pin` (the route declares `deviceBucket` or `devicePin`). */
  readonly pin?: true;
  /** The SHA-256 of `x-api-key` goes into the key (the route declares `apiKeyHash`). */
  readonly keyHash?: true;
  /** Artifact bytes (`/ota/*`): keyed by the app's files revision; a private app's are refused outright. */
  readonly artifact?: true;
  /** The query parameters the route declares: the only ones the origin receives, and part of the key. */
  readonly query: readonly string[];
  /** `?token=` (a private app's download token) also reaches the origin, outside the key. */
  readonly token?: true;
  /** Error shape of the route's face: the service's `{error:{code,message}}`, or `{error}` (faynoSync, Koolbase). */
  readonly plainErrors?: true;
}

/** One rule per edge-cached route, most specific first (as API Gateway picks), plus the artifact bytes. */
export function edgePathRules(routes: readonly RouteDefinition[]): EdgePathRule[] {
  const cached = routes.filter((r) => r.edgeCache !== false);
  const bySpecificity = [...cached].sort((a, b) => {
    const sa = routeSpecificity(a.path);
    const sb = routeSpecificity(b.path);
    for (let i = 0; i < Math.min(sa.length, sb.length); i++) if (sa[i] !== sb[i]) return (sb[i] ?? 0) - (sa[i] ?? 0);
    return sb.length - sa.length;
  });
  const rules = bySpecificity.map((route): EdgePathRule => {
    const caching = route.edgeCache === false ? { query: [] } : route.edgeCache;
    const id = route.path.includes('{slug}')
      ? 'slug'
      : route.path.includes('{app_id}')
        ? 'app'
        : caching.query.includes('owner') && caching.query.includes('app_name')
          ? 'fayno'
          : 'none';
    const re = `^${route.path
      .split(/(\{[^}/]+\})/)
      .map((part) =>
        part === '{slug}' || part === '{app_id}' ? '([^/]+)' : part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('')}$`;
    return {
      re,
      id,
      query: [...new Set(caching.query)].sort(),
      ...(caching.downloadToken ? { token: true as const } : {}),
      ...(caching.deviceBucket ? { rollout: true as const } : {}),
      ...(caching.deviceBucket || caching.devicePin ? { pin: true as const } : {}),
      ...(caching.apiKeyHash ? { keyHash: true as const } : {}),
      ...(route.face !== undefined && route.face !== 'service' ? { plainErrors: true as const } : {}),
    };
  });
  // Artifacts: their own behaviour and cache policy (versionId in the key), not these query rules.
  return [...rules, { re: `^/${objectKeys.artifactRoot}([^/]+)/`, id: 'app', query: ['versionId'], artifact: true }];
}

/**
 * CloudFront Function (cloudfront-js-2.0, with the distribution's KeyValueStore associated) on the
 * viewer request of every edge-cached behaviour, artifacts included. It reads the app's edge state
 * (shared/domain/edge-state.ts) by the identifier the path carries, and then:
 * - a deleted app's paths: 404, and a private app's paths without a download token: 401, in the
 *   route's own error shape; a private app's artifact bytes: 403 (its files go out presigned only);
 * - writes ONE cache-key header, `x-ota-edge-key`: the app's revision (a publish makes new keys,
 *   nothing is purged), on rollout-aware routes the device's in/out of each partial rollout (same
 *   arithmetic as deviceBucket and inRollout in shared/domain/rollout.ts), on key-checked routes the
 *   SHA-256 of `x-api-key`; on artifacts the app's files revision;
 * - puts the device's bucket into `x-ota-bucket` for the origin (forwarded, not in the key),
 *   which decides in/out itself from its own data.
 * Client-sent copies of these headers are dropped. No state (never published, or the store cannot
 * be read): the key says `-`, and the origin answers as it would without an edge.
 */
export function edgeRequestCode(routes: readonly RouteDefinition[]): string {
  const rules = edgePathRules(routes).map((rule) => ({ ...rule, re: undefined, r: rule.re }));
  const notFound = HTTP_ERRORS.not_found;
  const unauthorized = HTTP_ERRORS.unauthorized;
  const forbidden = HTTP_ERRORS.forbidden;
  return `import cf from 'cloudfront';
import crypto from 'crypto';
var kvs = cf.kvs();
var RULES = ${JSON.stringify(rules)};
for (var n = 0; n < RULES.length; n++) RULES[n].m = new RegExp(RULES[n].r);
var DEVICE_IDS = ${JSON.stringify(DEVICE_ID_HEADERS)};
function bucketOf(headers) {
  for (var n = 0; n < DEVICE_IDS.length; n++) {
    var header = headers[DEVICE_IDS[n]];
    if (header && header.value) {
      var id = header.value.slice(0, ${MAX_DEVICE_ID});
      var hash = 5381;
      for (var i = 0; i < id.length; i++) hash = (hash * 33 + id.charCodeAt(i)) % 4294967296;
      return hash % ${BUCKETS};
    }
  }
  return undefined;
}
function pinOf(headers, pins) {
  for (var n = 0; n < DEVICE_IDS.length; n++) {
    var header = headers[DEVICE_IDS[n]];
    if (header && header.value) {
      var hash = crypto.createHash('sha256').update(header.value.slice(0, ${MAX_DEVICE_ID})).digest('hex').slice(0, ${PIN_HASH_CHARS});
      return pins.indexOf(hash) >= 0 ? hash : undefined;
    }
  }
  return undefined;
}
function refuse(rule, status, code, message) {
  var body = rule.plainErrors ? { error: message } : { error: { code: code, message: message } };
  return {
    statusCode: status,
    statusDescription: code,
    headers: { 'content-type': { value: 'application/json' }, 'cache-control': { value: 'no-store' } },
    body: { encoding: 'text', data: JSON.stringify(body) },
  };
}
function queryValue(query, name) {
  var entry = query && query[name];
  return entry && entry.value ? entry.value : '';
}
function stateKey(rule, match, query) {
  if (rule.id === 'slug') return ${JSON.stringify(edgeStateKeys.slug('@'))}.replace('@', decodeURIComponent(match[1]));
  if (rule.id === 'app') return ${JSON.stringify(edgeStateKeys.app('@'))}.replace('@', decodeURIComponent(match[1]));
  if (rule.id === 'fayno') {
    var owner = queryValue(query, 'owner');
    var name = queryValue(query, 'app_name');
    return owner && name ? ${JSON.stringify(edgeStateKeys.fayno('@', '#'))}.replace('@', owner).replace('#', name) : undefined;
  }
  return undefined;
}
async function handler(event) {
  var request = event.request;
  var headers = request.headers;
  delete headers['${EDGE_KEY_HEADER}'];
  delete headers['${DEVICE_BUCKET_HEADER}'];
  delete headers['${API_KEY_HASH_HEADER}'];
  delete headers['${DEVICE_PIN_HEADER}'];
  var rule;
  var match;
  for (var n = 0; n < RULES.length && !match; n++) {
    match = RULES[n].m.exec(request.uri);
    if (match) rule = RULES[n];
  }
  if (!match) {
    // A path no cached route serves (the origin's 404): nothing of the query reaches it, so nothing can vary unkeyed.
    request.querystring = {};
    return request;
  }
  // Only the route's declared parameters (and a download token) reach the origin, and they are the key's.
  var query = request.querystring || {};
  var kept = {};
  var named = '';
  for (var q = 0; q < rule.query.length; q++) {
    var entry = query[rule.query[q]];
    if (!entry) continue;
    kept[rule.query[q]] = entry;
    var values = entry.multiValue ? entry.multiValue : [entry];
    for (var w = 0; w < values.length; w++) named += '&' + encodeURIComponent(rule.query[q]) + '=' + encodeURIComponent(values[w].value);
  }
  if (rule.token && query['${DOWNLOAD_TOKEN_QUERY}']) kept['${DOWNLOAD_TOKEN_QUERY}'] = query['${DOWNLOAD_TOKEN_QUERY}'];
  if (!rule.artifact) request.querystring = kept;
  var bucket = rule.rollout ? bucketOf(headers) : undefined;
  if (bucket !== undefined) headers['${DEVICE_BUCKET_HEADER}'] = { value: String(bucket) };
  var key = '-';
  var id;
  try {
    id = stateKey(rule, match, query);
  } catch (e) {
    id = undefined;
  }
  if (id && id.length <= 512) {
    var state;
    try {
      state = JSON.parse(await kvs.get(id));
    } catch (e) {
      state = undefined;
    }
    if (state && typeof state.v === 'number') {
      if (state.d) return refuse(rule, ${notFound.status}, '${notFound.code}', 'No app is published at ' + JSON.stringify(decodeURIComponent(match[1] || queryValue(query, 'app_name'))));
      if (state.p) {
        if (rule.artifact) return refuse(rule, ${forbidden.status}, '${forbidden.code}', 'This app is private: its files are downloaded through presigned links');
        var token = headers['${DOWNLOAD_TOKEN_HEADER}'] || headers.authorization || query['${DOWNLOAD_TOKEN_QUERY}'];
        if (!token) return refuse(rule, ${unauthorized.status}, '${unauthorized.code}', ${JSON.stringify(REFUSAL_MESSAGES.missing)});
      }
      if (rule.artifact) key = 'f' + (state.f || 0);
      else {
        key = 'v' + state.v;
        if (rule.rollout && state.b) key += '.b' + (bucket === undefined ? '' : bucket);
        else if (rule.rollout && state.r) {
          key += '.';
          for (var r = 0; r < state.r.length; r++) key += bucket !== undefined && (bucket + state.r[r][0]) % ${BUCKETS} < state.r[r][1] ? '1' : '0';
        }
        // Only a pinned device (its id's hash listed in the state) gets a key of its own; everyone else shares.
        var pin = rule.pin && state.n ? pinOf(headers, state.n) : undefined;
        if (pin) {
          // With the pins revision: a pin changed alone keeps v (everyone else's key) and renews this key only.
          key += '.p' + pin + (typeof state.q === 'number' ? '.' + state.q : '');
          headers['${DEVICE_PIN_HEADER}'] = { value: pin };
        }
      }
    }
  }
  if (rule.keyHash) {
    var apiKey = headers['${API_KEY_HEADER}'];
    if (apiKey && apiKey.value) key += '.k' + crypto.createHash('sha256').update(apiKey.value).digest('hex');
  }
  if (!rule.artifact) key += '?' + named.slice(1);
  headers['${EDGE_KEY_HEADER}'] = { value: key };
  return request;
}
`;
}
