import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** This package's root, found from this file: a consumer's CDK app may run from any directory. */
export const PACKAGE_ROOT = join(import.meta.dirname, '..');
export const LAMBDAS_DIR = join(PACKAGE_ROOT, 'lambdas');

const LOCK_FILES = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'bun.lockb'];

/**
 * The lock file NodejsFunction bundles against, looked up from the package rather than from the
 * working directory (CDK's default): this repository's own lock file, or, installed as a
 * dependency, the consumer's. Its folder is the bundling root, which holds every entry point.
 */
export function lockFileOf(from = PACKAGE_ROOT): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const found = LOCK_FILES.map((name) => join(dir, name)).find((file) => existsSync(file));
    if (found) return found;
    if (dirname(dir) === dir)
      throw new Error(`No lock file (${LOCK_FILES.join(', ')}) in ${from} or above: install the package with a package manager`);
  }
}

/** esbuild options every function is bundled with; the benchmark bundles with the same. */
export const OTA_BUNDLING = {
  format: OutputFormat.CJS,
  target: 'node22',
  minify: true,
  // Bundle the SDK instead of using the runtime's copy: pinned versions, smaller cold loads. The one
  // exception: the nested STS/SSO/sign-in clients that only the profile, SSO and web-identity
  // credential providers load, lazily. A Lambda function's credentials come from its environment,
  // first in the chain, so they never load there (and the runtime has its own copy if one ever did).
  externalModules: ['@aws-sdk/nested-clients'] as string[],
  mainFields: ['module', 'main'],
} as const;

export interface OtaFunctionProps {
  /** Base name of the entry point in `lambdas/`. */
  readonly handler: string;
  readonly description: string;
  readonly environment: Record<string, string>;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  /** Source-mapped stack traces cost cold-start time; the hot public paths go without. */
  readonly sourceMaps?: boolean;
  readonly logRetention?: RetentionDays;
  /** Concurrency reserved for (and capping) this function; unset, it shares the account's unreserved pool. */
  readonly reservedConcurrency?: number;
}

/** Every function of the service: Node 22 on arm64, esbuild-bundled with the AWS SDK v3 inside, its own log group. */
export class OtaFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: OtaFunctionProps) {
    const sourceMaps = props.sourceMaps ?? true;
    const lockFile = lockFileOf();
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Its own role that may write only to its own log group (not the managed basic role's logs:* on *).
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    super(scope, id, {
      role,
      entry: join(LAMBDAS_DIR, `${props.handler}.ts`),
      depsLockFilePath: lockFile,
      projectRoot: dirname(lockFile),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      environment: { ...props.environment, ...(sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}) },
      logGroup,
      ...(props.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      bundling: { ...OTA_BUNDLING, mainFields: [...OTA_BUNDLING.mainFields], sourceMap: sourceMaps },
    });
  }
}
