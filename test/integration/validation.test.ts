import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createPublishedApp, LocalService, type Reply, uploadArtifact } from '../support/local-service.js';

function assertError(reply: Reply, status: number, code: string, messagePart?: RegExp): void {
  assert.equal(reply.status, status, reply.text);
  assert.equal(reply.headers.get('content-type'), 'application/json');
  assert.equal(reply.json.error.code, code);
  assert.equal(typeof reply.json.error.message, 'string');
  if (messagePart) assert.match(reply.json.error.message, messagePart);
}

describe('bad input gets a clear 4xx JSON error, never a 500', () => {
  let service: LocalService;
  let token: string;
  let appId: string;
  let releaseId: string;

  before(async () => {
    service = await LocalService.start();
    token = await service.adminToken();
    appId = await createPublishedApp(service, token, 'valid-app');
    releaseId = (await service.request('POST', `/api/sync/ota/apps/${appId}/releases`, { token, body: { version: '1.0.0' } })).json.id;
  });
  after(async () => {
    await service?.stop();
  });

  it('refuses malformed app bodies', async () => {
    assertError(
      await service.request('POST', '/api/sync/ota/apps', { token, rawBody: '{not json' }),
      400,
      'invalid_request',
      /not valid JSON/,
    );
    assertError(await service.request('POST', '/api/sync/ota/apps', { token }), 400, 'invalid_request');
    assertError(await service.request('POST', '/api/sync/ota/apps', { token, body: { name: '' } }), 400, 'invalid_request', /name/);
    assertError(await service.request('POST', '/api/sync/ota/apps', { token, body: [] }), 400, 'invalid_request');
    assertError(await service.request('POST', '/api/sync/ota/apps', { token, body: { name: 'x'.repeat(101) } }), 400, 'invalid_request');
    // One name, one identity: what nobody can see is refused, not kept as a second name.
    for (const name of ['  ', ' padded', 'padded\t', 'zero\u200bwidth', 'bidi\u202eeman', 'no\u00a0break']) {
      assertError(await service.request('POST', '/api/sync/ota/apps', { token, body: { name } }), 400, 'invalid_request', /name/);
    }
    assertError(
      await service.request('POST', '/api/sync/ota/apps', { token, rawBody: JSON.stringify({ name: 'x'.repeat(70_000) }) }),
      413,
      'payload_too_large',
    );
  });

  it('refuses slugs outside 3-40 lowercase alphanumerics and hyphens, and reserved words', async () => {
    for (const slug of ['ab', 'a'.repeat(41), 'My-App', 'my_app', '-app', 'app-', 'a--b', 'apps', 'download', 'ünï', '']) {
      assertError(await service.request('PUT', `/api/sync/ota/apps/${appId}/slug`, { token, body: { slug } }), 400, 'invalid_request');
    }
    assertError(await service.request('PUT', `/api/sync/ota/apps/${appId}/slug`, { token, body: { slug: 42 } }), 400, 'invalid_request');
    const ok = await service.request('PUT', `/api/sync/ota/apps/${appId}/slug`, { token, body: { slug: 'a'.repeat(40) } });
    assert.equal(ok.status, 200);
    await service.request('PUT', `/api/sync/ota/apps/${appId}/slug`, { token, body: { slug: 'valid-app' } });
  });

  it('answers 409 for a taken slug and a duplicate version', async () => {
    const other = await service.request('POST', '/api/sync/ota/apps', { token, body: { name: 'other' } });
    assertError(
      await service.request('PUT', `/api/sync/ota/apps/${other.json.id}/slug`, { token, body: { slug: 'valid-app' } }),
      409,
      'conflict',
    );
    assertError(
      await service.request('POST', `/api/sync/ota/apps/${appId}/releases`, { token, body: { version: '1.0.0' } }),
      409,
      'conflict',
    );
    // Build metadata does not change semver precedence, so it is the same version to an updater.
    assertError(
      await service.request('POST', `/api/sync/ota/apps/${appId}/releases`, { token, body: { version: '1.0.0+42' } }),
      409,
      'conflict',
    );
    // The same version in another app is fine.
    assert.equal(
      (await service.request('POST', `/api/sync/ota/apps/${other.json.id}/releases`, { token, body: { version: '1.0.0' } })).status,
      201,
    );
  });

  it('refuses versions that are not semver and malformed release fields', async () => {
    // Surrounding whitespace too: semver trims before it matches, which let `1.0.8 ` in and then crashed (500).
    for (const version of [
      '1.0',
      'v1.0.0',
      '1.0.0.0',
      'latest',
      '01.0.0',
      '',
      '1.0.0-',
      '1.0.8 ',
      '1.0.8\t',
      '1.0.8\n',
      '1.0.8\u00a0',
      '\t',
      '\u00a0',
    ]) {
      assertError(
        await service.request('POST', `/api/sync/ota/apps/${appId}/releases`, { token, body: { version } }),
        400,
        'invalid_request',
        /version/,
      );
    }
    assertError(
      await service.request('POST', `/api/sync/ota/apps/${appId}/releases`, { token, body: { version: '2.0.0', pub_date: 'yesterday' } }),
      400,
      'invalid_request',
      /pub_date/,
    );
    assertError(
      await service.request('POST', `/api/sync/ota/apps/${appId}/releases`, { token, body: { version: '2.0.0', notes: 5 } }),
      400,
      'invalid_request',
    );
    const pre = await service.request('POST', `/api/sync/ota/apps/${appId}/releases`, {
      token,
      body: { version: '2.0.0-rc.1+build.5', pub_date: '2026-03-13T12:00:00+02:00' },
    });
    assert.equal(pre.status, 201);
    assert.equal(pre.json.pub_date, '2026-03-13T10:00:00.000Z');
  });

  it('refuses bad artifact requests', async () => {
    const path = `/api/sync/ota/apps/${appId}/releases/${releaseId}/artifacts`;
    const bad = [
      { target: 'beos', arch: 'x86_64', file_size: 1 },
      { target: 'linux', arch: 'sparc', file_size: 1 },
      { target: 'linux', arch: 'x86_64', file_size: 0 },
      { target: 'linux', arch: 'x86_64', file_size: 1.5 },
      { target: 'linux', arch: 'x86_64', file_size: '10' },
      { target: 'linux', arch: 'x86_64', file_size: 6 * 1024 ** 3 },
      { target: 'linux', arch: 'x86_64', file_size: 10, sha256: 'abc' },
      { arch: 'x86_64', file_size: 10 },
    ];
    for (const body of bad) assertError(await service.request('POST', path, { token, body }), 400, 'invalid_request');
    assertError(
      await service.request('POST', `/api/sync/ota/apps/${appId}/releases/01ARZ3NDEKTSV4RRFFQ69G5FAV/artifacts`, {
        token,
        body: { target: 'linux', arch: 'x86_64', file_size: 10 },
      }),
      404,
      'not_found',
    );
  });

  it('answers 404 for unknown apps, releases, slugs and routes', async () => {
    assertError(await service.request('GET', '/api/sync/ota/apps/01ARZ3NDEKTSV4RRFFQ69G5FAV', { token }), 404, 'not_found');
    assertError(await service.request('GET', '/api/sync/ota/apps/not-an-id/releases', { token }), 400, 'invalid_request', /not a valid id/);
    assertError(
      await service.request('DELETE', `/api/sync/ota/apps/${appId}/releases/01ARZ3NDEKTSV4RRFFQ69G5FAV`, { token }),
      404,
      'not_found',
    );
    assertError(await service.request('GET', '/api/sync/ota/no-such-app/darwin/aarch64/1.0.0'), 404, 'not_found');
    assertError(await service.request('GET', '/api/sync/ota/valid-app/download/not-a-release/darwin/aarch64'), 404, 'not_found');
    assertError(await service.request('GET', '/nope'), 404, 'not_found');
  });

  it('refuses an unknown field in a native body with a 400 that names it (a typo never publishes elsewhere)', async () => {
    const typo = await service.request('POST', `/api/sync/ota/apps/${appId}/releases`, {
      token,
      body: { version: '9.9.9', chanel: 'beta' },
    });
    assertError(typo, 400, 'invalid_request', /chanel/);
    const releases = await service.request('GET', `/api/sync/ota/apps/${appId}/releases`, { token });
    assert.ok(!releases.json.releases.some((r: { version: string }) => r.version === '9.9.9'), 'nothing was created');
    assertError(
      await service.request('PATCH', `/api/sync/ota/apps/${appId}`, { token, body: { name: 'x', privat: true } }),
      400,
      'invalid_request',
      /privat/,
    );
    // Nested objects too: the field is named with its place.
    assertError(
      await service.request('POST', '/api/sync/ota/team/users', {
        token,
        body: { username: 'strict-user', password: 'a-long-password-1', permissions: { apps: { uplaod: true } } },
      }),
      400,
      'invalid_request',
      /permissions\.apps.*uplaod/,
    );
  });

  it('serves the OpenAPI 3.1 document of every route at GET /openapi.json, edge-cacheable and valid', async () => {
    const reply = await service.request('GET', '/openapi.json');
    assert.equal(reply.status, 200, reply.text);
    assert.match(reply.headers.get('cache-control') ?? '', /public/);
    const result = await new Validator().validate(reply.json);
    assert.equal(result.valid, true, JSON.stringify(result.errors));
    assert.ok(reply.json.paths['/api/sync/ota/apps/{app_id}/releases'].post.requestBody);
  });

  it('answers a wrong method on a known path with 405 and Allow, in the face error shape', async () => {
    const apps = await service.request('PATCH', '/api/sync/ota/apps', { token });
    assertError(apps, 405, 'method_not_allowed', /PATCH/);
    assert.equal(apps.headers.get('allow'), 'GET, POST');
    // A public, edge-cached path: every method reaches the function, which names the one it takes.
    const check = await service.request('DELETE', '/api/sync/ota/valid-app/darwin/aarch64/1.0.0');
    assertError(check, 405, 'method_not_allowed');
    assert.equal(check.headers.get('allow'), 'GET');
    // faynoSync's and Koolbase's paths answer in their clients' shape: `{"error":"…"}`.
    const fayno = await service.request('DELETE', '/checkVersion');
    assert.equal(fayno.status, 405, fayno.text);
    assert.equal(fayno.headers.get('allow'), 'GET');
    assert.equal(typeof fayno.json.error, 'string');
    const koolbase = await service.request('PUT', '/v1/sdk/ota/check');
    assert.equal(koolbase.status, 405, koolbase.text);
    assert.equal(typeof koolbase.json.error, 'string');
    // An unknown path stays a 404, whatever the method.
    assertError(await service.request('PATCH', '/api/sync/ota/nope'), 404, 'not_found');
  });

  it('refuses bad check parameters with 400, and platforms, archs and channels nobody publishes with 404', async () => {
    assertError(await service.request('GET', '/api/sync/ota/valid-app/beos/aarch64/1.0.0'), 404, 'not_found', /beos/);
    assertError(await service.request('GET', '/api/sync/ota/valid-app/darwin/riscv64/1.0.0'), 404, 'not_found', /riscv64/);
    assertError(await service.request('GET', '/api/sync/ota/valid-app/darwin/aarch64/1.0.0?channel=nightly'), 404, 'not_found', /nightly/);
    assertError(await service.request('GET', '/api/sync/ota/valid-app/darwin/aarch64/1.0.0?bundle_type=%2F'), 400, 'invalid_request');
    assertError(await service.request('GET', '/api/sync/ota/valid-app/darwin/aarch64/one'), 400, 'invalid_request', /semantic version/);
    for (const version of ['1.0.0%20', '1.0.0%09', '1.0.0%C2%A0', '%20']) {
      assertError(
        await service.request('GET', `/api/sync/ota/valid-app/darwin/aarch64/${version}`),
        400,
        'invalid_request',
        /semantic version/,
      );
    }
    assertError(await service.request('GET', '/api/sync/ota/valid-app/darwin/aarch64/%E0%A4%A'), 400, 'invalid_request');
    assertError(await service.request('GET', '/api/sync/ota/Not_A_Slug/darwin/aarch64/1.0.0'), 404, 'not_found');
  });

  it('validates every id at the edge of the handler: a 3 KB id is a 400, never a DynamoDB error (500)', async () => {
    const huge = 'A'.repeat(3000);
    for (const [method, path] of [
      ['GET', `/api/sync/ota/apps/${huge}`],
      ['GET', `/api/sync/ota/apps/${appId}/releases/${huge}`],
      ['DELETE', `/api/sync/ota/apps/${appId}/releases/${huge}`],
      ['GET', `/api/sync/ota/apps/${appId}/releases/${huge}/artifacts/${huge}`],
      ['PATCH', `/api/sync/ota/channels/${huge}`],
      ['DELETE', `/api/sync/ota/platforms/${huge}`],
    ] as const) {
      const reply = await service.request(method, path, { token, body: {} });
      assert.ok(
        reply.status === 400 || reply.status === 404,
        `${method} ${path.slice(0, 60)}: ${reply.status} ${reply.text.slice(0, 200)}`,
      );
    }
    const check = await service.request('GET', `/api/sync/ota/valid-app/download/${huge}/darwin/aarch64`);
    assertError(check, 404, 'not_found');
  });

  it('refuses unpaired UTF-16 surrogates in names and notes with a 400', async () => {
    // JSON.stringify would escape a lone surrogate; send the escape sequence itself, as a client bug would.
    const reply = await service.request('POST', '/api/sync/ota/apps', {
      token,
      rawBody: '{"name":"bad \\ud800 name"}',
      headers: { 'content-type': 'application/json' },
    });
    assertError(reply, 400, 'invalid_request', /surrogate/);
    const notes = await service.request('POST', `/api/sync/ota/apps/${appId}/releases`, {
      token,
      rawBody: '{"version":"7.0.0","notes":"\\udc00"}',
      headers: { 'content-type': 'application/json' },
    });
    assertError(notes, 400, 'invalid_request', /surrogate/);
    const fine = await service.request('POST', '/api/sync/ota/apps', { token, body: { name: 'emoji 🚀 ok' } });
    assert.equal(fine.status, 201);
  });

  it('refuses JSON nested 30,000 levels deep with a 400, not a stack overflow', async () => {
    // Found by `npm run fuzz`: the surrogate check walked the body recursively and overflowed the stack (500).
    const depth = 30_000;
    const deepArray = await service.request('POST', '/api/sync/ota/apps', {
      token,
      rawBody: `${'['.repeat(depth)}${']'.repeat(depth)}`,
      headers: { 'content-type': 'application/json' },
    });
    assertError(deepArray, 400, 'invalid_request');
    const deepField = await service.request('PATCH', `/api/sync/ota/apps/${appId}`, {
      token,
      rawBody: `{"name":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`,
      headers: { 'content-type': 'application/json' },
    });
    assertError(deepField, 400, 'invalid_request', /name/);
    const deepSurrogate = await service.request('POST', '/api/sync/ota/apps', {
      token,
      rawBody: `${'['.repeat(depth)}"\\ud800"${']'.repeat(depth)}`,
      headers: { 'content-type': 'application/json' },
    });
    assertError(deepSurrogate, 400, 'invalid_request', /surrogate/);
    assert.ok(deepSurrogate.json.error.message.length < 120, 'the path of a deep value is not echoed whole');
  });

  it('builds public links from configuration, never from request headers', async () => {
    const appId2 = (await service.request('POST', '/api/sync/ota/apps', { token, body: { name: 'links' } })).json.id;
    await service.request('PUT', `/api/sync/ota/apps/${appId2}/slug`, { token, body: { slug: 'links-app' } });
    const release = await service.request('POST', `/api/sync/ota/apps/${appId2}/releases`, { token, body: { version: '1.0.0' } });
    await uploadArtifact(service, token, appId2, release.json.id, { bytes: Buffer.from('bytes') });
    const check = await service.request('GET', '/api/sync/ota/links-app/darwin/aarch64/0.1.0', {
      headers: { 'x-ota-edge-host': 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' },
    });
    assert.equal(check.status, 200);
    assert.ok(check.json.url.startsWith(`${service.url}/api/sync/ota/links-app/download/`), check.json.url);
    const current = await service.request('GET', '/api/sync/ota/links-app/darwin/aarch64/1.0.0', { headers: { 'x-ota-edge-host': 'x' } });
    assert.equal(current.status, 204, 'a client-sent header cannot turn the 204 into the edge-only empty 200');
  });

  it('does not echo a huge value back whole', async () => {
    const reply = await service.request('GET', `/api/sync/ota/valid-app/darwin/aarch64/${'1.'.repeat(500)}0`);
    assertError(reply, 400, 'invalid_request', /^"1\.1\.1.*…" is not a semantic version$/);
    assert.ok(reply.json.error.message.length < 120, reply.json.error.message);
  });
});
