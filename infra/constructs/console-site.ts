import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fn, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  ResponseHeadersPolicy,
  S3OriginAccessControl,
  Signing,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { buildConsole } from '../../console/build.js';
import { CONSOLE_ASSETS_DIR, CONSOLE_CACHE_CONTROL, CONSOLE_PREFIX, type ConsoleConfig, consoleCsp } from '../../shared/http/console.js';
import { HSTS_MAX_AGE } from './edge-viewer.js';

export interface ConsoleSiteProps {
  /** Receives the console bucket's server access logs. */
  readonly logs: Bucket;
  /** The artifact bucket: the browser PUTs uploads to its presigned URLs. */
  readonly artifacts: Bucket;
}

/** The CloudFront Function that answers a screen path (no file extension) with index.html: the SPA fallback, for `/console/*` only. */
export const CONSOLE_REWRITE_CODE = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') < 0) request.uri = '${CONSOLE_PREFIX}/index.html';
  return request;
}`;

/**
 * The web console: its own private bucket (no other reader or writer than CloudFront and the
 * deployment; the artifacts stay out of its reach), served by the distribution's `/console/*`
 * behaviour through origin access control, with a response headers policy that carries its
 * content security policy. `deploy` uploads the build and the `config.json` made from the stack's
 * values, once the distribution exists (the config names it).
 *
 * A bucket of its own rather than a prefix of the artifact bucket: the deployment's role may write
 * and delete objects in the bucket it deploys to, and that must never be where releases live.
 */
export class ConsoleSite extends Construct {
  readonly bucket: Bucket;
  /** The `/console/*` behaviour, for the distribution. */
  readonly behavior: BehaviorOptions;
  /** Cognito's regional endpoint, the only sign-in origin the console's CSP allows. */
  readonly cognitoEndpoint: string;
  private readonly built: string;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.cognitoEndpoint = `https://cognito-idp.${stack.region}.${stack.urlSuffix}`;
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.logs,
      serverAccessLogsPrefix: 's3-access-console/',
      // Retained like every bucket of the stack (its access logs name it); every deploy rewrites its files.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Both names are unique per account, and the stack may be deployed in several regions of one account.
    const regional = (maxLength: number) => Fn.join('-', [Names.uniqueResourceName(this, { maxLength }), stack.region]);
    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      responseHeadersPolicyName: regional(100),
      comment: 'The console: strict CSP (no inline code), HSTS, nosniff, no framing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleCsp({
            cognito: this.cognitoEndpoint,
            uploads: `https://${props.artifacts.bucketRegionalDomainName}`,
          }),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: HSTS_MAX_AGE, includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    const rewrite = new EdgeFunction(this, 'SpaFallback', {
      code: FunctionCode.fromInline(CONSOLE_REWRITE_CODE),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Answers console screen paths with index.html',
    });
    this.behavior = {
      origin: S3BucketOrigin.withOriginAccessControl(this.bucket, {
        originAccessControl: new S3OriginAccessControl(this, 'Access', {
          originAccessControlName: regional(48),
          signing: Signing.SIGV4_ALWAYS,
        }),
      }),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      // Honours the objects' Cache-Control: hashed assets for a year, the page and its config revalidated.
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: headers,
      functionAssociations: [{ function: rewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
    };
    // Built at synth time from the same sources `npm start` serves; a synth that bundles nothing
    // (`-c aws:cdk:bundling-stacks=[]`, as the functions' bundling also follows) gets an empty build.
    const dir = mkdtempSync(join(tmpdir(), 'ota-console-'));
    if (Stack.of(this).bundlingRequired) this.built = buildConsole(dir).outdir;
    else {
      mkdirSync(join(dir, CONSOLE_ASSETS_DIR));
      this.built = dir;
    }
  }

  /** Uploads the built console and its config (assets first, so the new page never names a missing file). */
  deploy(config: ConsoleConfig): void {
    const prefix = CONSOLE_PREFIX.slice(1);
    const assets = new BucketDeployment(this, 'DeployAssets', {
      destinationBucket: this.bucket,
      destinationKeyPrefix: `${prefix}/${CONSOLE_ASSETS_DIR}/`,
      sources: [Source.asset(join(this.built, CONSOLE_ASSETS_DIR))],
      cacheControl: [CacheControl.fromString(CONSOLE_CACHE_CONTROL.immutable)],
      // Pages still open in a browser name the previous hashes: keep them.
      prune: false,
    });
    const page = new BucketDeployment(this, 'DeployPage', {
      destinationBucket: this.bucket,
      destinationKeyPrefix: `${prefix}/`,
      sources: [
        Source.asset(this.built, { exclude: [CONSOLE_ASSETS_DIR, `${CONSOLE_ASSETS_DIR}/*`] }),
        Source.jsonData('config.json', config),
      ],
      cacheControl: [CacheControl.fromString(CONSOLE_CACHE_CONTROL.revalidate)],
      prune: false,
    });
    page.node.addDependency(assets);
  }
}
