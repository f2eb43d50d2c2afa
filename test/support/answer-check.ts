/**
 * Every answer the integration tests receive from a local stack is checked against the OpenAPI
 * document generated from the route table: its status must be declared for its route (method +
 * path template), and a JSON body must validate against that status's schema (ajv, JSON Schema
 * 2020-12 as OpenAPI 3.1 uses). A mismatch rejects the test's fetch with the route, the status and
 * ajv's errors. The check wraps `fetch` once, for the base URLs of the stacks the tests start.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { templateMatches } from '../../shared/http/method-not-allowed.js';
import { openApiDocument } from '../../shared/http/openapi.js';
import { type RouteDefinition, routeSpecificity } from '../../shared/http/route-definition.js';
import { ROUTES } from '../../shared/routes.js';

type Json = Record<string, any>;

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** The route a request reaches, as the gateway picks it: the most specific matching template of its method. */
export function routeOf(routes: readonly RouteDefinition[], method: string, path: string): RouteDefinition | undefined {
  const candidates = routes.filter((r) => r.method === method && r.path !== '$default' && templateMatches(r.path, path));
  const rank = (r: RouteDefinition) => routeSpecificity(r.path);
  return candidates.sort((a, b) => {
    const x = rank(a);
    const y = rank(b);
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const d = (y[i] ?? 0) - (x[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  })[0];
}

const pointer = (...segments: string[]) => segments.map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** The answers' checker for one OpenAPI document (the route table's by default). */
export class AnswerChecker {
  private readonly ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
  private readonly validators = new Map<string, ValidateFunction>();
  /** How many answers were checked, and how many of them had a JSON body validated. */
  readonly counts = { answers: 0, json: 0 };

  constructor(
    private readonly routes: readonly RouteDefinition[] = ROUTES,
    private readonly document: Json = openApiDocument(routes, 'test'),
  ) {
    this.ajv.addSchema({ ...document, $id: 'openapi.json' }, undefined, undefined, false);
  }

  private validator(ref: string): ValidateFunction {
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi.json#${ref}` });
      this.validators.set(ref, validate);
    }
    return validate;
  }

  /** Throws when the answer is not what the document declares for this request. */
  check(method: string, path: string, status: number, contentType: string, text: string): void {
    this.counts.answers++;
    const route = routeOf(this.routes, method, path);
    const what = `${method} ${route?.path ?? path} answered ${status}`;
    if (!route) {
      // No route: the gateway's 404, or a 405 on a known path, in an error shape.
      if (status !== 404 && status !== 405) throw new Error(`${what}: no route of the table matches this request`);
      const shapes = ['ServiceError', 'ClientError'];
      const problems: string[] = [];
      for (const shape of shapes) {
        try {
          this.validateJson(what, ['components', 'responses', shape], contentType, text);
          return;
        } catch (error) {
          problems.push((error as Error).message);
        }
      }
      throw new Error(problems.join('\n'));
    }
    const responses = this.document.paths[route.path][method.toLowerCase()].responses as Json;
    const key = String(status) in responses ? String(status) : `${String(status)[0]}XX`;
    const declared = responses[key] as Json | undefined;
    if (!declared) throw new Error(`${what}: status not declared (declared: ${Object.keys(responses).join(', ')})`);
    const response = (declared.$ref ? this.document.components.responses[declared.$ref.split('/').pop()] : declared) as Json;
    const media = Object.keys(response.content ?? {});
    if (media.length === 0) {
      if (text !== '') throw new Error(`${what}: declared without a body, but has one: ${text.slice(0, 200)}`);
      return;
    }
    if (media.includes('application/json')) {
      const base = declared.$ref
        ? ['components', 'responses', declared.$ref.split('/').pop()]
        : ['paths', route.path, method.toLowerCase(), 'responses', key];
      this.validateJson(what, base, contentType, text);
      return;
    }
    if (!media.some((m) => contentType.startsWith(m)))
      throw new Error(`${what}: content-type ${contentType}, declared ${media.join(', ')}`);
  }

  private validateJson(what: string, response: string[], contentType: string, text: string): void {
    if (!contentType.startsWith('application/json')) throw new Error(`${what}: declared JSON, content-type is ${contentType || 'none'}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${what}: the body is not JSON: ${text.slice(0, 200)}`);
    }
    const validate = this.validator(`/${pointer(...response, 'content', 'application/json', 'schema')}`);
    if (!validate(body)) {
      throw new Error(`${what}: the body does not match its schema: ${formatErrors(validate.errors ?? [])}\nbody: ${text.slice(0, 1_000)}`);
    }
    this.counts.json++;
  }
}

function formatErrors(errors: ErrorObject[]): string {
  return errors.map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('; ');
}

const checker = new AnswerChecker();
const baseUrls = new Set<string>();
let installed = false;

/** Checks every later answer from this base URL (a local stack's) against the document; wraps `fetch` the first time. */
export function checkAnswersOf(baseUrl: string): void {
  baseUrls.add(baseUrl);
  if (installed) return;
  installed = true;
  const plainFetch = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await plainFetch(input, init);
    const url = new URL(response.url || (input instanceof Request ? input.url : String(input)));
    if (!baseUrls.has(url.origin)) return response;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (method === 'HEAD' || method === 'OPTIONS') return response;
    // A followed redirect's final answer is another request (a GET); the 302 itself is not seen here.
    checker.check(
      response.redirected ? 'GET' : method,
      url.pathname,
      response.status,
      response.headers.get('content-type') ?? '',
      await response.clone().text(),
    );
    return response;
  };
}

/** How many answers the suite's stacks gave that were checked (and JSON bodies validated) in this process. */
export function checkedAnswers(): { answers: number; json: number } {
  return { ...checker.counts };
}

// `ANSWER_CHECK_REPORT=1` prints how many answers this test process checked.
if (process.env.ANSWER_CHECK_REPORT) {
  process.on('exit', () => process.stderr.write(`answers checked against the OpenAPI document: ${JSON.stringify(checker.counts)}\n`));
}
