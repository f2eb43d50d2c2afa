import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Caller } from '../../shared/domain/caller.js';
import type { App, Release } from '../../shared/domain/model.js';
import { AppService } from '../../shared/services/app-service.js';
import { ReleaseService, type ReleaseServiceReleases } from '../../shared/services/release-service.js';
import type { AppRepository } from '../../shared/storage/app-repository.js';
import { keys } from '../../shared/storage/keys.js';

const T0 = '2026-01-01T00:00:00.000Z';
const caller: Caller = { ownerId: 'O', userId: 'O', username: 'o', kind: 'owner' };
const appNamed = (id: string, name: string, createdAt = T0): App => ({
  id,
  name,
  ownerId: 'O',
  defaultChannelId: 'stable',
  createdAt,
  updatedAt: T0,
});
const apps = Array.from({ length: 50 }, (_, i) => appNamed(`A${i}`, `app-${i}`));
const release = (id: string, appId: string) => ({ id, appId }) as Release;

/** Releases by app, the lookup items written with some of them (as the repository writes them), and every read counted. */
function fakeReleases(held: Record<string, string>, recorded: Record<string, string>) {
  const reads: string[] = [];
  const releases = {
    appOfRelease: async (ownerId: string, releaseId: string) => {
      reads.push(`lookup ${ownerId}/${releaseId}`);
      return recorded[releaseId];
    },
    get: async (appId: string, releaseId: string) => {
      reads.push(`get ${appId}/${releaseId}`);
      return held[releaseId] === appId ? release(releaseId, appId) : undefined;
    },
  } as Pick<ReleaseServiceReleases, 'appOfRelease' | 'get'>;
  return { releases: releases as ReleaseServiceReleases, reads };
}

function releaseService(held: Record<string, string>, recorded: Record<string, string>) {
  const { releases, reads } = fakeReleases(held, recorded);
  return { service: new ReleaseService({} as never, releases, { republish: async () => {} }), reads };
}

describe('finding the app of a release id', () => {
  it('reads the lookup item written with the release, once, and never each app', async () => {
    const { service, reads } = releaseService({ R1: 'A49' }, { R1: 'A49' });
    let listed = 0;
    const appId = await service.appOf('O', 'R1', async () => {
      listed++;
      return apps;
    });
    assert.equal(appId, 'A49');
    assert.deepEqual(reads, ['lookup O/R1']);
    assert.equal(listed, 0);
  });

  it('finds a release created before the lookup item existed by asking each of the owner’s apps', async () => {
    const { service, reads } = releaseService({ OLD: 'A7' }, {});
    assert.equal(await service.appOf('O', 'OLD', async () => apps), 'A7');
    assert.equal(reads.filter((r) => r.startsWith('get ')).length, apps.length);
  });

  it('answers undefined for an id no app of the owner holds', async () => {
    const { service } = releaseService({}, {});
    assert.equal(await service.appOf('O', 'NONE', async () => apps), undefined);
  });

  it('keys the lookup item in the owner’s partition, apart from the catalog entries', () => {
    assert.deepEqual(keys.releaseApp('O', 'R1'), { PK: keys.ownerCollection('O'), SK: 'RELID#R1' });
    assert.ok(!keys.releaseApp('O', 'R1').SK.startsWith(keys.catalogAll));
  });
});

describe('finding an app by name', () => {
  function appService(claims: Record<string, string>) {
    const reads: string[] = [];
    const repository = {
      nameHolder: async (ownerId: string, name: string) => {
        reads.push(`claim ${ownerId}/${name}`);
        return claims[name];
      },
      allByOwner: async () => {
        reads.push('all apps');
        // Oldest first, as the owner's index lists them: a legacy duplicate of app-3 comes first.
        return [appNamed('LEGACY3', 'app-3', '2025-01-01T00:00:00.000Z'), ...apps];
      },
    } as Pick<AppRepository, 'nameHolder' | 'allByOwner'>;
    return { service: new AppService(repository as AppRepository, {} as never, {} as never, undefined), reads };
  }

  it('reads the name claim, one item, and never lists the apps', async () => {
    const { service, reads } = appService({ 'app-42': 'A42' });
    assert.equal(await service.idByName(caller, 'app-42'), 'A42');
    assert.deepEqual(reads, ['claim O/app-42']);
  });

  it('finds an app created before names were claimed among all the owner’s apps, the oldest of the name first', async () => {
    const { service, reads } = appService({});
    assert.equal(await service.idByName(caller, 'app-3'), 'LEGACY3');
    assert.deepEqual(reads, ['claim O/app-3', 'all apps']);
    assert.equal(await service.idByName(caller, 'nobody'), undefined);
  });
});
