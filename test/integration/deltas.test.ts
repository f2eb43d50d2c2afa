import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { compareVersions } from '../../shared/domain/version.js';
import { parseWithExpat, readAppcastAsSparkle } from '../support/client-parsers.js';
import { createPublishedApp, uploadArtifact, useLocalService } from '../support/local-service.js';

/** One asset of Velopack's feed, with the field names and casing of its `VelopackAsset` (lib-rust/src/manager.rs). */
interface VelopackAsset {
  PackageId: string;
  Version: string;
  Type: string;
  FileName: string;
  SHA1: string;
  SHA256: string;
  Size: number;
  NotesMarkdown: string;
}

/**
 * Velopack's `create_delta_update_strategy` (lib-rust/src/manager.rs): the newest Full asset is the
 * target; deltas are used only when a Delta asset of exactly that version exists, and then every
 * Delta asset above the installed version up to the target is applied, in version order.
 */
function velopackUpdate(assets: VelopackAsset[], installed: string): { target: VelopackAsset; deltas: VelopackAsset[] } | undefined {
  const target = assets.filter((a) => a.Type.toLowerCase() === 'full').sort((a, b) => compareVersions(b.Version, a.Version))[0];
  if (!target || compareVersions(target.Version, installed) <= 0) return undefined;
  const deltas = assets.filter((a) => a.Type.toLowerCase() === 'delta');
  if (!deltas.some((d) => d.Version === target.Version)) return { target, deltas: [] };
  return {
    target,
    deltas: deltas
      .filter((d) => compareVersions(d.Version, installed) > 0 && compareVersions(d.Version, target.Version) <= 0)
      .sort((a, b) => compareVersions(a.Version, b.Version)),
  };
}

/** Sparkle's and Velopack's delta packages over the local stack, read with each client's own rules. */
describe('delta packages (Sparkle, Velopack)', () => {
  const fixture = useLocalService();
  const { api } = fixture;

  /** Follows a download URL (a 302 to the verified bytes) and returns the bytes. */
  async function fetchFile(url: string): Promise<Buffer> {
    const redirect = await fixture.service.request('GET', new URL(url).pathname);
    assert.equal(redirect.status, 302, `${url}: ${redirect.text}`);
    const file = await fetch(redirect.headers.get('location') as string);
    assert.equal(file.status, 200);
    return Buffer.from(await file.arrayBuffer());
  }

  async function release(appId: string, version: string): Promise<string> {
    const created = await api('POST', `/apps/${appId}/releases`, { version, channel: 'stable' });
    assert.equal(created.status, 201, created.text);
    return created.json.id;
  }

  async function publish(appId: string, releaseId: string): Promise<void> {
    const published = await api('POST', `/apps/${appId}/releases/${releaseId}/publish`, {});
    assert.equal(published.status, 200, published.text);
  }

  it("Sparkle: the appcast's item lists its delta archives with sparkle:deltaFrom and the delta's own edSignature", async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'sparkle-delta');
    // Sparkle checks an archive's EdDSA signature (SUPublicEDKey) before it installs it, deltas included.
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const edSignature = (bytes: Buffer) => sign(null, bytes, privateKey).toString('base64');
    const old = await release(appId, '1.0.0');
    await uploadArtifact(fixture.service, fixture.token, appId, old, {
      target: 'darwin',
      arch: 'aarch64',
      package: 'zip',
      bytes: randomBytes(900),
    });
    await publish(appId, old);

    const next = await release(appId, '1.1.0');
    const full = randomBytes(1000);
    const delta = randomBytes(120);
    await uploadArtifact(fixture.service, fixture.token, appId, next, {
      target: 'darwin',
      arch: 'aarch64',
      package: 'zip',
      bytes: full,
      edSignature: edSignature(full),
    });
    await uploadArtifact(fixture.service, fixture.token, appId, next, {
      target: 'darwin',
      arch: 'aarch64',
      package: 'delta',
      deltaFrom: '1.0.0',
      bytes: delta,
      edSignature: edSignature(delta),
    });
    // A delta names the version it applies to, older than its release; nothing else names one.
    const refused = async (body: Record<string, unknown>) =>
      (
        await api('POST', `/apps/${appId}/releases/${next}/artifacts`, {
          target: 'darwin',
          arch: 'aarch64',
          file_size: 10,
          ...body,
        })
      ).status;
    assert.equal(await refused({ package: 'delta' }), 400, 'a delta without delta_from');
    assert.equal(await refused({ package: 'zip', delta_from: '1.0.0' }), 400, 'delta_from on a full archive');
    assert.equal(await refused({ package: 'delta', delta_from: '1.1.0' }), 400, 'a delta from its own version');
    assert.equal(await refused({ package: 'delta', delta_from: 'one' }), 400, 'delta_from that is no version');
    await publish(appId, next);

    const appcast = await fixture.service.request('GET', '/feeds/sparkle-delta/stable/sparkle/aarch64/appcast.xml');
    assert.equal(appcast.status, 200);
    const [reading] = parseWithExpat([appcast.text]);
    assert.equal(typeof reading, 'object', `expat refused the appcast: ${String(reading)}`);
    const [latest] = readAppcastAsSparkle(appcast.text);
    assert.equal(latest?.version, '1.1.0');
    assert.deepEqual(await fetchFile(latest?.fileURL as string), full, 'the full archive stays the enclosure');
    const fromOld = latest?.deltaUpdates['1.0.0'];
    assert.ok(fromOld, `a delta for clients at 1.0.0: ${appcast.text}`);
    assert.equal(fromOld.version, '1.1.0');
    assert.match(new URL(fromOld.fileURL).pathname, /\.delta$/, 'Sparkle picks its binary-delta unarchiver by the extension');
    const served = await fetchFile(fromOld.fileURL);
    assert.deepEqual(served, delta);
    // Sparkle saves a download under the final response's suggestedFilename (SPUDownloader), which
    // comes from Content-Disposition before the URL: the verified object names itself.
    const located = await fixture.service.request('GET', new URL(fromOld.fileURL).pathname);
    const response = await fetch(located.headers.get('location') as string);
    assert.equal(response.headers.get('content-disposition'), 'attachment; filename="sparkle-delta-1.1.0-from-1.0.0.delta"');
    await response.arrayBuffer();
    assert.equal(fromOld.contentLength, delta.length);
    assert.ok(verify(null, served, publicKey, Buffer.from(fromOld.edSignature as string, 'base64')), "the delta's signature verifies");
    assert.deepEqual(Object.keys(latest?.deltaUpdates ?? {}), ['1.0.0']);
  });

  it('Velopack: releases.{channel}.json lists a Delta asset per version, and the client rebuilds its chain from it', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'velo-delta');
    const packages: Record<string, Buffer> = {};
    for (const [version, bases] of [
      ['1.0.0', []],
      ['1.1.0', ['1.0.0']],
      // vpk packs a delta from the release before; one from further back is kept but not listed.
      ['1.2.0', ['1.1.0', '1.0.0']],
    ] as const) {
      const id = await release(appId, version);
      packages[version] = randomBytes(400);
      await uploadArtifact(fixture.service, fixture.token, appId, id, {
        target: 'windows',
        arch: 'x86_64',
        package: 'nupkg',
        bytes: packages[version] as Buffer,
      });
      for (const base of bases) {
        packages[`${base}->${version}`] = randomBytes(40);
        await uploadArtifact(fixture.service, fixture.token, appId, id, {
          target: 'windows',
          arch: 'x86_64',
          package: 'delta.nupkg',
          deltaFrom: base,
          bytes: packages[`${base}->${version}`] as Buffer,
        });
      }
      await publish(appId, id);
    }

    const base = `${fixture.service.url}/feeds/velo-delta/stable/velopack`;
    const feed = await fixture.service.request(
      'GET',
      '/feeds/velo-delta/stable/velopack/releases.win.json?localVersion=1.1.0&id=velo-delta',
    );
    assert.equal(feed.status, 200, feed.text);
    const assets = feed.json.Assets as VelopackAsset[];
    for (const asset of assets)
      assert.deepEqual(Object.keys(asset).sort(), ['FileName', 'NotesMarkdown', 'PackageId', 'SHA1', 'SHA256', 'Size', 'Type', 'Version']);
    assert.deepEqual(
      assets.map((a) => [a.Version, a.Type, a.FileName]),
      [
        ['1.2.0', 'Full', 'velo-delta-1.2.0-win-full.nupkg'],
        ['1.2.0', 'Delta', 'velo-delta-1.2.0-win-delta.nupkg'],
      ],
    );

    const update = velopackUpdate(assets, '1.1.0');
    assert.equal(update?.target.Version, '1.2.0');
    assert.deepEqual(
      update?.deltas.map((d) => d.FileName),
      ['velo-delta-1.2.0-win-delta.nupkg'],
    );
    for (const delta of update?.deltas ?? []) {
      // HttpSource downloads {base}/{FileName}; verify_package_checksum checks Size and SHA1.
      const redirect = await fixture.service.request('GET', new URL(`${base}/${delta.FileName}`).pathname);
      assert.equal(redirect.status, 302, redirect.text);
      const bytes = Buffer.from(await (await fetch(redirect.headers.get('location') as string)).arrayBuffer());
      assert.deepEqual(bytes, packages['1.1.0->1.2.0'], 'the delta from the release before');
      assert.equal(delta.Size, bytes.length);
      assert.equal(delta.SHA1, createHash('sha1').update(bytes).digest('hex').toUpperCase());
      assert.equal(delta.SHA256, createHash('sha256').update(bytes).digest('hex').toUpperCase());
    }
    assert.equal(
      (await fixture.service.request('GET', '/feeds/velo-delta/stable/velopack/velo-delta-1.0.0-win-delta.nupkg')).status,
      404,
      'no delta to the first release',
    );
  });
});
