import { createHash } from 'node:crypto';
import { Duration, Fn, Names, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  type BehaviorOptions,
  CacheCookieBehavior,
  CachedMethods,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  type IRealtimeLogConfig,
  KeyValueStore,
  OriginProtocolPolicy,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  type PriceClass,
  S3OriginAccessControl,
  Signing,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CONSOLE_PREFIX } from '../../shared/http/console.js';
import {
  API_KEY_HEADER,
  DEVICE_BUCKET_HEADER,
  DEVICE_PIN_HEADER,
  DOWNLOAD_TOKEN_HEADER,
  DOWNLOAD_TOKEN_QUERY,
  EDGE_KEY_HEADER,
  EDGE_TTL_SECONDS,
  ORIGIN_VERIFY_HEADER,
} from '../../shared/http/edge.js';
import type { RouteDefinition } from '../../shared/http/route-definition.js';
import { objectKeys } from '../../shared/storage/keys.js';
import { PRIVATE_TAG } from '../../shared/storage/object-tags.js';
import { bodyLimitCode } from '../body-limit-function.js';
import { MAX_CACHE_BEHAVIORS, planEdgeBehaviors } from '../edge-behaviors.js';
import { edgeRequestCode, VIEWER_RESPONSE_CODE } from '../edge-functions.js';
import { EdgeAccessLogs } from './edge-access-logs.js';
import { type CustomDomain, customDomainProps, type RateLimit, rateLimitWebAcl, securityHeadersPolicy } from './edge-viewer.js';

export interface EdgeProps {
  readonly api: HttpApi;
  readonly routes: readonly RouteDefinition[];
  readonly artifacts: Bucket;
  readonly logs: Bucket;
  readonly priceClass: PriceClass;
  /** Value of the origin-verify header (a dynamic reference to the secret, resolved at deploy time). */
  readonly originVerifyValue: string;
  /** Alternate domain name and its us-east-1 certificate (edge-viewer.ts). */
  readonly customDomain?: CustomDomain;
  /** An optional rate-based WAF rule (edge-viewer.ts). */
  readonly rateLimit?: RateLimit;
  /** Real-time logs of every cached behaviour, hits included (the telemetry's source, infra/constructs/telemetry.ts). */
  readonly realtimeLogConfig?: IRealtimeLogConfig;
  /** The web console's `/console/*` behaviour (console-site.ts). */
  readonly consoleBehavior?: BehaviorOptions;
  /** How long the edge keeps answers (at most EDGE_TTL_SECONDS, what the origin's s-maxage allows) and artifact bytes. */
  readonly ttl?: EdgeTtl;
}

/** The edge's cache lifetimes (OtaUpdateServer's `edgeTtl`). */
export interface EdgeTtl {
  /**
   * Checks, feeds and redirects (default and most: 1 hour, the origin's `s-maxage`). A publish makes
   * new keys, so this only bounds how long an unused key lingers; a shorter one costs origin requests.
   */
  readonly answers?: Duration;
  /** Verified artifact bytes, immutable per object version (default 7 days, at most 365). */
  readonly artifacts?: Duration;
}

const DEFAULT_ARTIFACT_TTL = Duration.days(7);
/** The longest the edge may keep artifact bytes. */
export const MAX_ARTIFACT_TTL_DAYS = 365;
const MAX_ARTIFACT_TTL = Duration.days(MAX_ARTIFACT_TTL_DAYS);

/** The TTLs to deploy; throws for one outside what the edge can honour. */
export function edgeTtls(ttl: EdgeTtl = {}): { answers: Duration; artifacts: Duration } {
  const answers = ttl.answers ?? Duration.seconds(EDGE_TTL_SECONDS);
  const artifacts = ttl.artifacts ?? DEFAULT_ARTIFACT_TTL;
  if (answers.toSeconds() < 1 || answers.toSeconds() > EDGE_TTL_SECONDS) {
    throw new Error(`edgeTtl.answers must be 1-${EDGE_TTL_SECONDS} seconds (the origin's s-maxage is ${EDGE_TTL_SECONDS})`);
  }
  if (artifacts.toSeconds() < 1 || artifacts.toSeconds() > MAX_ARTIFACT_TTL.toSeconds()) {
    throw new Error(`edgeTtl.artifacts must be 1 second to ${MAX_ARTIFACT_TTL_DAYS} days`);
  }
  return { answers, artifacts };
}

/**
 * A cache policy's logical id: what it is (a hash of its key), never its place among the routes,
 * so adding a route never renumbers or rewrites a policy in place.
 */
export function cachePolicyId(
  name: string,
  key: { headers: readonly string[]; query: readonly string[]; cookies: readonly string[] },
): string {
  return `${name}${createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 8)}`;
}

/**
 * CloudFront in front of everything:
 * - default behaviour: the API, not cached, every viewer header but Host forwarded (management,
 *   health, and anything no route matches);
 * - one behaviour per edge-cacheable route (plus not-cached behaviours for routes those patterns
 *   would otherwise catch, see edge-behaviors.ts), all on ONE cache policy: the viewer-request
 *   function (infra/edge-functions.ts) reads the app's state from the KeyValueStore and computes the
 *   key into one header: the app's revision (a publish makes new keys; nothing is ever purged),
 *   rollout in/out, key hash and the route's declared query parameters;
 * - `/ota/*` (artifact bytes): from the private bucket through origin access control, the object
 *   version (pinned by the download redirect) and the app's files revision in the cache key; a
 *   private or deleted app's bytes are refused by the function at once, and denied by the bucket
 *   policy too (their `private=true` tag; their downloads are presigned);
 * - a private app's answers: the download token reaches the function (`X-Download-Token` and
 *   `?token=` forwarded by an origin request policy, `Authorization` in the cache key, the one way
 *   CloudFront forwards it), and `Cache-Control: private, no-store` keeps them out of the cache.
 * Every request CloudFront sends to the API carries the origin-verify secret header.
 */
export class Edge extends Construct {
  readonly distribution: Distribution;
  /** Per-app edge state (revision, private/deleted, rollouts), read by the viewer-request function. */
  readonly store: KeyValueStore;
  readonly accessLogs: EdgeAccessLogs;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const apiOrigin = new HttpOrigin(`${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      customHeaders: { [ORIGIN_VERIFY_HEADER]: props.originVerifyValue },
    });

    const viewerResponse = new EdgeFunction(this, 'NoUpdate204', {
      code: FunctionCode.fromInline(VIEWER_RESPONSE_CODE),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Turns the cached empty 200 "no update" back into 204',
    });
    // Per app: revision, private/deleted, rollouts (shared/domain/edge-state.ts), written by the
    // edge-state writer (lambdas/invalidate-edge.ts) and read by the viewer-request function.
    this.store = new KeyValueStore(this, 'EdgeState', {
      keyValueStoreName: Fn.join('-', [Names.uniqueResourceName(this, { maxLength: 48 }), stack.region]),
      comment: 'Per-app edge state: revision (in every cache key), private/deleted, rollouts',
    });
    const edgeKey = new EdgeFunction(this, 'EdgeKey', {
      code: FunctionCode.fromInline(edgeRequestCode(props.routes)),
      runtime: FunctionRuntime.JS_2_0,
      keyValueStore: this.store,
      comment: "Computes the cache key from the app's edge state; refuses deleted and private apps' public paths",
    });
    const bodyLimit = new EdgeFunction(this, 'BodyLimit', {
      code: FunctionCode.fromInline(bodyLimitCode(props.routes)),
      runtime: FunctionRuntime.JS_2_0,
      comment: "Answers an upload over its route's body limit with 413 naming the presigned path",
    });
    // What cached routes need at the origin outside the key: Koolbase's raw key (the origin hashes
    // it itself), a private app's download token, and the device bucket the edge computed.
    const forwardEdgeInputs = new OriginRequestPolicy(this, 'ForwardEdgeInputs', {
      // Origin request policy names are unique per account (CDK's default name has no region).
      originRequestPolicyName: Fn.join('-', [Names.uniqueResourceName(this, { maxLength: 100 }), 'ForwardEdgeInputs', stack.region]),
      comment: `Forwards ${API_KEY_HEADER}, ${DOWNLOAD_TOKEN_HEADER}, ${DEVICE_BUCKET_HEADER}, ${DEVICE_PIN_HEADER} and the route's query (?${DOWNLOAD_TOKEN_QUERY}= included) outside the cache key`,
      headerBehavior: OriginRequestHeaderBehavior.allowList(API_KEY_HEADER, DOWNLOAD_TOKEN_HEADER, DEVICE_BUCKET_HEADER, DEVICE_PIN_HEADER),
      // Every query string: the viewer-request function has already dropped all but the route's declared parameters (and ?token=).
      queryStringBehavior: OriginRequestQueryStringBehavior.all(),
      cookieBehavior: OriginRequestCookieBehavior.none(),
    });
    // One cache policy for every cached API route: the function's one computed header (revision,
    // rollout in/out, key hash, the route's declared query parameters), plus Authorization
    // (CloudFront forwards it only as part of a key: public apps' clients send none, and a private
    // answer is never stored). Nothing in it depends on the routes, so adding one changes nothing here.
    const ttl = edgeTtls(props.ttl);
    const routeKey = { headers: [EDGE_KEY_HEADER, 'authorization'], query: [] as string[], cookies: [] as string[] };
    const apiCache = new CachePolicy(this, cachePolicyId('RouteCache', routeKey), {
      comment: `Edge-cached routes: path + ${EDGE_KEY_HEADER} (computed by the viewer-request function) + authorization`,
      defaultTtl: ttl.answers,
      minTtl: Duration.seconds(0),
      // Shorter lives (Koolbase's answers, scheduled releases) come from the origin's s-maxage; longer ones are capped here.
      maxTtl: ttl.answers,
      headerBehavior: CacheHeaderBehavior.allowList(...routeKey.headers),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const artifactKey = { headers: [EDGE_KEY_HEADER], query: ['versionId'], cookies: [] as string[] };

    const securityHeaders = securityHeadersPolicy(this);
    const notCached: BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      responseHeadersPolicy: securityHeaders,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      // With caching disabled CloudFront may forward Authorization through the origin request policy.
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      // Bodies larger than a function can take are answered here, in the route's own error shape.
      functionAssociations: [{ function: bodyLimit, eventType: FunctionEventType.VIEWER_REQUEST }],
    };
    const additionalBehaviors: Record<string, BehaviorOptions> = {
      [`/${objectKeys.artifactRoot}*`]: {
        origin: S3BucketOrigin.withOriginAccessControl(props.artifacts, {
          // Named with the region: origin access control names are unique per account, and the
          // stack may be deployed in several regions of one account.
          originAccessControl: new S3OriginAccessControl(this, 'ArtifactsAccess', {
            originAccessControlName: Fn.join('-', [Names.uniqueResourceName(this, { maxLength: 48 }), stack.region]),
            signing: Signing.SIGV4_ALWAYS,
          }),
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        responseHeadersPolicy: securityHeaders,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: new CachePolicy(this, cachePolicyId('ArtifactCache', artifactKey), {
          comment: 'Immutable, version-pinned artifacts',
          defaultTtl: ttl.artifacts,
          minTtl: Duration.seconds(0),
          maxTtl: MAX_ARTIFACT_TTL,
          // The app's files revision: removed files and a privacy change make new keys.
          headerBehavior: CacheHeaderBehavior.allowList(...artifactKey.headers),
          queryStringBehavior: CacheQueryStringBehavior.allowList(...artifactKey.query),
          cookieBehavior: CacheCookieBehavior.none(),
        }),
        // A private or deleted app's bytes are refused here at once, whatever the cache holds.
        functionAssociations: [{ function: edgeKey, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
    };
    if (props.consoleBehavior) additionalBehaviors[`${CONSOLE_PREFIX}/*`] = props.consoleBehavior;
    for (const behavior of planEdgeBehaviors(props.routes)) {
      if (additionalBehaviors[behavior.pattern]) throw new Error(`Edge behaviours: ${behavior.pattern} is planned twice`);
      additionalBehaviors[behavior.pattern] = behavior.caching.cached
        ? {
            origin: apiOrigin,
            viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
            responseHeadersPolicy: securityHeaders,
            // Every method reaches the origin (only GET and HEAD are cached): a wrong method on a
            // cached path is the function's 405 with `Allow`, as on every other path, not CloudFront's 403.
            allowedMethods: AllowedMethods.ALLOW_ALL,
            cachedMethods: CachedMethods.CACHE_GET_HEAD,
            cachePolicy: apiCache,
            originRequestPolicy: forwardEdgeInputs,
            ...(props.realtimeLogConfig ? { realtimeLogConfig: props.realtimeLogConfig } : {}),
            functionAssociations: [
              { function: viewerResponse, eventType: FunctionEventType.VIEWER_RESPONSE },
              { function: edgeKey, eventType: FunctionEventType.VIEWER_REQUEST },
            ],
          }
        : notCached;
    }
    // Counted with the default behaviour, to stay clear of the quota however it is counted.
    const count = Object.keys(additionalBehaviors).length + 1;
    if (count > MAX_CACHE_BEHAVIORS)
      throw new Error(`Edge behaviours: ${count} exceed CloudFront's ${MAX_CACHE_BEHAVIORS} per distribution`);

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'OTA update server',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass,
      defaultBehavior: notCached,
      additionalBehaviors,
      ...customDomainProps(this, props.customDomain),
      webAclId: rateLimitWebAcl(this, props.rateLimit),
    });
    this.accessLogs = new EdgeAccessLogs(this, 'AccessLogs', {
      distribution: this.distribution,
      bucket: props.logs,
      prefix: 'cloudfront/',
    });

    // Downloads pin `?versionId=`, which S3 serves only with GetObjectVersion.
    props.artifacts.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObjectVersion'],
        resources: [props.artifacts.arnForObjects(`${objectKeys.artifactRoot}*`)],
        conditions: { StringEquals: { 'AWS:SourceArn': this.distribution.distributionArn } },
      }),
    );
    // A private app's objects are tagged `private=true` (at ingest, and when the app turns private):
    // the public path cannot read them whatever it is asked, while presigned URLs signed by the
    // functions' roles still can. Denied to CloudFront as a whole, not only to this distribution.
    props.artifacts.addToResourcePolicy(
      new PolicyStatement({
        sid: 'DenyEdgePrivateAppObjects',
        effect: Effect.DENY,
        principals: [new ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [props.artifacts.arnForObjects(`${objectKeys.artifactRoot}*`)],
        conditions: { StringEquals: { [`s3:ExistingObjectTag/${PRIVATE_TAG.key}`]: PRIVATE_TAG.value } },
      }),
    );
  }
}
