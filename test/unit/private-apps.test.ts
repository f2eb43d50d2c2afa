import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { App, Artifact } from '../../shared/domain/model.js';
import { AppService } from '../../shared/services/app-service.js';
import { ArtifactPrivacy } from '../../shared/services/artifact-privacy.js';

const APP_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const T0 = '2026-01-01T00:00:00.000Z';
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
  it('retags its objects first, then republishes its feeds with a purge of every edge path of the app', async () => {
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
      { apply: async (id: string) => void steps.push(`tag ${id} as private=${stored.private}`) },
      () => new Date(T0),
    );
    await service.update(app, { private: true });
    assert.deepEqual(steps, [
      'save private=true',
      `tag ${APP_ID} as private=true`,
      `republish ${APP_ID}`,
      `purge /ota/${APP_ID}/*`,
      `purge /files/${APP_ID}/*`,
      'purge /api/sync/ota/app/*',
      'purge /feeds/app/*',
      'purge /checkVersion*',
      'purge /apps/latest*',
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
        collection: async () => ({ releases: [], keys: [], artifacts: [artifact('1', 'ota/k1'), artifact('2'), artifact('3', 'ota/k3')] }),
      },
      { setPrivate: async (key, versionId, isPrivate) => void tagged.push(`${key}@${versionId}=${isPrivate}`) },
    );
    return { tags, tagged };
  }

  it('tags every verified object version, and retags when the app changed meanwhile', async () => {
    const steady = fixture([true, true]);
    await steady.tags.apply(APP_ID);
    assert.deepEqual(steady.tagged, ['ota/k1@v-1=true', 'ota/k3@v-3=true'], 'pending uploads have no object yet');
    // Made public while the first round tagged: the second round follows the app as it is now.
    const flipped = fixture([true, false, false]);
    await flipped.tags.apply(APP_ID);
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
