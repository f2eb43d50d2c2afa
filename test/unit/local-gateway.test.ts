import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { edgeRequestCode } from '../../infra/edge-functions.js';
import { TokenBucket } from '../../local/api-gateway-limits.js';
import { InMemoryEdgeStore, loadEdgeFunction } from '../../local/edge-runtime.js';
import { createGateway, createRouter, type GatewayOptions, matchRoute } from '../../local/gateway.js';
import { edgeStateKeys, encodeEdgeState } from '../../shared/domain/edge-state.js';
import { deviceBucket } from '../../shared/domain/rollout.js';
import { API_PAYLOAD_LIMIT_BYTES } from '../../shared/http/api-gateway-limits.js';
import type { HttpEvent, HttpResult } from '../../shared/http/http-types.js';
import { ROUTES } from '../../shared/routes.js';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** A gateway on a free port whose handlers echo what they received (no emulators needed). */
async function startGateway(options: GatewayOptions = {}, handlers: Record<string, (event: HttpEvent) => Promise<HttpResult>> = {}) {
  const invoked: string[] = [];
  const echo = (name: string) => async (event: HttpEvent) => {
    invoked.push(name);
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        handler: name,
        rawPath: event.rawPath,
        params: event.pathParameters,
        bodyBytes: event.body?.length ?? 0,
        ...(event.isBase64Encoded ? { base64: true } : {}),
      }),
    };
  };
  const server: Server = createGateway(async (name) => handlers[name] ?? echo(name), options);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    invoked,
    /** A request with the target exactly as given (`//`, absolute-form), optionally with a body in chunks. */
    send(method: string, target: string, options: { headers?: Record<string, string | number>; chunks?: Buffer[] } = {}): Promise<Reply> {
      return new Promise((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method, path: target, headers: options.headers, agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }));
        });
        req.on('error', reject);
        for (const chunk of options.chunks ?? []) req.write(chunk);
        req.end();
      });
    },
    /** Sends only the request head, declaring `contentLength`, and resolves with the answer that comes before any body. */
    sendHeadOnly(method: string, target: string, contentLength: number): Promise<Reply> {
      return new Promise((resolve, reject) => {
        const req = httpRequest({
          host: '127.0.0.1',
          port,
          method,
          path: target,
          headers: { 'content-length': contentLength },
          agent: false,
        });
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() });
            req.destroy();
          });
        });
        req.on('error', reject);
        req.flushHeaders();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Gateway = Awaited<ReturnType<typeof startGateway>>;

/** A route table without `$default`, so unmatched requests get API Gateway's own answer. */
const ROUTES_WITHOUT_DEFAULT = [
  { method: 'GET', path: '/health', handler: 'health' },
  { method: 'GET', path: '/apps/{app_id}/releases', handler: 'list-releases' },
  { method: 'POST', path: '/apps', handler: 'create-app' },
] as const;

function assertGatewayAnswer(reply: Reply, status: number, message: string): void {
  assert.equal(reply.status, status, reply.text);
  assert.equal(reply.text, JSON.stringify({ message }));
  assert.equal(reply.headers['content-type'], 'application/json');
}

describe('local gateway: unknown routes and odd request targets', () => {
  let gateway: Gateway;
  before(async () => {
    gateway = await startGateway({ routes: ROUTES_WITHOUT_DEFAULT });
  });
  after(() => gateway.close());

  it("answers an unmatched route with API Gateway's own 404, without calling a handler", async () => {
    assertGatewayAnswer(await gateway.send('GET', '/nope'), 404, 'Not Found');
    assertGatewayAnswer(await gateway.send('PATCH', '/apps'), 404, 'Not Found');
    assert.deepEqual(gateway.invoked, []);
  });

  it('answers `GET //` and a trailing or doubled slash with 404, never 500', async () => {
    assertGatewayAnswer(await gateway.send('GET', '//'), 404, 'Not Found');
    assertGatewayAnswer(await gateway.send('GET', '//health'), 404, 'Not Found');
    assertGatewayAnswer(await gateway.send('GET', '/health/'), 404, 'Not Found');
    assertGatewayAnswer(await gateway.send('GET', '/apps//releases'), 404, 'Not Found');
  });

  it('routes an absolute-form request target by its path, and answers an unparsable one with 404', async () => {
    assertGatewayAnswer(await gateway.send('GET', 'http://evil.example/x'), 404, 'Not Found');
    assertGatewayAnswer(await gateway.send('GET', 'http://evil.example:99999/x'), 404, 'Not Found');
    assertGatewayAnswer(await gateway.send('GET', 'http://[::1/x'), 404, 'Not Found');
    // Origin-form starting with `//` is a path, not a host.
    assertGatewayAnswer(await gateway.send('GET', '//evil.example/health'), 404, 'Not Found');
    const health = await gateway.send('GET', 'http://evil.example/health?probe=1');
    assert.equal(health.status, 200);
    assert.deepEqual(JSON.parse(health.text), { handler: 'health', rawPath: '/health', params: {}, bodyBytes: 0 });
  });
});

describe('local gateway: $default route', () => {
  it('sends what no route matches, whatever its method or target, to a `$default` route when the table has one', async () => {
    const gateway = await startGateway({ routes: [...ROUTES_WITHOUT_DEFAULT, { method: 'GET', path: '$default', handler: 'catch-all' }] });
    try {
      for (const [method, target] of [
        ['POST', '/anything/else'],
        ['GET', '//'],
        ['GET', 'http://evil.example/x'],
        ['PATCH', '/apps'],
      ] as const) {
        const reply = await gateway.send(method, target);
        assert.equal(reply.status, 200, `${method} ${target}`);
        assert.equal(JSON.parse(reply.text).handler, 'catch-all', `${method} ${target}`);
      }
      assert.equal(JSON.parse((await gateway.send('GET', '/health')).text).handler, 'health');
    } finally {
      await gateway.close();
    }
  });

  it('keeps `$default` out of explicit matching', () => {
    const match = createRouter([{ method: 'GET', path: '$default', handler: 'catch-all' }]);
    assert.equal(match('GET', '/$default'), undefined);
  });
});

describe('local gateway: payload limit', () => {
  let gateway: Gateway;
  before(async () => {
    gateway = await startGateway({ routes: [{ method: 'POST', path: '/upload', handler: 'upload' }] });
  });
  after(() => gateway.close());

  it('refuses a declared Content-Length over 10 MiB before reading the body', async () => {
    const reply = await gateway.sendHeadOnly('POST', '/upload', 600 * 1024 * 1024);
    assertGatewayAnswer(reply, 413, 'Request Entity Too Large');
    assert.deepEqual(gateway.invoked, []);
  });

  it('stops reading a chunked body at 10 MiB and answers 413', async () => {
    const mib = Buffer.alloc(1024 * 1024, 'a');
    const chunks = [...Array.from({ length: 10 }, () => mib), Buffer.from('!')];
    assertGatewayAnswer(await gateway.send('POST', '/upload', { chunks }), 413, 'Request Entity Too Large');
    assert.deepEqual(gateway.invoked, []);
  });

  it('passes a 10 MiB body through API Gateway, but Lambda refuses an event over 6 MB (413)', async () => {
    const body = Buffer.alloc(API_PAYLOAD_LIMIT_BYTES, 'a');
    assertGatewayAnswer(await gateway.send('POST', '/upload', { chunks: [body] }), 413, 'Request Too Long');
    assert.deepEqual(gateway.invoked, []);
  });

  it('passes a 4 MiB text body to the handler as text, and a binary one base64-encoded', async () => {
    const body = Buffer.alloc(4 * 1024 * 1024, 'a');
    const reply = await gateway.send('POST', '/upload', { chunks: [body] });
    assert.equal(reply.status, 200);
    assert.equal(JSON.parse(reply.text).bodyBytes, body.length);
    const binary = await gateway.send('POST', '/upload', {
      chunks: [Buffer.from([0, 255, 1])],
      headers: { 'content-type': 'application/octet-stream' },
    });
    assert.deepEqual(JSON.parse(binary.text), { handler: 'upload', rawPath: '/upload', params: {}, bodyBytes: 4, base64: true });
  });
});

describe('local gateway: stage throttle', () => {
  it('answers 429 once the burst is spent, as API Gateway does', async () => {
    const gateway = await startGateway({ routes: ROUTES_WITHOUT_DEFAULT, throttle: { rateLimit: 0.001, burstLimit: 2 } });
    try {
      assert.equal((await gateway.send('GET', '/health')).status, 200);
      assert.equal((await gateway.send('GET', '/health')).status, 200);
      assertGatewayAnswer(await gateway.send('GET', '/health'), 429, 'Too Many Requests');
      assert.equal(gateway.invoked.length, 2);
    } finally {
      await gateway.close();
    }
  });

  it('refills the bucket at the steady rate, up to the burst', () => {
    let now = 0;
    const bucket = new TokenBucket({ rateLimit: 10, burstLimit: 3 }, () => now);
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
    now += 100; // one token at 10 per second
    assert.deepEqual([bucket.take(), bucket.take()], [true, false]);
    now += 10_000; // never more than the burst
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
  });
});

describe('local gateway: failed functions', () => {
  it("answers a throwing handler, or a response it cannot send, with API Gateway's 500", async () => {
    const gateway = await startGateway(
      {
        routes: [
          { method: 'GET', path: '/throws', handler: 'throws' },
          { method: 'GET', path: '/malformed', handler: 'malformed' },
        ],
      },
      {
        throws: async () => {
          throw new Error('boom');
        },
        malformed: async () => ({ statusCode: 200, headers: { 'x-bad': 'line\nbreak' }, body: 'x' }),
      },
    );
    const errors = console.error;
    console.error = () => {};
    try {
      assertGatewayAnswer(await gateway.send('GET', '/throws'), 500, 'Internal Server Error');
      assertGatewayAnswer(await gateway.send('GET', '/malformed'), 500, 'Internal Server Error');
    } finally {
      console.error = errors;
      await gateway.close();
    }
  });
});

describe('local gateway: route matching', () => {
  it('does not let a path parameter match an empty segment', () => {
    const match = createRouter(ROUTES_WITHOUT_DEFAULT);
    assert.deepEqual(match('GET', '/apps/X/releases')?.params, { app_id: 'X' });
    assert.equal(match('GET', '/apps//releases'), undefined);
  });

  it('matches the real route table', () => {
    assert.equal(matchRoute('GET', '/health')?.route.id, 'Health');
  });

  it('refuses route syntax it does not implement instead of dispatching it differently', () => {
    assert.throws(() => createRouter([{ method: 'GET', path: '/files/{proxy+}', handler: 'files' }]), /greedy/);
    assert.throws(() => createRouter([{ method: 'ANY', path: '/files', handler: 'files' }]), /ANY/);
  });
});

describe('local gateway: the edge function', () => {
  it("runs the deployed viewer-request function's code on edge-cached GETs: refusals answer, forwarded requests carry its changes", async () => {
    const store = new InMemoryEdgeStore();
    const edge = loadEdgeFunction(edgeRequestCode(ROUTES), store);
    await store.update([
      { key: edgeStateKeys.slug('gone'), value: encodeEdgeState({ rev: 1, deleted: true }) },
      { key: edgeStateKeys.slug('live'), value: encodeEdgeState({ rev: 2 }) },
    ]);
    const seen: HttpEvent[] = [];
    const gateway = await startGateway(
      { edge: (request) => edge({ request }) },
      {
        'check-update': async (event) => {
          seen.push(event);
          return { statusCode: 204, headers: {}, body: '' };
        },
      },
    );
    try {
      const refused = await gateway.send('GET', '/api/sync/ota/gone/linux/x86_64/1.0.0');
      assert.equal(refused.status, 404);
      assert.equal(JSON.parse(refused.text).error.code, 'not_found');
      assert.equal(seen.length, 0, 'the edge answered; no function ran');
      const passed = await gateway.send('GET', '/api/sync/ota/live/linux/x86_64/1.0.0?channel=beta&noCache=1', {
        headers: { 'x-device-id': 'device-1', 'x-ota-bucket': '7' },
      });
      assert.equal(passed.status, 204);
      const event = seen[0] as HttpEvent;
      assert.equal(event.rawQueryString, 'channel=beta');
      assert.equal(event.headers['x-ota-bucket'], String(deviceBucket('device-1')), 'the bucket is the edge’s, not the client’s');
      assert.equal(event.headers['x-ota-edge-key'], 'v2?channel=beta');
    } finally {
      await gateway.close();
    }
  });
});
