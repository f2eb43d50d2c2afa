import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { DomainError } from '../../shared/domain/errors.js';
import { ORIGIN_VERIFY_HEADER } from '../../shared/http/edge.js';
import type { HttpEvent } from '../../shared/http/http-types.js';
import { assertThroughEdge } from '../../shared/http/lean-route.js';
import {
  ORIGIN_SECRET_MIN_REFRESH_MS,
  ORIGIN_SECRET_TTL_MS,
  OriginSecret,
  secretsManagerVersions,
} from '../../shared/http/origin-verify.js';

const event = (headers: Record<string, string>): HttpEvent => ({
  rawPath: '/',
  headers,
  requestContext: { http: { method: 'GET', path: '/' } },
});
const forbidden = (error: unknown) => error instanceof DomainError && error.kind === 'forbidden';

/** A secret whose stored values the test changes, counting reads, on a clock the test moves. */
function rotatingSecret(initial: string[]) {
  const state = { values: initial, reads: 0, now: 0 };
  const secret = new OriginSecret(
    async () => {
      state.reads++;
      return state.values;
    },
    () => state.now,
  );
  return { state, secret };
}

describe('the origin guard', () => {
  it('refuses a request without the secret CloudFront adds (a direct call to execute-api) with 403', async () => {
    const { secret } = rotatingSecret(['s3cr3t-value']);
    await assertThroughEdge(event({ [ORIGIN_VERIFY_HEADER]: 's3cr3t-value' }), secret);
    const attempts: Record<string, string>[] = [{}, { [ORIGIN_VERIFY_HEADER]: 'guess' }, { [ORIGIN_VERIFY_HEADER]: 's3cr3t-valu' }];
    for (const headers of attempts) {
      await assert.rejects(assertThroughEdge(event(headers), secret), forbidden);
    }
  });

  it('lets everything through where no secret is configured (the local stack has no CloudFront)', async () => {
    const saved = process.env.ORIGIN_VERIFY_SECRET;
    delete process.env.ORIGIN_VERIFY_SECRET;
    try {
      await assertThroughEdge(event({}));
    } finally {
      if (saved !== undefined) process.env.ORIGIN_VERIFY_SECRET = saved;
    }
  });

  it('accepts the current and the previous value during a rotation, refusing nothing while edges switch', async () => {
    const { state, secret } = rotatingSecret(['old']);
    assert.equal(await secret.accepts('old'), true);
    // Step 1: a new value is put; the old one becomes AWSPREVIOUS. Edges still send the old one.
    state.values = ['new', 'old'];
    state.now += ORIGIN_SECRET_MIN_REFRESH_MS;
    assert.equal(await secret.accepts('old'), true, 'cached, no read needed');
    // Step 2: an edge sends the new value: unknown to the cache, so the container reads again.
    assert.equal(await secret.accepts('new'), true);
    assert.equal(await secret.accepts('old'), true, 'edges not yet switched keep working');
    assert.equal(state.reads, 2);
  });

  it('reads again at most once a minute when a value is unknown (a stranger cannot make it read per request)', async () => {
    const { state, secret } = rotatingSecret(['value']);
    for (let i = 0; i < 20; i++) assert.equal(await secret.accepts(`guess-${i}`), false);
    assert.equal(state.reads, 1);
    state.now += ORIGIN_SECRET_MIN_REFRESH_MS;
    assert.equal(await secret.accepts('guess'), false);
    assert.equal(state.reads, 2);
  });

  it('stops accepting the previous value within the cache lifetime once the rotation is finished', async () => {
    const { state, secret } = rotatingSecret(['new', 'old']);
    assert.equal(await secret.accepts('old'), true);
    state.values = ['new']; // Step 3: AWSPREVIOUS removed.
    state.now += ORIGIN_SECRET_TTL_MS;
    assert.equal(await secret.accepts('old'), false);
    assert.equal(await secret.accepts('new'), true);
  });

  it('reads AWSCURRENT and AWSPREVIOUS from Secrets Manager with signed GetSecretValue calls', async () => {
    const seen: { target: string | undefined; body: { SecretId: string; VersionStage: string }; signed: boolean }[] = [];
    const server = createServer(async (request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      seen.push({
        target: request.headers['x-amz-target'] as string,
        body,
        signed: /^AWS4-HMAC-SHA256 /.test(request.headers.authorization ?? ''),
      });
      if (body.VersionStage === 'AWSPREVIOUS') {
        response.writeHead(400).end(JSON.stringify({ __type: 'ResourceNotFoundException' }));
      } else response.writeHead(200).end(JSON.stringify({ SecretString: 'current-value' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_REGION: 'eu-west-1',
    });
    try {
      const values = await secretsManagerVersions('arn:aws:secretsmanager:eu-west-1:123456789012:secret:origin-AbCdEf')();
      assert.deepEqual(values, ['current-value'], 'a secret never rotated has no previous value');
      assert.deepEqual(seen.map((s) => s.body.VersionStage).sort(), ['AWSCURRENT', 'AWSPREVIOUS']);
      assert.ok(seen.every((s) => s.target === 'secretsmanager.GetSecretValue' && s.signed));
    } finally {
      process.env = saved;
      server.close();
    }
  });
});
