import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
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
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  type PriceClass,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EDGE_TTL_SECONDS } from '../../shared/http/edge.js';
import { EDGE_HOST_HEADER } from '../../shared/http/public-url.js';
import { objectKeys } from '../../shared/storage/keys.js';
import { VIEWER_REQUEST_CODE, VIEWER_RESPONSE_CODE } from '../edge-functions.js';

export interface EdgeProps {
  readonly api: HttpApi;
  readonly artifacts: Bucket;
  readonly logs: Bucket;
  readonly priceClass: PriceClass;
}

/**
 * CloudFront in front of everything:
 * - `/api/sync/ota/apps*` (management): never cached, Authorization forwarded;
 * - `/api/sync/ota/*` (check, download redirect): cached at the edge, cache key = path only;
 * - `/ota/*` (artifact bytes): from the private bucket through origin access control, the
 *   object version (pinned by the download redirect) in the cache key;
 * - anything else (`/health`): passed through, not cached.
 */
export class Edge extends Construct {
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const apiOrigin = new HttpOrigin(`${props.api.apiId}.execute-api.${Stack.of(this).region}.amazonaws.com`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
    });

    // Management: nothing is stored (TTL 0, and the origin says no-store); CloudFront forwards
    // Authorization on GET only when it is part of the cache policy, hence the header here.
    const managementCache = new CachePolicy(this, 'ManagementCache', {
      comment: 'Management API: never cached, Authorization forwarded',
      defaultTtl: Duration.seconds(0),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: CacheHeaderBehavior.allowList('Authorization'),
      queryStringBehavior: CacheQueryStringBehavior.all(),
      cookieBehavior: CacheCookieBehavior.none(),
    });
    const publicCache = new CachePolicy(this, 'PublicUpdateCache', {
      comment: 'Update checks and download redirects: cache key is the path only',
      defaultTtl: Duration.seconds(EDGE_TTL_SECONDS),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.days(1),
      headerBehavior: CacheHeaderBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const publicOriginRequest = new OriginRequestPolicy(this, 'PublicUpdateOriginRequest', {
      comment: 'Passes only the edge host header set by the viewer-request function',
      headerBehavior: OriginRequestHeaderBehavior.allowList(EDGE_HOST_HEADER),
    });
    const artifactCache = new CachePolicy(this, 'ArtifactCache', {
      comment: 'Immutable, version-pinned artifacts',
      defaultTtl: Duration.days(7),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.days(365),
      headerBehavior: CacheHeaderBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.allowList('versionId'),
      cookieBehavior: CacheCookieBehavior.none(),
    });

    const viewerRequest = new EdgeFunction(this, 'EdgeHost', {
      code: FunctionCode.fromInline(VIEWER_REQUEST_CODE),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Passes the viewer host to the origin for absolute download URLs',
    });
    const viewerResponse = new EdgeFunction(this, 'NoUpdate204', {
      code: FunctionCode.fromInline(VIEWER_RESPONSE_CODE),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Turns the cached empty 200 "no update" back into 204',
    });

    const management = {
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: managementCache,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'OTA update server',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass,
      enableLogging: true,
      logBucket: props.logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: apiOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      additionalBehaviors: {
        // Order matters: the management paths must match before the public wildcard.
        '/api/sync/ota/apps': management,
        '/api/sync/ota/apps/*': management,
        '/api/sync/ota/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachedMethods: CachedMethods.CACHE_GET_HEAD,
          cachePolicy: publicCache,
          originRequestPolicy: publicOriginRequest,
          functionAssociations: [
            { function: viewerRequest, eventType: FunctionEventType.VIEWER_REQUEST },
            { function: viewerResponse, eventType: FunctionEventType.VIEWER_RESPONSE },
          ],
        },
        [`/${objectKeys.artifactRoot}*`]: {
          origin: S3BucketOrigin.withOriginAccessControl(props.artifacts),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: artifactCache,
        },
      },
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
  }
}
