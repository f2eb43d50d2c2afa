import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { leanViewLookup } from '../../shared/storage/fayno-view-item.js';
import { encodeFeed } from '../../shared/storage/feed-codec.js';
import { LeanFeedReader } from '../../shared/storage/lean-feed-reader.js';

// DynamoDB Local covers the happy path in the integration tests; this scripted endpoint covers
// what it cannot produce on demand: throttling, 5xx and client errors.
describe('the check path’s DynamoDB reader', () => {
  let server: Server;
  let script: Array<{ status: number; body: unknown }> = [];
  let seen: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const saved = { ...process.env };

  before(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (c: Buffer) => {
        body += c.toString();
      });
      request.on('end', () => {
        seen.push({ headers: request.headers, body });
        const next = script.shift() ?? { status: 500, body: { __type: 'com.amazonaws.dynamodb#InternalServerError' } };
        response.writeHead(next.status, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(next.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'session-token',
    });
  });
  after(async () => {
    process.env = saved;
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    script = [];
    seen = [];
  });

  const feed = { appId: 'A1', channel: 'stable', platform: 'linux', arch: 'x86_64', releases: [], criticalBelow: [] };
  const found = { status: 200, body: { Item: { feed: { B: encodeFeed(feed).toString('base64') } } } };
  const read = (reader: LeanFeedReader, slug = 'my-app') => reader.read(slug, '', 'linux', 'x86_64');

  it('sends one SigV4-signed GetItem of the feed item and parses the feed', async () => {
    script = [found];
    const record = await read(new LeanFeedReader('the-table'));
    assert.deepEqual(record, feed);
    assert.equal(seen.length, 1);
    const { headers, body } = seen[0] as { headers: IncomingHttpHeaders; body: string };
    assert.equal(headers['x-amz-target'], 'DynamoDB_20120810.GetItem');
    assert.match(String(headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/dynamodb\/aws4_request/);
    assert.equal(headers['x-amz-security-token'], 'session-token');
    assert.deepEqual(JSON.parse(body).Key, { PK: { S: 'SLUG#my-app' }, SK: { S: 'FEED##linux#x86_64' } });
    assert.equal(JSON.parse(body).ConsistentRead, undefined, 'eventually consistent: half the read cost');
    assert.equal(JSON.parse(body).TableName, 'the-table');
  });

  it("reads faynoSync's view of an app (a binary attribute) by owner and name", async () => {
    const view = { appId: 'A1', appName: 'testapp', defaultChannel: 'stable' };
    script = [
      { status: 200, body: { Item: { view: { B: deflateRawSync(JSON.stringify(view)).toString('base64') } } } },
      { status: 200, body: {} },
    ];
    const views = leanViewLookup(new LeanFeedReader('t'));
    assert.deepEqual(await views.read('alice', 'testapp'), view);
    const sent = JSON.parse((seen[0] as { body: string }).body);
    assert.deepEqual(sent.Key, { PK: { S: 'FSAPP#alice' }, SK: { S: 'APP#testapp' } });
    assert.deepEqual(Object.values(sent.ExpressionAttributeNames), ['view']);
    assert.equal(await views.read('alice', 'nothing'), undefined);
  });

  it('answers undefined for a slug nobody holds', async () => {
    script = [{ status: 200, body: {} }];
    assert.equal(await read(new LeanFeedReader('t'), 'nobody'), undefined);
  });

  it('retries throttling and server errors, then succeeds', async () => {
    script = [{ status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException' } }, { status: 503, body: {} }, found];
    assert.equal((await read(new LeanFeedReader('t')))?.appId, 'A1');
    assert.equal(seen.length, 3);
  });

  it('does not retry a request DynamoDB rejects as invalid, and says why', async () => {
    script = [{ status: 400, body: { __type: 'com.amazon.coral.validate#ValidationException', message: 'bad key' } }, found];
    await assert.rejects(read(new LeanFeedReader('t')), /GetItem failed: 400 .*ValidationException/);
    assert.equal(seen.length, 1);
  });

  it('gives up after three attempts', async () => {
    await assert.rejects(read(new LeanFeedReader('t')), /GetItem failed: 500/);
    assert.equal(seen.length, 3);
  });
  it('reads a channel’s feeds with signed Queries, page after page', async () => {
    const other = { ...feed, platform: 'darwin' };
    const item = (f: typeof feed) => ({ feed: { B: encodeFeed(f).toString('base64') } });
    const next = { PK: { S: 'SLUG#my-app' }, SK: { S: 'FEED#beta#linux#x86_64' } };
    script = [
      { status: 200, body: { Items: [item(feed)], LastEvaluatedKey: next } },
      { status: 200, body: { Items: [item(other)] } },
    ];
    const feeds = await new LeanFeedReader('the-table').channelFeeds('my-app', 'beta');
    assert.deepEqual(feeds, [feed, other]);
    assert.equal(seen.length, 2);
    assert.equal(seen[0]?.headers['x-amz-target'], 'DynamoDB_20120810.Query');
    const [first, second] = seen.map((s) => JSON.parse(s.body) as Record<string, unknown>);
    assert.deepEqual(first?.ExpressionAttributeValues, { ':pk': { S: 'SLUG#my-app' }, ':channel': { S: 'FEED#beta#' } });
    assert.equal(first?.ExclusiveStartKey, undefined);
    assert.deepEqual(second?.ExclusiveStartKey, next);
  });
});
