import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkHealth, type HealthProbes } from '../../shared/storage/health-probe.js';

const ok = async () => {};
const down = async () => {
  throw new Error('connect ECONNREFUSED');
};

describe('the deep health check', () => {
  it('reports both dependencies reachable', async () => {
    assert.deepEqual(await checkHealth({ table: ok, bucket: ok }, () => {}), { table: true, bucket: true });
  });

  it('reports the table or the bucket failing, logs why, and never throws', async () => {
    const logged: string[] = [];
    const probes: HealthProbes = { table: down, bucket: ok };
    assert.deepEqual(await checkHealth(probes, (what) => logged.push(what)), { table: false, bucket: true });
    assert.deepEqual(await checkHealth({ table: ok, bucket: down }, (what) => logged.push(what)), { table: true, bucket: false });
    assert.deepEqual(logged, ['table', 'bucket']);
  });

  it('runs the probes at once (a slow table does not delay the bucket probe)', async () => {
    const order: string[] = [];
    const slow = () =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          order.push('table');
          resolve();
        }, 30),
      );
    const fast = async () => {
      order.push('bucket');
    };
    await checkHealth({ table: slow, bucket: fast }, () => {});
    assert.deepEqual(order, ['bucket', 'table']);
  });
});

describe('GET /health (the handler, against a fake endpoint)', () => {
  it('answers 200 when the table and the bucket answer, 503 naming the failing one, never cacheable', async () => {
    const { createServer } = await import('node:http');
    let tableUp = true;
    const seen: string[] = [];
    const server = createServer((request, response) => {
      seen.push(`${request.method} ${request.url} ${request.headers['x-amz-target'] ?? ''}`.trim());
      request.resume();
      request.on('end', () => {
        if (request.method === 'HEAD') response.writeHead(200).end();
        else if (tableUp) response.writeHead(200).end('{}');
        else response.writeHead(400).end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
    const saved = { ...process.env };
    Object.assign(process.env, {
      TABLE_NAME: 'ota',
      BUCKET_NAME: 'artifacts',
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_REGION: 'eu-west-1',
    });
    delete process.env.ORIGIN_VERIFY_SECRET;
    try {
      const { handler } = await import('../../lambdas/health.js');
      const event = { rawPath: '/health', headers: {}, requestContext: { http: { method: 'GET', path: '/health' } } };
      const up = await handler(event);
      assert.equal(up.statusCode, 200);
      assert.deepEqual(JSON.parse(up.body ?? ''), { status: 'healthy', checks: { table: 'ok', bucket: 'ok' } });
      assert.match(up.headers?.['cache-control'] ?? up.headers?.['Cache-Control'] ?? '', /no-store/);
      assert.ok(seen.includes('HEAD /artifacts'), seen.join());
      assert.ok(seen.includes('POST / DynamoDB_20120810.GetItem'), seen.join());

      tableUp = false;
      const original = console.error;
      console.error = () => {};
      const downAnswer = await handler(event).finally(() => {
        console.error = original;
      });
      assert.equal(downAnswer.statusCode, 503);
      assert.deepEqual(JSON.parse(downAnswer.body ?? ''), { status: 'unhealthy', checks: { table: 'failing', bucket: 'ok' } });
    } finally {
      process.env = saved;
      server.close();
    }
  });
});
