import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EventFunctions } from './constructs/events.js';
import type { Routes } from './constructs/routes.js';
import type { OtaFunction } from './ota-function.js';
import { OtaUpdateServer, type OtaUpdateServerProps } from './ota-update-server.js';

export { tauriEndpointPath } from './ota-update-server.js';

export interface OtaStackProps extends StackProps, OtaUpdateServerProps {}

/**
 * A stack that is the update server and nothing else: what this repository's app deploys, and
 * what a CDK app that wants the server as a stack of its own can use. The server is its child
 * `Default`, an id CDK leaves out of logical ids: every resource, output and nested stack keeps the
 * logical id it had when this stack built them itself (test/infra/logical-ids.test.ts).
 */
export class OtaStack extends Stack {
  readonly server: OtaUpdateServer;

  constructor(scope: Construct, id: string, props: OtaStackProps = {}) {
    super(scope, id, props);
    this.server = new OtaUpdateServer(this, 'Default', props);
  }

  get routes(): Routes {
    return this.server.routes;
  }

  get events(): EventFunctions {
    return this.server.events;
  }

  /** Every function by its route or event-function id. */
  get functions(): Record<string, OtaFunction> {
    return this.server.functions;
  }
}
