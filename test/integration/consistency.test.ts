import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { buildAppFeeds } from '../../shared/domain/feed-builder.js';
import { appRepository, catalogRepository, feedRepository, releaseRepository } from '../../shared/services/container.js';
import { placementsOf } from '../../shared/services/feed-publisher.js';
import { createPublishedApp, uploadArtifact, useLocalService } from '../support/local-service.js';

/** Concurrency, retries and bounds: what review found, each reproduced and fixed. */
describe('consistency under concurrency, retries and big inputs', () => {
  const fixture = useLocalService();
  const { api } = fixture;

  it('a stale feed rebuild never overwrites a newer one (a yanked release stays yanked)', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'race-yank');
    const r1 = (await api('POST', `/apps/${appId}/releases`, { version: '1.0.0' })).json.id;
    await uploadArtifact(fixture.service, fixture.token, appId, r1, { target: 'linux', arch: 'x86_64', bytes: randomBytes(32) });
    const r2 = (await api('POST', `/apps/${appId}/releases`, { version: '1.1.0' })).json.id;
    await uploadArtifact(fixture.service, fixture.token, appId, r2, { target: 'linux', arch: 'x86_64', bytes: randomBytes(32) });
    // A rebuild takes its revision and reads the state (1.1.0 published)…
    const next = await feedRepository().nextRevision(appId);
    const app = await appRepository().get(appId);
    assert.ok(next?.slug && app);
    const [catalog, records, stored] = await Promise.all([
      catalogRepository().all(next.ownerId),
      releaseRepository().collection(appId),
      feedRepository().stored(next.slug),
    ]);
    const placements = placementsOf(buildAppFeeds(app, catalog, records.releases, records.artifacts, new Date()));
    // …meanwhile a yank runs to completion…
    assert.equal((await api('POST', `/apps/${appId}/releases/${r2}/yank`, {})).status, 200);
    // …and the stale rebuild finishes last: it must lose.
    assert.equal(await feedRepository().replace(next.slug, appId, placements, next.rev, stored), false);
    const check = await fixture.service.request('GET', '/api/sync/ota/race-yank/linux/x86_64/0.9.0');
    assert.equal(check.json.version, '1.0.0');
  });

  it('counts a release once when two deletes of its app race, so a channel in use still cannot be deleted', async () => {
    const channel = await api('POST', '/channels', { name: 'refs-channel', follows: [] });
    const first = (await api('POST', '/apps', { name: 'refs-a' })).json.id;
    await api('POST', `/apps/${first}/releases`, { version: '1.0.0', channel: 'refs-channel' });
    const second = (await api('POST', '/apps', { name: 'refs-b' })).json.id;
    await api('POST', `/apps/${second}/releases`, { version: '2.0.0', channel: 'refs-channel' });
    const deletes = await Promise.all([api('DELETE', `/apps/${first}`), api('DELETE', `/apps/${first}`)]);
    assert.ok(
      deletes.every((d) => d.status === 202 || d.status === 404),
      deletes.map((d) => d.status).join(),
    );
    assert.equal((await api('DELETE', `/channels/${channel.json.id}`)).status, 409, 'the second app still uses it');
  });

  it('keeps reference counts through a rename that races a release', async () => {
    const channel = await api('POST', '/channels', { name: 'rename-race', follows: [] });
    const appId = (await api('POST', '/apps', { name: 'rename-race' })).json.id;
    const [release, rename] = await Promise.all([
      // By id: the name is what the rename changes, and the race under test is the usage count.
      api('POST', `/apps/${appId}/releases`, { version: '1.0.0', channel: channel.json.id }),
      api('PATCH', `/channels/${channel.json.id}`, { name: 'rename-raced' }),
    ]);
    assert.equal(release.status, 201, release.text);
    assert.equal(rename.status, 200, rename.text);
    assert.equal((await api('DELETE', `/channels/${channel.json.id}`)).status, 409);
  });

  it('finishes an app delete that stopped halfway when DELETE is sent again', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'half-deleted');
    const release = (await api('POST', `/apps/${appId}/releases`, { version: '1.0.0' })).json.id;
    await uploadArtifact(fixture.service, fixture.token, appId, release, { bytes: randomBytes(16) });
    await appRepository().markDeleting(appId); // the first DELETE timed out right after this step
    assert.equal((await api('GET', `/apps/${appId}`)).status, 404, 'an app being deleted is gone for everything else');
    assert.equal((await api('DELETE', `/apps/${appId}`)).status, 202);
    assert.equal((await api('DELETE', `/apps/${appId}`)).status, 404);
    assert.equal((await fixture.service.request('GET', '/api/sync/ota/half-deleted/darwin/aarch64/0.1.0')).status, 404);
    assert.equal(await releaseRepository().get(appId, release), undefined, 'its records are gone');
  });

  it('answers parallel uploads from CI without a 5xx (hot reference counts)', async () => {
    const appId = (await api('POST', '/apps', { name: 'parallel' })).json.id;
    const release = (await api('POST', `/apps/${appId}/releases`, { version: '1.0.0', channel: 'stable' })).json.id;
    const packages = ['deb', 'rpm', 'appimage', 'zip', 'tar.gz', 'dmg', 'exe', 'msi', 'nsis', 'pkg'];
    const slots = await Promise.all(
      packages.map((p) =>
        api('POST', `/apps/${appId}/releases/${release}/artifacts`, { target: 'linux', arch: 'x86_64', package: p, file_size: 10 }),
      ),
    );
    assert.deepEqual(
      slots.map((s) => s.status),
      packages.map(() => 201),
    );
    const releases = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api('POST', `/apps/${appId}/releases`, { version: `2.0.${i}` })),
    );
    assert.ok(releases.every((r) => r.status === 201));
    const drafts = await api('GET', `/apps/${appId}/releases?published=false`);
    assert.deepEqual(
      drafts.json.releases.map((r: { version: string }) => r.version),
      ['1.0.0'],
      'published=false lists what is not published',
    );
  });

  it('keeps feed items bounded when releases carry huge changelogs and many stepping stones', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'huge-notes');
    const changelog = `## Changes\n${'- a change worth a line of text\n'.repeat(1_800)}`; // ~56 KB
    for (let i = 1; i <= 12; i++) {
      const id = (await api('POST', `/apps/${appId}/releases`, { version: `1.${i}.0`, channel: 'stable', changelog, intermediate: true }))
        .json.id;
      await uploadArtifact(fixture.service, fixture.token, appId, id, { bytes: randomBytes(8) });
      const published = await api('POST', `/apps/${appId}/releases/${id}/publish`, {});
      assert.equal(published.status, 200, `${i}: ${published.text.slice(0, 200)}`);
    }
    const check = await fixture.service.request('GET', '/api/sync/ota/huge-notes/darwin/aarch64/1.0.0');
    assert.equal(
      check.json.version,
      '1.2.0',
      'the stepping stones beyond the bound (1.1.0) are dropped, the newest ten (1.2.0-1.11.0) kept',
    );
    assert.ok(check.json.notes.length <= 4_000, `notes cut to the bound (${check.json.notes.length})`);
  });

  it('offers a client that names its bundle type only packages of that type', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'strict-bundle');
    const old = (await api('POST', `/apps/${appId}/releases`, { version: '1.0.0', channel: 'stable', publish: true })).json.id;
    await uploadArtifact(fixture.service, fixture.token, appId, old, {
      target: 'linux',
      arch: 'x86_64',
      package: 'rpm',
      bytes: randomBytes(8),
    });
    await uploadArtifact(fixture.service, fixture.token, appId, old, {
      target: 'linux',
      arch: 'x86_64',
      package: 'deb',
      bytes: randomBytes(8),
    });
    const next = (await api('POST', `/apps/${appId}/releases`, { version: '1.1.0', channel: 'stable', publish: true })).json.id;
    await uploadArtifact(fixture.service, fixture.token, appId, next, {
      target: 'linux',
      arch: 'x86_64',
      package: 'deb',
      bytes: randomBytes(8),
    });
    const rpm = await fixture.service.request('GET', '/api/sync/ota/strict-bundle/linux/x86_64/0.9.0?bundle_type=rpm');
    assert.equal(rpm.json.version, '1.0.0', '1.1.0 has no rpm: an rpm-installed app is not handed a .deb');
    assert.match(rpm.json.url, /package=rpm/);
    const deb = await fixture.service.request('GET', '/api/sync/ota/strict-bundle/linux/x86_64/0.9.0?bundle_type=deb');
    assert.equal(deb.json.version, '1.1.0');
    assert.equal((await fixture.service.request('GET', '/api/sync/ota/strict-bundle/linux/x86_64/1.0.0?bundle_type=rpm')).status, 204);
  });
});
