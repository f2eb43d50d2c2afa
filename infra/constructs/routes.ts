import { NestedStack } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/env.js';
import type { RouteDefinition } from '../../shared/http/route-definition.js';
import { OtaFunction } from '../ota-function.js';
import { planRouteStacks } from '../route-stacks.js';
import { bindGrants, type GrantTargets } from './grants.js';

export interface RoutesProps {
  readonly routes: readonly RouteDefinition[];
  readonly httpApi: HttpApi;
  readonly grantTargets: GrantTargets;
  /** Environment of every route function. */
  readonly environment: Record<string, string>;
  /**
   * Routes whose API route is left out (their function stays): the first deploy of an upgrade
   * from an earlier layout, for the routes that change stacks (see route-stacks.ts).
   */
  readonly withoutApiRoute?: ReadonlySet<string>;
  /** The origin-verify secret every route function reads at cold start (shared/http/origin-verify.ts). */
  readonly originSecretArn?: string;
}

/** The route functions and API routes in nested stacks, a fixed number of shards per route domain (route-stacks.ts). */
export class Routes extends Construct {
  readonly functions: Record<string, OtaFunction> = {};
  readonly httpRoutes: Record<string, HttpRoute> = {};
  readonly stacks: RouteStack[] = [];

  constructor(scope: Construct, id: string, props: RoutesProps) {
    super(scope, id);
    const ids = new Set<string>();
    for (const route of props.routes) {
      if (ids.has(route.id)) throw new Error(`Route id ${route.id} is used twice`);
      ids.add(route.id);
    }
    for (const plan of planRouteStacks(props.routes)) {
      const stack = new RouteStack(this, plan.id, {
        ...props,
        routes: plan.routes,
        description: `OTA update server: ${plan.domain} routes`,
      });
      Object.assign(this.functions, stack.functions);
      Object.assign(this.httpRoutes, stack.httpRoutes);
      this.stacks.push(stack);
    }
  }
}

interface RouteStackProps extends RoutesProps {
  readonly description: string;
}

/** The functions and API routes of one chunk of the route table. */
export class RouteStack extends NestedStack {
  readonly functions: Record<string, OtaFunction> = {};
  readonly httpRoutes: Record<string, HttpRoute> = {};

  constructor(scope: Construct, id: string, props: RouteStackProps) {
    super(scope, id, { description: props.description });
    for (const route of props.routes) {
      const fn = new OtaFunction(this, route.id, {
        handler: route.handler,
        description: `${route.method} ${route.path}: ${route.summary}`.slice(0, 256),
        environment: props.environment,
        sourceMaps: route.access.kind !== 'public',
      });
      bindGrants(fn, route.grants, props.grantTargets);
      if (props.originSecretArn) {
        fn.addEnvironment(ENV.originVerifySecret, props.originSecretArn);
        fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [props.originSecretArn] }));
      }
      this.functions[route.id] = fn;
      if (props.withoutApiRoute?.has(route.id)) continue;
      this.httpRoutes[route.id] = new HttpRoute(this, `${route.id}Route`, {
        httpApi: props.httpApi,
        routeKey: route.path === '$default' ? HttpRouteKey.DEFAULT : HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: new HttpLambdaIntegration(`${route.id}Integration`, fn),
      });
    }
  }
}
