import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpRoute, HttpRouteKey, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type Bucket, EventType } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/env.js';
import { EVENT_FUNCTIONS, type Grant, ROUTES } from '../../shared/routes.js';
import { objectKeys } from '../../shared/storage/keys.js';
import { TABLE_DEFINITION } from '../../shared/storage/table-definition.js';
import { OtaFunction } from '../ota-function.js';

/** The HTTP API itself, created before the distribution that fronts it. */
export class ApiGateway extends Construct {
  readonly httpApi: HttpApi;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', { description: 'OTA update server', createDefaultStage: false });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 2_000, burstLimit: 4_000 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.jsonWithStandardFields(),
      },
    });
  }
}

export interface RoutesProps {
  readonly httpApi: HttpApi;
  readonly table: TableV2;
  readonly artifacts: Bucket;
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly distribution: Distribution;
  /** A custom domain's base URL for download links, when the distribution has one. */
  readonly publicBaseUrl?: string;
}

/** One function per route of the route table (plus the ingest function), each with only its grants. */
export class Routes extends Construct {
  readonly functions: Record<string, OtaFunction> = {};
  readonly httpRoutes: Record<string, HttpRoute> = {};
  private readonly artifactUsers = new Set<OtaFunction>();

  constructor(scope: Construct, id: string, props: RoutesProps) {
    super(scope, id);
    const environment: Record<string, string> = {
      [ENV.tableName]: props.table.tableName,
      [ENV.bucketName]: props.artifacts.bucketName,
      [ENV.distributionId]: props.distribution.distributionId,
      [ENV.cognitoIssuer]: props.userPool.userPoolProviderUrl,
      [ENV.userPoolClientId]: props.client.userPoolClientId,
      [ENV.artifactDelivery]: 'edge',
      ...(props.publicBaseUrl ? { [ENV.publicBaseUrl]: props.publicBaseUrl } : {}),
    };
    // API Gateway checks the token before a function runs (no invocation, no cost for junk);
    // the function verifies it again with aws-jwt-verify, the same code that runs locally.
    const authorizer = new HttpJwtAuthorizer('CognitoAccessToken', props.userPool.userPoolProviderUrl, {
      jwtAudience: [props.client.userPoolClientId],
    });

    for (const route of ROUTES) {
      const fn = new OtaFunction(this, route.id, {
        handler: route.handler,
        description: `${route.method} ${route.path}: ${route.summary}`,
        environment,
        sourceMaps: route.access !== 'public',
      });
      this.grant(fn, route.grants, props);
      this.httpRoutes[route.id] = new HttpRoute(this, `${route.id}Route`, {
        httpApi: props.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: new HttpLambdaIntegration(`${route.id}Integration`, fn),
        ...(route.access === 'user' ? { authorizer } : {}),
      });
      this.functions[route.id] = fn;
    }

    for (const definition of EVENT_FUNCTIONS) {
      const fn = new OtaFunction(this, definition.id, {
        handler: definition.handler,
        description: definition.summary,
        environment,
        memorySize: 1024,
        timeout: Duration.minutes(5),
      });
      this.grant(fn, definition.grants, props);
      this.functions[definition.id] = fn;
    }
    const ingest = this.functions.IngestArtifact as OtaFunction;
    props.artifacts.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(ingest), { prefix: objectKeys.artifactRoot });
  }

  /** Whether a function was granted any access to artifact objects. */
  touchesArtifacts(fn: OtaFunction): boolean {
    return this.artifactUsers.has(fn);
  }

  /** Turns the route table's grants into the narrowest IAM statements. */
  private grant(fn: OtaFunction, grants: readonly Grant[], props: RoutesProps): void {
    if (grants.some((g) => g.startsWith('artifacts:'))) this.artifactUsers.add(fn);
    const table = [props.table.tableArn, ...TABLE_DEFINITION.globalIndexes.map((g) => `${props.table.tableArn}/index/${g.indexName}`)];
    const objects = props.artifacts.arnForObjects(`${objectKeys.artifactRoot}*`);
    for (const grant of grants) {
      switch (grant) {
        case 'table:read':
          fn.addToRolePolicy(
            new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'], resources: table }),
          );
          break;
        case 'table:write':
          fn.addToRolePolicy(
            new PolicyStatement({
              actions: [
                'dynamodb:GetItem',
                'dynamodb:Query',
                'dynamodb:BatchGetItem',
                'dynamodb:PutItem',
                'dynamodb:UpdateItem',
                'dynamodb:DeleteItem',
                'dynamodb:BatchWriteItem',
                'dynamodb:ConditionCheckItem',
              ],
              resources: table,
            }),
          );
          break;
        case 'artifacts:presign-put':
          fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }));
          break;
        case 'artifacts:read':
          fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [objects] }));
          break;
        case 'artifacts:delete':
          fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'], resources: [objects] }));
          fn.addToRolePolicy(
            new PolicyStatement({ actions: ['s3:ListBucketVersions', 's3:ListBucket'], resources: [props.artifacts.bucketArn] }),
          );
          break;
        case 'edge:invalidate':
          fn.addToRolePolicy(
            new PolicyStatement({ actions: ['cloudfront:CreateInvalidation'], resources: [props.distribution.distributionArn] }),
          );
          break;
      }
    }
  }
}
