import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slugProblem } from '../../shared/domain/slug.js';
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
