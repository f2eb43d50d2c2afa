import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareVersions, isNewer, isPrerelease, parseDottedVersion, parseVersion, versionIdentity } from '../../shared/domain/version.js';

describe('versions', () => {
  it('accepts strict semver only on the native API', () => {
    for (const v of ['1.2.3', '0.0.1-beta.1', '1.0.0+build.7']) assert.equal(parseVersion(v), v);
    for (const v of ['v1.2.3', '1.2', '=1.2.3', '1.2.3.4', '', ' 1.2.3', '1.2.3 ', '1.2.3\t', '1.2.3\u00a0', '\t'])
      assert.equal(parseVersion(v), undefined, v);
  });

  it("accepts faynoSync's dotted versions of any length on their own faces", () => {
    for (const v of ['0.0.1.137', '3', '1.2', '1.0.0-rc.1']) assert.equal(parseDottedVersion(v), v);
    for (const v of ['1..2', 'a.b', '1.0.0.beta']) assert.equal(parseDottedVersion(v), undefined, v);
  });

  it('orders numerically, pads missing parts with 0, and puts pre-releases below their release', () => {
    const sorted = ['0.0.9.137', '0.0.10.138', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta', '1.0.0', '1.0.1', '1.10.0', '10.0.0'];
    const shuffled = [...sorted].reverse();
    assert.deepEqual(shuffled.sort(compareVersions), sorted);
    assert.equal(compareVersions('1.2', '1.2.0'), 0);
    assert.equal(compareVersions('1.0.0+a', '1.0.0+b'), 0);
    assert.ok(isNewer('99999999999999999999.0.0', '9999999999999999999.0.0'), 'numbers of any size compare exactly');
    assert.ok(isPrerelease('2.0.0-rc.1') && !isPrerelease('2.0.0'));
  });

  it('identifies versions that compare equal as one (uniqueness in an app)', () => {
    assert.equal(versionIdentity('1.2.0+build.5'), '1.2.0');
    assert.equal(versionIdentity('1.2'), '1.2.0');
    assert.equal(versionIdentity('0.0.1.137'), '0.0.1.137');
    assert.equal(versionIdentity('1.0.0.0'), '1.0.0');
    assert.equal(versionIdentity('1.0.0-rc.1'), '1.0.0-rc.1');
  });
});
