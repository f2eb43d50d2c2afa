import assert from 'node:assert/strict';
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { describe, it } from 'node:test';
import { ROUTES } from '../../shared/routes.js';
import type { Fixture, Identity, ResourceSet } from '../fuzz/fixture.js';
import { Rng, seedFrom } from '../fuzz/prng.js';
import { type FuzzRequest, generateRequest, routeOrder } from '../fuzz/requests.js';

let counter = 0;
const ulid = () => `01M84${String(++counter).padStart(21, '0')}`;

function resourceSet(tag: string, isPrivate = false): ResourceSet {
  return {
    appId: ulid(),
    appName: `fuzz ${tag}`,
    slug: `fuzz-${tag}`,
    releaseId: ulid(),
    version: '1.0.0',
    artifactId: ulid(),
    fileName: `fuzz-${tag}-1.0.0-darwin-arm64.app.tar.gz`,
    draftReleaseId: ulid(),
    draftArtifactId: ulid(),
    uploadId: 'f991a52cb7aebb3a36aadc121dd4ef55',
    partEtag: '"0f343b0931126a20f133d67c2b018a3b"',
    channelId: ulid(),
    channelName: `beta${tag}`,
    platformId: ulid(),
    platformName: `plat${tag}`,
    archId: ulid(),
    archName: `arch${tag}`,
    bundleId: ulid(),
    keyId: ulid(),
    apiKey: `pk_live_${tag.padEnd(43, 'k')}`,
    fsVersionId: ulid(),
    fsArtifactId: ulid(),
    fsFileName: `fuzz ${tag}-0.0.9.dmg`,
    private: isPrivate,
    downloadToken: `dl_${tag}`,
    downloadTokenId: ulid(),
    revokedDownloadToken: `dl_revoked_${tag}`,
    apiToken: `ota_${tag}`,
    apiTokenId: ulid(),
    teamUserId: '2a0e5726-821d-4f09-a5db-80d0a0e67963',
    teamToken: identity(`team-${tag}`).accessToken,
  };
}

/** A token-shaped JWT (the generator reads its claims to forge bad ones). */
function identity(username: string): Identity {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const token = (use: string) => `${part({ alg: 'RS256', kid: 'k' })}.${part({ sub: username, token_use: use, exp: 4e9 })}.c2ln`;
  return { username, password: 'Fuzz-Passw0rd!x', accessToken: token('access'), idToken: token('id') };
}

const fixture: Fixture = {
  owner: identity('admin'),
  other: identity('fuzzother'),
  stable: resourceSet('stable'),
  private: resourceSet('private', true),
  mutable: resourceSet('mutable'),
  disposable: [resourceSet('gone0'), resourceSet('gone1')],
  foreign: resourceSet('foreign'),
  foreignDisposable: resourceSet('foreigngone'),
  signupKey: 'signup-key',
};

function run(seed: number, count: number): FuzzRequest[] {
  const rng = new Rng(seed);
  return routeOrder(ROUTES, count, rng).map((route, i) => generateRequest(i, route, fixture, rng));
}

describe('npm run fuzz: the request generator', () => {
  it('replays a run from its seed, and another seed gives other requests', () => {
    assert.deepEqual(run(42, 600), run(42, 600));
    assert.notDeepEqual(
      run(42, 50).map((r) => r.target),
      run(43, 50).map((r) => r.target),
    );
    assert.equal(seedFrom('nightly'), seedFrom('nightly'), 'a text seed hashes to one number');
  });

  it('spreads requests over every route of the table, each round in another order', () => {
    const requests = run(7, ROUTES.length * 3);
    for (let round = 0; round < 3; round++) {
      const ids = requests.slice(round * ROUTES.length, (round + 1) * ROUTES.length).map((r) => r.routeId);
      assert.deepEqual([...ids].sort(), ROUTES.map((r) => r.id).sort(), `round ${round} names every route once`);
    }
    assert.notDeepEqual(
      requests.slice(0, ROUTES.length).map((r) => r.routeId),
      requests.slice(ROUTES.length, 2 * ROUTES.length).map((r) => r.routeId),
    );
  });

  it('only generates requests Node can send (request line and header values), so every one reaches the server', () => {
    for (const req of run(1, 3000)) {
      assert.match(req.target, /^[\x21-\xff]+$/, `#${req.index} ${req.routeId}: target`);
      for (const [name, value] of Object.entries(req.headers)) {
        assert.doesNotThrow(() => {
          validateHeaderName(name);
          validateHeaderValue(name, value);
        }, `#${req.index} ${req.routeId}: header ${name}`);
      }
    }
  });

  it('mixes valid and hostile requests: unmutated ones carry the owner token and aim at the apps meant for them', () => {
    const requests = run(5, 4000);
    const clean = requests.filter((r) => r.mutations.length === 0);
    assert.ok(clean.length > 600 && clean.length < 1800, `${clean.length} unmutated of 4000`);
    for (const req of clean) {
      assert.equal(req.auth, 'own');
      assert.ok(!req.target.includes(fixture.foreign.appId), `#${req.index} aims at the other owner's app`);
    }
    const isPublic = (id: string) => ROUTES.find((r) => r.id === id)?.access.kind === 'public';
    const privateReads = clean.filter((r) => r.aimsAtPrivate && isPublic(r.routeId));
    assert.ok(privateReads.length > 0, 'valid requests reach the private app');
    for (const req of privateReads) assert.equal(req.downloadToken, 'valid', `#${req.index} ${req.routeId}`);
    const deletes = requests.filter((r) => r.method === 'DELETE' && r.routeId !== 'NotFound');
    assert.ok(deletes.length > 0);
    for (const req of deletes) {
      assert.ok(!req.target.includes(fixture.stable.appId), `#${req.index} ${req.routeId} deletes in the app reads aim at`);
    }
    for (const kind of [
      'none',
      'cross',
      'tampered',
      'id-token',
      'alg-none',
      'api-token',
      'cross-api-token',
      'team-user',
      'cross-team-user',
    ]) {
      assert.ok(
        requests.some((r) => r.auth === kind),
        `some requests carry a ${kind} credential`,
      );
    }
    for (const mutation of ['body:deep', 'body:not-json', 'query:huge', 'form:broken', 'download-token:revoked']) {
      assert.ok(
        requests.some((r) => r.mutations.includes(mutation)),
        `some requests are ${mutation}`,
      );
    }
  });
});
