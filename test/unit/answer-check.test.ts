import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROUTES } from '../../shared/routes.js';
import { AnswerChecker, routeOf } from '../support/answer-check.js';

const JSON_TYPE = 'application/json';
const app = {
  id: 'app1',
  name: 'Demo',
  slug: 'demo',
  default_channel: 'stable',
  tauri_pubkey: null,
  private: false,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
};

describe('answers checked against the OpenAPI document', () => {
  const checker = new AnswerChecker();

  it('finds the route a request reaches: literal segments beat parameters', () => {
    assert.equal(routeOf(ROUTES, 'GET', '/api/sync/ota/apps/a1')?.id, 'GetApp');
    assert.equal(routeOf(ROUTES, 'GET', '/api/sync/ota/demo/darwin/aarch64/1.0.0')?.id, 'CheckUpdate');
    assert.equal(routeOf(ROUTES, 'GET', '/api/sync/ota/demo/latest/darwin/aarch64')?.id, 'LatestDownload');
  });

  it('accepts a right answer, and an error in the face’s shape', () => {
    checker.check('GET', '/api/sync/ota/apps/app1', 200, JSON_TYPE, JSON.stringify(app));
    checker.check('GET', '/api/sync/ota/apps', 200, JSON_TYPE, JSON.stringify({ apps: [app] }));
    checker.check(
      'GET',
      '/api/sync/ota/apps/nope',
      404,
      JSON_TYPE,
      JSON.stringify({ error: { code: 'not_found', message: 'app not found' } }),
    );
    checker.check('GET', '/app/list', 401, JSON_TYPE, JSON.stringify({ error: 'unauthorized' }));
    checker.check('DELETE', '/api/sync/ota/apps/app1/download-tokens/tok1', 204, '', '');
  });

  it('refuses an answer missing a required field, naming the route, the status and the field', () => {
    const { name: _name, ...nameless } = app;
    assert.throws(
      () => checker.check('GET', '/api/sync/ota/apps', 200, JSON_TYPE, JSON.stringify({ apps: [nameless] })),
      (error: Error) =>
        /GET \/api\/sync\/ota\/apps answered 200: the body does not match its schema/.test(error.message) && /name/.test(error.message),
    );
  });

  it('refuses a field the schema does not declare, an undeclared status, and an error in another face’s shape', () => {
    assert.throws(
      () => checker.check('GET', '/api/sync/ota/apps/app1', 200, JSON_TYPE, JSON.stringify({ ...app, extra: 1 })),
      /additional/,
    );
    assert.throws(() => checker.check('GET', '/api/sync/ota/apps/app1', 201, JSON_TYPE, JSON.stringify(app)), /status not declared/);
    assert.throws(
      () => checker.check('GET', '/api/sync/ota/apps/x', 404, JSON_TYPE, JSON.stringify({ error: 'not found' })),
      /does not match/,
    );
    assert.throws(() => checker.check('DELETE', '/api/sync/ota/apps/app1/download-tokens/tok1', 204, '', 'unexpected'), /without a body/);
  });
});
