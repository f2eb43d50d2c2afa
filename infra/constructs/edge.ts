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
import { API_KEY_EDGE_TTL_SECONDS } from '../../shared/domain/koolbase-api-key.js';
import {
  API_KEY_HASH_HEADER,
  API_KEY_HEADER,
  DEVICE_BUCKET_HEADER,
  DOWNLOAD_TOKEN_HEADER,
  DOWNLOAD_TOKEN_QUERY,
  EDGE_TTL_SECONDS,
  ORIGIN_VERIFY_HEADER,
} from '../../shared/http/edge.js';
import type { RouteDefinition } from '../../shared/http/route-definition.js';
import { objectKeys } from '../../shared/storage/keys.js';
import { PRIVATE_TAG } from '../../shared/storage/object-tags.js';
import { bodyLimitCode } from '../body-limit-function.js';
import { cachingKey, type EdgeCaching, MAX_CACHE_BEHAVIORS, planEdgeBehaviors } from '../edge-behaviors.js';
import { API_KEY_HASH_CODE, DEVICE_BUCKET_CODE, VIEWER_RESPONSE_CODE } from '../edge-functions.js';
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
}

/**
 * CloudFront in front of everything:
 * - default behaviour: the API, not cached, every viewer header but Host forwarded (management,
 *   health, and anything no route matches);
 * - one behaviour per edge-cacheable route, cache key = path + exactly the route's declared query
 *   parameters, plus not-cached behaviours for routes those patterns would otherwise catch
 *   (see edge-behaviors.ts);
 * - `/ota/*` (artifact bytes): from the private bucket through origin access control, the object
 *   version (pinned by the download redirect) in the cache key; never a private app's objects (their
 *   `private=true` tag makes the bucket policy deny CloudFront, and their downloads are presigned);
 * - a private app's answers: the download token reaches the function (`X-Download-Token` and
 *   `?token=` forwarded by an origin request policy, `Authorization` in the cache key, the one way
 *   CloudFront forwards it), and `Cache-Control: private, no-store` keeps them out of the cache.
 * Every request CloudFront sends to the API carries the origin-verify secret header.
 */
export class Edge extends Construct {
  readonly distribution: Distribution;
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
    const deviceBucket = new EdgeFunction(this, 'DeviceBucket', {
      code: FunctionCode.fromInline(DEVICE_BUCKET_CODE),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Turns a device id into its rollout bucket for the cache key (the id never enters it)',
    });
    const apiKeyHash = new EdgeFunction(this, 'ApiKeyHash', {
      code: FunctionCode.fromInline(API_KEY_HASH_CODE),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Puts the SHA-256 of x-api-key into the cache key (the key itself never enters it)',
    });
    const bodyLimit = new EdgeFunction(this, 'BodyLimit', {
      code: FunctionCode.fromInline(bodyLimitCode(props.routes)),
      runtime: FunctionRuntime.JS_2_0,
      comment: "Answers an upload over its route's body limit with 413 naming the presigned path",
    });
    // Key-checked routes get the raw key at the origin (which hashes it itself) without it being part of the cache key.
    const forwardApiKey = new OriginRequestPolicy(this, 'ForwardApiKey', {
      // Origin request policy names are unique per account (CDK's default name has no region).
      originRequestPolicyName: Fn.join('-', [Names.uniqueResourceName(this, { maxLength: 100 }), 'ForwardApiKey', stack.region]),
      comment: 'Forwards x-api-key to the origin; the cache key holds only its hash',
      headerBehavior: OriginRequestHeaderBehavior.allowList(API_KEY_HEADER),
      queryStringBehavior: OriginRequestQueryStringBehavior.none(),
      cookieBehavior: OriginRequestCookieBehavior.none(),
    });
    // Routes that may answer for a private app get its download token at the origin. Public apps'
    // clients send none, so their cache keys (and hit rates) stay as they were.
    const forwardDownloadToken = new OriginRequestPolicy(this, 'ForwardDownloadToken', {
      originRequestPolicyName: Fn.join('-', [Names.uniqueResourceName(this, { maxLength: 100 }), 'ForwardDownloadToken', stack.region]),
      comment: `Forwards a private app's download token (${DOWNLOAD_TOKEN_HEADER}, ?${DOWNLOAD_TOKEN_QUERY}=) to the origin, outside the cache key`,
      headerBehavior: OriginRequestHeaderBehavior.allowList(DOWNLOAD_TOKEN_HEADER),
      queryStringBehavior: OriginRequestQueryStringBehavior.allowList(DOWNLOAD_TOKEN_QUERY),
      cookieBehavior: OriginRequestCookieBehavior.none(),
    });
    const cachePolicies = new Map<string, CachePolicy>();
    const cachePolicy = (caching: Extract<EdgeCaching, { cached: true }>): CachePolicy => {
      const { query, deviceBucket: bucket, apiKeyHash: keyHash = false, downloadToken: token = false } = caching;
      if (bucket && keyHash) throw new Error('Edge behaviours: one viewer-request function per behaviour (device bucket or key hash)');
      if (keyHash && token) throw new Error('Edge behaviours: one origin request policy per behaviour (API key or download token)');
      const key = cachingKey(caching);
      let policy = cachePolicies.get(key);
      if (!policy) {
        const ttl = keyHash ? API_KEY_EDGE_TTL_SECONDS : EDGE_TTL_SECONDS;
        // CloudFront forwards Authorization only as part of the key: requests without one (every
        // public app's client) still share one entry, and a private answer is never stored anyway.
        const headers = [
          ...(bucket ? [DEVICE_BUCKET_HEADER] : []),
          ...(keyHash ? [API_KEY_HASH_HEADER] : []),
          ...(token ? ['authorization'] : []),
        ];
        policy = new CachePolicy(this, `RouteCache${cachePolicies.size + 1}`, {
          comment: `Edge-cached routes: path + query ${query.join(', ') || '(none)'}${bucket ? ' + device bucket' : ''}${keyHash ? ' + key hash' : ''}${token ? ' + authorization' : ''}`,
          defaultTtl: Duration.seconds(ttl),
          minTtl: Duration.seconds(0),
          maxTtl: Duration.seconds(ttl),
          headerBehavior: headers.length > 0 ? CacheHeaderBehavior.allowList(...headers) : CacheHeaderBehavior.none(),
          queryStringBehavior: query.length > 0 ? CacheQueryStringBehavior.allowList(...query) : CacheQueryStringBehavior.none(),
          cookieBehavior: CacheCookieBehavior.none(),
          enableAcceptEncodingGzip: true,
          enableAcceptEncodingBrotli: true,
        });
        cachePolicies.set(key, policy);
      }
      return policy;
    };

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
        cachePolicy: new CachePolicy(this, 'ArtifactCache', {
          comment: 'Immutable, version-pinned artifacts',
          defaultTtl: Duration.days(7),
          minTtl: Duration.seconds(0),
          maxTtl: Duration.days(365),
          headerBehavior: CacheHeaderBehavior.none(),
          queryStringBehavior: CacheQueryStringBehavior.allowList('versionId'),
          cookieBehavior: CacheCookieBehavior.none(),
        }),
      },
    };
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
            cachePolicy: cachePolicy(behavior.caching),
            ...(behavior.caching.apiKeyHash ? { originRequestPolicy: forwardApiKey } : {}),
            ...(behavior.caching.downloadToken ? { originRequestPolicy: forwardDownloadToken } : {}),
            functionAssociations: [
              { function: viewerResponse, eventType: FunctionEventType.VIEWER_RESPONSE },
              ...(behavior.caching.deviceBucket ? [{ function: deviceBucket, eventType: FunctionEventType.VIEWER_REQUEST }] : []),
              ...(behavior.caching.apiKeyHash ? [{ function: apiKeyHash, eventType: FunctionEventType.VIEWER_REQUEST }] : []),
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
