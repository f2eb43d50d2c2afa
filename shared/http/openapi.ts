import * as z from 'zod/mini';
import { API_KEY_HEADER, DOWNLOAD_TOKEN_HEADER, DOWNLOAD_TOKEN_QUERY } from './edge.js';
import type { Face, RouteDefinition } from './route-definition.js';

/**
 * The OpenAPI 3.1 document of the service, generated from the route table: every route of every
 * face with its path parameters, its query and body schemas (zod's JSON Schema of the very
 * schemas the middleware validates with), its error shape and who may call it. Answers are
 * described generically (their status and media type); their bodies carry no schema yet.
 */

type Json = Record<string, unknown>;

/** The JSON Schema of a request schema, as a client sends it (before defaults and coercions). */
function jsonSchemaOf(schema: z.ZodMiniType): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
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

function operationOf(route: RouteDefinition): Json {
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
    responses: {
      '2XX': { description: 'Success: JSON, an updater’s document, or no content (see the summary)' },
      '3XX': { description: 'A redirect to the file (download routes)' },
      '4XX': error,
      '5XX': error,
    },
    security: securityOf(route),
  };
}

/** The OpenAPI 3.1 document of these routes (the `$default` catch-all is not a route of its own). */
export function openApiDocument(routes: readonly RouteDefinition[], version: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    if (route.path === '$default') continue;
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, Json>)[route.method.toLowerCase()] = operationOf(route);
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
