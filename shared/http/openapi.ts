import * as z from 'zod/mini';
import { API_KEY_HEADER, DOWNLOAD_TOKEN_HEADER, DOWNLOAD_TOKEN_QUERY } from './edge.js';
import { type AnswerBody, type Face, type FormPart, isJsonAnswer, RESPONSE_COMPONENTS, type RouteDefinition } from './route-definition.js';

/**
 * The OpenAPI 3.1 document of the service, generated from the route table: every route of every
 * face with its path parameters, its query and body schemas (zod's JSON Schema of the very
 * schemas the middleware validates with), multipart bodies with their parts, the answers the route
 * table declares (JSON schemas of the DTOs, feeds' media types, redirects, no content), the face's
 * error shape for 4XX and 5XX, and who may call it. Response schemas shared by several routes are
 * components; the integration tests validate every JSON answer they receive against this document.
 */

type Json = Record<string, unknown>;

/** The JSON Schema of a request schema, as a client sends it (before defaults and coercions). */
function jsonSchemaOf(schema: z.ZodMiniType): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
}

/**
 * The JSON Schema of a response schema, as the handler writes it. Shared schemas (registered in
 * RESPONSE_COMPONENTS) go into `components` and are referenced.
 */
function responseSchemaOf(schema: z.ZodMiniType, components: Record<string, Json>): Json {
  const converted = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any', metadata: RESPONSE_COMPONENTS }) as Json;
  const {
    $schema: _dialect,
    $defs,
    ...rest
  } = JSON.parse(JSON.stringify(converted).replaceAll('"#/$defs/', '"#/components/schemas/')) as Json;
  Object.assign(components, $defs);
  return rest;
}

function formSchemaOf(parts: Readonly<Record<string, FormPart>>): Json {
  const properties: Record<string, Json> = {};
  for (const [name, part] of Object.entries(parts)) {
    const one: Json =
      part.kind === 'file'
        ? { type: 'string', contentMediaType: 'application/octet-stream' }
        : part.kind === 'json'
          ? { type: 'string', contentMediaType: 'application/json' }
          : { type: 'string' };
    properties[name] = { ...(part.many ? { type: 'array', items: one } : one), description: part.description };
  }
  const required = Object.entries(parts)
    .filter(([, part]) => part.required)
    .map(([name]) => name);
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

/** One declared success answer as an OpenAPI response object. */
function answerOf(body: AnswerBody, components: Record<string, Json>): Json {
  if (isJsonAnswer(body))
    return { description: 'Success', content: { 'application/json': { schema: responseSchemaOf(body, components) } } };
  if (body.kind === 'document') return { description: 'The document', content: { [body.media]: { schema: { type: 'string' } } } };
  if (body.kind === 'redirect') {
    return { description: 'A redirect to the file', headers: { Location: { required: true, schema: { type: 'string' } } } };
  }
  return { description: 'No content' };
}

const ERROR_SCHEMA: Record<Face, string> = { service: 'ServiceError', faynosync: 'ClientError', koolbase: 'ClientError' };

const SECURITY_SCHEMES = {
  cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Cognito ID token of the owner or a team user.' },
  apiToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token: `ota_…` (the service’s paths) or `fns_…` (faynoSync’s), scoped to apps and actions.',
  },
  koolbaseApiKey: { type: 'apiKey', in: 'header', name: API_KEY_HEADER, description: 'A Koolbase project’s SDK key.' },
  downloadToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Download-Token',
    description: 'A private app’s download token (`dl_…`); also accepted as `Authorization: Bearer dl_…`.',
  },
  downloadTokenQuery: {
    type: 'apiKey',
    in: 'query',
    name: DOWNLOAD_TOKEN_QUERY,
    description: 'A private app’s download token in the query.',
  },
} as const;

const DOWNLOAD_TOKEN = [{ downloadToken: [] }, { downloadTokenQuery: [] }];

/** Who may call a route, as OpenAPI security requirements (any one of them). */
function securityOf(route: RouteDefinition): Json[] {
  const access = route.access;
  if (access.kind === 'public') {
    if (route.edgeCache !== false && route.edgeCache.apiKeyHash) return [{ koolbaseApiKey: [] }];
    // A public app's answer needs nothing; a private app's needs its download token.
    if (route.edgeCache !== false && route.edgeCache.downloadToken) return [{}, ...DOWNLOAD_TOKEN];
    return [];
  }
  if (access.kind === 'owner') return [{ cognito: [] }];
  const callers = [{ cognito: [] }, { apiToken: [] }];
  return access.kind === 'caller' && access.orDownloadToken ? [...callers, ...DOWNLOAD_TOKEN] : callers;
}

function parametersOf(route: RouteDefinition): Json[] {
  const path = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  const query: Json[] = [];
  if (route.request?.query) {
    const schema = jsonSchemaOf(route.request.query) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      query.push({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: property });
    }
  }
  return [...path, ...query];
}

function operationOf(route: RouteDefinition, components: Record<string, Json>): Json {
  const face = route.face ?? 'service';
  const error = { $ref: `#/components/responses/${ERROR_SCHEMA[face]}` };
  const parameters = parametersOf(route);
  return {
    operationId: route.id,
    summary: route.summary,
    tags: [face === 'service' ? (route.access.kind === 'public' ? 'updater clients' : 'service') : face],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.request?.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(route.request.body) } } } }
      : {}),
    ...(route.multipart
      ? { requestBody: { required: true, content: { 'multipart/form-data': { schema: formSchemaOf(route.multipart) } } } }
      : {}),
    responses: {
      ...Object.fromEntries(Object.entries(route.responses).map(([status, body]) => [status, answerOf(body, components)])),
      '4XX': error,
      '5XX': error,
    },
    security: securityOf(route),
  };
}

/** The OpenAPI 3.1 document of these routes (the `$default` catch-all is not a route of its own). */
export function openApiDocument(routes: readonly RouteDefinition[], version: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const answers: Record<string, Json> = {};
  for (const route of routes) {
    if (route.path === '$default') continue;
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, Json>)[route.method.toLowerCase()] = operationOf(route, answers);
  }
  const errorResponse = (description: string, schema: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'OTA update server',
      version,
      description:
        'Generated from the route table. Three faces: the service’s own API, faynoSync’s and Koolbase’s (each with its clients’ error shape). ' +
        `A wrong method on a known path is a 405 with \`Allow\`. Private apps take their download token in \`${DOWNLOAD_TOKEN_HEADER}\`.`,
    },
    paths,
    components: {
      securitySchemes: SECURITY_SCHEMES,
      schemas: {
        ...Object.fromEntries(Object.entries(answers).sort(([a], [b]) => a.localeCompare(b))),
        ServiceError: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
        ClientError: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
      },
      responses: {
        ServiceError: errorResponse('An error in the service’s shape', 'ServiceError'),
        ClientError: errorResponse('An error in faynoSync’s and Koolbase’s shape', 'ClientError'),
      },
    },
  };
}
