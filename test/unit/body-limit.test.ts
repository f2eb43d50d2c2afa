import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyLimitCode } from '../../infra/body-limit-function.js';
import { bodyLimitAnswer } from '../../shared/http/body-limit.js';
import { ROUTES } from '../../shared/routes.js';

// The CloudFront function as CloudFront runs it: the code, then its `handler`.
const handler = new Function(`${bodyLimitCode(ROUTES)}; return handler;`)() as (event: unknown) => any;
const limited = ROUTES.filter((r) => r.bodyLimit);

function request(method: string, uri: string, contentLength?: number) {
  return {
    request: {
      method,
      uri,
      querystring: {},
      headers: contentLength === undefined ? {} : { 'content-length': { value: String(contentLength) } },
    },
  };
}

describe('edge body limits (CloudFront function) answer as the local gateway does', () => {
  it('upload routes declare a limit', () => {
    assert.ok(limited.length >= 1, 'at least one route takes files in its body');
  });

  it('a declared body over a route limit is a 413 in the route error shape; within it, or elsewhere, passes', () => {
    for (const route of limited) {
      const uri = route.path.replace(/\{[^}/]+\}/g, '01ARZ3NDEKTSV4RRFFQ69G5FAV');
      const limit = route.bodyLimit?.bytes ?? 0;
      const over = handler(request(route.method, uri, limit + 1));
      const local = bodyLimitAnswer(route, String(limit + 1));
      assert.equal(over.statusCode, 413, route.id);
      assert.equal(over.body.data, local?.body, `${route.id}: the edge and the local gateway say the same`);
      assert.match(JSON.parse(over.body.data).error.message ?? JSON.parse(over.body.data).error, /presign|upload|install report/i);
      assert.equal(handler(request(route.method, uri, limit)).uri, uri, `${route.id}: at the limit it passes`);
      assert.equal(handler(request(route.method, uri)).uri, uri, `${route.id}: without Content-Length it passes`);
      assert.equal(handler(request('GET', uri, limit + 1)).uri, uri, `${route.id}: another method passes`);
      assert.equal(handler(request(route.method, `${uri}/more`, limit + 1)).uri, `${uri}/more`, `${route.id}: another path passes`);
    }
  });
});
