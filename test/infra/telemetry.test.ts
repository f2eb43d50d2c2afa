import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { CfnResource } from 'aws-cdk-lib';
import { TELEMETRY_BATCH } from '../../infra/constructs/telemetry.js';
import { ENV } from '../../shared/config/env.js';
import { EDGE_LOG_FIELDS } from '../../shared/domain/edge-log.js';
import { logicalId, type Resource, type Synthesized, statementsOf, synthesize } from './support.js';

describe('telemetry: real-time logs → Kinesis → one aggregator (synthesized template)', () => {
  let s: Synthesized;
  let root: Record<string, Resource>;
  const ofType = (type: string) => Object.entries(root).filter(([, r]) => r.Type === type);

  before(() => {
    s = synthesize();
    root = s.template(s.stack).Resources;
  });

  it('logs every request of every cached behaviour, in the field order the aggregator parses, unsampled', () => {
    const [config] = ofType('AWS::CloudFront::RealtimeLogConfig');
    assert.ok(config);
    assert.deepEqual(config[1].Properties.Fields, [...EDGE_LOG_FIELDS]);
    assert.equal(config[1].Properties.SamplingRate, 100);
    const [, distribution] = ofType('AWS::CloudFront::Distribution')[0] as [string, Resource];
    const behaviors = distribution.Properties.DistributionConfig.CacheBehaviors as {
      PathPattern: string;
      CachePolicyId: unknown;
      RealtimeLogConfigArn?: unknown;
    }[];
    const cachedPatterns = new Set(
      behaviors.filter((b) => JSON.stringify(b.CachePolicyId).includes('RouteCache')).map((b) => b.PathPattern),
    );
    assert.ok(cachedPatterns.size >= 10, 'the checks, feeds and downloads');
    for (const b of behaviors) {
      const logged = JSON.stringify(b.RealtimeLogConfigArn ?? '').includes(config[0]);
      assert.equal(logged, cachedPatterns.has(b.PathPattern), `${b.PathPattern}: logged exactly when cached`);
    }
    // Checks are still cached: the log is a side channel, never a reason to skip the cache.
    assert.ok(!distribution.Properties.DistributionConfig.DefaultCacheBehavior.RealtimeLogConfigArn);
  });

  it('lets CloudFront only describe and put records into the encrypted stream', () => {
    const [streamId, stream] = ofType('AWS::Kinesis::Stream')[0] as [string, Resource];
    assert.deepEqual(stream.Properties.StreamEncryption, { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' });
    assert.equal(stream.Properties.ShardCount, 1);
    const [, config] = ofType('AWS::CloudFront::RealtimeLogConfig')[0] as [string, Resource];
    const roleRef = config.Properties.EndPoints[0].KinesisStreamConfig.RoleArn['Fn::GetAtt'][0] as string;
    const role = root[roleRef] as Resource;
    assert.deepEqual(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal, { Service: 'cloudfront.amazonaws.com' });
    const statements = ofType('AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleRef))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((st: { Action: string | string[] }) => [st.Action].flat()).sort();
    assert.deepEqual(actions, ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:PutRecord', 'kinesis:PutRecords']);
    for (const st of statements) assert.deepEqual(st.Resource, { 'Fn::GetAtt': [streamId, 'Arn'] });
  });

  it('gives the aggregator its counter rows and the lookups it resolves apps by, nothing else of the table', () => {
    const fn = s.stack.functions.AggregateTelemetry;
    assert.ok(fn);
    const table = statementsOf(s, fn).filter((st) => st.Action.some((a) => a.startsWith('dynamodb:')));
    assert.deepEqual(
      table.map((st) => [st.Action.sort(), st.Condition]),
      [
        [['dynamodb:GetItem', 'dynamodb:UpdateItem'], { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TEL#*'] } }],
        [['dynamodb:GetItem'], { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SLUG#*', 'FSAPP#*'] } }],
      ],
    );
    const resource = root[logicalId(s.stack, fn.node.defaultChild as CfnResource)] as Resource;
    const key = JSON.stringify(resource.Properties.Environment.Variables[ENV.telemetryKey]);
    assert.match(key, /resolve:secretsmanager/, 'the key is a dynamic reference, never a literal');
    // No other function holds the key.
    const holders = s.stacks.flatMap((stack) =>
      Object.entries(s.template(stack).Resources).filter(
        ([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.[ENV.telemetryKey] !== undefined,
      ),
    );
    assert.deepEqual(
      holders.map(([id]) => id),
      [logicalId(s.stack, fn.node.defaultChild as CfnResource)],
    );
  });

  it('reads the stream in bounded batches, bisecting failures into a dead-letter queue', () => {
    const [, mapping] = ofType('AWS::Lambda::EventSourceMapping').find(([, m]) =>
      JSON.stringify(m.Properties.EventSourceArn).includes('EdgeLogs'),
    ) as [string, Resource];
    assert.equal(mapping.Properties.BatchSize, TELEMETRY_BATCH.size);
    assert.equal(mapping.Properties.MaximumBatchingWindowInSeconds, TELEMETRY_BATCH.windowSeconds);
    assert.equal(mapping.Properties.BisectBatchOnFunctionError, true);
    assert.equal(mapping.Properties.MaximumRetryAttempts, 2);
    assert.ok(mapping.Properties.DestinationConfig.OnFailure.Destination);
  });
});
