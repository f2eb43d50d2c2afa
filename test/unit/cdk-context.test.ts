import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Duration } from 'aws-cdk-lib';
import { propsFromContext } from '../../infra/context.js';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666';
const from = (context: Record<string, unknown>) => propsFromContext((name) => context[name]);

describe('cdk deploy -c options onto the OtaUpdateServer props', () => {
  it('gives the defaults when no option is set', () => {
    assert.deepEqual(from({}), { faynosyncSignup: false, auditRetentionDays: 90, slugHoldDays: 30 });
  });

  it('maps every documented option (context values arrive as strings)', () => {
    assert.deepEqual(
      from({
        domainName: 'updates.example.com',
        certificateArn: CERTIFICATE,
        wafRateLimit: '2000',
        alarmEmail: 'ops@example.com',
        ingestConcurrency: '20',
        threatProtection: 'audit',
        hostedUiDomainPrefix: 'ota-acme',
        hostedUiCallbackUrls: 'https://a.example.com/cb, https://b.example.com/cb',
        originSecretVersionId: 'v-1',
        faynosyncSignup: 'true',
        auditRetentionDays: '365',
        slugHoldDays: '0',
        upgradeFrom: 'domain-stacks',
        edgeAnswerTtlSeconds: '300',
        edgeArtifactTtlDays: '30',
      }),
      {
        customDomain: { domainName: 'updates.example.com', certificateArn: CERTIFICATE },
        rateLimit: { requestsPer5Minutes: 2000 },
        alarmEmail: 'ops@example.com',
        ingestConcurrency: 20,
        threatProtection: 'audit',
        hostedUi: { domainPrefix: 'ota-acme', callbackUrls: ['https://a.example.com/cb', 'https://b.example.com/cb'] },
        originSecretVersionId: 'v-1',
        faynosyncSignup: true,
        auditRetentionDays: 365,
        slugHoldDays: 0,
        upgradeFrom: 'domain-stacks',
        edgeTtl: { answers: Duration.seconds(300), artifacts: Duration.days(30) },
      },
    );
    assert.deepEqual(from({ webAclArn: 'arn:aws:wafv2:us-east-1:1:global/webacl/a/b', wafRateLimit: '5' }).rateLimit, {
      webAclArn: 'arn:aws:wafv2:us-east-1:1:global/webacl/a/b',
    });
    assert.equal(from({ ingestConcurrency: 'none' }).ingestConcurrency, null);
  });

  it('refuses what a deploy could not use', () => {
    assert.throws(() => from({ publicBaseUrl: 'https://x' }), /domainName/);
    assert.throws(() => from({ domainName: 'updates.example.com' }), /go together/);
    assert.throws(() => from({ ingestConcurrency: '0' }), /ingestConcurrency/);
    assert.throws(() => from({ threatProtection: 'on' }), /threatProtection/);
    assert.throws(() => from({ auditRetentionDays: '0' }), /auditRetentionDays/);
    assert.throws(() => from({ slugHoldDays: '1.5' }), /slugHoldDays/);
    assert.throws(() => from({ upgradeFrom: 'v1' }), /upgradeFrom/);
    assert.throws(() => from({ edgeAnswerTtlSeconds: '7200' }), /edgeAnswerTtlSeconds/);
    assert.throws(() => from({ edgeArtifactTtlDays: '0' }), /edgeArtifactTtlDays/);
  });
});
