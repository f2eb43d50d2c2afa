import { type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import type { UserPool } from 'aws-cdk-lib/aws-cognito';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { objectKeys } from '../shared/storage/keys.js';
import type { OtaFunction } from './ota-function.js';

export interface ReviewedParts {
  readonly userPool: UserPool;
  readonly distribution: Distribution;
  readonly artifacts: Bucket;
  readonly publicRoutes: readonly HttpRoute[];
  /** Functions granted access to artifact objects (the `ota/*` prefix). */
  readonly artifactFunctions: readonly OtaFunction[];
}

const NAG = 'AwsSolutions::AwsSolutions';

/**
 * cdk-nag AwsSolutions findings that were reviewed and accepted. Each carries the reason a
 * reviewer needs; `npm test` fails on any finding that is not listed here.
 */
export function acknowledgeReviewedFindings(stack: Stack, parts: ReviewedParts): void {
  Validations.of(stack).acknowledge({
    id: `${NAG}-L1`,
    reason: 'Node.js 22 is the runtime this product targets and tests against; moving to a newer runtime is a deliberate, tested change.',
  });
  acknowledgeOnCdkSingleton(stack, 'BucketNotificationsHandler', {
    id: `${NAG}-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]`,
    reason: 'CDK-owned custom resource that configures the bucket notification once at deploy time; its role is not ours to shape.',
  });
  Validations.of(parts.userPool).acknowledge(
    {
      id: `${NAG}-COG2`,
      reason:
        'MFA is optional (TOTP) rather than required: CI pipelines sign in with USER_PASSWORD_AUTH until scoped API tokens exist (roadmap: teams and security).',
    },
    {
      id: `${NAG}-COG8`,
      reason:
        'The Plus feature plan (threat protection) is a per-user cost the deployer opts into; self sign-up is disabled and only admins create users.',
    },
  );
  Validations.of(parts.distribution).acknowledge(
    { id: `${NAG}-CFR1`, reason: 'An update server serves installed apps worldwide; geo restriction is a deployer decision.' },
    {
      id: `${NAG}-CFR2`,
      reason:
        'WAF is an opt-in cost: public paths are edge-cached and validated, management paths require a Cognito token, and the API stage is throttled.',
    },
    {
      id: `${NAG}-CFR4`,
      reason:
        'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose TLS policy cannot be set; a custom domain gets TLSv1.2_2021.',
    },
  );
  for (const route of parts.publicRoutes) {
    Validations.of(route).acknowledge({
      id: `${NAG}-APIG4`,
      reason:
        'Public by design: stock updater clients (Tauri) call check and download without credentials; inputs are validated and answers are edge-cached.',
    });
  }
  const bucketId = Stack.of(parts.artifacts).getLogicalId(parts.artifacts.node.defaultChild as CfnResource);
  for (const fn of parts.artifactFunctions) {
    Validations.of(fn.role as Construct).acknowledge({
      id: `${NAG}-IAM5[Resource::<${bucketId}.Arn>/${objectKeys.artifactRoot}*]`,
      reason: 'Scoped to the artifact prefix: object keys carry app and release ids created at run time.',
    });
  }
}

function acknowledgeOnCdkSingleton(stack: Stack, idPrefix: string, rule: { id: string; reason: string }): void {
  for (const child of stack.node.children) {
    if (child.node.id.startsWith(idPrefix)) Validations.of(child).acknowledge(rule);
  }
}
