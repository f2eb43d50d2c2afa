import { createRequire } from 'node:module';
import { App, Validations } from 'aws-cdk-lib';
import { DEFAULT_AUDIT_RETENTION_DAYS } from '../shared/config/env.js';
import { DEFAULT_SLUG_HOLD_DAYS } from '../shared/domain/slug.js';
import { OtaStack } from './ota-stack.js';
import { EARLIER_LAYOUTS, type EarlierLayout } from './route-stacks.js';

// cdk-nag is CommonJS with re-exported names that Node's ESM loader cannot see.
const { AwsSolutionsChecks } = createRequire(import.meta.url)('cdk-nag') as typeof import('cdk-nag');

const app = new App();
// A custom domain in front of the distribution: `cdk deploy -c publicBaseUrl=https://updates.example.com`.
const publicBaseUrl: unknown = app.node.tryGetContext('publicBaseUrl');
if (publicBaseUrl !== undefined && (typeof publicBaseUrl !== 'string' || !/^https:\/\/[^/]+$/.test(publicBaseUrl))) {
  throw new Error('Context publicBaseUrl must be an https:// origin without a path or trailing slash');
}
// faynoSync's POST /signup with a generated sign-up key: `cdk deploy -c faynosyncSignup=true`.
const faynosyncSignup = String(app.node.tryGetContext('faynosyncSignup') ?? 'false') === 'true';
// How long the audit trail keeps a change: `cdk deploy -c auditRetentionDays=365` (default 90).
const auditRetentionDays = Number(app.node.tryGetContext('auditRetentionDays') ?? DEFAULT_AUDIT_RETENTION_DAYS);
if (!Number.isInteger(auditRetentionDays) || auditRetentionDays < 1 || auditRetentionDays > 3650) {
  throw new Error('Context auditRetentionDays must be a whole number of days, 1-3650');
}
// How long a deleted app's slug stays held for its owner: `cdk deploy -c slugHoldDays=90` (default 30, 0 = none).
const slugHoldDays = Number(app.node.tryGetContext('slugHoldDays') ?? DEFAULT_SLUG_HOLD_DAYS);
if (!Number.isInteger(slugHoldDays) || slugHoldDays < 0 || slugHoldDays > 3650) {
  throw new Error('Context slugHoldDays must be a whole number of days, 0-3650');
}
// The first of two deploys when upgrading from an earlier layout (docs/operations.md#upgrade).
const upgradeFrom: unknown = app.node.tryGetContext('upgradeFrom');
if (upgradeFrom !== undefined && !EARLIER_LAYOUTS.includes(upgradeFrom as EarlierLayout)) {
  throw new Error(`Context upgradeFrom must be one of ${EARLIER_LAYOUTS.join(', ')}`);
}
new OtaStack(app, 'OtaUpdateServer', {
  description: 'Self-hosted OTA update server (Tauri updater protocol)',
  // Account and region come from the deploying credentials; synth needs neither.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  ...(publicBaseUrl ? { publicBaseUrl } : {}),
  faynosyncSignup,
  auditRetentionDays,
  slugHoldDays,
  ...(upgradeFrom ? { upgradeFrom: upgradeFrom as EarlierLayout } : {}),
});
// Synth fails on any AwsSolutions finding that was not acknowledged with a reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
