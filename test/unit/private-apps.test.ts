import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Arch, builtinEntries, type Channel, type Platform } from '../../shared/domain/catalog.js';
import { buildFaynoView } from '../../shared/domain/fayno-view.js';
import type { Job, JobInput } from '../../shared/domain/job.js';
import type { App, Artifact, Release } from '../../shared/domain/model.js';
import { appsLatest, type CheckOutcome, checkVersion } from '../../shared/faces/faynosync/check.js';
import { AppService } from '../../shared/services/app-service.js';
import { ArtifactPrivacy } from '../../shared/services/artifact-privacy.js';
import { releaseRecord, T0 } from '../support/records.js';

const APP_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const app: App = { id: APP_ID, name: 'App', ownerId: 'O', slug: 'app', defaultChannelId: 'stable', createdAt: T0, updatedAt: T0 };

const artifact = (id: string, objectKey?: string): Artifact => ({
  id,
  appId: APP_ID,
  releaseId: 'R',
  platformId: 'darwin',
  archId: 'aarch64',
  package: 'zip',
  declaredSize: 1,
  status: objectKey ? 'ready' : 'pending',
  attemptId: 'A',
  uploadExpiresAt: T0,
  createdAt: T0,
  ...(objectKey ? { objectKey, objectVersionId: `v-${id}` } : {}),
});

describe('making an app private or public', () => {
  it('republishes its feeds and edge state at once, then starts the job that retags its objects', async () => {
    const steps: string[] = [];
    let stored = app;
    const service = new AppService(
      {
        update: async (next: App) => {
          stored = next;
          steps.push(`save private=${next.private}`);
        },
      } as never,
      {} as never,
      {
        republish: async (id: string, purge: string[] = []) => {
          steps.push(`republish ${id}`);
          steps.push(...purge.map((p) => `purge ${p}`));
        },
      } as never,
      {
        start: async (ownerId: string, input: JobInput) => {
          steps.push(`job ${ownerId} ${JSON.stringify(input)}`);
          return { id: 'J' } as Job;
        },
      },
      () => new Date(T0),
    );
    const { job } = await service.updateWithJob(app, { private: true });
    assert.equal(job?.id, 'J');
    assert.deepEqual(steps, [
      'save private=true',
      `republish ${APP_ID}`,
      `purge /ota/${APP_ID}/*`,
      `purge /files/${APP_ID}/*`,
      'purge /api/sync/ota/app/*',
      'purge /feeds/app/*',
      'purge /checkVersion*',
      'purge /apps/latest*',
      `job O {"kind":"app-privacy","appId":"${APP_ID}","private":true}`,
    ]);
    steps.length = 0;
    await service.update(stored, { description: 'no privacy in this change' });
    assert.deepEqual(steps, ['save private=true'], 'other settings retag nothing and purge nothing');
  });
});

describe("a private app's object tags", () => {
  function fixture(privacy: boolean[]) {
    const tagged: string[] = [];
    let reads = 0;
    const privacyNow = () => privacy[Math.min(reads++, privacy.length - 1)];
    const tags = new ArtifactPrivacy(
      { get: async () => ({ ...app, private: privacyNow() }) },
      {
        collection: async () => ({
          releases: [],
          pins: [],
          links: new Map(),
          keys: [],
          artifacts: [artifact('1', 'ota/k1'), artifact('2'), artifact('3', 'ota/k3')],
        }),
      },
      { setPrivate: async (key, versionId, isPrivate) => void tagged.push(`${key}@${versionId}=${isPrivate}`) },
    );
    return { tags, tagged };
  }

  it('tags every verified object version in key order, a bounded batch per step, and starts over when the app changed meanwhile', async () => {
    const steady = fixture([true, true, true, true]);
    const first = await steady.tags.step(APP_ID, { target: true }, 1);
    assert.deepEqual(first, { next: { target: true, after: 'ota/k1' }, done: 1, total: 2, restarted: false });
    const second = await steady.tags.step(APP_ID, { target: true, after: 'ota/k1' }, 1);
    assert.deepEqual(second, { next: undefined, done: 2, total: 2, restarted: false });
    assert.deepEqual(steady.tagged, ['ota/k1@v-1=true', 'ota/k3@v-3=true'], 'pending uploads have no object yet');
    // Made public while the step tagged: the next step starts over with the app as it is now.
    const flipped = fixture([true, false, false, false]);
    const tagged = await flipped.tags.step(APP_ID, { target: true }, 5);
    assert.deepEqual(tagged, { next: { target: false }, done: 0, total: 2, restarted: true });
    const redone = await flipped.tags.step(APP_ID, tagged.next ?? { target: false }, 5);
    assert.equal(redone.next, undefined);
    assert.deepEqual(flipped.tagged, ['ota/k1@v-1=true', 'ota/k3@v-3=true', 'ota/k1@v-1=false', 'ota/k3@v-3=false']);
  });

  it('tags a newly verified object only when its app is private', async () => {
    const privateApp = fixture([true]);
    await privateApp.tags.protectNew(APP_ID, 'ota/new', 'v9');
    assert.deepEqual(privateApp.tagged, ['ota/new@v9=true']);
    const publicApp = fixture([false]);
    await publicApp.tags.protectNew(APP_ID, 'ota/new', 'v9');
    assert.deepEqual(publicApp.tagged, []);
  });
});

describe("faynoSync's answers of a private app", () => {
  const R1 = '01ARZ3NDEKTSV4RRFFQ69G5FB1';
  const release: Release = releaseRecord('1.1.0', { id: R1, appId: APP_ID });
  const file = (id: string, pkg: string): Artifact => ({
    ...artifact(id, `ota/${APP_ID}/${R1}/${id}.${pkg}`),
    releaseId: R1,
    package: pkg,
    signature: 'c2ln',
  });
  const files = [file('01ARZ3NDEKTSV4RRFFQ69G5FA1', 'zip'), file('01ARZ3NDEKTSV4RRFFQ69G5FA2', 'dmg')];
  const catalog = {
    channels: builtinEntries('O', T0).filter((e): e is Channel => e.kind === 'channel'),
    // darwin with every updater the tests name (the built-in has Tauri only).
    platforms: builtinEntries('O', T0)
      .filter((e): e is Platform => e.kind === 'platform')
      .map((p) =>
        p.id === 'darwin'
          ? {
              ...p,
              updaters: [
                { type: 'tauri' as const, default: true },
                { type: 'squirrel_darwin' as const, default: false },
                { type: 'manual' as const, default: false },
              ],
            }
          : p,
      ),
    archs: builtinEntries('O', T0).filter((e): e is Arch => e.kind === 'arch'),
  };
  const NOW = new Date('2026-06-01T00:00:00.000Z');
  const view = (isPrivate: boolean) => buildFaynoView({ ...app, private: isPrivate }, catalog, [release], files, NOW);
  const query = (updater: string) => ({ appName: 'App', version: '1.0.0', platform: 'darwin', arch: 'aarch64', updater });
  const body = (outcome: CheckOutcome) => (outcome.kind === 'json' ? outcome.body : assert.fail(`a JSON answer, not ${outcome.kind}`));
  const byId = (id: string, name: string) => `/files/${APP_ID}/${R1}/${id}/${name}`;
  const key = (id: string, name: string) => encodeURIComponent(`files/${APP_ID}/${R1}/${id}/${name}`);

  it("links update_url_* and apps/latest through faynoSync's /download?key=, the query token after the key", () => {
    const answer = body(checkVersion(view(true), query('manual'), 'https://u', NOW, 'token=dl_x'));
    assert.equal(answer.update_url_zip, `https://u/download?key=${key('01ARZ3NDEKTSV4RRFFQ69G5FA1', 'App-1.1.0.zip')}&token=dl_x`);
    assert.equal(answer.update_url_dmg, `https://u/download?key=${key('01ARZ3NDEKTSV4RRFFQ69G5FA2', 'App-1.1.0.dmg')}&token=dl_x`);
    const latest = body(appsLatest(view(true), { appName: 'App', channel: 'stable' }, 'https://u', NOW));
    assert.deepEqual(latest, {
      stable: {
        darwin: {
          aarch64: {
            zip: { url: `https://u/download?key=${key('01ARZ3NDEKTSV4RRFFQ69G5FA1', 'App-1.1.0.zip')}` },
            dmg: { url: `https://u/download?key=${key('01ARZ3NDEKTSV4RRFFQ69G5FA2', 'App-1.1.0.dmg')}` },
          },
        },
      },
    });
  });

  it("keeps the links a stock updater downloads itself (Tauri's and Squirrel.Mac's url) redirecting to the bytes", () => {
    const tauri = body(checkVersion(view(true), query('tauri'), 'https://u', NOW, 'token=dl_x'));
    assert.match(
      String(tauri.url),
      new RegExp(`^https://u${byId('01ARZ3NDEKTSV4RRFFQ69G5FA[12]', 'App-1\\.1\\.0\\.(zip|dmg)')}\\?token=dl_x$`),
    );
    const squirrel = body(checkVersion(view(true), query('squirrel_darwin'), 'https://u', NOW, 'token=dl_x'));
    assert.equal(squirrel.url, `https://u${byId('01ARZ3NDEKTSV4RRFFQ69G5FA1', 'App-1.1.0.zip')}?token=dl_x`);
  });

  it("leaves a public app's links as they were: the by-app-id file links", () => {
    const answer = body(checkVersion(view(false), query('manual'), 'https://u', NOW));
    assert.equal(answer.update_url_zip, `https://u${byId('01ARZ3NDEKTSV4RRFFQ69G5FA1', 'App-1.1.0.zip')}`);
    const squirrel = body(checkVersion(view(false), query('squirrel_darwin'), 'https://u', NOW));
    assert.equal(squirrel.url, answer.update_url_zip);
  });
});
