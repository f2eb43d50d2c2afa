import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CfnOutput, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import { PriceClass } from 'aws-cdk-lib/aws-cloudfront';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DEFAULT_AUDIT_RETENTION_DAYS, ENV } from '../shared/config/env.js';
import { DEFAULT_SLUG_HOLD_DAYS } from '../shared/domain/slug.js';
import { CONSOLE_PREFIX } from '../shared/http/console.js';
import { ORIGIN_VERIFY_HEADER } from '../shared/http/edge.js';
import type { RouteDefinition } from '../shared/http/route-definition.js';
import { ROUTES, routeById } from '../shared/routes.js';
import { AlarmNotifications } from './constructs/alarm-notifications.js';
import { ApiGateway } from './constructs/api.js';
import { Auth, type HostedUi, type ThreatProtection } from './constructs/auth.js';
import { ConsoleSite } from './constructs/console-site.js';
import { Data } from './constructs/data.js';
import { Edge, type EdgeTtl } from './constructs/edge.js';
import type { CustomDomain, RateLimit } from './constructs/edge-viewer.js';
import { DEFAULT_INGEST_CONCURRENCY, EventFunctions } from './constructs/events.js';
import { Routes } from './constructs/routes.js';
import { ownNotificationsHandlerLogs, Storage } from './constructs/storage.js';
import { Telemetry } from './constructs/telemetry.js';
import { acknowledgeReviewedFindings } from './nag-suppressions.js';
import { type OtaFunction, PACKAGE_ROOT } from './ota-function.js';
import { type EarlierLayout, routesMovingFrom } from './route-stacks.js';

/** The CDK feature flags of this package's cdk.json: the server is built and tested with them. */
const FEATURE_FLAGS = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'cdk.json'), 'utf8')).context as Record<string, unknown>;

/**
 * Everything a deployment chooses; every field is optional. This repository's app maps its `-c`
 * context options onto these props in one place (infra/context.ts).
 */
export interface OtaUpdateServerProps {
  /** CloudFront price class; the default serves from North America and Europe edges only. */
  readonly priceClass?: PriceClass;
  /**
   * A custom domain in front of the distribution (`-c domainName=… -c certificateArn=…`): its
   * alternate domain name, certificate (ACM, us-east-1) and TLSv1.2_2021; every public link is
   * built from it. Point a DNS alias (or CNAME) at the distribution's domain name.
   */
  readonly customDomain?: CustomDomain;
  /** A rate-based WAF rule on the distribution (`-c wafRateLimit=N` in us-east-1, or `-c webAclArn=…`). */
  readonly rateLimit?: RateLimit;
  /** An e-mail address subscribed to the alarm topic (`-c alarmEmail=…`). */
  readonly alarmEmail?: string;
  /** Concurrent ingests at most (reserved concurrency; default 10, `-c ingestConcurrency=N|none`). `null`: uncapped. */
  readonly ingestConcurrency?: number | null;
  /** Cognito threat protection (`-c threatProtection=audit|enforced`; Plus feature plan). */
  readonly threatProtection?: ThreatProtection;
  /** A Cognito hosted UI with the authorization-code flow (`-c hostedUiDomainPrefix=… -c hostedUiCallbackUrls=https://…,…`). */
  readonly hostedUi?: HostedUi;
  /** Enables faynoSync's `POST /signup` with a generated sign-up key (`cdk deploy -c faynosyncSignup=true`). */
  readonly faynosyncSignup?: boolean;
  /** Days the audit trail keeps a management change (default 90; `cdk deploy -c auditRetentionDays=N`). */
  readonly auditRetentionDays?: number;
  /** Days a deleted (or re-slugged) app's slug stays held for its owner (default 30; `cdk deploy -c slugHoldDays=N`). */
  readonly slugHoldDays?: number;
  /**
   * First deploy of an upgrade from an earlier layout (`cdk deploy -c upgradeFrom=flat|domain-stacks`):
   * the API routes that change stacks are left out, so the second, plain deploy can create them in
   * their new stacks (API Gateway refuses two routes with one key). See docs/operations.md#upgrade.
   */
  readonly upgradeFrom?: EarlierLayout;
  /**
   * The origin secret's version CloudFront sends (`-c originSecretVersionId=…`, step 2 of a rotation);
   * unset, the version current at the distribution's last update.
   */
  readonly originSecretVersionId?: string;
  /**
   * The edge's cache lifetimes: `answers` (checks, feeds, redirects; 1 s to 1 h, default 1 h) and
   * `artifacts` (verified bytes; up to 365 days, default 7) (`-c edgeAnswerTtlSeconds=N -c edgeArtifactTtlDays=N`).
   */
  readonly edgeTtl?: EdgeTtl;
  /** The route table to deploy; tests pass other tables (the default is the product's). */
  readonly routes?: readonly RouteDefinition[];
}

/**
 * The whole update server, as a construct for any stack: the data, storage, auth, API and edge
 * in the enclosing stack, the route functions in nested stacks per route domain, the event
 * functions in one more. This repository's own stack (OtaStack) holds it under the id `Default`,
 * which CDK leaves out of logical ids, so its resources keep the ids they had when the stack built
 * them itself; in another stack, the construct's id prefixes its resources' logical ids.
 */
export class OtaUpdateServer extends Construct {
  readonly routes: Routes;
  readonly events: EventFunctions;
  /** Every function by its route or event-function id. */
  readonly functions: Record<string, OtaFunction>;

  constructor(scope: Construct, id: string, props: OtaUpdateServerProps = {}) {
    super(scope, id);
    // Built with this package's feature flags (its cdk.json) whatever the enclosing app sets: what the tests synthesize.
    for (const [flag, value] of Object.entries(FEATURE_FLAGS)) this.node.setContext(flag, value);
    const routeTable = props.routes ?? ROUTES;
    const data = new Data(this, 'Data');
    const storage = new Storage(this, 'Storage');
    const auth = new Auth(this, 'Auth', {
      faynosyncSignup: props.faynosyncSignup ?? false,
      ...(props.threatProtection ? { threatProtection: props.threatProtection } : {}),
      ...(props.hostedUi ? { hostedUi: props.hostedUi } : {}),
    });
    const alarms = new AlarmNotifications(this, 'Alarms', props.alarmEmail ? { email: props.alarmEmail } : {});
    const api = new ApiGateway(this, 'Api');

    // Generated at deploy time, never in the repository or the template. CloudFront's origin header
    // holds it through a `{{resolve:secretsmanager:…}}` reference (custom origin headers are plain
    // in the distribution's configuration: CloudFront has no secret store for them); the functions
    // get only its ARN and read the current and previous value at cold start (origin-verify.ts).
    // Rotation (docs/operations.md): put a new value, deploy with `-c originSecretVersionId=<its
    // VersionId>` so the reference changes and CloudFront resolves it anew, then retire the old one.
    const originVerify = new Secret(this, 'OriginVerifySecret', {
      description: `Value of the ${ORIGIN_VERIFY_HEADER} header CloudFront adds to API requests`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const originVerifyValue = (
      props.originSecretVersionId
        ? SecretValue.secretsManager(originVerify.secretArn, { versionId: props.originSecretVersionId })
        : originVerify.secretValue
    ).unsafeUnwrap();

    // Every check the edge answers, hit or miss, counted from its real-time log record.
    const telemetry = new Telemetry(this, 'Telemetry', { table: data.table });
    const consoleSite = new ConsoleSite(this, 'Console', { logs: storage.logs, artifacts: storage.artifacts });
    const edge = new Edge(this, 'Edge', {
      api: api.httpApi,
      routes: routeTable,
      artifacts: storage.artifacts,
      logs: storage.logs,
      priceClass: props.priceClass ?? PriceClass.PRICE_CLASS_100,
      originVerifyValue,
      ...(props.customDomain ? { customDomain: props.customDomain } : {}),
      ...(props.rateLimit ? { rateLimit: props.rateLimit } : {}),
      realtimeLogConfig: telemetry.logConfig,
      consoleBehavior: consoleSite.behavior,
      ...(props.edgeTtl ? { ttl: props.edgeTtl } : {}),
    });
    const baseUrl = props.customDomain ? `https://${props.customDomain.domainName}` : `https://${edge.distribution.distributionDomainName}`;
    const environment: Record<string, string> = {
      [ENV.tableName]: data.table.tableName,
      [ENV.bucketName]: storage.artifacts.bucketName,
      [ENV.cognitoIssuer]: auth.userPool.userPoolProviderUrl,
      [ENV.userPoolClientId]: auth.client.userPoolClientId,
      [ENV.artifactDelivery]: 'edge',
      [ENV.publicBaseUrl]: baseUrl,
      [ENV.auditRetentionDays]: String(props.auditRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS),
      [ENV.slugHoldDays]: String(props.slugHoldDays ?? DEFAULT_SLUG_HOLD_DAYS),
    };
    // The aggregator is made before the distribution (whose cached behaviours log to its stream): its environment follows.
    for (const [name, value] of Object.entries(environment)) telemetry.aggregator.addEnvironment(name, value);
    const grantTargets = {
      table: data.table,
      artifacts: storage.artifacts,
      distribution: edge.distribution,
      edgeState: edge.store,
      userPool: auth.userPool,
      ...(auth.signupKey ? { signupKey: auth.signupKey.secretValue.unsafeUnwrap() } : {}),
    };

    this.routes = new Routes(this, 'Routes', {
      routes: routeTable,
      httpApi: api.httpApi,
      grantTargets,
      environment,
      originSecretArn: originVerify.secretArn,
      ...(props.upgradeFrom ? { withoutApiRoute: routesMovingFrom(props.upgradeFrom, routeTable) } : {}),
    });
    const ingestConcurrency = props.ingestConcurrency === undefined ? DEFAULT_INGEST_CONCURRENCY : props.ingestConcurrency;
    this.events = new EventFunctions(this, 'Events', {
      table: data.table,
      artifacts: storage.artifacts,
      grantTargets,
      environment,
      ...(ingestConcurrency !== null ? { ingestConcurrency } : {}),
    });
    ownNotificationsHandlerLogs(this);
    this.functions = { ...this.routes.functions, ...this.events.functions, AggregateTelemetry: telemetry.aggregator };

    // The console's config.json: the stack's own values, never a request's.
    consoleSite.deploy({
      apiUrl: baseUrl,
      region: Stack.of(this).region,
      userPoolId: auth.userPool.userPoolId,
      clientId: auth.client.userPoolClientId,
      cognitoEndpoint: `${consoleSite.cognitoEndpoint}/`,
    });
    new CfnOutput(this, 'ApiUrl', { value: baseUrl, description: 'Public base URL (CloudFront)' });
    new CfnOutput(this, 'ConsoleUrl', {
      value: `${baseUrl}${CONSOLE_PREFIX}/`,
      description: 'The web console (sign in with a user of the pool)',
    });
    new CfnOutput(this, 'TauriEndpoint', {
      value: `${baseUrl}${tauriEndpointPath(routeById('CheckUpdate').path)}`,
      description: 'plugins.updater.endpoints entry for tauri.conf.json (replace <slug>)',
    });
    new CfnOutput(this, 'DistributionId', { value: edge.distribution.distributionId });
    new CfnOutput(this, 'OriginVerifySecretArn', {
      value: originVerify.secretArn,
      description: 'Origin secret (rotation: docs/operations.md)',
    });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: data.table.tableName });
    new CfnOutput(this, 'ArtifactBucket', { value: storage.artifacts.bucketName });

    acknowledgeReviewedFindings(this, {
      userPool: auth.userPool,
      threatProtection: props.threatProtection !== undefined,
      distribution: edge.distribution,
      customDomain: props.customDomain !== undefined,
      rateLimit: props.rateLimit !== undefined,
      alarmTopic: alarms.topic,
      accessLogs: edge.accessLogs,
      originVerify,
      artifacts: storage.artifacts,
      consoleFiles: consoleSite.bucket,
      routes: this.routes,
      routeTable,
      events: this.events,
      telemetry,
    });
  }
}

/** The update-check path as Tauri's updater expects it: its own variables in `{{…}}`, the app's slug to fill in. */
export function tauriEndpointPath(checkPath: string): string {
  return checkPath.replace('{slug}', '<slug>').replace(/\{(\w+)\}/g, '{{$1}}');
}
