import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFound } from '../../shared/domain/errors.js';
import type { App } from '../../shared/domain/model.js';
import { FeedChanges, unitOfWork } from '../../shared/services/feed-changes.js';
import { KoolbaseService } from '../../shared/services/koolbase-service.js';
import {
  ownerCaller as caller,
  faynoData as data,
  FakeKoolbase,
  faynoVersionsOver,
  faynoFile as file,
  newApp,
  releaseWorld,
} from './in-memory.js';

/** The three faces' services over the in-memory fakes, one publisher counting rebuilds per app. */
function faces() {
  const app = newApp('App');
  const apps: App[] = [app];
  const world = releaseWorld(apps);
  const authorize = async (appId: string) => {
    const found = apps.find((a) => a.id === appId);
    if (!found) throw new NotFound('no such app');
    return found;
  };
  const fayno = faynoVersionsOver(apps, world);
  const koolbase = new KoolbaseService(
    world.catalogs,
    world.releases,
    world.releaseService,
    world.uploads,
    world.deletion,
    new FakeKoolbase(),
  );
  /** Rebuilds the request caused, per app: run as the middleware runs it (`unitOfWork`), or each change at once. */
  const rebuilds = async (request: () => Promise<unknown>, inUnit: boolean) => {
    world.republished.length = 0;
    await (inUnit ? unitOfWork(request) : request());
    return world.republished.filter((id) => id === app.id).length;
  };
  return { ...world, app, fayno, koolbase, authorize, rebuilds };
}

/** Each face's publishing request, after the setup it needs; answers the rebuilds it caused. */
const flows: Record<string, (inUnit: boolean) => Promise<number>> = {
  'faynoSync /upload of two files with publish: true': async (inUnit) => {
    const { fayno, authorize, rebuilds } = faces();
    return rebuilds(() => fayno.upload(caller, authorize, data({ publish: true }), [file('a.dmg'), file('a.zip')]), inUnit);
  },
  'faynoSync /apps/update with a file and publish: true': async (inUnit) => {
    const { fayno, authorize, rebuilds } = faces();
    const id = await fayno.upload(caller, authorize, data(), [file('a.dmg')]);
    return rebuilds(() => fayno.update(caller, authorize, data({ id, publish: true }), [file('a.zip')]), inUnit);
  },
  'Koolbase activate (another bundle of the channel active before)': async (inUnit) => {
    const { koolbase, app, rebuilds } = faces();
    const first = await koolbase.upload(caller, app, { bytes: Buffer.from('one') });
    await koolbase.activate(app, first.release.id);
    const second = await koolbase.upload(caller, app, { bytes: Buffer.from('two') });
    return rebuilds(() => koolbase.activate(app, second.release.id), inUnit);
  },
  'native publish of a release with a verified file': async (inUnit) => {
    const { releaseService, artifactService, app, rebuilds } = faces();
    const { release } = await releaseService.create(app, { version: '1.0.0', channel: 'stable' });
    await artifactService.uploadBytes(caller, app, release.id, {
      target: 'darwin',
      arch: 'aarch64',
      package: 'app',
      bytes: Buffer.from('x'),
    });
    return rebuilds(() => releaseService.publish(app, release.id), inUnit);
  },
};

describe('one feed rebuild per request (unit of work, with in-memory fakes)', () => {
  for (const [name, flow] of Object.entries(flows)) {
    it(`${name}: one rebuild of the app in a unit of work`, async () => {
      assert.equal(await flow(true), 1);
    });
  }

  it('rebuilds every changed file and publish at once outside a unit (the S3 event ingest), so the unit is what saves them', async () => {
    assert.equal(await flows['faynoSync /upload of two files with publish: true']?.(false), 3);
  });

  it('purges the union of the paths marked for an app, once per app, and rebuilds even when the work fails', async () => {
    const calls: [string, string[]][] = [];
    const changes = new FeedChanges({ republish: async (appId, paths = []) => void calls.push([appId, paths]) });
    await assert.rejects(
      unitOfWork(async () => {
        await changes.republish('A', ['/a']);
        await changes.republish('B');
        await changes.republish('A', ['/b', '/a']);
        await unitOfWork(() => changes.republish('A', ['/c']));
        assert.deepEqual(calls, [], 'nothing is rebuilt before the unit ends');
        throw new Error('the request failed after its changes');
      }),
      /failed after/,
    );
    assert.deepEqual(calls, [
      ['A', ['/a', '/b', '/c']],
      ['B', []],
    ]);
  });

  it('flush rebuilds what was marked so far, and later marks are rebuilt at the end', async () => {
    const calls: string[] = [];
    const changes = new FeedChanges({ republish: async (appId) => void calls.push(appId) });
    await unitOfWork(async () => {
      await changes.republish('A');
      await changes.flush();
      assert.deepEqual(calls, ['A']);
      await changes.republish('A');
    });
    assert.deepEqual(calls, ['A', 'A']);
  });
});
