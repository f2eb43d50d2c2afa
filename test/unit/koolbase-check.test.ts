import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { checkAnswer, EXPIRED_KEY } from '../../shared/faces/koolbase/check.js';
import type { HttpEvent, HttpResult } from '../../shared/http/http-types.js';
import type { SdkKeyRecord } from '../../shared/storage/koolbase-keys.js';

// The SDK check against a scripted DynamoDB endpoint: what it reads (one GetItem of the key's
// item, by hash) and what it answers. The emulator run is in test/integration/koolbase.test.ts.
describe("Koolbase's SDK check", () => {
  let server: Server;
  let item: Record<string, { S: string } | { N: string }> | undefined;
  let requests: { target: string; body: string }[] = [];
  let handler: (event: HttpEvent) => Promise<HttpResult>;
  const saved = { ...process.env };
  const key = 'pk_live_AAAAbbbbCCCCddddEEEEffffGGGGhhhhIIIIjjjjKKK';
  const bundle = { releaseId: 'R1', artifactId: 'A1', version: 3, sha256: 'ab'.repeat(32), size: 630, mandatory: true, notes: '' };

  before(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (c: Buffer) => {
        body += c.toString();
      });
      request.on('end', () => {
        requests.push({ target: String(request.headers['x-amz-target']), body });
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(item ? { Item: item } : {}));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      TABLE_NAME: 'ota',
      PUBLIC_BASE_URL: 'https://updates.example.com/',
    });
    delete process.env.ORIGIN_VERIFY_SECRET;
    ({ handler } = await import('../../lambdas/koolbase-check.js'));
  });
  after(async () => {
    process.env = saved;
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    requests = [];
    item = { appId: { S: 'APP1' }, bundles: { S: JSON.stringify({ production: bundle }) } };
  });

  const call = async (headers: Record<string, string>, query: Record<string, string> = {}) => {
    const result = await handler({
      rawPath: '/v1/sdk/ota/check',
      headers,
      queryStringParameters: query,
      requestContext: { http: { method: 'GET', path: '/v1/sdk/ota/check' } },
    });
    return { ...result, json: JSON.parse(result.body ?? '') };
  };

  it('reads exactly one item, keyed by the SHA-256 of the key, and never sends the key itself', async () => {
    const answer = await call({ 'x-api-key': key }, { channel: 'production', version: '2' });
    assert.equal(requests.length, 1);
    assert.equal(requests[0]?.target, 'DynamoDB_20120810.GetItem');
    const sent = JSON.parse(requests[0]?.body ?? '{}');
    assert.equal(sent.Key.PK.S, `SDKKEY#${createHash('sha256').update(key).digest('hex')}`);
    assert.ok(!requests[0]?.body.includes(key));
    assert.equal(answer.statusCode, 200);
    assert.deepEqual(answer.json, {
      has_update: true,
      version: 3,
      checksum: `sha256:${bundle.sha256}`,
      mandatory: true,
      download_url: 'https://updates.example.com/files/APP1/R1/A1/v3.zip',
      release_notes: null,
      file_size: 630,
    });
    assert.equal(answer.headers?.['cache-control'], 'public, max-age=0, s-maxage=60');
  });

  it('answers 401 without a key (no read) or with an unknown one, and has_update false when current', async () => {
    const missing = await call({});
    assert.equal(missing.statusCode, 401);
    assert.deepEqual(missing.json, { error: 'x-api-key required' });
    assert.equal(requests.length, 0);
    item = undefined;
    const unknown = await call({ 'x-api-key': 'pk_live_nope' });
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual(unknown.json, { error: 'invalid api key' });
    assert.equal(requests.length, 1, 'a wrong (or revoked: its item is gone) key costs one read');
    assert.equal(unknown.headers?.['cache-control'], 'public, max-age=0, s-maxage=60', 'a refusal is kept at the edge a minute at most');
    item = { appId: { S: 'APP1' }, bundles: { S: JSON.stringify({ production: bundle }) } };
    assert.deepEqual((await call({ 'x-api-key': key }, { version: '3' })).json, { has_update: false });
    assert.equal((await call({ 'x-api-key': key }, { version: '2.9' })).json.version, 3, 'unparsable counts as 0');
    assert.deepEqual((await call({ 'x-api-key': key }, { channel: 'staging' })).json, { has_update: false });
  });

  it('refuses another channel to a key limited to one (403)', async () => {
    item = { appId: { S: 'APP1' }, channel: { S: 'staging' }, bundles: { S: '{}' } };
    const refused = await call({ 'x-api-key': key }, { channel: 'production' });
    assert.equal(refused.statusCode, 403);
    assert.deepEqual(refused.json, { error: 'api key is limited to channel "staging"' });
    assert.deepEqual((await call({ 'x-api-key': key }, { channel: 'staging' })).json, { has_update: false });
  });

  it('refuses a rotated key once its grace period has ended, from the same one read (TTL deletion is lazy)', async () => {
    // Far enough in the past that no clock reading of the handler can disagree.
    const longAgo = Math.floor(Date.now() / 1000) - 3600;
    item = { appId: { S: 'APP1' }, bundles: { S: JSON.stringify({ production: bundle }) }, expiresAt: { N: String(longAgo) } };
    const expired = await call({ 'x-api-key': key }, { channel: 'production', version: '0' });
    assert.equal(expired.statusCode, 401);
    assert.deepEqual(expired.json, { error: 'api key expired' });
    assert.equal(expired.headers?.['cache-control'], 'public, max-age=0, s-maxage=60');
    assert.equal(requests.length, 1);
    assert.match(requests[0]?.body ?? '', /"expiresAt"/, 'the grace end is read in the same GetItem');
  });

  it('keeps the answers of a key in its grace period at the edge no longer than the grace has left (time injected)', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const seconds = now / 1000;
    const record = (expiresAt?: number): SdkKeyRecord => ({
      appId: 'APP1',
      bundles: { production: bundle },
      ...(expiresAt === undefined ? {} : { expiresAt }),
    });
    const query = { channel: 'production', version: '0' };
    const base = 'https://updates.example.com';
    const working = checkAnswer(record(seconds + 30), query, base, now);
    assert.equal(working.status, 200);
    assert.equal(working.body.version, 3);
    assert.equal(working.edgeTtl, 30);
    assert.equal(checkAnswer(record(seconds + 30), query, base, now + 29_500).edgeTtl, 0, 'the last second is not cached');
    assert.equal(checkAnswer(record(seconds + 3600), query, base, now).edgeTtl, 60, 'never over the minute');
    assert.equal(checkAnswer(record(), query, base, now).edgeTtl, 60);
    assert.deepEqual(checkAnswer(record(seconds + 30), query, base, now + 30_000), EXPIRED_KEY, 'expired at its end');
    assert.deepEqual(checkAnswer(record(seconds + 30), query, base, now + 31_000), EXPIRED_KEY);
  });
});
