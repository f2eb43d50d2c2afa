import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CHANNEL_ALIAS, keys, objectKeys } from '../../shared/storage/keys.js';

const APP = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const REL = '01BX5ZZKBKACTAV9WEVGEMMVRZ';
const ART = '01BX5ZZKBKACTAV9WEVGEMMVS0';
const TRY = '01BX5ZZKBKACTAV9WEVGEMMVS1';

describe('keys', () => {
  it('puts a release and its artifacts under one prefix, so one query reads them together', () => {
    const release = keys.release(APP, REL);
    const artifact = keys.artifact(APP, REL, ART);
    assert.equal(release.PK, artifact.PK);
    assert.ok(release.SK.startsWith(keys.releaseWithArtifacts(REL)));
    assert.ok(artifact.SK.startsWith(keys.releaseWithArtifacts(REL)));
    assert.ok(!keys.artifactSlot(APP, REL, 'linux', 'x86_64', 'deb').SK.startsWith('REL#'), 'slots are not read as artifacts');
  });

  it('keys a feed by slug, channel, platform and arch, with the default channel under the empty alias', () => {
    assert.deepEqual(keys.feed('my-app', 'beta', 'linux', 'x86_64'), { PK: 'SLUG#my-app', SK: 'FEED#beta#linux#x86_64' });
    assert.equal(keys.feed('my-app', DEFAULT_CHANNEL_ALIAS, 'linux', 'x86_64').SK, 'FEED##linux#x86_64');
    assert.equal(keys.feed('my-app', 'x', 'y', 'z').PK, keys.slug('my-app').PK, 'the slug claim and its feeds share a partition');
    assert.ok(keys.feed('a', 'b', 'c', 'd').SK.startsWith(keys.feedPrefix));
  });

  it('keeps uploads and verified bytes under different prefixes, and reads staging keys back', () => {
    const staging = objectKeys.staging(APP, REL, ART, TRY);
    assert.ok(staging.startsWith(objectKeys.stagingRoot));
    assert.deepEqual(objectKeys.parseStaging(staging), { appId: APP, releaseId: REL, artifactId: ART, attemptId: TRY });
    const verified = objectKeys.artifact(APP, REL, ART, TRY, 'ab'.repeat(32));
    assert.ok(verified.startsWith(objectKeys.artifactRoot));
    assert.equal(objectKeys.parseStaging(verified), undefined, 'a verified key is never taken for an upload');
    assert.equal(objectKeys.parseStaging(`${staging}/../x`), undefined);
    for (const prefix of objectKeys.releasePrefixes(APP, REL)) assert.ok(staging.startsWith(prefix) || verified.startsWith(prefix));
  });
});
