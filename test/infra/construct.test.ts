import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { App, type CfnResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { OtaUpdateServer } from '../../infra/index.js';
import { ENV } from '../../shared/config/env.js';
import { EVENT_FUNCTIONS, ROUTES } from '../../shared/routes.js';
import type { Resource, TemplateJson } from './support.js';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666';
const { AwsSolutionsChecks } = createRequire(import.meta.url)('cdk-nag') as typeof import('cdk-nag');
const hasCfnLint = spawnSync('cfn-lint', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * A platform team's own CDK app: its own stack (with a bucket of its own), the server dropped in
 * under a custom id with some props, synthesized from a working directory that is not this
 * package's (the function entry points and lock file are found from the package itself). A plain
 * App: none of this repository's cdk.json feature flags; bundling skipped, as in the other infra tests.
 */
describe('OtaUpdateServer in another app', () => {
  const cwd = process.cwd();
  const elsewhere = mkdtempSync(join(tmpdir(), 'ota-foreign-app-'));
  let app: App;
  let platform: Stack;
  let server: OtaUpdateServer;
  const nagOutput: string[] = [];
  const templates = new Map<Stack, TemplateJson>();
  const template = (stack: Stack): TemplateJson => {
    let json = templates.get(stack);
    if (!json) {
      json = JSON.parse(readFileSync(join(app.outdir, stack.templateFile), 'utf8')) as TemplateJson;
      templates.set(stack, json);
    }
    return json;
  };
  const ofType = (type: string): { stack: Stack; id: string; resource: Resource }[] =>
    [platform, ...server.routes.stacks, server.events].flatMap((stack) =>
      Object.entries(template(stack).Resources)
        .filter(([, r]) => r.Type === type)
        .map(([id, resource]) => ({ stack, id, resource })),
    );
  const functionResource = (id: string): Resource => {
    const fn = server.functions[id];
    assert.ok(fn, id);
    return template(Stack.of(fn)).Resources[Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnResource)] as Resource;
  };

  before(() => {
    process.chdir(elsewhere);
    app = new App({ outdir: join(elsewhere, 'cdk.out'), context: { 'aws:cdk:bundling-stacks': [] } });
    platform = new Stack(app, 'PlatformServices', { env: { account: '123456789012', region: 'us-east-1' } });
    new Bucket(platform, 'TeamBucket');
    server = new OtaUpdateServer(platform, 'Updates', {
      customDomain: { domainName: 'updates.platform.example', certificateArn: CERTIFICATE },
      alarmEmail: 'oncall@platform.example',
      rateLimit: { requestsPer5Minutes: 1500 },
      auditRetentionDays: 180,
      slugHoldDays: 7,
      ingestConcurrency: 5,
      edgeTtl: { answers: Duration.minutes(5), artifacts: Duration.days(30) },
    });
    // The platform runs cdk-nag too: its own bucket's findings fail its synth, the server's must not appear.
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const original = console.error;
    console.error = (...args: unknown[]) => nagOutput.push(args.join(' '));
    try {
      app.synth();
    } catch (error) {
      if (!/[Vv]alidation/.test(String(error))) throw error;
      nagOutput.push(String(error));
    } finally {
      console.error = original;
    }
  });
  after(() => {
    process.chdir(cwd);
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it('builds the whole server in the foreign stack, its logical ids under the construct id, beside the stack’s own resources', () => {
    const resources = template(platform).Resources;
    const ids = Object.keys(resources);
    assert.ok(
      ids.some((id) => id.startsWith('TeamBucket')),
      'the platform’s own bucket stays',
    );
    for (const [prefix, type] of [
      ['UpdatesDataTable', 'AWS::DynamoDB::GlobalTable'],
      ['UpdatesStorageArtifacts', 'AWS::S3::Bucket'],
      ['UpdatesAuthUserPool', 'AWS::Cognito::UserPool'],
      ['UpdatesApiHttpApi', 'AWS::ApiGatewayV2::Api'],
      ['UpdatesEdgeDistribution', 'AWS::CloudFront::Distribution'],
    ] as const) {
      assert.ok(
        ids.some((id) => id.startsWith(prefix) && resources[id]?.Type === type),
        `${prefix} (${type})`,
      );
    }
    // Everything else is the construct's, but for CDK's own per-stack singletons.
    const foreign = ids.filter(
      (id) =>
        !/^(Updates|TeamBucket|BucketNotificationsHandler|AWS679f53fac002430cb0da5b7982bd2287|CustomCDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C|CDKMetadata)/.test(
          id,
        ),
    );
    assert.deepEqual(foreign, []);
    assert.equal(Object.keys(server.functions).length, ROUTES.length + EVENT_FUNCTIONS.length);
    assert.ok(server.routes.stacks.length > 0);
    for (const nested of [...server.routes.stacks, server.events]) {
      assert.match(nested.nestedStackResource?.node.path ?? '', /^PlatformServices\/Updates\//);
    }
  });

  it('wires the props: domain alias and certificate, alarm e-mail, WAF rate limit, retention and slug hold, ingest cap, edge TTLs', () => {
    const [distribution] = ofType('AWS::CloudFront::Distribution');
    const config = distribution?.resource.Properties.DistributionConfig;
    assert.deepEqual(config.Aliases, ['updates.platform.example']);
    assert.equal(config.ViewerCertificate.AcmCertificateArn, CERTIFICATE);

    const [subscription] = ofType('AWS::SNS::Subscription');
    const [topic] = ofType('AWS::SNS::Topic');
    assert.equal(subscription?.resource.Properties.Protocol, 'email');
    assert.equal(subscription?.resource.Properties.Endpoint, 'oncall@platform.example');
    assert.deepEqual(subscription?.resource.Properties.TopicArn, { Ref: topic?.id });

    const [acl] = ofType('AWS::WAFv2::WebACL');
    assert.ok(acl);
    assert.equal(acl.resource.Properties.Rules[0].Statement.RateBasedStatement.Limit, 1500);
    assert.deepEqual(config.WebACLId, { 'Fn::GetAtt': [acl.id, 'Arn'] });

    for (const id of [...ROUTES.map((r) => r.id), ...EVENT_FUNCTIONS.map((d) => d.id)]) {
      const variables = functionResource(id).Properties.Environment.Variables;
      assert.equal(variables[ENV.auditRetentionDays], '180', id);
      assert.equal(variables[ENV.slugHoldDays], '7', id);
      assert.equal(variables[ENV.publicBaseUrl], 'https://updates.platform.example', id);
    }
    assert.equal(functionResource('IngestArtifact').Properties.ReservedConcurrentExecutions, 5);

    // The edge TTLs: answers live 5 minutes at most (the origin's longer s-maxage is capped), artifacts 30 days by default.
    const policies = ofType('AWS::CloudFront::CachePolicy').map((p) => p.resource.Properties.CachePolicyConfig);
    const answers = policies.find((c) => c.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig.Headers.includes('authorization'));
    const artifacts = policies.find((c) =>
      c.ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig.QueryStrings?.includes('versionId'),
    );
    assert.deepEqual([answers?.DefaultTTL, answers?.MaxTTL, answers?.MinTTL], [300, 300, 0]);
    assert.deepEqual([artifacts?.DefaultTTL, artifacts?.MaxTTL], [30 * 86_400, 365 * 86_400]);
    assert.throws(
      () => new OtaUpdateServer(new Stack(new App(), 'Other'), 'Updates', { edgeTtl: { answers: Duration.hours(2) } }),
      /edgeTtl.answers must be 1-3600 seconds/,
    );
  });

  it('brings no cdk-nag AwsSolutions finding of its own into the platform’s stack (the platform’s bucket has some)', () => {
    // A finding prints its construct path on the line below its message.
    const paths = nagOutput
      .join('\n')
      .split('\n')
      .map((line) => /^\s+(PlatformServices\/\S+)/.exec(line)?.[1])
      .filter((path) => path !== undefined);
    assert.ok(paths.length > 0, 'cdk-nag ran');
    assert.deepEqual(
      paths.filter((path) => !path.startsWith('PlatformServices/TeamBucket/')),
      [],
    );
  });

  it('passes cfn-lint: no error, no warning but W3005 (the DependsOn CDK writes on purpose)', {
    skip: !hasCfnLint && 'cfn-lint is not installed',
  }, () => {
    const files = readdirSync(app.outdir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => join(app.outdir, f));
    assert.ok(files.length > 2);
    const run = spawnSync('cfn-lint', ['--format', 'parseable', ...files], { encoding: 'utf8' });
    // Exit status: bit 2 errors, 4 warnings, 8 informational; anything else (1) is cfn-lint failing.
    assert.ok(run.status !== null && [0, 4, 8, 12].includes(run.status), `cfn-lint exited ${run.status}: ${run.stderr}`);
    const findings = run.stdout.split('\n').filter((line) => /:[EW]\d{4}:/.test(line));
    assert.deepEqual(
      findings.filter((line) => !line.includes(':W3005:')),
      [],
    );
  });
});
