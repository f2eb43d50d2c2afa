import { createRequire } from 'node:module';
import { App, Validations } from 'aws-cdk-lib';
import { propsFromContext } from './context.js';
import { OtaStack } from './ota-stack.js';

// cdk-nag is CommonJS with re-exported names that Node's ESM loader cannot see.
const { AwsSolutionsChecks } = createRequire(import.meta.url)('cdk-nag') as typeof import('cdk-nag');

const app = new App();
// The server (infra/ota-update-server.ts) in a stack of its own; every `-c` option maps onto its props (infra/context.ts).
new OtaStack(app, 'OtaUpdateServer', {
  description: 'Self-hosted OTA update server (Tauri updater protocol)',
  // Account and region come from the deploying credentials; synth needs neither.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  ...propsFromContext((name) => app.node.tryGetContext(name)),
});
// Synth fails on any AwsSolutions finding that was not acknowledged with a reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
