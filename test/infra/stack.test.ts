import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { ACCESS_LOG_FIELDS } from '../../infra/constructs/api.js';
import { OtaStack } from '../../infra/ota-stack.js';
import { type EdgeRequest, InMemoryEdgeStore, loadEdgeFunction } from '../../local/edge-runtime.js';
import { ENV } from '../../shared/config/env.js';
import { API_STAGE_THROTTLE } from '../../shared/http/api-gateway-limits.js';
import {
  API_KEY_HEADER,
  DEVICE_BUCKET_HEADER,
  DEVICE_PIN_HEADER,
  DOWNLOAD_TOKEN_HEADER,
  EDGE_KEY_HEADER,
  ORIGIN_VERIFY_HEADER,
} from '../../shared/http/edge.js';
import { EVENT_FUNCTIONS, ROUTES } from '../../shared/routes.js';
import { TABLE_DEFINITION } from '../../shared/storage/table-definition.js';
import {
  dependenciesOf,
  inRootTerms,
  logicalId,
  type Resource,
  type Synthesized,
  statementsOf,
  synthesize,
  TEST_ENV,
  testApp,
} from './support.js';

describe('the CDK stack', () => {
  let s: Synthesized;
  let root: Record<string, Resource>;
  /** Every resource of the root and nested stacks, with the stack it is in. */
  let all: { stack: Stack; id: string; resource: Resource }[];
  const ofType = (type: string) => all.filter((r) => r.resource.Type === type);
  const fn = (id: string) => {
    const found = s.stack.functions[id];
    assert.ok(found, `no function ${id}`);
    return found;
  };
  const fnResource = (id: string): Resource => {
    const f = fn(id);
    const resource = s.template(Stack.of(f)).Resources[logicalId(Stack.of(f), f.node.defaultChild as CfnResource)];
    assert.ok(resource);
    return resource;
  };
  const tableArn = () => ({
    'Fn::GetAtt': [
      logicalId(s.stack, s.stack.server.node.findChild('Data').node.findChild('Table').node.defaultChild as CfnResource),
      'Arn',
    ],
  });
  /** A nested function's statement resources, rewritten into root terms. */
  const resourcesOf = (id: string, action: string) =>
    statementsOf(s, fn(id))
      .filter((st) => st.Action.includes(action))
      .flatMap((st) => st.Resource.map((r) => inRootTerms(s, Stack.of(fn(id)), r)));
  const actionsOf = (id: string) =>
    statementsOf(s, fn(id))
      .flatMap((st) => st.Action)
      // Every route function writes its logs and reads the origin secret (checked on their own below).
      .filter((a) => !a.startsWith('logs:') && a !== 'secretsmanager:GetSecretValue')
      .sort();

  before(() => {
    s = synthesize({}, { nag: true });
    root = s.template(s.stack).Resources;
    all = s.stacks.flatMap((stack) => Object.entries(s.template(stack).Resources).map(([id, resource]) => ({ stack, id, resource })));
  });

  it('creates one Node 22 arm64 function per route and event function, each with its own 30-day log group', () => {
    const ours = ofType('AWS::Lambda::Function').filter((r) => r.resource.Properties.Runtime === 'nodejs22.x');
    assert.equal(ours.length, ROUTES.length + EVENT_FUNCTIONS.length);
    for (const { resource } of ours) {
      assert.deepEqual(resource.Properties.Architectures, ['arm64']);
      assert.ok(resource.Properties.LoggingConfig?.LogGroup, 'own log group');
    }
    for (const { resource } of ofType('AWS::Logs::LogGroup')) assert.equal(resource.Properties.RetentionInDays, 30);
  });

  it('deploys each route domain in its own nested stack, every stack far below the resource limit', () => {
    for (const route of ROUTES)
      assert.ok(
        s.stack.routes.stacks.some((st) => st.node.id.toLowerCase().startsWith(route.domain)),
        route.id,
      );
    for (const stack of s.stacks) assert.ok(Object.keys(s.template(stack).Resources).length < 450, stack.node.path);
    assert.equal(
      ofType('AWS::ApiGatewayV2::Route').filter((r) => r.stack === s.stack).length,
      0,
      'routes live in the nested stacks, the root keeps the API itself',
    );
  });

  it('creates exactly the route table in API Gateway, $default included', () => {
    const keys = ofType('AWS::ApiGatewayV2::Route').map((r) => r.resource.Properties.RouteKey);
    assert.deepEqual(keys.sort(), ROUTES.map((r) => (r.path === '$default' ? '$default' : `${r.method} ${r.path}`)).sort());
  });

  it('has no API Gateway authorizer: every route is authorized inside its function, so refusals have our error shape', () => {
    assert.equal(ofType('AWS::ApiGatewayV2::Authorizer').length, 0);
    for (const { resource } of ofType('AWS::ApiGatewayV2::Route')) {
      assert.equal(resource.Properties.AuthorizationType ?? 'NONE', 'NONE', resource.Properties.RouteKey);
      assert.equal(resource.Properties.AuthorizerId, undefined, resource.Properties.RouteKey);
    }
  });

  it('throttles the stage and writes access logs with HTTP API variables only', () => {
    const [stage] = ofType('AWS::ApiGatewayV2::Stage');
    assert.ok(stage);
    assert.deepEqual(stage.resource.Properties.DefaultRouteSettings, {
      ThrottlingBurstLimit: API_STAGE_THROTTLE.burstLimit,
      ThrottlingRateLimit: API_STAGE_THROTTLE.rateLimit,
    });
    const format: string = stage.resource.Properties.AccessLogSettings.Format;
    // Each variable checked against "Customize HTTP API access logs" (API Gateway developer guide).
    const documented = new Set([
      'requestId',
      'requestTime',
      'identity.sourceIp',
      'identity.userAgent',
      'httpMethod',
      'routeKey',
      'path',
      'protocol',
      'status',
      'responseLength',
      'responseLatency',
      'integrationStatus',
      'integrationLatency',
      'integrationErrorMessage',
      'error.messageString',
    ]);
    const used = [...format.matchAll(/\$context\.([A-Za-z.]+)/g)].map((m) => m[1]);
    for (const variable of used) assert.ok(documented.has(variable as string), `$context.${variable} is not an HTTP API variable`);
    for (const needed of ['requestId', 'routeKey', 'path', 'status', 'responseLength', 'integrationErrorMessage', 'identity.sourceIp']) {
      assert.ok(used.includes(needed), needed);
    }
    const sample = format.replace(/\$context\.error\.messageString/g, '"x"').replace(/\$context\.[A-Za-z.]+/g, 'x');
    assert.deepEqual(Object.keys(JSON.parse(sample)), Object.keys(ACCESS_LOG_FIELDS), 'one JSON object per line');
  });

  it("gives the update check exactly GetItem on the table, nothing on its index (and download only a private app's presigning)", () => {
    assert.deepEqual(actionsOf('CheckUpdate'), ['dynamodb:GetItem']);
    assert.deepEqual(resourcesOf('CheckUpdate', 'dynamodb:GetItem'), [tableArn()]);
    // A public app's bytes come from CloudFront; a private app's are presigned (read of verified objects only).
    assert.deepEqual(actionsOf('DownloadArtifact'), ['dynamodb:GetItem', 'dynamodb:Query', 's3:GetObject', 's3:GetObjectVersion']);
    for (const action of ['dynamodb:GetItem', 'dynamodb:Query']) assert.deepEqual(resourcesOf('DownloadArtifact', action), [tableArn()]);
  });

  it('turns every grant into the narrowest statements', () => {
    const index = { 'Fn::Join': ['', [tableArn(), `/index/${TABLE_DEFINITION.globalIndexes[0]?.indexName}`]] };
    // The owner index to list apps, the table to read the owner's catalog (channel names), and the
    // caller's team-user or API-token item (GetItem, and UpdateItem for a token's last use) by their keys only.
    assert.deepEqual(actionsOf('ListApps'), ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    const auth = statementsOf(s, fn('ListApps')).find((st) => st.Action.includes('dynamodb:GetItem'));
    assert.deepEqual(auth?.Condition, { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['MEMBER#*', 'APITOKEN#*'] } });
    assert.ok(!statementsOf(s, fn('ListApps')).some((st) => st.Action.includes('dynamodb:PutItem')), 'a read records nothing');
    // A change appends to the audit trail: PutItem on audit keys, nothing else beyond its own grants.
    const audit = statementsOf(s, fn('UploadParts')).find((st) => st.Action.includes('dynamodb:PutItem'));
    assert.deepEqual(audit?.Action, ['dynamodb:PutItem']);
    assert.deepEqual(audit?.Condition, { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } });
    // Public routes authenticate nobody.
    assert.ok(!actionsOf('CheckUpdate').includes('dynamodb:UpdateItem'));
    assert.deepEqual(
      resourcesOf('ListApps', 'dynamodb:Query')
        .map((r) => JSON.stringify(r))
        .sort(),
      [tableArn(), index].map((r) => JSON.stringify(r)).sort(),
    );

    assert.deepEqual(
      actionsOf('CreateArtifactUpload').filter((a) => a.startsWith('s3:')),
      ['s3:PutObject'],
    );
    const objectPrefix = (id: string, action: string) =>
      resourcesOf(id, action).map((r) => JSON.stringify(r).match(/\/(staging|ota)\/\*/)?.[1] ?? JSON.stringify(r));
    assert.deepEqual(objectPrefix('CreateArtifactUpload', 's3:PutObject'), ['staging']);

    // Ingest copies staging → ota.
    assert.deepEqual(objectPrefix('IngestArtifact', 's3:GetObjectVersion'), ['staging']);
    assert.deepEqual(objectPrefix('IngestArtifact', 's3:PutObject'), ['ota']);
    assert.deepEqual(objectPrefix('DeleteRelease', 's3:DeleteObjectVersion').sort(), ['ota', 'staging']);
    assert.ok(actionsOf('DeleteRelease').includes('s3:ListBucketVersions'));
    // Multipart uploads: parts are PUTs into staging; listing and aborting them only there too.
    assert.deepEqual(objectPrefix('AbortUpload', 's3:AbortMultipartUpload'), ['staging']);
    assert.deepEqual(objectPrefix('UploadParts', 's3:ListMultipartUploadParts'), ['staging']);
    assert.deepEqual(objectPrefix('CompleteUpload', 's3:PutObject'), ['staging']);
    const listing = statementsOf(s, fn('DeleteRelease')).find((st) => st.Action.includes('s3:ListBucketVersions'));
    assert.deepEqual(
      listing?.Condition,
      { StringLike: { 's3:prefix': ['staging/*', 'ota/*'] } },
      'listing only under the artifact prefixes',
    );

    assert.deepEqual(
      actionsOf('CreateRelease'),
      [
        'dynamodb:BatchWriteItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ],
      'table:write',
    );
    assert.deepEqual(resourcesOf('CreateRelease', 'dynamodb:PutItem'), [tableArn()]);
    assert.ok(!actionsOf('DeleteRelease').includes('cloudfront:CreateInvalidation'), 'the edge learns through the outbox');
    // The edge-state writer: the KeyValueStore (test/infra/edge-state.test.ts), nothing else; no function invalidates.
    assert.deepEqual(
      actionsOf('InvalidateEdge').filter(
        (a) => !a.startsWith('dynamodb:') && !a.startsWith('sqs:') && !a.startsWith('cloudfront-keyvaluestore:'),
      ),
      [],
    );
    for (const id of [...ROUTES.map((r) => r.id), ...EVENT_FUNCTIONS.map((d) => d.id)]) {
      assert.ok(!actionsOf(id).includes('cloudfront:CreateInvalidation'), `${id} needs no invalidation`);
    }
    for (const id of [...ROUTES.map((r) => r.id), ...EVENT_FUNCTIONS.map((d) => d.id)]) {
      for (const st of statementsOf(s, fn(id))) assert.ok(!st.Resource.includes('*'), `${id} has a statement on *`);
    }
    const managed = ofType('AWS::IAM::Role').filter((r) => r.resource.Properties.ManagedPolicyArns);
    assert.deepEqual(
      managed.map((r) => r.id.replace(/[0-9A-F]{8}$/, '')).sort(),
      [
        'AWS679f53fac002430cb0da5b7982bd2287ServiceRole',
        'BucketNotificationsHandler050a0587b7544547bf325f094a3db834Role',
        'CustomCDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756CServiceRole',
      ],
      'only the CDK singletons (custom resources) use a managed policy',
    );
  });

  it('keeps the table on demand, recoverable, protected and retained, with a TTL and a stream of new images', () => {
    const [table] = ofType('AWS::DynamoDB::GlobalTable').map((r) => r.resource);
    assert.ok(table);
    assert.equal(table.DeletionPolicy, 'Retain');
    assert.equal(table.Properties.BillingMode, 'PAY_PER_REQUEST');
    assert.deepEqual(table.Properties.TimeToLiveSpecification, { AttributeName: 'expiresAt', Enabled: true });
    assert.equal(table.Properties.Replicas[0].DeletionProtectionEnabled, true);
    assert.equal(table.Properties.Replicas[0].PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled, true);
    assert.equal(table.Properties.GlobalSecondaryIndexes[0].IndexName, 'GSI1');
    assert.deepEqual(table.Properties.StreamSpecification, { StreamViewType: TABLE_DEFINITION.streamView });
  });

  it('keeps artifacts private, versioned, TLS-only, uploadable from a browser, and never expires a verified version', () => {
    const artifacts = ofType('AWS::S3::Bucket').find((r) => r.resource.Properties.VersioningConfiguration)?.resource;
    assert.ok(artifacts);
    assert.deepEqual(artifacts.Properties.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    assert.ok(artifacts.Properties.CorsConfiguration.CorsRules[0].AllowedMethods.includes('PUT'));
    const rules: any[] = artifacts.Properties.LifecycleConfiguration.Rules;
    assert.ok(rules.some((r) => r.AbortIncompleteMultipartUpload?.DaysAfterInitiation === 2 && r.Prefix === undefined));
    const staging = rules.find((r) => r.Prefix === 'staging/' && r.ExpirationInDays);
    assert.equal(staging?.ExpirationInDays, 2);
    assert.equal(staging?.NoncurrentVersionExpiration?.NoncurrentDays, 1);
    for (const rule of rules.filter((r) => r.Prefix === undefined || 'ota/'.startsWith(r.Prefix) || r.Prefix.startsWith('ota/'))) {
      assert.equal(rule.ExpirationInDays, undefined, 'nothing expires current artifacts');
      assert.equal(rule.NoncurrentVersionExpiration, undefined, 'nothing expires pinned versions');
      assert.equal(rule.NoncurrentVersionTransitions, undefined);
    }
    for (const policy of ofType('AWS::S3::BucketPolicy')) {
      assert.ok(
        policy.resource.Properties.PolicyDocument.Statement.some(
          (st: any) => st.Effect === 'Deny' && st.Condition?.Bool?.['aws:SecureTransport'] === 'false',
        ),
      );
    }
    for (const bucket of ofType('AWS::S3::Bucket')) assert.equal(bucket.resource.DeletionPolicy, 'Retain');
  });

  it('has a user pool client with USER_PASSWORD_AUTH and SRP, and an admins group', () => {
    const [client] = ofType('AWS::Cognito::UserPoolClient');
    assert.ok(client?.resource.Properties.ExplicitAuthFlows.includes('ALLOW_USER_PASSWORD_AUTH'));
    assert.ok(client?.resource.Properties.ExplicitAuthFlows.includes('ALLOW_USER_SRP_AUTH'));
    assert.equal(client?.resource.Properties.GenerateSecret, false);
    assert.ok(ofType('AWS::Cognito::UserPoolGroup').some((g) => g.resource.Properties.GroupName === 'admins'));
    assert.equal(ofType('AWS::Cognito::UserPool')[0]?.resource.Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly, true);
  });

  it('sends objects created under staging/ to ingest, and owns the notification helper logs', () => {
    const [notifications] = ofType('Custom::S3BucketNotifications');
    const configs = notifications?.resource.Properties.NotificationConfiguration.LambdaFunctionConfigurations;
    assert.equal(configs.length, 1);
    assert.deepEqual(configs[0].Events, ['s3:ObjectCreated:*']);
    assert.deepEqual(configs[0].Filter, { Key: { FilterRules: [{ Name: 'prefix', Value: 'staging/' }] } });
    const ingest = s.stack.events.nestedStackResource as CfnResource;
    assert.match(JSON.stringify(configs[0].LambdaFunctionArn), new RegExp(logicalId(s.stack, ingest)));

    const handler = Object.entries(root).find(
      ([id, r]) => id.startsWith('BucketNotificationsHandler') && r.Type === 'AWS::Lambda::Function',
    );
    const logGroupId = handler?.[1].Properties.LoggingConfig?.LogGroup?.Ref;
    assert.ok(logGroupId, 'the helper logs to a log group of the stack');
    assert.equal(root[logGroupId]?.Type, 'AWS::Logs::LogGroup');
    assert.equal(root[logGroupId]?.Properties.RetentionInDays, 30);
    assert.equal(root[logGroupId]?.DeletionPolicy, 'Delete');
  });

  it('retries a failed ingest twice, then hands it to IngestFailed, whose failures land in an alarmed dead-letter queue', () => {
    const events = s.template(s.stack.events).Resources;
    const invokeConfig = (id: string) =>
      Object.values(events).find(
        (r) =>
          r.Type === 'AWS::Lambda::EventInvokeConfig' &&
          r.Properties.FunctionName.Ref === logicalId(s.stack.events, fn(id).node.defaultChild as CfnResource),
      )?.Properties;
    const ingest = invokeConfig('IngestArtifact');
    assert.equal(ingest?.MaximumRetryAttempts, 2);
    assert.deepEqual(ingest?.DestinationConfig.OnFailure.Destination, {
      'Fn::GetAtt': [logicalId(s.stack.events, fn('IngestFailed').node.defaultChild as CfnResource), 'Arn'],
    });
    const failed = invokeConfig('IngestFailed');
    const queueId = failed?.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0];
    assert.equal(events[queueId]?.Type, 'AWS::SQS::Queue');
    assertAlarmedDeadLetterQueue(events, queueId);
    const errorAlarms = Object.values(events).filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === 'Errors');
    assert.ok(
      errorAlarms.some((a) =>
        a.Properties.Dimensions.some(
          (d: any) => d.Value.Ref === logicalId(s.stack.events, fn('IngestArtifact').node.defaultChild as CfnResource),
        ),
      ),
      'alarm on ingest errors',
    );
  });

  it('feeds InvalidateEdge with new outbox items only, batched, bounded, with an alarmed dead-letter queue', () => {
    const events = s.template(s.stack.events).Resources;
    const [mapping] = Object.values(events).filter(
      (r) =>
        r.Type === 'AWS::Lambda::EventSourceMapping' &&
        r.Properties.FunctionName.Ref === logicalId(s.stack.events, fn('InvalidateEdge').node.defaultChild as CfnResource),
    );
    const p = mapping?.Properties;
    assert.ok(p);
    assert.equal(p.FunctionName.Ref, logicalId(s.stack.events, fn('InvalidateEdge').node.defaultChild as CfnResource));
    assert.deepEqual(JSON.parse(p.FilterCriteria.Filters[0].Pattern), {
      eventName: ['INSERT'],
      dynamodb: { NewImage: { [TABLE_DEFINITION.typeAttribute]: { S: [TABLE_DEFINITION.outboxType] } } },
    });
    assert.equal(p.FilterCriteria.Filters.length, 1);
    assert.equal(p.BatchSize, 100);
    assert.ok(p.MaximumBatchingWindowInSeconds >= 1 && p.MaximumBatchingWindowInSeconds <= 10);
    assert.equal(p.BisectBatchOnFunctionError, true);
    assert.ok(p.MaximumRetryAttempts > 0 && p.MaximumRetryAttempts <= 20);
    assert.ok(p.MaximumRecordAgeInSeconds > 0);
    assert.match(JSON.stringify(inRootTerms(s, s.stack.events, p.EventSourceArn)), /StreamArn/);
    const queueId = p.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0];
    assertAlarmedDeadLetterQueue(events, queueId);
  });

  function assertAlarmedDeadLetterQueue(resources: Record<string, Resource>, queueId: string): void {
    assert.equal(resources[queueId]?.Properties.SqsManagedSseEnabled, true, 'encrypted');
    const policy = Object.values(resources).find(
      (r) => r.Type === 'AWS::SQS::QueuePolicy' && r.Properties.Queues.some((q: any) => q.Ref === queueId),
    );
    assert.ok(
      policy?.Properties.PolicyDocument.Statement.some(
        (st: any) => st.Effect === 'Deny' && st.Condition?.Bool?.['aws:SecureTransport'] === 'false',
      ),
      'TLS only',
    );
    assert.ok(
      Object.values(resources).some(
        (r) =>
          r.Type === 'AWS::CloudWatch::Alarm' &&
          r.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          r.Properties.Dimensions.some((d: any) => JSON.stringify(d.Value).includes(queueId)) &&
          r.Properties.Threshold === 1,
      ),
      'alarm on the first message',
    );
  }

  const distributionId = () => ofType('AWS::CloudFront::Distribution')[0]?.id as string;

  it('gives every function the public base URL of the distribution', () => {
    const expected = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }]] };
    for (const id of [...ROUTES.map((r) => r.id), ...EVENT_FUNCTIONS.map((d) => d.id)]) {
      const value = fnResource(id).Properties.Environment.Variables[ENV.publicBaseUrl];
      assert.deepEqual(inRootTerms(s, Stack.of(fn(id)), value), expected, id);
    }
  });

  it('refuses direct API calls: a generated secret, sent by CloudFront, that route functions read by ARN (never in their environment)', () => {
    const [secret] = ofType('AWS::SecretsManager::Secret');
    assert.ok(secret?.resource.Properties.GenerateSecretString, 'generated at deploy time');
    assert.equal(secret?.resource.Properties.SecretString, undefined);
    const reference = { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secret?.id }, ':SecretString:::}}']] };

    const origins: any[] = root[distributionId()]?.Properties.DistributionConfig.Origins;
    const apiOrigins = origins.filter((o) => o.CustomOriginConfig);
    assert.equal(apiOrigins.length, 1);
    assert.deepEqual(apiOrigins[0].OriginCustomHeaders, [{ HeaderName: ORIGIN_VERIFY_HEADER, HeaderValue: reference }]);
    for (const route of ROUTES) {
      const value = fnResource(route.id).Properties.Environment.Variables[ENV.originVerifySecret];
      assert.deepEqual(inRootTerms(s, Stack.of(fn(route.id)), value), { Ref: secret?.id }, route.id);
      const reads = statementsOf(s, fn(route.id)).filter((st) => st.Action.includes('secretsmanager:GetSecretValue'));
      assert.deepEqual(
        reads.flatMap((st) => st.Resource.map((r) => inRootTerms(s, Stack.of(fn(route.id)), r))),
        [{ Ref: secret?.id }],
        route.id,
      );
    }
    // The value is resolved into the distribution only; no function template references it.
    for (const stack of s.stacks.slice(1)) assert.doesNotMatch(JSON.stringify(s.template(stack)), /\{\{resolve:/, stack.node.path);
  });

  it('routes every path to a CloudFront behaviour with its own route caching (first match, as CloudFront does)', async () => {
    const config = root[distributionId()]?.Properties.DistributionConfig;
    const behaviors: any[] = config.CacheBehaviors;
    assert.ok(behaviors.length + 1 <= 25, `${behaviors.length + 1} behaviours`);
    const policy = (b: any) => (b.CachePolicyId.Ref ? root[b.CachePolicyId.Ref]?.Properties.CachePolicyConfig : undefined);
    const cached = (b: any) => {
      const p = policy(b);
      return p !== undefined && p.DefaultTTL > 0;
    };
    // The one viewer-request function of every cached behaviour, run from the template's own code.
    const edgeKeyId = Object.keys(root).find((id) => root[id]?.Type === 'AWS::CloudFront::Function' && id.includes('EdgeKey'));
    assert.ok(edgeKeyId);
    const edgeKey = loadEdgeFunction(root[edgeKeyId]?.Properties.FunctionCode, new InMemoryEdgeStore());
    // CloudFront path patterns: `*` any run of characters (`/` included), `?` one character.
    const matches = (pattern: string, path: string) =>
      new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      ).test(path);
    const firstMatch = (path: string) => behaviors.find((b) => matches(b.PathPattern, path)) ?? config.DefaultCacheBehavior;

    assert.equal(cached(config.DefaultCacheBehavior), false);
    assert.equal(config.DefaultCacheBehavior.OriginRequestPolicyId, 'b689b0a8-53d0-40ab-baf2-68738e2966ac', 'all viewer headers but Host');
    assert.ok(config.DefaultCacheBehavior.AllowedMethods.includes('DELETE'));
    for (const route of ROUTES) {
      const path = route.path === '$default' ? '/no/such/route' : route.path.replace(/\{(\w+)\}/g, 'sample-$1');
      const behavior = firstMatch(path);
      assert.notEqual(behavior.PathPattern, '/ota/*', route.id);
      assert.equal(cached(behavior), route.edgeCache !== false, `${route.id} ${path} → ${behavior.PathPattern ?? 'default'}`);
      if (route.edgeCache === false) continue;
      // Only the route's declared parameters reach the origin, and exactly they (with the app's revision) make the key.
      const declared = [...new Set(route.edgeCache.query)].sort();
      const query = Object.fromEntries([...declared, 'noCache', 'junk'].map((name) => [name, { value: `v-${name}` }]));
      const forwarded = (await edgeKey({ request: { uri: path, headers: {}, querystring: query } })) as EdgeRequest;
      assert.deepEqual(Object.keys(forwarded.querystring ?? {}).sort(), declared, route.id);
      assert.equal(forwarded.headers[EDGE_KEY_HEADER]?.value, `-?${declared.map((n) => `${n}=v-${n}`).join('&')}`, route.id);
    }
    // The artifacts' and the console's behaviours read buckets (their own tests: below, and test/infra/console.test.ts).
    for (const b of behaviors.filter((x) => x.PathPattern !== '/ota/*' && x.PathPattern !== '/console/*')) {
      assert.deepEqual(
        (b.FunctionAssociations ?? []).map((f: any) => f.EventType).sort(),
        cached(b) ? ['viewer-request', 'viewer-response'] : ['viewer-request'],
        `${b.PathPattern}: the edge key and the 204 conversion on cached behaviours, the body limit on uncached ones`,
      );
      if (cached(b)) {
        const key = policy(b).ParametersInCacheKeyAndForwardedToOrigin;
        // Never a device id, a bucket or a raw key in the key: the function's one header and Authorization.
        assert.deepEqual(key.HeadersConfig, { HeaderBehavior: 'whitelist', Headers: [EDGE_KEY_HEADER, 'authorization'] }, b.PathPattern);
        assert.equal(key.QueryStringsConfig.QueryStringBehavior, 'none', b.PathPattern);
        assert.equal(key.CookiesConfig.CookieBehavior, 'none');
        const forwarded = root[b.OriginRequestPolicyId.Ref]?.Properties.OriginRequestPolicyConfig;
        assert.deepEqual(forwarded.HeadersConfig, {
          HeaderBehavior: 'whitelist',
          Headers: [API_KEY_HEADER, DOWNLOAD_TOKEN_HEADER, DEVICE_BUCKET_HEADER, DEVICE_PIN_HEADER],
        });
      }
      // Cached behaviours too: a wrong method reaches the `$default` function (405 with Allow), not CloudFront's 403.
      assert.ok(b.AllowedMethods.includes('DELETE'), b.PathPattern);
      if (cached(b)) assert.deepEqual([...b.CachedMethods].sort(), ['GET', 'HEAD'], b.PathPattern);
    }
    assert.equal(
      ofType('AWS::CloudFront::Function').length,
      4,
      "the 204 conversion, the edge key, the body limit and the console's SPA fallback",
    );

    const artifacts = behaviors.find((b) => b.PathPattern === '/ota/*');
    const origin = config.Origins.find((o: any) => o.Id === artifacts.TargetOriginId);
    assert.ok(origin.OriginAccessControlId, 'origin access control');
    assert.deepEqual(policy(artifacts).ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig.QueryStrings, ['versionId']);
    assert.deepEqual(
      artifacts.FunctionAssociations.map((f: any) => [f.EventType, f.FunctionARN['Fn::GetAtt'][0]]),
      [['viewer-request', edgeKeyId]],
      "a private or deleted app's bytes are refused by its state",
    );
  });

  it('names CloudFront resources per region, so a second region of the same account does not collide', () => {
    assert.equal(
      ofType('AWS::CloudFront::OriginRequestPolicy').length,
      1,
      "the one forwarding x-api-key, a private app's download token and the device bucket outside the key",
    );
    const names = [
      ...ofType('AWS::CloudFront::OriginRequestPolicy').map((r) => r.resource.Properties.OriginRequestPolicyConfig.Name),
      ...ofType('AWS::CloudFront::OriginAccessControl').map((r) => r.resource.Properties.OriginAccessControlConfig.Name),
      ...ofType('AWS::CloudFront::CachePolicy').map((r) => r.resource.Properties.CachePolicyConfig.Name),
      ...ofType('AWS::CloudFront::Function').map((r) => r.resource.Properties.Name),
    ];
    assert.ok(names.length >= 3);
    for (const name of names) assert.match(JSON.stringify(name), /eu-west-1/);
  });

  it('logs CloudFront requests with standard logging v2, configured in us-east-1 so every region works', () => {
    assert.equal(root[distributionId()]?.Properties.DistributionConfig.Logging, undefined, 'no legacy S3 logging');
    const text = ofType('Custom::AWS')
      .map((r) => JSON.stringify(r.resource.Properties.Create))
      .join('\n');
    for (const action of ['PutDeliverySource', 'PutDeliveryDestination', 'CreateDelivery']) assert.match(text, new RegExp(action));
    assert.match(text, /us-east-1/);
    assert.match(text, /ACCESS_LOGS/);
    const logsPolicy = ofType('AWS::S3::BucketPolicy').find((p) => JSON.stringify(p.resource).includes('delivery.logs.amazonaws.com'));
    assert.ok(logsPolicy, 'the log bucket lets the log delivery write');
  });

  it('has no dependency cycle in any template', () => {
    for (const stack of s.stacks) {
      const resources = s.template(stack).Resources;
      const ids = new Set(Object.keys(resources));
      const state = new Map<string, 'visiting' | 'done'>();
      const visit = (id: string, path: string[]): void => {
        if (state.get(id) === 'done') return;
        assert.notEqual(state.get(id), 'visiting', `cycle in ${stack.node.path}: ${[...path, id].join(' → ')}`);
        state.set(id, 'visiting');
        for (const dep of dependenciesOf(resources[id] as Resource, ids)) visit(dep, [...path, id]);
        state.set(id, 'done');
      };
      for (const id of ids) visit(id, []);
    }
  });

  it('reports no cdk-nag AwsSolutions finding that was not acknowledged with a reason', () => {
    assert.deepEqual(s.nagFindings, []);
  });
});

describe('stack options', () => {
  it('synthesizes without account or region (cdk synth without credentials), every cdk-nag finding acknowledged', () => {
    const s = synthesize({}, { nag: true, id: 'Agnostic', envAgnostic: true });
    assert.deepEqual(s.nagFindings, []);
    const oac = Object.values(s.template(s.stack).Resources).find((r) => r.Type === 'AWS::CloudFront::OriginAccessControl');
    assert.match(JSON.stringify(oac?.Properties.OriginAccessControlConfig.Name), /AWS::Region/);
  });

  it('cdk-nag would fail on a finding nobody acknowledged', async () => {
    const { Bucket } = await import('aws-cdk-lib/aws-s3');
    const { createRequire } = await import('node:module');
    const { AwsSolutionsChecks } = createRequire(import.meta.url)('cdk-nag') as typeof import('cdk-nag');
    const app = testApp();
    const stack = new OtaStack(app, 'NagBad', { ...TEST_ENV, routes: ROUTES.filter((r) => r.id === 'Health') });
    new Bucket(stack, 'Careless'); // no TLS enforcement, no access logs
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const original = console.error;
    console.error = () => {};
    try {
      assert.throws(() => app.synth(), /AwsSolutions|[Vv]alidation/);
    } finally {
      console.error = original;
    }
  });
});
