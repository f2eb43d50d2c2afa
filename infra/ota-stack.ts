import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { PriceClass } from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';
import { ROUTES } from '../shared/routes.js';
import { ApiGateway, Routes } from './constructs/api.js';
import { Auth } from './constructs/auth.js';
import { Data } from './constructs/data.js';
import { Edge } from './constructs/edge.js';
import { Storage } from './constructs/storage.js';
import { acknowledgeReviewedFindings } from './nag-suppressions.js';

export interface OtaStackProps extends StackProps {
  /** CloudFront price class; the default serves from North America and Europe edges only. */
  readonly priceClass?: PriceClass;
  /** Base URL of a custom domain in front of the distribution, used in download links. */
  readonly publicBaseUrl?: string;
}

/** The whole update server: table, buckets, user pool, HTTP API with one function per route, CloudFront. */
export class OtaStack extends Stack {
  readonly routes: Routes;

  constructor(scope: Construct, id: string, props: OtaStackProps = {}) {
    super(scope, id, props);
    const data = new Data(this, 'Data');
    const storage = new Storage(this, 'Storage');
    const auth = new Auth(this, 'Auth');
    const api = new ApiGateway(this, 'Api');
    const edge = new Edge(this, 'Edge', {
      api: api.httpApi,
      artifacts: storage.artifacts,
      logs: storage.logs,
      priceClass: props.priceClass ?? PriceClass.PRICE_CLASS_100,
    });
    this.routes = new Routes(this, 'Routes', {
      httpApi: api.httpApi,
      table: data.table,
      artifacts: storage.artifacts,
      userPool: auth.userPool,
      client: auth.client,
      distribution: edge.distribution,
      ...(props.publicBaseUrl ? { publicBaseUrl: props.publicBaseUrl } : {}),
    });

    const baseUrl = props.publicBaseUrl ?? `https://${edge.distribution.distributionDomainName}`;
    new CfnOutput(this, 'ApiUrl', { value: baseUrl, description: 'Public base URL (CloudFront)' });
    new CfnOutput(this, 'TauriEndpoint', {
      value: `${baseUrl}/api/sync/ota/<slug>/{{target}}/{{arch}}/{{current_version}}`,
      description: 'plugins.updater.endpoints entry for tauri.conf.json',
    });
    new CfnOutput(this, 'DistributionId', { value: edge.distribution.distributionId });
    new CfnOutput(this, 'UserPoolId', { value: auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: auth.client.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: data.table.tableName });
    new CfnOutput(this, 'ArtifactBucket', { value: storage.artifacts.bucketName });

    acknowledgeReviewedFindings(this, {
      userPool: auth.userPool,
      distribution: edge.distribution,
      artifacts: storage.artifacts,
      publicRoutes: ROUTES.filter((r) => r.access === 'public').map((r) => this.routes.httpRoutes[r.id] as HttpRoute),
      artifactFunctions: Object.values(this.routes.functions).filter((fn) => this.routes.touchesArtifacts(fn)),
    });
  }
}
