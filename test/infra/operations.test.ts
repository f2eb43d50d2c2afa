import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type CfnResource, Stack } from 'aws-cdk-lib';
import { validateCustomDomain } from '../../infra/constructs/edge-viewer.js';
import { DEFAULT_INGEST_CONCURRENCY } from '../../infra/constructs/events.js';
import { ENV } from '../../shared/config/env.js';
import { JOB_STEP_RETRY_ATTEMPTS } from '../../shared/domain/job.js';
import { EVENT_FUNCTIONS, ROUTES } from '../../shared/routes.js';
import { inRootTerms, logicalId, type Resource, type Synthesized, statementsOf, synthesize } from './support.js';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666';
const US_EAST_1 = { env: { account: '123456789012', region: 'us-east-1' } } as const;

/** Every resource of every template, with its stack. */
function resources(s: Synthesized): { stack: Stack; id: string; resource: Resource }[] {
  return s.stacks.flatMap((stack) => Object.entries(s.template(stack).Resources).map(([id, resource]) => ({ stack, id, resource })));
}
const ofType = (s: Synthesized, type: string) => resources(s).filter((r) => r.resource.Type === type);
const only = (s: Synthesized, type: string): Resource => {
  const found = ofType(s, type);
  assert.equal(found.length, 1, type);
  return (found[0] as { resource: Resource }).resource;
};
const distributionConfig = (s: Synthesized) => only(s, 'AWS::CloudFront::Distribution').Properties.DistributionConfig;
const functionResource = (s: Synthesized, id: string): Resource => {
  const fn = s.stack.functions[id];
  assert.ok(fn, id);
  return s.template(Stack.of(fn)).Resources[logicalId(Stack.of(fn), fn.node.defaultChild as CfnResource)] as Resource;
};

describe('operations: the default deployment', () => {
  let s: Synthesized;
  before(() => {
    s = synthesize({}, { id: 'Ops' });
  });

  it('notifies one SNS topic from every alarm, on ALARM and on OK, and subscribes no one unless asked', () => {
    const [topic] = ofType(s, 'AWS::SNS::Topic');
    assert.ok(topic);
    const alarms = ofType(s, 'AWS::CloudWatch::Alarm');
    assert.ok(alarms.length >= 4);
    for (const { stack, id, resource } of alarms) {
      for (const key of ['AlarmActions', 'OKActions']) {
        assert.deepEqual(inRootTerms(s, stack, resource.Properties[key]), [{ Ref: topic.id }], `${id} ${key}`);
      }
    }
    assert.equal(ofType(s, 'AWS::SNS::Subscription').length, 0);
  });

  it('caps ingest with reserved concurrency; no other function reserves any', () => {
    assert.equal(functionResource(s, 'IngestArtifact').Properties.ReservedConcurrentExecutions, DEFAULT_INGEST_CONCURRENCY);
    for (const id of [...ROUTES.map((r) => r.id), ...EVENT_FUNCTIONS.map((d) => d.id)].filter((id) => id !== 'IngestArtifact')) {
      assert.equal(functionResource(s, id).Properties.ReservedConcurrentExecutions, undefined, id);
    }
  });

  it('runs background jobs from the table stream: one step per record, active jobs only, retried, then a dead-letter queue with an alarm', () => {
    const worker = s.stack.functions.RunJob;
    assert.ok(worker);
    const workerId = logicalId(Stack.of(worker), worker.node.defaultChild as CfnResource);
    const mappings = ofType(s, 'AWS::Lambda::EventSourceMapping').filter(({ resource }) =>
      JSON.stringify(resource.Properties.FunctionName).includes(workerId),
    );
    assert.equal(mappings.length, 1);
    const mapping = (mappings[0] as { stack: Stack; resource: Resource }).resource.Properties;
    assert.equal(mapping.BatchSize, 1);
    assert.equal(mapping.StartingPosition, 'TRIM_HORIZON');
    assert.equal(mapping.MaximumRetryAttempts, JOB_STEP_RETRY_ATTEMPTS);
    assert.equal(mapping.ParallelizationFactor, 10);
    assert.match(JSON.stringify(mapping.EventSourceArn), /StreamArn/);
    const pattern = JSON.parse(mapping.FilterCriteria.Filters[0].Pattern);
    assert.deepEqual(pattern, { dynamodb: { NewImage: { type: { S: ['job'] }, state: { S: ['queued', 'running'] } } } });
    const dlq = JSON.stringify(mapping.DestinationConfig.OnFailure.Destination);
    assert.match(dlq, /JobDeadLetters/);
    const alarm = ofType(s, 'AWS::CloudWatch::Alarm').find(({ id }) => id.startsWith('JobDeadLettersVisible'));
    assert.ok(alarm, 'the dead-letter queue has an alarm (wired to the topic like every alarm)');
    // Least privilege: the table (write, read back), the privacy tag and the deletes of an app-delete job; no reads or
    // writes of bytes, no edge, no users.
    const actions = statementsOf(s, worker).flatMap((st) => st.Action);
    assert.ok(
      actions.includes('s3:PutObjectTagging') && actions.includes('dynamodb:PutItem') && actions.includes('s3:DeleteObjectVersion'),
    );
    assert.ok(!actions.some((a) => /^s3:(Get|Put)Object$|^cloudfront|^cognito/.test(a)), actions.join(','));
    assert.ok(functionResource(s, 'RunJob').Properties.Timeout <= 120, 'a step ends well inside the timeout');
  });

  it('protects the user pool from deletion and gives the app client no OAuth flow (no example.com callback)', () => {
    assert.equal(only(s, 'AWS::Cognito::UserPool').Properties.DeletionProtection, 'ACTIVE');
    const client = only(s, 'AWS::Cognito::UserPoolClient').Properties;
    assert.equal(client.AllowedOAuthFlows, undefined);
    assert.notEqual(client.AllowedOAuthFlowsUserPoolClient, true);
    assert.doesNotMatch(JSON.stringify(client), /example\.com/);
    assert.equal(ofType(s, 'AWS::Cognito::UserPoolDomain').length, 0);
    assert.equal(only(s, 'AWS::Cognito::UserPool').Properties.UserPoolTier, undefined, 'threat protection is opt-in');
  });

  it('adds HSTS, nosniff, frame options and a referrer policy to every answer of every behaviour', () => {
    const config = distributionConfig(s);
    const policy = ofType(s, 'AWS::CloudFront::ResponseHeadersPolicy').find(
      (p) => p.id === config.DefaultCacheBehavior.ResponseHeadersPolicyId.Ref,
    );
    assert.ok(policy);
    const headers = policy.resource.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    assert.equal(headers.StrictTransportSecurity.AccessControlMaxAgeSec, 730 * 86_400);
    assert.equal(headers.StrictTransportSecurity.IncludeSubdomains, true);
    assert.equal(headers.ContentTypeOptions.Override, true);
    assert.equal(headers.FrameOptions.FrameOption, 'DENY');
    assert.equal(headers.ReferrerPolicy.ReferrerPolicy, 'no-referrer');
    // The console's policy carries the same headers and its CSP (test/infra/console.test.ts).
    const behaviours = [config.DefaultCacheBehavior, ...config.CacheBehaviors].filter((b) => b.PathPattern !== '/console/*');
    for (const behaviour of behaviours) {
      assert.deepEqual(behaviour.ResponseHeadersPolicyId, { Ref: policy.id }, behaviour.PathPattern ?? 'default');
    }
  });

  it('has no web ACL and no alternate domain unless asked', () => {
    const config = distributionConfig(s);
    assert.equal(config.WebACLId, undefined);
    assert.equal(config.Aliases, undefined);
    assert.equal(ofType(s, 'AWS::WAFv2::WebACL').length, 0);
  });

  it('health reads the table (GetItem) and the bucket (HeadBucket), and is never cached at the edge', () => {
    const health = s.stack.functions.Health;
    assert.ok(health);
    const actions = statementsOf(s, health).flatMap((st) => st.Action);
    assert.ok(actions.includes('dynamodb:GetItem'));
    assert.ok(actions.includes('s3:ListBucket'), 'HeadBucket is authorized by s3:ListBucket');
    const config = distributionConfig(s);
    const route = ROUTES.find((r) => r.id === 'Health');
    assert.equal(route?.edgeCache, false);
    // No cached behaviour matches /health: it falls to the default, whose policy is CachingDisabled.
    const matches = (pattern: string) =>
      new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test('/health');
    assert.equal((config.CacheBehaviors as { PathPattern: string }[]).filter((b) => matches(b.PathPattern)).length, 0);
    assert.equal(config.DefaultCacheBehavior.CachePolicyId, '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', 'Managed-CachingDisabled');
  });
});

describe('operations: every option on', () => {
  let s: Synthesized;
  before(() => {
    s = synthesize(
      {
        ...US_EAST_1,
        customDomain: { domainName: 'updates.example.org', certificateArn: CERTIFICATE },
        rateLimit: { requestsPer5Minutes: 2000 },
        alarmEmail: 'ops@example.org',
        ingestConcurrency: 25,
        threatProtection: 'enforced',
        hostedUi: { domainPrefix: 'ota-updates-test', callbackUrls: ['https://admin.example.org/callback'] },
        originSecretVersionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      },
      { id: 'OpsAll', nag: true },
    );
  });

  it('serves the custom domain with its us-east-1 certificate and TLSv1.2_2021, and builds every public link from it', () => {
    const config = distributionConfig(s);
    assert.deepEqual(config.Aliases, ['updates.example.org']);
    assert.deepEqual(config.ViewerCertificate, {
      AcmCertificateArn: CERTIFICATE,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    for (const id of [...ROUTES.map((r) => r.id), ...EVENT_FUNCTIONS.map((d) => d.id)]) {
      assert.equal(functionResource(s, id).Properties.Environment.Variables[ENV.publicBaseUrl], 'https://updates.example.org', id);
    }
  });

  it('puts a rate-based rule per IP in a CLOUDFRONT web ACL on the distribution', () => {
    const [acl] = ofType(s, 'AWS::WAFv2::WebACL');
    assert.ok(acl);
    assert.equal(acl.resource.Properties.Scope, 'CLOUDFRONT');
    assert.deepEqual(acl.resource.Properties.Rules[0].Statement.RateBasedStatement, {
      Limit: 2000,
      AggregateKeyType: 'IP',
      EvaluationWindowSec: 300,
    });
    assert.deepEqual(acl.resource.Properties.Rules[0].Action, { Block: {} });
    assert.deepEqual(distributionConfig(s).WebACLId, { 'Fn::GetAtt': [acl.id, 'Arn'] });
  });

  it('subscribes the alarm e-mail, reserves the asked ingest concurrency', () => {
    const subscription = only(s, 'AWS::SNS::Subscription').Properties;
    assert.equal(subscription.Protocol, 'email');
    assert.equal(subscription.Endpoint, 'ops@example.org');
    assert.equal(functionResource(s, 'IngestArtifact').Properties.ReservedConcurrentExecutions, 25);
  });

  it('turns on threat protection (Plus plan) and a hosted UI with the code flow only', () => {
    const pool = only(s, 'AWS::Cognito::UserPool').Properties;
    assert.equal(pool.UserPoolTier, 'PLUS');
    assert.equal(pool.UserPoolAddOns.AdvancedSecurityMode, 'ENFORCED');
    const client = only(s, 'AWS::Cognito::UserPoolClient').Properties;
    assert.deepEqual(client.AllowedOAuthFlows, ['code']);
    assert.deepEqual(client.CallbackURLs, ['https://admin.example.org/callback']);
    assert.equal(only(s, 'AWS::Cognito::UserPoolDomain').Properties.Domain, 'ota-updates-test');
  });

  it('sends CloudFront the pinned version of the origin secret (step 2 of a rotation)', () => {
    const [secret] = ofType(s, 'AWS::SecretsManager::Secret');
    const origin = (
      distributionConfig(s).Origins as { CustomOriginConfig?: unknown; OriginCustomHeaders?: { HeaderValue: unknown }[] }[]
    ).find((o) => o.CustomOriginConfig);
    assert.deepEqual(origin?.OriginCustomHeaders?.[0]?.HeaderValue, {
      'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secret?.id }, ':SecretString:::a1b2c3d4-5678-90ab-cdef-EXAMPLE11111}}']],
    });
  });

  it('passes cdk-nag without the custom-domain, WAF and threat-protection acknowledgements', () => {
    assert.deepEqual(s.nagFindings, []);
  });
});

describe('operations: refusals at synth', () => {
  it('refuses a certificate outside us-east-1, a malformed ARN or host name', () => {
    assert.throws(
      () => validateCustomDomain({ domainName: 'updates.example.org', certificateArn: CERTIFICATE.replace('us-east-1', 'eu-west-1') }),
      /only uses ACM certificates in us-east-1/,
    );
    assert.throws(() => validateCustomDomain({ domainName: 'updates.example.org', certificateArn: 'arn:aws:iam::1:x' }), /not an ACM/);
    assert.throws(() => validateCustomDomain({ domainName: 'https://updates.example.org', certificateArn: CERTIFICATE }), /host name/);
    assert.throws(
      () => synthesize({ customDomain: { domainName: 'u.example.org', certificateArn: CERTIFICATE.replace('us-east-1', 'eu-west-1') } }),
      /us-east-1/,
    );
  });

  it('refuses to create a CloudFront web ACL outside us-east-1, and takes one made there by ARN', () => {
    assert.throws(() => synthesize({ rateLimit: { requestsPer5Minutes: 2000 } }), /only be created in us-east-1/);
    const arn = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/ota-rate/0a1b2c3d-1111-2222-3333-444455556666';
    const s = synthesize({ rateLimit: { webAclArn: arn }, routes: ROUTES.filter((r) => r.id === 'Health') }, { id: 'AclByArn' });
    assert.equal(distributionConfig(s).WebACLId, arn);
    assert.throws(() => synthesize({ rateLimit: { webAclArn: arn.replace(':global/', ':regional/') } }), /CLOUDFRONT-scope/);
  });

  it('refuses a hosted UI redirecting to a placeholder or over plain http', () => {
    for (const url of ['https://example.com', 'http://admin.example.org/cb']) {
      assert.throws(() => synthesize({ hostedUi: { domainPrefix: 'ota-x', callbackUrls: [url] } }), /https URL of your own site/);
    }
  });
});
