import type { IDistribution, IKeyValueStore } from 'aws-cdk-lib/aws-cloudfront';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { ENV } from '../../shared/config/env.js';
import type { Grant } from '../../shared/http/route-definition.js';
import { keys, objectKeys } from '../../shared/storage/keys.js';
import { PRIVATE_TAG } from '../../shared/storage/object-tags.js';
import { TABLE_DEFINITION } from '../../shared/storage/table-definition.js';
import type { OtaFunction } from '../ota-function.js';

/** The resources a grant can name. */
export interface GrantTargets {
  readonly table: ITableV2;
  readonly artifacts: IBucket;
  readonly distribution: IDistribution;
  /** The edge's per-app state (CloudFront KeyValueStore). */
  readonly edgeState: IKeyValueStore;
  readonly userPool: IUserPool;
  /** The faynoSync sign-up key (a dynamic reference to its secret) when the stack enables sign-up. */
  readonly signupKey?: string;
}

/** What the edge-state writer may do with the KeyValueStore: read its ETag and values, write and delete keys. */
export const EDGE_STATE_ACTIONS = [
  'cloudfront-keyvaluestore:DescribeKeyValueStore',
  'cloudfront-keyvaluestore:GetKey',
  'cloudfront-keyvaluestore:PutKey',
  'cloudfront-keyvaluestore:UpdateKeys',
  'cloudfront-keyvaluestore:DeleteKey',
] as const;

/** Every action `table:write` allows (transactions use ConditionCheckItem; reads back with GetItem and Query). */
const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
];

/** The IAM statements of one grant: the narrowest actions on the narrowest resources. */
export function grantStatements(grant: Grant, targets: GrantTargets): PolicyStatement[] {
  const table = targets.table.tableArn;
  const staging = targets.artifacts.arnForObjects(`${objectKeys.stagingRoot}*`);
  const artifacts = targets.artifacts.arnForObjects(`${objectKeys.artifactRoot}*`);
  const statement = (actions: string[], resources: string[]) => new PolicyStatement({ actions, resources });
  switch (grant) {
    case 'table:get':
      return [statement(['dynamodb:GetItem'], [table])];
    case 'table:query':
      return [statement(['dynamodb:Query'], [table])];
    case 'table:index':
      return [
        statement(
          ['dynamodb:Query'],
          TABLE_DEFINITION.globalIndexes.map((index) => `${table}/index/${index.indexName}`),
        ),
      ];
    case 'table:write':
      return [statement(TABLE_WRITE_ACTIONS, [table])];
    case 'artifacts:presign-put':
      return [statement(['s3:PutObject'], [staging])];
    case 'artifacts:promote':
      // A copy over 5 GB is a multipart copy: PutObject covers its parts, abort cleans up a failed one.
      return [
        statement(['s3:GetObject', 's3:GetObjectVersion'], [staging]),
        statement(['s3:PutObject', 's3:AbortMultipartUpload'], [artifacts]),
      ];
    case 'artifacts:read':
      return [statement(['s3:GetObject', 's3:GetObjectVersion'], [artifacts])];
    case 'artifacts:tag':
      // Only the privacy tag of verified objects (the version a download pins carries its own tags).
      return [
        new PolicyStatement({
          actions: ['s3:PutObjectTagging', 's3:PutObjectVersionTagging'],
          resources: [artifacts],
          conditions: { 'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': [PRIVATE_TAG.key] } },
        }),
      ];
    case 'artifacts:delete':
      return [
        statement(['s3:DeleteObject', 's3:DeleteObjectVersion'], [staging, artifacts]),
        // Listing (to delete every version under a prefix) only under the two artifact prefixes.
        new PolicyStatement({
          actions: ['s3:ListBucket', 's3:ListBucketVersions'],
          resources: [targets.artifacts.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${objectKeys.stagingRoot}*`, `${objectKeys.artifactRoot}*`] } },
        }),
      ];
    case 'artifacts:head':
      // HeadBucket is authorized by s3:ListBucket (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html);
      // the health function lists nothing.
      return [statement(['s3:ListBucket'], [targets.artifacts.bucketArn])];
    case 'artifacts:multipart':
      return [statement(['s3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], [staging])];
    case 'edge:invalidate':
      return [statement(['cloudfront:CreateInvalidation'], [targets.distribution.distributionArn])];
    case 'edge:state':
      // The KeyValueStore data plane, on this one store (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudfrontkeyvaluestore.html).
      return [statement([...EDGE_STATE_ACTIONS], [targets.edgeState.keyValueStoreArn])];
    case 'cognito:create-user':
      return [
        statement(
          ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminSetUserPassword', 'cognito-idp:AdminDeleteUser'],
          [targets.userPool.userPoolArn],
        ),
      ];
    case 'cognito:manage-users':
      return [
        statement(
          [
            'cognito-idp:AdminCreateUser',
            'cognito-idp:AdminSetUserPassword',
            'cognito-idp:AdminUserGlobalSignOut',
            'cognito-idp:AdminAddUserToGroup',
            'cognito-idp:AdminDisableUser',
            'cognito-idp:AdminEnableUser',
            'cognito-idp:AdminDeleteUser',
          ],
          [targets.userPool.userPoolArn],
        ),
      ];
    case 'auth:read':
      // Only the team-user and API-token items, whatever else the function may read.
      return [leadingKeys(['dynamodb:GetItem', 'dynamodb:UpdateItem'], table, keys.authLeadingKeys)];
    case 'audit:write':
      return [leadingKeys(['dynamodb:PutItem'], table, keys.auditLeadingKeys)];
    case 'webhooks:record':
      return [leadingKeys(['dynamodb:PutItem'], table, keys.webhookDeliveryLeadingKeys)];
    case 'telemetry:count':
      return telemetryCountStatements(table);
  }
}

/** The telemetry aggregator's table rights: its counter rows (read, merge), and reads of the items apps are resolved by. */
export function telemetryCountStatements(table: string): PolicyStatement[] {
  return [
    leadingKeys(['dynamodb:GetItem', 'dynamodb:UpdateItem'], table, keys.telemetryLeadingKeys),
    leadingKeys(['dynamodb:GetItem'], table, keys.telemetryLookupLeadingKeys),
  ];
}

/** Actions on the table limited to items whose partition key matches one of `patterns`. */
function leadingKeys(actions: string[], table: string, patterns: readonly string[]): PolicyStatement {
  return new PolicyStatement({
    actions,
    resources: [table],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...patterns] } },
  });
}

/**
 * Gives a function what the route table grants it, and the configuration that goes with a grant
 * only some functions hold (the distribution id, the sign-up key). The table and bucket names are in every
 * function's environment: the shared service container reads both when it starts.
 */
export function bindGrants(fn: OtaFunction, grants: readonly Grant[], targets: GrantTargets): void {
  for (const grant of new Set(grants)) {
    for (const statement of grantStatements(grant, targets)) fn.addToRolePolicy(statement);
    if (grant === 'edge:invalidate') fn.addEnvironment(ENV.distributionId, targets.distribution.distributionId);
    if (grant === 'edge:state') fn.addEnvironment(ENV.edgeStateStoreArn, targets.edgeState.keyValueStoreArn);
    if (grant === 'cognito:create-user' && targets.signupKey !== undefined) fn.addEnvironment(ENV.signupKey, targets.signupKey);
  }
}
