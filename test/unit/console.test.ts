import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildConsole } from '../../console/build.js';
import { OPERATIONS, type OperationId } from '../../console/src/operations.js';
import { consoleCsp, consoleFileOf } from '../../shared/http/console.js';
import { openApiDocument } from '../../shared/http/openapi.js';
import { ROUTES, routeById } from '../../shared/routes.js';

type Document = { paths: Record<string, Record<string, { operationId: string }>> };

describe('the web console', () => {
  it('calls only operations of the OpenAPI document, with their method and path, and each is the route table’s', () => {
    const doc = openApiDocument(ROUTES, '0.0.0-test') as unknown as Document;
    for (const [id, op] of Object.entries(OPERATIONS)) {
      const documented = doc.paths[op.path]?.[op.method.toLowerCase()];
      assert.ok(documented, `${op.method} ${op.path} (${id}) is not in the OpenAPI document`);
      assert.equal(documented.operationId, id);
      const route = routeById(id as OperationId);
      assert.deepEqual({ method: route.method, path: route.path }, op, id);
    }
  });

  it('answers screen paths with index.html and files with themselves', () => {
    assert.equal(consoleFileOf('/console/'), 'index.html');
    assert.equal(consoleFileOf('/console/apps/01J/releases'), 'index.html');
    assert.equal(consoleFileOf('/console/config.json'), 'config.json');
    assert.equal(consoleFileOf('/console/assets/app-ABC.js'), 'assets/app-ABC.js');
  });

  it('allows no inline script or style, no frames, and connects only to itself, Cognito and the uploads', () => {
    const csp = consoleCsp({ cognito: 'https://cognito-idp.eu-west-1.amazonaws.com', uploads: 'https://b.s3.eu-west-1.amazonaws.com' });
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /connect-src 'self' https:\/\/cognito-idp\.eu-west-1\.amazonaws\.com https:\/\/b\.s3\.eu-west-1\.amazonaws\.com;/);
  });

  it('builds to an index.html with no inline code that loads content-hashed assets', () => {
    const out = mkdtempSync(join(tmpdir(), 'ota-console-'));
    try {
      const built = buildConsole(out);
      const html = readFileSync(join(out, 'index.html'), 'utf8');
      assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
      assert.doesNotMatch(html, /<style|style=/, 'no inline style');
      const assets = built.files.filter((f) => f.path.startsWith('assets/'));
      const named = assets.filter((f) => /^assets\/app-[A-Z0-9]+\.(js|css)$/.test(f.path));
      assert.equal(named.length, 2, 'one script and one stylesheet');
      for (const asset of named) assert.ok(html.includes(`/console/${asset.path}`) && asset.initial, asset.path);
      // The rest are content-hashed chunks the script imports; the telemetry screen's (uPlot) only when opened.
      for (const asset of assets.filter((f) => !named.includes(f))) {
        assert.match(asset.path, /^assets\/chunk-[A-Z0-9]+\.js$/);
        assert.ok(!html.includes(asset.path), asset.path);
      }
      const lazy = assets.filter((f) => !f.initial);
      assert.ok(
        lazy.some((f) => readFileSync(join(out, f.path), 'utf8').includes('uplot')),
        'uPlot stays out of the first load',
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
