import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slugCandidates, slugFromName, slugHoldEnd, slugHoldRefusal, slugProblem } from '../../shared/domain/slug.js';
import { parseVersion, versionIdentity } from '../../shared/domain/version.js';
import { ROUTES } from '../../shared/routes.js';

describe('slugs', () => {
  it('accepts 3-40 lowercase alphanumerics and hyphens', () => {
    for (const slug of ['abc', 'my-app', 'a1b', 'x'.repeat(40), '123']) assert.equal(slugProblem(slug), undefined, slug);
  });
  it('refuses everything else', () => {
    for (const slug of ['ab', 'x'.repeat(41), 'My-app', 'my app', 'my_app', '-ab', 'ab-', 'a--b', '']) assert.ok(slugProblem(slug), slug);
  });
  it('refuses every literal first segment of a public path', () => {
    const literals = new Set(
      ROUTES.map((r) => r.path.split('/').filter(Boolean))
        .filter((s) => s[0] === 'api')
        .flatMap((s) => s.slice(3, 5))
        .filter((s) => !s.startsWith('{')),
    );
    assert.ok(literals.has('apps') && literals.has('download'));
    for (const word of literals) assert.match(slugProblem(word) ?? '', /reserved/, word);
  });
});

describe('slugs of new apps, and the hold on a released one', () => {
  it('derives a valid slug from any name, and suffixes it for each further try', () => {
    assert.equal(slugFromName('My App'), 'my-app');
    assert.equal(slugFromName('Café  Crème!!'), 'cafe-creme');
    assert.equal(slugFromName('x'), 'app-x');
    assert.equal(slugFromName('apps'), 'app-apps', 'a reserved word');
    for (const name of ['', '日本語', '--', 'a'.repeat(300), 'A b'.repeat(50), 'feeds']) {
      for (const slug of slugCandidates(name, 3)) assert.equal(slugProblem(slug), undefined, `${name} → ${slug}`);
    }
    let n = 0;
    const random = () => (n++ % 36) / 36;
    assert.deepEqual(slugCandidates('My App', 3, random), ['my-app', 'my-app-abcde', 'my-app-fghij']);
  });

  it('holds a released slug for its former owner until the end, then frees it (time injected)', () => {
    const released = new Date('2026-01-01T00:00:00Z');
    const hold = { ownerId: 'owner-a', until: slugHoldEnd(released, 30) };
    assert.equal(hold.until, '2026-01-31T00:00:00.000Z');
    const day29 = new Date('2026-01-30T00:00:00Z');
    assert.equal(slugHoldRefusal('my-app', hold, 'owner-a', day29), undefined, 'its former owner at once');
    assert.equal(
      slugHoldRefusal('my-app', hold, 'owner-b', day29),
      'Slug "my-app" belonged to a deleted app and is held for its former owner until 2026-01-31T00:00:00.000Z',
    );
    assert.equal(slugHoldRefusal('my-app', hold, 'owner-b', new Date(hold.until)), undefined, 'free for everyone at its end');
    assert.equal(slugHoldRefusal('my-app', undefined, 'owner-b', day29), undefined);
    assert.equal(slugHoldEnd(released, 0), released.toISOString(), '0 days: no hold');
  });
});

describe('versions', () => {
  it('accepts strict semver only', () => {
    assert.equal(parseVersion('1.2.3-beta.1+build.5'), '1.2.3-beta.1+build.5');
    for (const bad of ['v1.2.3', '=1.2.3', '1.2', '1.2.3.4', ' 1.2.3', '01.2.3', 'x'.repeat(200)])
      assert.equal(parseVersion(bad), undefined, bad);
  });
  it('identifies versions without build metadata', () => {
    assert.equal(versionIdentity('1.2.3+a'), versionIdentity('1.2.3+b'));
    assert.notEqual(versionIdentity('1.2.3-rc.1'), versionIdentity('1.2.3'));
  });
});
