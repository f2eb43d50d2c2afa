import { BOOTSTRAP_QUALIFIER_CONTEXT, type CfnResource, DefaultStackSynthesizer, Names, Stack, Token, Validations } from 'aws-cdk-lib';
import type { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import type { UserPool } from 'aws-cdk-lib/aws-cognito';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { Grant, RouteDefinition } from '../shared/http/route-definition.js';
import { EVENT_FUNCTIONS } from '../shared/routes.js';
import { objectKeys } from '../shared/storage/keys.js';
import { CLOUDFRONT_LOG_DELIVERY_REGION, type EdgeAccessLogs } from './constructs/edge-access-logs.js';
import type { EventFunctions } from './constructs/events.js';
import type { Routes } from './constructs/routes.js';
import type { Telemetry } from './constructs/telemetry.js';
import type { OtaFunction } from './ota-function.js';

export interface ReviewedParts {
  readonly userPool: UserPool;
  readonly threatProtection: boolean;
  readonly distribution: Distribution;
  readonly customDomain: boolean;
  readonly rateLimit: boolean;
  readonly alarmTopic: Topic;
  readonly accessLogs: EdgeAccessLogs;
  readonly originVerify: Secret;
  readonly artifacts: Bucket;
  /** The web console's bucket (constructs/console-site.ts). */
  readonly consoleFiles: Bucket;
  readonly routes: Routes;
  readonly routeTable: readonly RouteDefinition[];
  readonly events: EventFunctions;
  readonly telemetry: Telemetry;
}

const NAG = 'AwsSolutions::AwsSolutions';

/**
 * cdk-nag AwsSolutions findings that were reviewed and accepted. Each carries the reason a
 * reviewer needs; `npm test` fails on any finding that is not listed here.
 */
export function acknowledgeReviewedFindings(scope: Construct, parts: ReviewedParts): void {
  const stack = Stack.of(scope);
  Validations.of(scope).acknowledge({
    id: `${NAG}-L1`,
    reason: 'Node.js 22 is the runtime this product targets and tests against; moving to a newer runtime is a deliberate, tested change.',
  });
  acknowledgeOnCdkSingleton(stack, 'BucketNotificationsHandler', {
    id: `${NAG}-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]`,
    reason: 'CDK-owned custom resource that configures the bucket notification once at deploy time; its role is not ours to shape.',
  });
  acknowledgeConsoleDeployment(stack, parts.consoleFiles);
  Validations.of(parts.userPool).acknowledge({
    id: `${NAG}-COG2`,
    reason:
      'MFA is optional (TOTP) rather than required: CI pipelines sign in with USER_PASSWORD_AUTH until scoped API tokens exist (roadmap: teams and security).',
  });
  if (!parts.threatProtection) {
    Validations.of(parts.userPool).acknowledge({
      id: `${NAG}-COG8`,
      reason:
        "Threat protection (the Plus feature plan) is a per-user cost the deployer opts into with -c threatProtection=audit|enforced; self sign-up is disabled: admins create users, and so do holders of the deployer's faynoSync sign-up key when the stack enables it.",
    });
  }
  Validations.of(parts.distribution).acknowledge(
    { id: `${NAG}-CFR1`, reason: 'An update server serves installed apps worldwide; geo restriction is a deployer decision.' },
    {
      id: `${NAG}-CFR3`,
      reason:
        'Access logs are on, through standard logging v2 (EdgeAccessLogs, configured in us-east-1 for every region); the rule only recognizes the legacy Logging property (cdklabs/cdk-nag#1876).',
    },
  );
  if (!parts.rateLimit) {
    Validations.of(parts.distribution).acknowledge({
      id: `${NAG}-CFR2`,
      reason:
        'WAF is an opt-in cost (-c wafRateLimit=N or -c webAclArn=…; $5/month per web ACL + $1 per rule + $0.60 per million requests): public paths are edge-cached and validated, management paths are authenticated by the functions, and the API stage is throttled.',
    });
  }
  if (!parts.customDomain) {
    Validations.of(parts.distribution).acknowledge({
      id: `${NAG}-CFR4`,
      reason:
        'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose TLS policy cannot be set; with -c domainName=… -c certificateArn=… the distribution requires TLSv1.2_2021 (edge-viewer.ts).',
    });
  }
  Validations.of(parts.alarmTopic).acknowledge({
    id: `${NAG}-SNS2`,
    reason:
      'Alarm notifications carry alarm names and states only. CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key (its key policy does not admit CloudWatch), and a customer-managed key would cost more than the data is worth.',
  });
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  Validations.of(parts.accessLogs).acknowledge({
    id: `${NAG}-IAM5[Resource::arn:<AWS::Partition>:logs:${CLOUDFRONT_LOG_DELIVERY_REGION}:${account}:delivery:*]`,
    reason: 'The delivery id is assigned by CloudWatch Logs when the delivery is created; source and destination are named exactly.',
  });
  acknowledgeOnCdkSingleton(stack, 'AWS679f53fac002430cb0da5b7982bd2287', {
    id: `${NAG}-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]`,
    reason: 'CDK-owned AwsCustomResource provider that sets up CloudFront log delivery at deploy time; its role is not ours to shape.',
  });
  Validations.of(parts.originVerify).acknowledge({
    id: `${NAG}-SMG4`,
    reason:
      "CloudFront's origin header is resolved from the secret only when the distribution is updated, so a rotation Lambda would leave the edge sending a value nobody accepts once the previous one is retired. Rotation is the documented three-step procedure (docs/operations.md): put a new value, deploy with its version id, retire the previous; the functions accept current and previous meanwhile. The value only proves a request came through CloudFront and grants no data access.",
  });
  Validations.of(parts.telemetry.key).acknowledge({
    id: `${NAG}-SMG4`,
    reason:
      'The device-hash key reaches the aggregator through a dynamic reference, resolved only when the function changes; rotating it would also split every device into two for the 30 days of retention. Replace the secret (new construct id) to rotate.',
  });
  for (const queue of [...parts.events.deadLetterQueues, parts.telemetry.deadLetters]) {
    Validations.of(queue).acknowledge({
      id: `${NAG}-SQS3`,
      reason:
        'This queue is itself the dead-letter destination of a Lambda (async-invoke failure or stream event source); it has an alarm.',
    });
  }
  acknowledgeArtifactPrefixes(parts);
  for (const route of parts.routeTable) {
    const httpRoute = parts.routes.httpRoutes[route.id];
    if (!httpRoute) continue; // left out for the first step of an upgrade
    Validations.of(httpRoute).acknowledge({
      id: `${NAG}-APIG4`,
      reason:
        route.access.kind === 'public'
          ? 'Public by design: stock updater clients (Tauri) call check and download without credentials; inputs are validated and answers are edge-cached.'
          : 'Authorized inside the function (Cognito tokens verified with aws-jwt-verify, API tokens next), so every refusal has the service error shape; an API Gateway authorizer would answer in its own shape.',
    });
  }
}

/** Object-key wildcards under a prefix: object keys carry app, release and artifact ids created at run time. */
function acknowledgeArtifactPrefixes(parts: ReviewedParts): void {
  const functions: [OtaFunction, readonly Grant[]][] = [
    ...parts.routeTable.map((r): [OtaFunction, readonly Grant[]] => [parts.routes.functions[r.id] as OtaFunction, r.grants]),
    ...EVENT_FUNCTIONS.map((d): [OtaFunction, readonly Grant[]] => [
      (parts.events.functions[d.id] ?? parts.telemetry.aggregator) as OtaFunction,
      d.grants,
    ]),
  ];
  const prefixesOf: Record<Grant, string[]> = {
    'table:get': [],
    'table:query': [],
    'table:index': [],
    'table:write': [],
    'edge:state': [],
    'cognito:create-user': [],
    'cognito:manage-users': [],
    'auth:read': [],
    'audit:write': [],
    'telemetry:count': [],
    'webhooks:record': [],
    'artifacts:presign-put': [objectKeys.stagingRoot],
    'artifacts:multipart': [objectKeys.stagingRoot],
    'artifacts:head': [],
    'artifacts:promote': [objectKeys.stagingRoot, objectKeys.artifactRoot],
    'artifacts:read': [objectKeys.artifactRoot],
    'artifacts:tag': [objectKeys.artifactRoot],
    'artifacts:delete': [objectKeys.stagingRoot, objectKeys.artifactRoot],
  };
  for (const [fn, grants] of functions) {
    const bucketArn = referenceFrom(fn, parts.artifacts.node.defaultChild as CfnResource, 'Arn');
    for (const prefix of new Set(grants.flatMap((g) => prefixesOf[g]))) {
      Validations.of(fn.role as Construct).acknowledge({
        id: `${NAG}-IAM5[Resource::${bucketArn}/${prefix}*]`,
        reason: `Scoped to the ${prefix} prefix: object keys carry app, release and artifact ids created at run time.`,
      });
    }
  }
  // CDK grants the ingest function invoke on its failure destination and that function's versions.
  const ingestFailed = parts.events.functions.IngestFailed as OtaFunction;
  Validations.of(parts.events.functions.IngestArtifact?.role as Construct).acknowledge({
    id: `${NAG}-IAM5[Resource::${referenceFrom(ingestFailed, ingestFailed.node.defaultChild as CfnResource, 'Arn')}:*]`,
    reason: 'Lambda destination grant written by CDK: invoke the IngestFailed function, any of its versions.',
  });
}

/**
 * CDK's BucketDeployment function (one per stack) copies the web console's built files at deploy
 * time. CDK writes its role: read on the CDK asset bucket, write and delete on the destination, the
 * console's own bucket, which holds nothing but built files (never the artifact bucket).
 */
function acknowledgeConsoleDeployment(stack: Stack, consoleFiles: Bucket): void {
  const unresolved = (value: string, name: string) => (Token.isUnresolved(value) ? `<AWS::${name}>` : value);
  const qualifier = String(stack.node.tryGetContext(BOOTSTRAP_QUALIFIER_CONTEXT) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER);
  const assetBucket = `cdk-${qualifier}-assets-${unresolved(stack.account, 'AccountId')}-${unresolved(stack.region, 'Region')}`;
  const reason =
    "CDK-owned BucketDeployment function that copies the web console's built files at deploy time: CDK grants it read on the CDK asset bucket and write/delete on the console's own bucket only (console-site.ts), never the artifact bucket.";
  const findings = [
    `${NAG}-L1`,
    `${NAG}-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]`,
    ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map((action) => `${NAG}-IAM5[Action::${action}]`),
    `${NAG}-IAM5[Resource::arn:<AWS::Partition>:s3:::${assetBucket}/*]`,
    `${NAG}-IAM5[Resource::<${stack.getLogicalId(consoleFiles.node.defaultChild as CfnResource)}.Arn>/*]`,
  ];
  for (const id of findings) acknowledgeOnCdkSingleton(stack, 'Custom::CDKBucketDeployment', { id, reason });
}

/** How cdk-nag prints an attribute of `target` as seen from `from`'s stack (nested stacks receive it as a parameter). */
function referenceFrom(from: Construct, target: CfnResource, attribute: string): string {
  return Stack.of(from) === Stack.of(target)
    ? `<${Stack.of(target).getLogicalId(target)}.${attribute}>`
    : `<referenceto${Names.uniqueId(target)}${attribute}>`;
}

function acknowledgeOnCdkSingleton(stack: Stack, idPrefix: string, rule: { id: string; reason: string }): void {
  for (const child of stack.node.children) {
    if (child.node.id.startsWith(idPrefix)) Validations.of(child).acknowledge(rule);
  }
}
