import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { before, describe, it } from 'node:test';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { OtaStack } from '../../infra/ota-stack.js';
import { EVENT_FUNCTIONS, ROUTES } from '../../shared/routes.js';

const { AwsSolutionsChecks } = createRequire(import.meta.url)('cdk-nag') as typeof import('cdk-nag');

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };

describe('the CDK stack', () => {
  let template: Template;
  let resources: Record<string, Resource>;
  let stack: OtaStack;

  before(() => {
    const app = new App();
    stack = new OtaStack(app, 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
    template = Template.fromStack(stack);
    resources = template.toJSON().Resources;
  });

  /** The inline policy statements of the function behind a route. */
  function statementsOf(id: string): { Action: string | string[]; Resource: unknown }[] {
    const role = stack.routes.functions[id]?.role;
    assert.ok(role, id);
    const roleId = stack.getLogicalId(role.node.defaultChild as any);
    return Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: { Ref: string }) => x.Ref === roleId))
      .flatMap((r) => r.Properties.PolicyDocument.Statement);
  }
  const actionsOf = (id: string) =>
    statementsOf(id)
      .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
      .sort();

  it('creates one Node 22 arm64 function per route and event function, bundled, with 30-day logs', () => {
    const ours = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Runtime === 'nodejs22.x');
    assert.equal(ours.length, ROUTES.length + EVENT_FUNCTIONS.length);
    for (const fn of ours) {
      assert.deepEqual(fn.Properties.Architectures, ['arm64']);
      assert.ok(fn.Properties.LoggingConfig?.LogGroup, 'own log group');
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('creates exactly the route table in API Gateway, with the JWT authorizer on user routes only', () => {
    const routes = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    assert.deepEqual(routes.map((r) => r.Properties.RouteKey).sort(), ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of routes) {
      const definition = ROUTES.find((r) => `${r.method} ${r.path}` === route.Properties.RouteKey);
      assert.equal(route.Properties.AuthorizationType ?? 'NONE', definition?.access === 'user' ? 'JWT' : 'NONE', route.Properties.RouteKey);
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it('grants each function only what its route needs', () => {
    assert.deepEqual(
      actionsOf('CheckUpdate').filter((a) => !a.startsWith('logs:')),
      ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'],
    );
    assert.ok(!actionsOf('DownloadArtifact').some((a) => a.startsWith('s3:')), 'edge delivery: no bucket access');
    assert.deepEqual(
      actionsOf('CreateArtifactUpload').filter((a) => a.startsWith('s3:')),
      ['s3:PutObject'],
    );
    assert.ok(!actionsOf('ListApps').some((a) => a.startsWith('s3:') || a.startsWith('cloudfront:') || a === 'dynamodb:PutItem'));
    assert.ok(actionsOf('DeleteRelease').includes('cloudfront:CreateInvalidation'));
    assert.ok(actionsOf('IngestArtifact').includes('s3:GetObjectVersion'));
    for (const id of Object.keys(stack.routes.functions)) {
      for (const s of statementsOf(id)) assert.notEqual(s.Resource, '*', `${id} has a statement on *`);
    }
    const managed = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Role' && r.Properties.ManagedPolicyArns);
    assert.equal(managed.length, 1, 'only the CDK bucket-notification helper uses a managed policy');
  });

  it('keeps the table on demand, recoverable, protected and retained, with a TTL', () => {
    const [table] = Object.values(resources).filter((r) => r.Type === 'AWS::DynamoDB::GlobalTable');
    assert.ok(table);
    assert.equal(table.DeletionPolicy, 'Retain');
    assert.equal(table.Properties.BillingMode, 'PAY_PER_REQUEST');
    assert.deepEqual(table.Properties.TimeToLiveSpecification, { AttributeName: 'expiresAt', Enabled: true });
    assert.equal(table.Properties.Replicas[0].DeletionProtectionEnabled, true);
    assert.equal(table.Properties.Replicas[0].PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled, true);
    assert.equal(table.Properties.GlobalSecondaryIndexes[0].IndexName, 'GSI1');
  });

  it('keeps artifacts private, versioned, TLS-only, tidied by lifecycle rules, and uploadable from a browser', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } }),
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Prefix: 'ota/' }),
        ]),
      },
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedMethods: Match.arrayWith(['PUT']) })] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    for (const bucket of Object.values(resources).filter((r) => r.Type === 'AWS::S3::Bucket'))
      assert.equal(bucket.DeletionPolicy, 'Retain');
  });

  it('has a user pool client with USER_PASSWORD_AUTH and SRP, and an admins group', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH']),
      GenerateSecret: false,
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins' });
    template.hasResourceProperties('AWS::Cognito::UserPool', { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
  });

  it('caches the public paths at the edge by path only, never the management paths, and serves artifacts from S3 via OAC', () => {
    const [distribution] = Object.values(resources).filter((r) => r.Type === 'AWS::CloudFront::Distribution');
    const config = distribution?.Properties.DistributionConfig;
    const behaviors: any[] = config.CacheBehaviors;
    const byPattern = (pattern: string) => behaviors.find((b) => b.PathPattern === pattern);
    assert.deepEqual(
      behaviors.map((b) => b.PathPattern),
      ['/api/sync/ota/apps', '/api/sync/ota/apps/*', '/api/sync/ota/*', '/ota/*'],
    );

    const policy = (behavior: any) => resources[behavior.CachePolicyId.Ref]?.Properties.CachePolicyConfig;
    const publicPolicy = policy(byPattern('/api/sync/ota/*'));
    assert.equal(publicPolicy.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig.HeaderBehavior, 'none');
    assert.equal(publicPolicy.ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig.QueryStringBehavior, 'none');
    assert.equal(publicPolicy.ParametersInCacheKeyAndForwardedToOrigin.CookiesConfig.CookieBehavior, 'none');
    assert.ok(publicPolicy.DefaultTTL > 0);
    assert.deepEqual(
      byPattern('/api/sync/ota/*')
        .FunctionAssociations.map((f: any) => f.EventType)
        .sort(),
      ['viewer-request', 'viewer-response'],
    );

    for (const pattern of ['/api/sync/ota/apps', '/api/sync/ota/apps/*']) {
      const managementPolicy = policy(byPattern(pattern));
      assert.equal(managementPolicy.DefaultTTL, 0);
      assert.deepEqual(managementPolicy.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig.Headers, ['Authorization']);
      assert.ok(byPattern(pattern).AllowedMethods.includes('DELETE'));
    }
    const artifactOrigin = config.Origins.find((o: any) => o.Id === byPattern('/ota/*').TargetOriginId);
    assert.ok(artifactOrigin.OriginAccessControlId, 'origin access control');
    assert.deepEqual(policy(byPattern('/ota/*')).ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig.QueryStrings, ['versionId']);
    assert.ok(config.Logging, 'access logs');
  });

  it('wires S3 object-created events under ota/ to the ingest function', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          Match.objectLike({ Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'ota/' }] } } }),
        ],
      },
    });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no finding that was not acknowledged with a reason', () => {
    const app = new App();
    new OtaStack(app, 'Nag', { env: { account: '123456789012', region: 'eu-west-1' } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => logged.push(args.join(' '));
    try {
      assert.doesNotThrow(() => app.synth());
    } finally {
      console.error = original;
    }
    assert.equal(logged.filter((line) => line.includes('AwsSolutions')).length, 0, logged.join('\n'));
  });

  it('would fail on a finding nobody acknowledged', async () => {
    const { Bucket } = await import('aws-cdk-lib/aws-s3');
    const app = new App();
    const stack = new OtaStack(app, 'NagBad', { env: { account: '123456789012', region: 'eu-west-1' } });
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
