import { Duration } from 'aws-cdk-lib';
import { DEFAULT_AUDIT_RETENTION_DAYS } from '../shared/config/env.js';
import { DEFAULT_SLUG_HOLD_DAYS } from '../shared/domain/slug.js';
import { EDGE_TTL_SECONDS } from '../shared/http/edge.js';
import { THREAT_PROTECTION_MODES, type ThreatProtection } from './constructs/auth.js';
import { MAX_ARTIFACT_TTL_DAYS } from './constructs/edge.js';
import { validateCustomDomain } from './constructs/edge-viewer.js';
import type { OtaUpdateServerProps } from './ota-update-server.js';
import { EARLIER_LAYOUTS, type EarlierLayout } from './route-stacks.js';

/**
 * The `-c name=value` context options of `cdk deploy` (docs/operations.md) mapped onto the
 * construct's props, in one place; refuses a value the deploy could not use.
 */
export function propsFromContext(tryGetContext: (name: string) => unknown): OtaUpdateServerProps {
  const context = (name: string): string | undefined => {
    const value = tryGetContext(name);
    return value === undefined || value === '' ? undefined : String(value);
  };
  if (context('publicBaseUrl')) {
    throw new Error(
      'Context publicBaseUrl is replaced by -c domainName=updates.example.com -c certificateArn=<ACM certificate in us-east-1>',
    );
  }
  // A custom domain in front of the distribution: `-c domainName=updates.example.com -c certificateArn=arn:aws:acm:us-east-1:…`.
  const domainName = context('domainName');
  const certificateArn = context('certificateArn');
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    throw new Error('Contexts domainName and certificateArn go together (CloudFront needs a certificate for the name)');
  }
  const customDomain = domainName && certificateArn ? validateCustomDomain({ domainName, certificateArn }) : undefined;
  // A rate-based WAF rule: `-c wafRateLimit=2000` (requests per IP per 5 minutes; stack in us-east-1) or `-c webAclArn=…`.
  const wafRateLimit = context('wafRateLimit');
  const webAclArn = context('webAclArn');
  const rateLimit = webAclArn ? { webAclArn } : wafRateLimit ? { requestsPer5Minutes: Number(wafRateLimit) } : undefined;
  // Concurrent ingests at most: `-c ingestConcurrency=20`, or `none` for no reserved concurrency.
  const ingestConcurrencyText = context('ingestConcurrency');
  const ingestConcurrency =
    ingestConcurrencyText === 'none' ? null : ingestConcurrencyText === undefined ? undefined : Number(ingestConcurrencyText);
  if (
    typeof ingestConcurrency === 'number' &&
    (!Number.isInteger(ingestConcurrency) || ingestConcurrency < 1 || ingestConcurrency > 1000)
  ) {
    throw new Error('Context ingestConcurrency must be a whole number 1-1000, or none');
  }
  const threatProtection = context('threatProtection');
  if (threatProtection !== undefined && !THREAT_PROTECTION_MODES.includes(threatProtection as ThreatProtection)) {
    throw new Error(`Context threatProtection must be one of ${THREAT_PROTECTION_MODES.join(', ')}`);
  }
  const hostedUiDomainPrefix = context('hostedUiDomainPrefix');
  const hostedUiCallbackUrls =
    context('hostedUiCallbackUrls')
      ?.split(',')
      .map((url) => url.trim())
      .filter(Boolean) ?? [];
  const alarmEmail = context('alarmEmail');
  const originSecretVersionId = context('originSecretVersionId');
  // faynoSync's POST /signup with a generated sign-up key: `cdk deploy -c faynosyncSignup=true`.
  const faynosyncSignup = String(tryGetContext('faynosyncSignup') ?? 'false') === 'true';
  // How long the audit trail keeps a change: `cdk deploy -c auditRetentionDays=365` (default 90).
  const auditRetentionDays = Number(tryGetContext('auditRetentionDays') ?? DEFAULT_AUDIT_RETENTION_DAYS);
  if (!Number.isInteger(auditRetentionDays) || auditRetentionDays < 1 || auditRetentionDays > 3650) {
    throw new Error('Context auditRetentionDays must be a whole number of days, 1-3650');
  }
  // How long a deleted app's slug stays held for its owner: `cdk deploy -c slugHoldDays=90` (default 30, 0 = none).
  const slugHoldDays = Number(tryGetContext('slugHoldDays') ?? DEFAULT_SLUG_HOLD_DAYS);
  if (!Number.isInteger(slugHoldDays) || slugHoldDays < 0 || slugHoldDays > 3650) {
    throw new Error('Context slugHoldDays must be a whole number of days, 0-3650');
  }
  // The edge's cache lifetimes: `-c edgeAnswerTtlSeconds=300` (1-3600, default 3600), `-c edgeArtifactTtlDays=30` (1-365, default 7);
  // the ranges are the construct's own (edgeTtls), the whole-number rule the context's.
  const answerTtl = tryGetContext('edgeAnswerTtlSeconds');
  const artifactTtl = tryGetContext('edgeArtifactTtlDays');
  const answers = answerTtl === undefined ? undefined : Number(answerTtl);
  const artifacts = artifactTtl === undefined ? undefined : Number(artifactTtl);
  if (answers !== undefined && (!Number.isInteger(answers) || answers < 1 || answers > EDGE_TTL_SECONDS)) {
    throw new Error(`Context edgeAnswerTtlSeconds must be a whole number of seconds, 1-${EDGE_TTL_SECONDS}`);
  }
  if (artifacts !== undefined && (!Number.isInteger(artifacts) || artifacts < 1 || artifacts > MAX_ARTIFACT_TTL_DAYS)) {
    throw new Error(`Context edgeArtifactTtlDays must be a whole number of days, 1-${MAX_ARTIFACT_TTL_DAYS}`);
  }
  // The first of two deploys when upgrading from an earlier layout (docs/operations.md#upgrade).
  const upgradeFrom = tryGetContext('upgradeFrom');
  if (upgradeFrom !== undefined && !EARLIER_LAYOUTS.includes(upgradeFrom as EarlierLayout)) {
    throw new Error(`Context upgradeFrom must be one of ${EARLIER_LAYOUTS.join(', ')}`);
  }
  return {
    ...(customDomain ? { customDomain } : {}),
    ...(rateLimit ? { rateLimit } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(ingestConcurrency !== undefined ? { ingestConcurrency } : {}),
    ...(threatProtection ? { threatProtection: threatProtection as ThreatProtection } : {}),
    ...(hostedUiDomainPrefix ? { hostedUi: { domainPrefix: hostedUiDomainPrefix, callbackUrls: hostedUiCallbackUrls } } : {}),
    ...(originSecretVersionId ? { originSecretVersionId } : {}),
    faynosyncSignup,
    auditRetentionDays,
    slugHoldDays,
    ...(upgradeFrom ? { upgradeFrom: upgradeFrom as EarlierLayout } : {}),
    ...(answers !== undefined || artifacts !== undefined
      ? {
          edgeTtl: {
            ...(answers !== undefined ? { answers: Duration.seconds(answers) } : {}),
            ...(artifacts !== undefined ? { artifacts: Duration.days(artifacts) } : {}),
          },
        }
      : {}),
  };
}
