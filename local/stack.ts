import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ENV } from '../shared/config/env.js';
import { MAX_DELIVERY_ATTEMPTS } from '../shared/domain/webhook.js';
import { telemetryAggregator } from '../shared/faces/faynosync/telemetry-root.js';
import { EDGE_KEY_HEADER } from '../shared/http/edge.js';
import type { HttpEvent, HttpResult } from '../shared/http/http-types.js';
import { ROUTES } from '../shared/routes.js';
import { consoleResponder } from './console-files.js';
import { LocalEdge } from './edge-outbox.js';
import { type RunningEmulator, startCognitoLocal, startDynamoDbLocal, startS3rver, stopOrphanedEmulators } from './emulators.js';
import { createGateway } from './gateway.js';
import { asyncInvoker } from './ingest-runner.js';
import { LocalJobRunner } from './job-runner.js';
import { choosePort } from './ports.js';
import { type CognitoSetup, corsXml, ensureCognito, ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from './provision.js';
import { LocalSqs } from './sqs-queue.js';
import { LocalTelemetrySink } from './telemetry-sink.js';
import { LocalWebhookEvents } from './webhook-events.js';

const LAMBDAS_DIR = join(import.meta.dirname, '..', 'lambdas');

export interface LocalStackOptions {
  /** Where the emulators keep state; it survives restarts. */
  stateDir: string;
  /** Gateway port; 0 reuses the previous run's or picks a free one. */
  port: number;
  /** Emulator ports; 0 (default) reuses the previous run's or picks free ones. */
  dynamoDbPort?: number;
  s3Port?: number;
  cognitoPort?: number;
  /** Keep DynamoDB in memory (tests): faster, nothing to clean. */
  inMemoryDynamoDb?: boolean;
  /**
   * faynoSync's sign-up key (`api_key` of `POST /signup`). Default: the previous run's, or a new
   * random one; `false` leaves sign-up off.
   */
  signupKey?: string | false;
  /** Fault injection for tests: the job worker dies once at this step of each job (then resumes, as after a crash in the cloud). */
  crashJobAtStep?: number;
  /** First retry delay of a failed webhook delivery, in seconds (default: the cloud's, 30). */
  webhookRetryBaseSeconds?: number;
}

/** What `.local/stack.json` holds and `npm start` prints. */
export interface StackInfo {
  apiUrl: string;
  region: string;
  tableName: string;
  bucketName: string;
  dynamoDbEndpoint: string;
  s3Endpoint: string;
  cognito: { endpoint: string; userPoolId: string; clientId: string; issuer: string };
  admin: { username: string; password: string };
  /** faynoSync's sign-up key, when sign-up is on. */
  signupKey?: string;
  /** The key device ids are hashed under (kept across restarts, so a device stays one device). */
  telemetryKey: string;
}

export interface LocalStack {
  info: StackInfo;
  /** Resolves when every S3 event delivered so far has been ingested. */
  ingestIdle(): Promise<void>;
  /** Resolves when every edge log line written so far has been aggregated. */
  telemetryIdle(): Promise<void>;
  /** Resolves when every background job step announced so far has run (jobs still running go on with later requests' kicks). */
  jobsIdle(): Promise<void>;
  /** Jobs whose worker died once by `crashJobAtStep`. */
  jobCrashes(): number;
  /**
   * The cache key CloudFront would look up for a viewer GET (what the edge function puts in
   * EDGE_KEY_HEADER; undefined when it answers itself), for tests of what a change does to keys.
   */
  edgeKey(pathAndQuery: string, headers?: Record<string, string>): Promise<string | undefined>;
  /** Resolves when every webhook event written so far has been fanned out to the local delivery queue. */
  webhookEventsIdle(): Promise<void>;
  stop(): Promise<void>;
}

const TABLE_NAME = 'ota-local';
const BUCKET_NAME = 'ota-artifacts-local';

function portOf(url: string | undefined): number | undefined {
  return url ? Number(new URL(url).port) || undefined : undefined;
}

async function loadHandler<T>(name: string): Promise<T> {
  const module = (await import(pathToFileURL(join(LAMBDAS_DIR, `${name}.ts`)).href)) as { handler: T };
  return module.handler;
}

/**
 * Starts DynamoDB Local, s3rver and cognito-local, provisions them from the stack's definitions,
 * wires S3 object-created events to the ingest handler and serves the route table on a gateway.
 * The handlers run in this process with the environment the stack gives them in the cloud,
 * except the endpoints, which point at the emulators.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  mkdirSync(options.stateDir, { recursive: true });
  const stateFile = join(options.stateDir, 'stack.json');
  const previous = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as Partial<StackInfo>) : undefined;

  const running: RunningEmulator[] = [];
  const pendingIngests = new Set<Promise<void>>();
  let gateway: Server | undefined;
  let telemetry: LocalTelemetrySink | undefined;
  let jobs: LocalJobRunner | undefined;
  let webhookEvents: LocalWebhookEvents | undefined;
  const sqs = new LocalSqs();
  const stop = async () => {
    await new Promise<void>((resolve) => (gateway ? gateway.close(() => resolve()) : resolve()));
    gateway?.closeAllConnections();
    await telemetry?.idle();
    await Promise.allSettled([...pendingIngests]);
    await jobs?.idle().catch(() => {});
    await webhookEvents?.idle().catch(() => {});
    await sqs.stop();
    await Promise.allSettled(running.map((e) => e.stop()));
  };

  try {
    // Emulators a crashed run left behind would hold the ports and answer for the new ones.
    await stopOrphanedEmulators(options.stateDir);
    // Unset ports reuse the previous run's, so tokens (whose issuer names the Cognito port) and
    // download links stay valid across restarts; a fresh state directory gets free ones.
    const [dynamoDbPort, s3Port, cognitoPort] = await Promise.all([
      choosePort('DynamoDB Local', { fixed: options.dynamoDbPort, previous: portOf(previous?.dynamoDbEndpoint) }),
      choosePort('s3rver', { fixed: options.s3Port, previous: portOf(previous?.s3Endpoint) }),
      choosePort('cognito-local', { fixed: options.cognitoPort, previous: portOf(previous?.cognito?.endpoint) }),
    ]);
    const apiPort = options.port || portOf(previous?.apiUrl) || 0;
    const runIngest = asyncInvoker((name) => loadHandler<(event: unknown) => Promise<void>>(name));
    const starting = [
      startDynamoDbLocal(dynamoDbPort, options.inMemoryDynamoDb ? undefined : join(options.stateDir, 'dynamodb'), {
        pidDir: options.stateDir,
      }),
      startCognitoLocal(cognitoPort, join(options.stateDir, 'cognito'), { pidDir: options.stateDir }),
      startS3rver({
        port: s3Port,
        directory: join(options.stateDir, 's3'),
        bucket: BUCKET_NAME,
        corsXml: corsXml(),
        onEvent: (event) => {
          const task = runIngest(event)
            .catch((error: unknown) =>
              console.error(JSON.stringify({ level: 'error', message: 'local ingest failure destination failed', error: String(error) })),
            )
            .finally(() => {
              pendingIngests.delete(task);
              // An ingest verifies or refuses an artifact: its event item waits for the fan-out.
              webhookEvents?.kick();
            });
          pendingIngests.add(task);
        },
      }),
    ] as const;
    // Wait for every start, so that when one fails the others are stopped too.
    for (const result of await Promise.allSettled(starting)) if (result.status === 'fulfilled') running.push(result.value);
    const [dynamo, cognito, s3] = await Promise.all(starting);

    await ensureTable(dynamo.endpoint, TABLE_NAME);
    const previousCognito: CognitoSetup | undefined =
      previous?.cognito && previous.admin
        ? { userPoolId: previous.cognito.userPoolId, clientId: previous.cognito.clientId, admin: previous.admin }
        : undefined;
    const auth = await ensureCognito(cognito.endpoint, previousCognito);
    const issuer = `${cognito.endpoint}/${auth.userPoolId}`;
    const signupKey =
      options.signupKey === false ? undefined : (options.signupKey ?? previous?.signupKey ?? randomBytes(24).toString('base64url'));

    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      [ENV.dynamodbEndpoint]: dynamo.endpoint,
      [ENV.s3Endpoint]: s3.endpoint,
      [ENV.cognitoEndpoint]: cognito.endpoint,
      [ENV.tableName]: TABLE_NAME,
      [ENV.bucketName]: BUCKET_NAME,
      [ENV.cognitoIssuer]: issuer,
      [ENV.userPoolClientId]: auth.clientId,
      // No CloudFront locally: downloads redirect to presigned S3 URLs, as the SyncKit docs describe.
      [ENV.artifactDelivery]: 'presigned',
    });
    // No SQS emulator: the webhook queue is an in-memory one behind a tiny SQS endpoint (local/sqs-queue.ts).
    await sqs.start();
    const webhookQueue = sqs.createQueue(
      { name: 'webhook-deliveries', visibilityTimeoutSeconds: 360, maxReceiveCount: MAX_DELIVERY_ATTEMPTS, batchSize: 5 },
      async (event) => (await loadHandler<(event: SQSEvent) => Promise<SQSBatchResponse>>('deliver-webhook'))(event),
    );
    Object.assign(process.env, {
      [ENV.sqsEndpoint]: sqs.endpoint,
      [ENV.webhookQueueUrl]: webhookQueue.url,
      // Locally, webhooks may point at http://127.0.0.1 (a test's receiver); never so in the cloud.
      [ENV.webhookAllowLocalHttp]: '1',
      [ENV.webhookRetryBaseSeconds]: String(options.webhookRetryBaseSeconds ?? 30),
    });
    delete process.env.AWS_SESSION_TOKEN;
    // No CloudFront locally, so no origin secret: every request counts as a direct one.
    delete process.env[ENV.originVerifySecret];
    const telemetryKey = previous?.telemetryKey ?? randomBytes(32).toString('base64url');
    process.env[ENV.telemetryKey] = telemetryKey;
    if (signupKey) process.env[ENV.signupKey] = signupKey;
    else delete process.env[ENV.signupKey];

    // The edge function runs here too, over the state the publisher queues (as CloudFront's does over the KeyValueStore).
    // The cloud's own plumbing (the KeyValueStore's state, the table stream's deliveries) reads with a
    // client of its own: in AWS none of it is a request of the function that answers.
    const plumbing = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
    const edge = new LocalEdge(plumbing, TABLE_NAME, ROUTES);
    // CloudFront's real-time log records, aggregated by the same code as in the cloud.
    telemetry = new LocalTelemetrySink((lines) => telemetryAggregator().ingest(lines));
    const sink = telemetry;
    // Background jobs: a request may have started one, and each step announces the next (the cloud's table stream).
    const runner = new LocalJobRunner(plumbing, TABLE_NAME, () => loadHandler('run-job'), {
      ...(options.crashJobAtStep !== undefined ? { crashAtStep: options.crashJobAtStep } : {}),
    });
    jobs = runner;
    const fanOut = new LocalWebhookEvents(plumbing, TABLE_NAME, () => loadHandler('fan-out-webhooks'));
    webhookEvents = fanOut;
    const routeHandler = async (name: string) => {
      const handler = await loadHandler<(event: HttpEvent) => Promise<HttpResult>>(name);
      return async (event: HttpEvent) => {
        try {
          return await handler(event);
        } finally {
          // Only a change starts a job (a scan per GET would slow every test down).
          if (event.requestContext.http.method !== 'GET') {
            runner.kick();
            fanOut.kick();
          }
        }
      };
    };
    // The console's config names the API, known once the gateway listens: the responder reads it then.
    let serveConsole: ReturnType<typeof consoleResponder> | undefined;
    gateway = createGateway(routeHandler, {
      edge: (request) => edge.viewerRequest(request),
      edgeLog: (line) => sink.write(line),
      console: (method, path) => serveConsole?.(method, path),
    });
    const server = gateway;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(apiPort, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : apiPort;
    serveConsole = consoleResponder(
      join(options.stateDir, 'console'),
      {
        apiUrl: `http://127.0.0.1:${port}`,
        region: LOCAL_REGION,
        userPoolId: auth.userPoolId,
        clientId: auth.clientId,
        cognitoEndpoint: cognito.endpoint,
      },
      new URL(s3.endpoint).origin,
    );
    // Public links are built from configuration, never from request headers, as in the cloud.
    process.env[ENV.publicBaseUrl] = `http://127.0.0.1:${port}`;

    const info: StackInfo = {
      apiUrl: `http://127.0.0.1:${port}`,
      region: LOCAL_REGION,
      tableName: TABLE_NAME,
      bucketName: BUCKET_NAME,
      dynamoDbEndpoint: dynamo.endpoint,
      s3Endpoint: s3.endpoint,
      cognito: { endpoint: cognito.endpoint, userPoolId: auth.userPoolId, clientId: auth.clientId, issuer },
      admin: auth.admin,
      ...(signupKey ? { signupKey } : {}),
      telemetryKey,
    };
    writeFileSync(stateFile, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
    return {
      info,
      ingestIdle: async () => {
        while (pendingIngests.size > 0) await Promise.allSettled([...pendingIngests]);
      },
      telemetryIdle: () => sink.idle(),
      jobsIdle: () => runner.idle(),
      jobCrashes: () => runner.crashed.size,
      edgeKey: async (pathAndQuery, headers = {}) => {
        const url = new URL(pathAndQuery, 'http://edge');
        const querystring = Object.fromEntries([...url.searchParams].map(([name, value]) => [name, { value }]));
        const viewer = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), { value }]));
        const passed = await edge.viewerRequest({ uri: url.pathname, method: 'GET', headers: viewer, querystring });
        return 'uri' in passed ? passed.headers[EDGE_KEY_HEADER]?.value : undefined;
      },
      webhookEventsIdle: () => fanOut.idle(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
