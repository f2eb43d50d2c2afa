import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { API_STAGE_THROTTLE } from '../../shared/http/api-gateway-limits.js';

/**
 * The access-log line of the HTTP API, one JSON object per request. Only variables the HTTP API
 * documents ("Customize HTTP API access logs"); REST-only ones such as `$context.resourcePath`
 * would log nothing. `$context.error.messageString` is already a quoted JSON string.
 */
export const ACCESS_LOG_FIELDS: Record<string, string> = {
  requestId: '"$context.requestId"',
  requestTime: '"$context.requestTime"',
  sourceIp: '"$context.identity.sourceIp"',
  userAgent: '"$context.identity.userAgent"',
  httpMethod: '"$context.httpMethod"',
  routeKey: '"$context.routeKey"',
  path: '"$context.path"',
  protocol: '"$context.protocol"',
  status: '"$context.status"',
  responseLength: '"$context.responseLength"',
  responseLatency: '"$context.responseLatency"',
  integrationStatus: '"$context.integrationStatus"',
  integrationLatency: '"$context.integrationLatency"',
  integrationErrorMessage: '"$context.integrationErrorMessage"',
  errorMessage: '$context.error.messageString',
};

/** The access-log format string built from ACCESS_LOG_FIELDS. */
export const ACCESS_LOG_FORMAT = `{${Object.entries(ACCESS_LOG_FIELDS)
  .map(([name, value]) => `"${name}":${value}`)
  .join(',')}}`;

/** The HTTP API and its throttled, access-logged `$default` stage; routes are added by the route stacks. */
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
      throttle: { rateLimit: API_STAGE_THROTTLE.rateLimit, burstLimit: API_STAGE_THROTTLE.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });
  }
}
