import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { handler } from '../../lambdas/openapi.js';
import { openApiDocument } from '../../shared/http/openapi.js';
import { ROUTES } from '../../shared/routes.js';

type Operation = {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: { 'application/json': { schema: { additionalProperties?: unknown; properties?: object } } } };
  responses: Record<string, { $ref?: string }>;
  security: Record<string, string[]>[];
};
type Json = Record<string, any>;
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: object } };

const doc = openApiDocument(ROUTES, '0.0.0-test') as unknown as Document;
const operation = (method: string, path: string): Operation => {
  const found = doc.paths[path]?.[method];
  assert.ok(found, `${method} ${path}`);
  return found;
};

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(structuredClone(doc));
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    assert.equal(doc.openapi, '3.1.0');
  });

  it('has every route of every face once, with its path parameters', () => {
    for (const route of ROUTES.filter((r) => r.path !== '$default')) {
      const op = operation(route.method.toLowerCase(), route.path);
      assert.equal(op.operationId, route.id);
      const params = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
      assert.deepEqual(op.parameters?.filter((p) => p.in === 'path').map((p) => p.name) ?? [], params, route.id);
    }
  });

  it('describes bodies and queries from the schemas the middleware validates with: native bodies strict, the faces lenient', () => {
    const createRelease = operation('post', '/api/sync/ota/apps/{app_id}/releases');
    const schema = createRelease.requestBody?.content['application/json'].schema;
    assert.equal(schema?.additionalProperties, false);
    assert.ok(schema?.properties && 'version' in schema.properties);
    const koolbase = Object.values(doc.paths)
      .flatMap((p) => Object.values(p))
      .find((o) => o.operationId === 'KoolbaseRequestUpload');
    assert.notEqual(koolbase?.requestBody?.content['application/json'].schema.additionalProperties, false);
    const list = operation('get', '/api/sync/ota/apps/{app_id}/releases');
    assert.ok(list.parameters?.some((p) => p.in === 'query' && p.name === 'published' && !p.required));
  });

  it('names the error shape of each face and who may call each route', () => {
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), [
      'apiToken',
      'cognito',
      'downloadToken',
      'downloadTokenQuery',
      'koolbaseApiKey',
    ]);
    assert.match(operation('get', '/api/sync/ota/apps').responses['4XX']?.$ref ?? '', /ServiceError/);
    assert.match(operation('get', '/checkVersion').responses['4XX']?.$ref ?? '', /ClientError/);
    assert.deepEqual(operation('get', '/health').security, []);
    assert.deepEqual(operation('get', '/api/sync/ota/apps').security, [{ cognito: [] }, { apiToken: [] }]);
    assert.deepEqual(operation('get', '/v1/sdk/ota/check').security, [{ koolbaseApiKey: [] }]);
    assert.ok(operation('get', '/api/sync/ota/{slug}/{target}/{arch}/{current_version}').security.some((s) => 'downloadToken' in s));
  });

  it('describes the answers of every route: JSON schemas (shared ones as components), documents, redirects, no content; multipart parts', () => {
    for (const route of ROUTES.filter((r) => r.path !== '$default')) {
      assert.ok(Object.keys(route.responses).length > 0, `${route.id} declares its answers`);
      const statuses = Object.keys(operation(route.method.toLowerCase(), route.path).responses);
      assert.deepEqual(statuses, [...Object.keys(route.responses), '4XX', '5XX'], route.id);
    }
    const responses = (method: string, path: string) => operation(method, path).responses as unknown as Record<string, Json>;
    assert.deepEqual(responses('get', '/api/sync/ota/apps/{app_id}')['200']?.content['application/json'].schema, {
      $ref: '#/components/schemas/App',
    });
    assert.ok(responses('get', '/feeds/{slug}/electron/{file}')['200']?.content['text/yaml']);
    assert.ok(responses('get', '/api/sync/ota/{slug}/latest/{target}/{arch}')['302']?.headers.Location);
    assert.equal(responses('delete', '/api/sync/ota/apps/{app_id}')['204']?.content, undefined);
    const schemas = (doc as unknown as { components: { schemas: Record<string, { required?: string[] }> } }).components.schemas;
    assert.ok(schemas.Release?.required?.includes('artifacts'));
    const upload = operation('post', '/upload').requestBody as unknown as Json;
    assert.deepEqual(upload.content['multipart/form-data'].schema.required, ['data']);
    assert.ok(upload.content['multipart/form-data'].schema.properties.file);
  });

  it('is served at GET /openapi.json, edge-cacheable', async () => {
    const route = ROUTES.find((r) => r.path === '/openapi.json');
    assert.equal(route?.access.kind, 'public');
    assert.notEqual(route?.edgeCache, false);
    const answer = await handler({
      rawPath: '/openapi.json',
      headers: {},
      requestContext: { http: { method: 'GET', path: '/openapi.json' } },
    });
    assert.equal(answer.statusCode, 200);
    assert.match(answer.headers?.['cache-control'] ?? '', /s-maxage=300/);
    assert.equal(JSON.parse(answer.body ?? '').openapi, '3.1.0');
  });
});
