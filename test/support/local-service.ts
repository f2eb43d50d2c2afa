import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createUser, LOCAL_CREDENTIALS, LOCAL_REGION, passwordSignIn } from '../../local/provision.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { checkAnswersOf } from './answer-check.js';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface FormFile {
  name: string;
  bytes: Buffer;
}

/**
 * A multipart request as curl sends it to faynoSync (a `data` field of JSON, repeated `file` parts),
 * with a Content-Length and a bearer token.
 */
export async function multipartRequest(
  baseUrl: string,
  method: string,
  path: string,
  token: string,
  data: unknown,
  files: FormFile[] = [],
): Promise<Reply> {
  const form = new FormData();
  if (data !== undefined) form.append('data', typeof data === 'string' ? data : JSON.stringify(data));
  for (const file of files) form.append('file', new Blob([file.bytes]), file.name);
  return sendForm(baseUrl, method, path, token, form);
}

/** Any multipart form (Koolbase's `bundle`, faynoSync's `data` and `file`), with a Content-Length and a bearer token. */
export async function sendForm(baseUrl: string, method: string, path: string, token: string, form: FormData): Promise<Reply> {
  const encoded = new Request('http://x', { method: 'POST', body: form });
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    body: Buffer.from(await encoded.arrayBuffer()),
    headers: { authorization: `Bearer ${token}`, 'content-type': encoded.headers.get('content-type') ?? '' },
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The service on real emulators, driven over HTTP as a client would. */
export class LocalService {
  private constructor(
    readonly stack: LocalStack,
    /** Where the stack keeps its state (stack.json: what `npm run token` and `telemetry:replay` read). */
    readonly stateDir: string,
    private readonly keepState: boolean,
  ) {}

  /** Starts a fresh stack on free ports (state in a temporary folder unless one is given). */
  static async start(
    options: { stateDir?: string; crashJobAtStep?: number; webhookRetryBaseSeconds?: number } = {},
  ): Promise<LocalService> {
    const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'ota-test-'));
    const stack = await startLocalStack({
      stateDir,
      port: 0,
      inMemoryDynamoDb: options.stateDir === undefined,
      ...(options.crashJobAtStep !== undefined ? { crashJobAtStep: options.crashJobAtStep } : {}),
      ...(options.webhookRetryBaseSeconds !== undefined ? { webhookRetryBaseSeconds: options.webhookRetryBaseSeconds } : {}),
    });
    // Every answer of this stack is checked against the OpenAPI document of the route table.
    checkAnswersOf(stack.info.apiUrl);
    return new LocalService(stack, stateDir, options.stateDir !== undefined);
  }

  get url(): string {
    return this.stack.info.apiUrl;
  }

  async stop(): Promise<void> {
    await this.stack.stop();
    if (!this.keepState) rmSync(this.stateDir, { recursive: true, force: true });
  }

  /** Follows a download link of ours (a 302 to the bytes) and returns the bytes; throws on any other answer. */
  async bytesAt(url: string): Promise<Buffer> {
    const { pathname, search } = new URL(url);
    const redirect = await this.request('GET', `${pathname}${search}`);
    if (redirect.status !== 302) throw new Error(`${pathname}: ${redirect.status} ${redirect.text}`);
    const file = await fetch(redirect.headers.get('location') as string);
    if (file.status !== 200) throw new Error(`${redirect.headers.get('location')}: ${file.status}`);
    return Buffer.from(await file.arrayBuffer());
  }

  /** An HTTP request to the gateway; redirects are not followed. */
  async request(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined && method !== 'GET' && method !== 'HEAD') {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await fetch(`${this.url}${path}`, { method, headers, body, redirect: 'manual' });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  /** Signs in with USER_PASSWORD_AUTH and returns the tokens. */
  signIn(username: string, password: string): Promise<{ accessToken: string; idToken: string }> {
    return passwordSignIn(this.stack.info.cognito, username, password);
  }

  /** The admin's access token. */
  async adminToken(): Promise<string> {
    const { username, password } = this.stack.info.admin;
    return (await this.signIn(username, password)).accessToken;
  }

  /** A second, unprivileged account. */
  async newAccountToken(username: string): Promise<string> {
    const idp = this.idp();
    const user = await createUser(idp, this.stack.info.cognito.userPoolId, username);
    idp.destroy();
    return (await this.signIn(user.username, user.password)).accessToken;
  }

  private idp(): CognitoIdentityProviderClient {
    return new CognitoIdentityProviderClient({
      endpoint: this.stack.info.cognito.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
  }
}

/** Publishes one app with a slug, ready to receive releases; returns its id. */
export async function createPublishedApp(service: LocalService, token: string, slug: string, name = slug): Promise<string> {
  const app = await service.request('POST', '/api/sync/ota/apps', { token, body: { name } });
  if (app.status !== 201) throw new Error(`create app: ${app.status} ${app.text}`);
  const put = await service.request('PUT', `/api/sync/ota/apps/${app.json.id}/slug`, { token, body: { slug } });
  if (put.status !== 200) throw new Error(`set slug: ${put.status} ${put.text}`);
  return app.json.id as string;
}

/** Creates a release and uploads one artifact through the presigned URL, waiting for ingest. */
export async function publishRelease(
  service: LocalService,
  token: string,
  appId: string,
  input: {
    version: string;
    notes?: string;
    signature?: string;
    target?: string;
    arch?: string;
    bytes: Buffer;
    artifactSignature?: string | null;
  },
): Promise<{ releaseId: string; uploadUrl: string }> {
  const release = await service.request('POST', `/api/sync/ota/apps/${appId}/releases`, {
    token,
    body: { version: input.version, notes: input.notes ?? '', ...(input.signature ? { signature: input.signature } : {}) },
  });
  if (release.status !== 201) throw new Error(`create release: ${release.status} ${release.text}`);
  const releaseId = release.json.id as string;
  // A release-wide signature stands for the file's unless the test gives the file one.
  const artifactSignature = input.artifactSignature !== undefined ? input.artifactSignature : input.signature ? null : undefined;
  const uploadUrl = await uploadArtifact(service, token, appId, releaseId, { ...input, artifactSignature });
  return { releaseId, uploadUrl };
}

/** What a test's artifact is signed with unless it says otherwise (Tauri clients are offered signed files only). */
export const TEST_SIGNATURE = Buffer.from('test signature').toString('base64');

/**
 * Requests an upload slot and PUTs the bytes to it, then waits until ingest has run. The file is
 * signed with TEST_SIGNATURE unless `artifactSignature` names another one, or null for none.
 */
export async function uploadArtifact(
  service: LocalService,
  token: string,
  appId: string,
  releaseId: string,
  input: {
    target?: string;
    arch?: string;
    package?: string;
    bytes: Buffer;
    artifactSignature?: string | null;
    deltaFrom?: string;
    edSignature?: string;
  },
): Promise<string> {
  const signature = input.artifactSignature === undefined ? TEST_SIGNATURE : input.artifactSignature;
  const slot = await service.request('POST', `/api/sync/ota/apps/${appId}/releases/${releaseId}/artifacts`, {
    token,
    body: {
      target: input.target ?? 'darwin',
      arch: input.arch ?? 'aarch64',
      file_size: input.bytes.length,
      ...(input.package ? { package: input.package } : {}),
      ...(signature ? { signature } : {}),
      ...(input.deltaFrom ? { delta_from: input.deltaFrom } : {}),
      ...(input.edSignature ? { ed_signature: input.edSignature } : {}),
    },
  });
  if (slot.status !== 201) throw new Error(`artifact slot: ${slot.status} ${slot.text}`);
  const put = await fetch(slot.json.upload_url, { method: 'PUT', body: input.bytes });
  if (put.status !== 200) throw new Error(`upload: ${put.status} ${await put.text()}`);
  await service.stack.ingestIdle();
  return slot.json.upload_url as string;
}

/** A test file's stack: started before its tests with the admin signed in, stopped after them. */
export interface ServiceFixture {
  readonly service: LocalService;
  readonly token: string;
  /** A native API call as the admin, relative to `/api/sync/ota`. */
  api(method: string, path: string, body?: unknown): Promise<Reply>;
}

/** Registers the before/after hooks of a describe block that drives one local stack. */
export function useLocalService(options: { crashJobAtStep?: number; webhookRetryBaseSeconds?: number } = {}): ServiceFixture {
  let service: LocalService | undefined;
  let token = '';
  before(async () => {
    service = await LocalService.start(options);
    token = await service.adminToken();
  });
  after(async () => {
    await service?.stop();
  });
  const running = (): LocalService => {
    if (!service) throw new Error('the local stack is not running (use the fixture inside tests)');
    return service;
  };
  return {
    get service() {
      return running();
    },
    get token() {
      return token;
    },
    api: (method, path, body) => running().request(method, `/api/sync/ota${path}`, { token, ...(body === undefined ? {} : { body }) }),
  };
}
