import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { artifactStore, feedPublisher } from '../../shared/services/container.js';
import { createPublishedApp, TEST_SIGNATURE, uploadArtifact, useLocalService } from '../support/local-service.js';

/** The release model over HTTP: catalogs, lifecycle, bundle types, channels, stepping stones, schedules. */
describe('the release model, end to end', () => {
  const fixture = useLocalService();
  const { api } = fixture;

  async function draft(appId: string, body: Record<string, unknown>): Promise<string> {
    const created = await api('POST', `/apps/${appId}/releases`, body);
    assert.equal(created.status, 201, created.text);
    return created.json.id as string;
  }

  const check = (slug: string, path: string) => fixture.service.request('GET', `/api/sync/ota/${slug}/${path}`);

  it('keeps channels, platforms and archs as owner catalogs: built-ins, create, rename, 409 while in use, delete', async () => {
    const channels = await api('GET', '/channels');
    assert.deepEqual(
      channels.json.items.map((c: { name: string }) => c.name),
      ['stable'],
    );
    assert.equal(channels.json.items[0].builtin, true);
    const platforms = await api('GET', '/platforms');
    // `any`: the platform and arch of a file that fits every platform (faynoSync uploads without them, Koolbase bundles).
    assert.deepEqual(platforms.json.items.map((p: { name: string }) => p.name).sort(), ['any', 'darwin', 'linux', 'windows']);
    assert.equal((await api('GET', '/archs')).json.items.length, 5);

    const beta = await api('POST', '/channels', { name: 'catalog-beta' });
    assert.equal(beta.status, 201);
    assert.deepEqual(beta.json.follows, ['stable'], 'a new channel follows the default channel unless told otherwise');
    assert.equal((await api('POST', '/channels', { name: 'catalog-beta' })).status, 409, 'names are unique per owner');
    const freebsd = await api('POST', '/platforms', { name: 'freebsd', updaters: [{ type: 'manual', default: true }] });
    assert.equal(freebsd.status, 201);
    const twoDefaults = await api('POST', '/platforms', {
      name: 'haiku',
      updaters: [
        { type: 'manual', default: true },
        { type: 'tauri', default: true },
      ],
    });
    assert.equal(twoDefaults.status, 400);

    const appId = await createPublishedApp(fixture.service, fixture.token, 'catalog-app');
    const release = await draft(appId, { version: '1.0.0', channel: 'catalog-beta' });
    await uploadArtifact(fixture.service, fixture.token, appId, release, {
      target: 'freebsd',
      arch: 'x86_64',
      package: 'tar.gz',
      bytes: randomBytes(64),
    });
    assert.equal((await api('DELETE', `/channels/${beta.json.id}`)).status, 409, 'in use by a release');
    assert.equal((await api('DELETE', `/platforms/${freebsd.json.id}`)).status, 409, 'in use by an artifact');
    assert.equal((await api('DELETE', '/channels/stable')).status, 409, 'the default channel stays');

    // A rename moves the public feed names; clients address channels and platforms by name.
    assert.equal((await api('PUT', `/apps/${appId}/releases/${release}/rollout`, { percent: 100 })).status, 200);
    assert.equal((await api('POST', `/apps/${appId}/releases/${release}/publish`, {})).status, 200);
    assert.equal((await check('catalog-app', 'freebsd/x86_64/0.9.0?channel=catalog-beta')).json.version, '1.0.0');
    const renamed = await api('PATCH', `/channels/${beta.json.id}`, { name: 'catalog-preview' });
    assert.equal(renamed.status, 200);
    assert.equal((await check('catalog-app', 'freebsd/x86_64/0.9.0?channel=catalog-preview')).json.version, '1.0.0');
    assert.equal((await check('catalog-app', 'freebsd/x86_64/0.9.0?channel=catalog-beta')).status, 404);

    assert.equal((await api('DELETE', `/apps/${appId}/releases/${release}`)).status, 204);
    assert.equal((await api('DELETE', `/channels/${beta.json.id}`)).status, 204, 'unused now');
    const reconfigured = await api('PATCH', `/platforms/${freebsd.json.id}`, { updaters: [{ type: 'velopack', default: true }] });
    assert.deepEqual(reconfigured.json.updaters, [{ type: 'velopack', default: true }]);
    assert.equal((await api('DELETE', `/platforms/${freebsd.json.id}`)).status, 204);

    const riscv = await api('POST', '/archs', { name: 'riscv64' });
    assert.equal(riscv.status, 201);
    assert.equal((await api('PATCH', `/archs/${riscv.json.id}`, { name: 'x86_64' })).status, 409, 'names stay unique on rename');
    assert.equal((await api('PATCH', `/archs/${riscv.json.id}`, { name: 'riscv' })).json.name, 'riscv');
    assert.ok((await api('GET', '/archs')).json.items.some((a: { name: string }) => a.name === 'riscv'));
    assert.equal((await api('DELETE', `/archs/${riscv.json.id}`)).status, 204);
    assert.equal((await api('DELETE', `/archs/${riscv.json.id}`)).status, 404);
  });

  it('serves a .deb and an .rpm of one release for one platform/arch, each to its own bundle type', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'bundle-app');
    const release = await draft(appId, { version: '2.0.0', channel: 'stable', notes: 'Two packages' });
    const deb = randomBytes(300);
    const rpm = randomBytes(400);
    await uploadArtifact(fixture.service, fixture.token, appId, release, { target: 'linux', arch: 'x86_64', package: 'deb', bytes: deb });
    await uploadArtifact(fixture.service, fixture.token, appId, release, { target: 'linux', arch: 'x86_64', package: 'rpm', bytes: rpm });
    // A draft is offered to nobody.
    assert.equal((await check('bundle-app', 'linux/x86_64/1.0.0')).status, 204);
    const published = await api('POST', `/apps/${appId}/releases/${release}/publish`, {});
    assert.equal(published.status, 200);
    assert.equal(published.json.status, 'published');

    for (const [bundle, bytes] of [
      ['deb', deb],
      ['rpm', rpm],
    ] as const) {
      const offer = await check('bundle-app', `linux/x86_64/1.0.0?bundle_type=${bundle}`);
      assert.equal(offer.status, 200);
      assert.equal(offer.json.version, '2.0.0');
      const redirect = await fixture.service.request('GET', new URL(offer.json.url).pathname + new URL(offer.json.url).search);
      assert.equal(redirect.status, 302);
      const file = await fetch(redirect.headers.get('location') as string);
      assert.deepEqual(Buffer.from(await file.arrayBuffer()), bytes, `${bundle} bytes`);
    }
    // Tauri's "unknown" bundle type, or none: the platform/arch's default artifact.
    const unknown = await check('bundle-app', 'linux/x86_64/1.0.0?bundle_type=unknown');
    assert.equal(unknown.status, 200);

    // One artifact can be deleted alone; the other keeps being served.
    const view = await api('GET', `/apps/${appId}/releases/${release}`);
    const rpmArtifact = view.json.artifacts.find((a: { package: string }) => a.package === 'rpm');
    assert.equal((await api('DELETE', `/apps/${appId}/releases/${release}/artifacts/${rpmArtifact.id}`)).status, 204);
    const afterDelete = await check('bundle-app', 'linux/x86_64/1.0.0?bundle_type=rpm');
    assert.equal(afterDelete.status, 200);
    assert.doesNotMatch(afterDelete.json.url, /package=rpm/, 'the rpm is gone: the default (deb) is offered');
  });

  it('refuses to publish while an artifact has not arrived, yanks back to the previous release, and publishes again', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'lifecycle-app');
    const first = await draft(appId, { version: '1.0.0', channel: 'stable' });
    await uploadArtifact(fixture.service, fixture.token, appId, first, { bytes: randomBytes(50) });
    assert.equal((await api('POST', `/apps/${appId}/releases/${first}/publish`, {})).status, 200);

    const second = await draft(appId, { version: '1.1.0', channel: 'stable', critical: true });
    const empty = await api('POST', `/apps/${appId}/releases/${second}/publish`, {});
    assert.equal(empty.status, 409, 'nothing to publish');
    const pending = await api('POST', `/apps/${appId}/releases/${second}/artifacts`, {
      target: 'darwin',
      arch: 'aarch64',
      file_size: 10,
      signature: TEST_SIGNATURE,
    });
    assert.equal(pending.status, 201);
    const refused = await api('POST', `/apps/${appId}/releases/${second}/publish`, {});
    assert.equal(refused.status, 409);
    assert.match(refused.json.error.message, /pending/);
    await fetch(pending.json.upload_url, { method: 'PUT', body: randomBytes(10) });
    await fixture.service.stack.ingestIdle();
    assert.equal((await api('POST', `/apps/${appId}/releases/${second}/publish`, {})).status, 200);
    assert.equal((await check('lifecycle-app', 'darwin/aarch64/1.0.0')).json.version, '1.1.0');

    const yanked = await api('POST', `/apps/${appId}/releases/${second}/yank`, {});
    assert.equal(yanked.json.status, 'yanked');
    assert.equal((await check('lifecycle-app', 'darwin/aarch64/0.9.0')).json.version, '1.0.0', 'clients fall back to the previous release');
    assert.equal((await check('lifecycle-app', 'darwin/aarch64/1.0.0')).status, 204);
    const download = await fixture.service.request('GET', `/api/sync/ota/lifecycle-app/download/${second}/darwin/aarch64`);
    assert.equal(download.status, 404, 'a yanked release is not downloadable');

    assert.equal((await api('POST', `/apps/${appId}/releases/${second}/publish`, {})).status, 200);
    assert.equal((await check('lifecycle-app', 'darwin/aarch64/1.0.0')).json.version, '1.1.0');

    // Metadata edits show in the answer.
    const edited = await api('PATCH', `/apps/${appId}/releases/${second}`, { notes: 'Security fix', changelog: '## 1.1.0\n- fix' });
    assert.equal(edited.status, 200);
    assert.equal(edited.json.critical, true);
    assert.equal((await check('lifecycle-app', 'darwin/aarch64/1.0.0')).json.notes, 'Security fix');
  });

  it('sends clients below a minimum version through it first', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'stepping-app');
    for (const [version, intermediate] of [
      ['1.0.0', false],
      ['2.0.0', true],
      ['3.0.0', false],
    ] as const) {
      const id = await draft(appId, { version, channel: 'stable', intermediate });
      await uploadArtifact(fixture.service, fixture.token, appId, id, { bytes: randomBytes(20) });
      assert.equal((await api('POST', `/apps/${appId}/releases/${id}/publish`, {})).status, 200);
    }
    assert.equal((await check('stepping-app', 'darwin/aarch64/1.0.0')).json.version, '2.0.0');
    assert.equal((await check('stepping-app', 'darwin/aarch64/2.0.0')).json.version, '3.0.0');
    const latest = await fixture.service.request('GET', '/api/sync/ota/stepping-app/latest/darwin/aarch64');
    assert.equal(latest.status, 302, 'the website link always points at the newest release');
  });

  it('publishes a scheduled release at its time, with no request writing anything', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'scheduled-app');
    const now = await draft(appId, { version: '1.0.0', channel: 'stable' });
    await uploadArtifact(fixture.service, fixture.token, appId, now, { bytes: randomBytes(20) });
    await api('POST', `/apps/${appId}/releases/${now}/publish`, {});
    const later = await draft(appId, { version: '1.1.0', channel: 'stable' });
    await uploadArtifact(fixture.service, fixture.token, appId, later, { bytes: randomBytes(20) });
    const at = new Date(Date.now() + 2_500).toISOString();
    const scheduled = await api('POST', `/apps/${appId}/releases/${later}/publish`, { at });
    assert.equal(scheduled.json.status, 'published');
    assert.equal(scheduled.json.scheduled, true, 'published, but its time has not come');
    assert.equal(scheduled.json.publish_at, at);
    assert.equal('state' in scheduled.json, false, 'one lifecycle field: status');
    const before = await check('scheduled-app', 'darwin/aarch64/1.0.0');
    assert.equal(before.status, 204);
    const maxAge = Number(/s-maxage=(\d+)/.exec(before.headers.get('cache-control') ?? '')?.[1]);
    assert.ok(maxAge <= 3, `the edge may not cache past the scheduled time (s-maxage=${maxAge})`);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(at) - Date.now() + 100));
    assert.equal((await check('scheduled-app', 'darwin/aarch64/1.0.0')).json.version, '1.1.0');
    assert.equal((await api('GET', `/apps/${appId}/releases/${later}`)).json.scheduled, false, 'its time has come');
  });

  it('lets a beta channel follow stable so beta users are never stranded, and answers per channel', async () => {
    const beta = await api('POST', '/channels', { name: 'beta', follows: ['stable'] });
    assert.equal(beta.status, 201);
    const appId = await createPublishedApp(fixture.service, fixture.token, 'channel-app');
    const stable1 = await draft(appId, { version: '1.0.0', channel: 'stable' });
    const beta1 = await draft(appId, { version: '1.1.0-beta.1', channel: 'beta' });
    for (const id of [stable1, beta1]) {
      await uploadArtifact(fixture.service, fixture.token, appId, id, { bytes: randomBytes(20) });
      await api('POST', `/apps/${appId}/releases/${id}/publish`, {});
    }
    assert.equal((await check('channel-app', 'darwin/aarch64/0.9.0')).json.version, '1.0.0', 'no channel: the default channel');
    assert.equal((await check('channel-app', 'darwin/aarch64/0.9.0?channel=beta')).json.version, '1.1.0-beta.1');
    const stable2 = await draft(appId, { version: '1.2.0', channel: 'stable' });
    await uploadArtifact(fixture.service, fixture.token, appId, stable2, { bytes: randomBytes(20) });
    await api('POST', `/apps/${appId}/releases/${stable2}/publish`, {});
    assert.equal((await check('channel-app', 'darwin/aarch64/1.1.0-beta.1?channel=beta')).json.version, '1.2.0');

    // The app's default channel decides what clients that name none get.
    assert.equal((await api('PATCH', `/apps/${appId}`, { default_channel: 'beta' })).json.default_channel, 'beta');
    const search = await api('GET', `/apps/${appId}/releases?channel=beta&limit=1`);
    assert.deepEqual(
      search.json.releases.map((r: { version: string }) => r.version),
      ['1.1.0-beta.1'],
    );
    const all = await api('GET', `/apps/${appId}/releases?limit=2`);
    assert.deepEqual(
      all.json.releases.map((r: { version: string }) => r.version),
      ['1.2.0', '1.1.0-beta.1'],
      'newest first',
    );
    const next = await api('GET', `/apps/${appId}/releases?limit=2&cursor=${all.json.next_cursor}`);
    assert.deepEqual(
      next.json.releases.map((r: { version: string }) => r.version),
      ['1.0.0'],
    );
    assert.match(all.json.next_cursor, /^[A-Za-z0-9_-]+$/, 'the cursor is URL-safe as it is');
    for (const cursor of ['garbage', Buffer.from('../x').toString('base64url'), `${all.json.next_cursor}=`]) {
      assert.equal((await api('GET', `/apps/${appId}/releases?limit=2&cursor=${cursor}`)).status, 400, cursor);
    }
    assert.equal((await api('GET', `/apps/${appId}/releases?platform=windows`)).json.releases.length, 0);
  });

  it('finishes publishing when ingest failed after marking the artifact verified (a retried ingest publishes)', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'retry-app');
    const release = (await api('POST', `/apps/${appId}/releases`, { version: '1.0.0' })).json.id;
    const publisher = feedPublisher();
    const republish = publisher.republish;
    let failures = 0;
    publisher.republish = async function (this: typeof publisher, ...args: Parameters<typeof republish>) {
      if (failures++ === 0) throw new Error('injected: feed rebuild failed once');
      return republish.apply(this, args);
    };
    try {
      await uploadArtifact(fixture.service, fixture.token, appId, release, { bytes: randomBytes(40) });
    } finally {
      publisher.republish = republish;
    }
    assert.ok(failures >= 2, 'the first run failed and the event was redelivered');
    assert.equal((await check('retry-app', 'darwin/aarch64/0.1.0')).json.version, '1.0.0');
  });

  it('shows a stuck artifact as failed, with the reason, once verification keeps failing', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'stuck-app');
    const release = (await api('POST', `/apps/${appId}/releases`, { version: '1.0.0' })).json.id;
    const store = artifactStore();
    const measure = store.measure;
    store.measure = async () => {
      throw new Error('injected: S3 read timed out');
    };
    try {
      await uploadArtifact(fixture.service, fixture.token, appId, release, { bytes: randomBytes(40) });
    } finally {
      store.measure = measure;
    }
    const view = await api('GET', `/apps/${appId}/releases/${release}`);
    const artifact = view.json.artifacts[0];
    assert.equal(artifact.status, 'failed');
    assert.match(artifact.reason, /S3 read timed out/);
    const one = await api('GET', `/apps/${appId}/releases/${release}/artifacts/${artifact.id}`);
    assert.equal(one.json.status, 'failed');
    // A new upload attempt for the same artifact starts over.
    const again = await api('POST', `/apps/${appId}/releases/${release}/artifacts`, { target: 'darwin', arch: 'aarch64', file_size: 5 });
    assert.equal(again.json.artifact_id, artifact.id);
    assert.equal(again.json.artifact.status, 'pending');
  });

  it('never lets a reused upload URL change what ships, even while the first upload is being verified', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'reuse-app');
    const release = (await api('POST', `/apps/${appId}/releases`, { version: '1.0.0' })).json.id;
    const slot = await api('POST', `/apps/${appId}/releases/${release}/artifacts`, { target: 'linux', arch: 'x86_64', file_size: 256 });
    const first = randomBytes(256);
    const second = randomBytes(256);
    await Promise.all([
      fetch(slot.json.upload_url, { method: 'PUT', body: first }),
      fetch(slot.json.upload_url, { method: 'PUT', body: second }),
    ]);
    await fixture.service.stack.ingestIdle();
    await fetch(slot.json.upload_url, { method: 'PUT', body: randomBytes(256) });
    await fixture.service.stack.ingestIdle();
    const artifact = (await api('GET', `/apps/${appId}/releases/${release}`)).json.artifacts[0];
    const redirect = await check('reuse-app', `download/${release}/linux/x86_64`);
    const served = Buffer.from(await (await fetch(redirect.headers.get('location') as string)).arrayBuffer());
    assert.equal(createHash('sha256').update(served).digest('hex'), artifact.sha256, 'the served bytes are the verified ones');
    assert.ok(served.equals(first) || served.equals(second));
  });

  it('never leaves a slug claimed by a deleted app when delete and set-slug race (20 tries)', async () => {
    for (let i = 0; i < 20; i++) {
      const slug = `race-${i}`;
      const app = await api('POST', '/apps', { name: slug });
      await Promise.all([api('DELETE', `/apps/${app.json.id}`), api('PUT', `/apps/${app.json.id}/slug`, { slug })]);
      assert.equal((await check(slug, 'darwin/aarch64/1.0.0')).status, 404, `try ${i}: the slug answers 404`);
      const other = await api('POST', '/apps', { name: `${slug}-b` });
      const claim = await api('PUT', `/apps/${other.json.id}/slug`, { slug });
      assert.equal(claim.status, 200, `try ${i}: the slug can be claimed again (${claim.text})`);
      await api('DELETE', `/apps/${other.json.id}`);
    }
  });

  it('offers a 20 % rollout to 20 % of 10,000 devices (±2 %), the same answer on every check, the previous release to the rest', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'rollout-app');
    const stable = await draft(appId, { version: '1.0.0', channel: 'stable' });
    await uploadArtifact(fixture.service, fixture.token, appId, stable, { bytes: randomBytes(16) });
    await api('POST', `/apps/${appId}/releases/${stable}/publish`, {});
    const next = await draft(appId, { version: '1.1.0', channel: 'stable', rollout_percent: 20 });
    await uploadArtifact(fixture.service, fixture.token, appId, next, { bytes: randomBytes(16) });
    await api('POST', `/apps/${appId}/releases/${next}/publish`, {});

    const devices = Array.from({ length: 10_000 }, (_, i) => `device-${i}-${(i * 2654435761) % 4294967296}`);
    const answers = new Map<string, string>();
    const check = async (device: string) => {
      const reply = await fixture.service.request('GET', '/api/sync/ota/rollout-app/darwin/aarch64/0.9.0', {
        headers: { 'x-device-id': device },
      });
      assert.equal(reply.status, 200);
      return reply.json.version as string;
    };
    for (let i = 0; i < devices.length; i += 50) {
      const batch = devices.slice(i, i + 50);
      const versions = await Promise.all(batch.map(check));
      for (const [j, device] of batch.entries()) answers.set(device, versions[j] as string);
    }
    const inside = [...answers.values()].filter((v) => v === '1.1.0').length / devices.length;
    assert.ok(inside > 0.18 && inside < 0.22, `${(inside * 100).toFixed(1)} % got 1.1.0`);
    assert.ok(
      [...answers.values()].every((v) => v === '1.1.0' || v === '1.0.0'),
      'the rest get the previous release, never nothing',
    );
    for (const device of devices.slice(0, 300)) assert.equal(await check(device), answers.get(device), 'stable across checks');
    const anonymous = await fixture.service.request('GET', '/api/sync/ota/rollout-app/darwin/aarch64/0.9.0');
    assert.equal(anonymous.json.version, '1.0.0', 'no device id: the newest fully rolled-out release');

    assert.equal((await api('PUT', `/apps/${appId}/releases/${next}/rollout`, { percent: 0 })).status, 200);
    const halted = await Promise.all(devices.slice(0, 200).map(check));
    assert.ok(
      halted.every((v) => v === '1.0.0'),
      'halted: nobody gets it',
    );
    await api('PUT', `/apps/${appId}/releases/${next}/rollout`, { percent: 100 });
    assert.equal(await check(devices[0] as string), '1.1.0', 'resumed to everyone');
  });
});
