/**
 * The CLI's HTTP client, taken from the route table itself (the source of the OpenAPI document):
 * each operation names a route by id, and its method, path, request schema and answer schema are
 * the route's own. Nothing here spells a path; the types come from the very schema objects the
 * table declares, and `checkOperations` (run by the unit tests and on first use) proves it.
 */
import type * as z from 'zod/mini';
import {
  apiTokenListAnswer,
  createApiTokenBody,
  createSessionBody,
  newApiTokenAnswer,
  refreshSessionBody,
  sessionAnswer,
  whoAmIAnswer,
} from '../shared/http/access-schemas.js';
import type { RouteDefinition } from '../shared/http/route-definition.js';
import * as schemas from '../shared/http/schemas.js';
import { createWebhookBody, newWebhookAnswer, webhookDeliveryListAnswer, webhookListAnswer } from '../shared/http/webhook-schemas.js';
import { routeById } from '../shared/routes.js';
import { CliError, EXIT } from './errors.js';

type Schema = z.ZodMiniType;
interface Operation {
  readonly body?: Schema;
  /** The success answer's JSON schema, or undefined for an empty answer (204). */
  readonly answer?: Schema;
}

/** Every route the CLI calls, by route id, with the body and answer schemas that route declares. */
export const OPERATIONS = {
  CreateSession: { body: createSessionBody, answer: sessionAnswer },
  RefreshSession: { body: refreshSessionBody, answer: sessionAnswer },
  WhoAmI: { answer: whoAmIAnswer },
  ListApps: { answer: schemas.appListAnswer },
  CreateApp: { body: schemas.createAppBody, answer: schemas.appAnswer },
  UpdateApp: { body: schemas.updateAppBody, answer: schemas.appUpdateAnswer },
  SetSlug: { body: schemas.setSlugBody, answer: schemas.appAnswer },
  ListChannels: { answer: schemas.catalogListAnswer },
  CreateChannel: { body: schemas.createCatalogBody, answer: schemas.catalogEntryAnswer },
  ListReleases: { answer: schemas.releaseListAnswer },
  GetRelease: { answer: schemas.releaseAnswer },
  CreateRelease: { body: schemas.createReleaseBody, answer: schemas.releaseAnswer },
  PublishRelease: { body: schemas.publishReleaseBody, answer: schemas.releaseAnswer },
  YankRelease: { answer: schemas.releaseAnswer },
  SetRollout: { body: schemas.rolloutBody, answer: schemas.releaseAnswer },
  PromoteRelease: { body: schemas.promoteReleaseBody, answer: schemas.releaseAnswer },
  RollbackChannel: { body: schemas.rollbackChannelBody, answer: schemas.rollbackAnswer },
  ListDevicePins: { answer: schemas.pinListAnswer },
  CreateDevicePin: { body: schemas.createPinBody, answer: schemas.pinAnswer },
  DeleteDevicePin: {},
  CreateArtifactUpload: { body: schemas.createArtifactBody, answer: schemas.artifactUploadAnswer },
  UploadParts: { body: schemas.uploadPartsBody, answer: schemas.uploadPartsAnswer },
  CompleteUpload: { body: schemas.completeUploadBody, answer: schemas.completeUploadAnswer },
  GetArtifact: { answer: schemas.artifactAnswer },
  ListApiTokens: { answer: apiTokenListAnswer },
  CreateApiToken: { body: createApiTokenBody, answer: newApiTokenAnswer },
  RevokeApiToken: {},
  CreateWebhook: { body: createWebhookBody, answer: newWebhookAnswer },
  ListWebhooks: { answer: webhookListAnswer },
  DeleteWebhook: {},
  ListWebhookDeliveries: { answer: webhookDeliveryListAnswer },
} as const satisfies Record<string, Operation>;

export type OperationId = keyof typeof OPERATIONS;
type Op<K extends OperationId> = (typeof OPERATIONS)[K];
/** The body an operation takes: its route's schema's input, or free JSON where the route parses its own body (faynoSync's /login). */
export type BodyOf<K extends OperationId> = Op<K> extends { body: infer B extends Schema } ? z.input<B> : Record<string, unknown>;
export type AnswerOf<K extends OperationId> = Op<K> extends { answer: infer A extends Schema } ? z.output<A> : undefined;

/** The route behind an operation; throws when the CLI's schemas are not the route's own. */
export function routeOf(id: OperationId): RouteDefinition {
  const route = routeById(id);
  const op: Operation = OPERATIONS[id];
  if (op.body !== route.request?.body) throw new Error(`The CLI's body schema of ${id} is not the route table's`);
  const answers = Object.values(route.responses);
  if (op.answer ? !answers.includes(op.answer) : answers.some((a) => '_zod' in a)) {
    throw new Error(`The CLI's answer schema of ${id} is not the route table's`);
  }
  return route;
}

/** Checks every operation against the route table (see `routeOf`). */
export function checkOperations(): void {
  for (const id of Object.keys(OPERATIONS) as OperationId[]) routeOf(id);
}

/** Fills `{name}` segments of a route path; every one must be given. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`Missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
}

interface CallOptions<K extends OperationId> {
  params?: Record<string, string>;
  query?: Record<string, string | undefined>;
  body?: BodyOf<K>;
}

/** The service's error shape (and faynoSync's, for /login). */
function errorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: string | { code?: string; message?: string } };
    if (typeof parsed.error === 'string') return parsed.error;
    if (parsed.error?.message) return parsed.error.message;
  } catch {}
  return text.slice(0, 300) || '(no body)';
}

/** What a status means for the person at the terminal. */
function hintFor(status: number, signedInWithToken: boolean): { exit: number; hint: string } {
  if (status === 401)
    return {
      exit: EXIT.auth,
      hint: signedInWithToken ? 'check OTA_TOKEN (revoked or expired?)' : 'sign in again: ota login',
    };
  if (status === 403) return { exit: EXIT.auth, hint: 'this account or token may not do that; ask the app owner for the permission' };
  if (status === 404) return { exit: EXIT.notFound, hint: 'check the app and release (ota apps, ota status --app …)' };
  if (status === 409) return { exit: EXIT.conflict, hint: 'the server refused because of the current state (see the message)' };
  if (status === 400 || status === 413 || status === 422) return { exit: EXIT.usage, hint: 'fix the value the message names' };
  return { exit: EXIT.server, hint: 'the server failed; try again, and check its logs if it persists' };
}

/** A signed-in client of one deployment. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined,
    private readonly tokenFromEnvironment = false,
  ) {}

  /** Calls one operation; answers the parsed success body, or throws a CliError that says what to do. */
  async call<K extends OperationId>(id: K, options: CallOptions<K> = {}): Promise<AnswerOf<K>> {
    const route = routeOf(id);
    const op: Operation = OPERATIONS[id];
    const path = fillPath(route.path, options.params ?? {});
    let url = `${this.baseUrl}${path}`;
    const query = Object.entries(options.query ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined);
    if (query.length > 0) url += `?${new URLSearchParams(query)}`;
    const headers: Record<string, string> = {};
    if (this.token && route.access.kind !== 'public') headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      // The route's own schema, before the request: a typo is named here, as the server would.
      const checked = op.body?.safeParse(options.body);
      if (checked && !checked.success) {
        throw new CliError(`${id}: ${checked.error.issues.map((i) => i.message).join('; ')}`, EXIT.usage, 'fix the value named');
      }
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let response: Response;
    try {
      response = await fetch(url, { method: route.method, headers, body });
    } catch (error) {
      throw new CliError(
        `Cannot reach ${this.baseUrl} (${(error as Error).cause ?? (error as Error).message})`,
        EXIT.network,
        'check the URL (ota login --url …, or OTA_URL) and that the server is running',
      );
    }
    const text = await response.text();
    if (!response.ok) {
      const { exit, hint } = hintFor(response.status, this.tokenFromEnvironment);
      throw new CliError(`${route.method} ${path}: ${response.status} ${errorMessage(text)}`, exit, hint, response.status);
    }
    if (!op.answer) return undefined as AnswerOf<K>;
    const parsed = op.answer.safeParse(JSON.parse(text));
    if (!parsed.success) throw new CliError(`${id}: the server's answer does not match its OpenAPI schema`, EXIT.server, 'update the CLI');
    return parsed.data as AnswerOf<K>;
  }
}
