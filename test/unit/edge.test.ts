import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VIEWER_REQUEST_CODE, VIEWER_RESPONSE_CODE } from '../../infra/edge-functions.js';
import type { HttpEvent } from '../../shared/http/http-types.js';
import { EDGE_HOST_HEADER, publicBaseUrl } from '../../shared/http/public-url.js';
import { renderTauriUpdate } from '../../shared/protocols/tauri.js';

// CloudFront Functions are plain JavaScript with a global `handler`; run them as CloudFront would.
function load(code: string): (event: unknown) => any {
  return new Function(`${code}; return handler;`)();
}

describe('edge functions', () => {
  it('viewer response turns the marked empty 200 into 204 and leaves real answers alone', () => {
    const handler = load(VIEWER_RESPONSE_CODE);
    const noUpdate = handler({
      response: { statusCode: 200, headers: { 'x-ota-no-update': { value: '1' }, 'content-type': { value: 'text/plain' } } },
    });
    assert.equal(noUpdate.statusCode, 204);
    assert.deepEqual(noUpdate.headers, {});
    const update = handler({ response: { statusCode: 200, headers: { 'content-type': { value: 'application/json' } } } });
    assert.equal(update.statusCode, 200);
    assert.equal(handler({ response: { statusCode: 404, headers: { 'x-ota-no-update': { value: '1' } } } }).statusCode, 404);
  });

  it('viewer request passes the called host, overwriting what the viewer sent', () => {
    const handler = load(VIEWER_REQUEST_CODE);
    const request = handler({
      request: { headers: { host: { value: 'updates.example.com' }, [EDGE_HOST_HEADER]: { value: 'evil.example' } } },
    });
    assert.equal(request.headers[EDGE_HOST_HEADER].value, 'updates.example.com');
  });
});

describe('public URLs and the Tauri renderer', () => {
  const event = (headers: Record<string, string>, domainName = 'abc.execute-api.eu-west-1.amazonaws.com'): HttpEvent => ({
    rawPath: '/',
    headers,
    requestContext: { domainName, http: { method: 'GET', path: '/' } },
  });

  it('builds download URLs on the host the client called', () => {
    assert.equal(
      publicBaseUrl(event({ [EDGE_HOST_HEADER]: 'd111.cloudfront.net', 'x-forwarded-proto': 'https' })),
      'https://d111.cloudfront.net',
    );
    assert.equal(publicBaseUrl(event({ 'x-forwarded-proto': 'http' }, '127.0.0.1:3000')), 'http://127.0.0.1:3000');
    assert.equal(publicBaseUrl(event({ [EDGE_HOST_HEADER]: 'evil/path?x' })), 'https://invalid-host');
  });

  it('renders exactly the fields the Tauri updater reads', () => {
    const body = renderTauriUpdate(
      {
        releaseId: 'R',
        version: '1.2.0',
        notes: 'n',
        signature: 's',
        pubDate: '2026-03-13T12:00:00.000Z',
        objectKey: 'k',
        sha256: 'h',
        size: 1,
      },
      'https://x/dl',
    );
    assert.deepEqual(body, { version: '1.2.0', url: 'https://x/dl', signature: 's', notes: 'n', pub_date: '2026-03-13T12:00:00.000Z' });
  });
});
