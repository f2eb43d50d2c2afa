import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { Conflict, Invalid, NotFound } from '../../shared/domain/errors.js';
import { apiKeyHash, MAX_KEY_GRACE_SECONDS } from '../../shared/domain/koolbase-api-key.js';
import type { App } from '../../shared/domain/model.js';
import { KoolbaseService, MAX_KEYS_PER_PROJECT } from '../../shared/services/koolbase-service.js';
import { EMPTY_STATE, type KoolbaseRepository, type KoolbaseState } from '../../shared/storage/koolbase-repository.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const app: App = { id: 'APP1', name: 'App', ownerId: 'O', defaultChannelId: 'stable', createdAt: '', updatedAt: '' };

/**
 * The project state in memory, with the repository's rules: a save names the revision it read, and
 * rewrites the key items (hash → what the check reads) of the keys it keeps, deleting the others.
 */
class FakeKoolbase implements Pick<KoolbaseRepository, 'state' | 'save' | 'nextBundleNumber'> {
  current: KoolbaseState = EMPTY_STATE;
  items = new Map<string, { channel?: string; expiresAt?: number }>();
  saves = 0;

  async state() {
    return this.current;
  }
  async save(_appId: string, previous: KoolbaseState, next: KoolbaseState) {
    if (previous.rev !== this.current.rev) throw new Conflict('The project changed meanwhile; try again');
    this.saves++;
    this.current = { ...next, rev: previous.rev + 1 };
    for (const key of previous.keys) if (!next.keys.some((k) => k.hash === key.hash)) this.items.delete(key.hash);
    for (const key of next.keys) {
      this.items.set(key.hash, {
        ...(key.channel !== undefined ? { channel: key.channel } : {}),
        ...(key.expiresAt !== undefined ? { expiresAt: key.expiresAt } : {}),
      });
    }
  }
  async nextBundleNumber(): Promise<number> {
    throw new Error('not used');
  }
}

const unused = () => {
  throw new Error('not used by key rotation');
};

/** Key rotation in the service, on in-memory fakes and a clock the test moves. */
describe('Koolbase SDK key rotation', () => {
  let now: number;
  let koolbase: FakeKoolbase;
  let service: KoolbaseService;

  beforeEach(() => {
    now = T0;
    koolbase = new FakeKoolbase();
    service = new KoolbaseService(
      { ensureOwner: unused, findByName: unused, create: unused, all: unused },
      { collection: unused, getWithArtifacts: unused },
      { create: unused, publish: unused, yank: unused, update: unused },
      { storeOrDiscard: unused, requestUpload: unused, confirm: unused },
      { deleteRelease: unused },
      koolbase,
      () => new Date(now),
    );
  });

  it('keeps the old key working for the grace period beside a new key of the same channel', async () => {
    const old = await service.createKey(app, 'staging');
    const rotated = await service.rotateKey(app, old.record.id, 3600);
    assert.match(rotated.key, /^pk_live_/);
    assert.notEqual(rotated.key, old.key);
    assert.equal(rotated.record.channel, 'staging', 'the channel limit carries over');
    assert.equal(rotated.previous.expiresAt, T0 / 1000 + 3600);
    assert.equal(rotated.previous.replacedBy, rotated.record.id);

    assert.deepEqual(
      (await service.listKeys(app)).map((k) => [k.id, k.expiresAt]),
      [
        [old.record.id, T0 / 1000 + 3600],
        [rotated.record.id, undefined],
      ],
    );
    assert.deepEqual(koolbase.items.get(apiKeyHash(old.key)), { channel: 'staging', expiresAt: T0 / 1000 + 3600 }, 'the TTL on its item');
    assert.deepEqual(koolbase.items.get(apiKeyHash(rotated.key)), { channel: 'staging' });

    await assert.rejects(
      service.rotateKey(app, old.record.id, 60),
      (e: Error) => e instanceof Conflict && /already rotated/.test(e.message),
    );

    // Past the end: not listed, and the next change of the project drops it and its item.
    now = T0 + 3600 * 1000;
    assert.deepEqual(
      (await service.listKeys(app)).map((k) => k.id),
      [rotated.record.id],
    );
    await assert.rejects(service.rotateKey(app, old.record.id, 60), NotFound);
    assert.equal(koolbase.current.keys.length, 2, 'a refused change wrote nothing');
    await service.createKey(app);
    assert.equal(koolbase.items.has(apiKeyHash(old.key)), false);
    assert.deepEqual(koolbase.current.keys.map((k) => k.id).includes(old.record.id), false);
  });

  it('revokes the old key at once with a grace of 0', async () => {
    const old = await service.createKey(app);
    const rotated = await service.rotateKey(app, old.record.id, 0);
    assert.deepEqual(
      (await service.listKeys(app)).map((k) => k.id),
      [rotated.record.id],
    );
    assert.equal(koolbase.items.has(apiKeyHash(old.key)), false, 'its item is gone: the check answers 401');
    const short = await service.rotateKey(app, rotated.record.id, 10);
    assert.equal(short.previous.expiresAt, T0 / 1000 + 10);
  });

  it('rounds the grace end up to a whole second, so the old key never stops early', async () => {
    now = T0 + 250;
    const old = await service.createKey(app);
    const rotated = await service.rotateKey(app, old.record.id, 5);
    assert.equal(rotated.previous.expiresAt, T0 / 1000 + 6);
  });

  it('refuses grace periods out of range and unknown keys', async () => {
    const old = await service.createKey(app);
    for (const grace of [-1, 1.5, MAX_KEY_GRACE_SECONDS + 1, Number.NaN]) {
      await assert.rejects(service.rotateKey(app, old.record.id, grace), Invalid, String(grace));
    }
    await assert.rejects(service.rotateKey(app, 'nope', 60), NotFound);
    await service.rotateKey(app, old.record.id, MAX_KEY_GRACE_SECONDS);
  });

  it('lets a rotated key be revoked before its grace period ends', async () => {
    const old = await service.createKey(app);
    await service.rotateKey(app, old.record.id, 3600);
    await service.deleteKey(app, old.record.id);
    assert.equal(koolbase.items.has(apiKeyHash(old.key)), false);
    assert.equal((await service.listKeys(app)).length, 1);
  });

  it('counts keys in their grace period against the per-project limit; a grace of 0 needs no room', async () => {
    const first = await service.createKey(app);
    for (let i = 1; i < MAX_KEYS_PER_PROJECT; i++) await service.createKey(app);
    await assert.rejects(service.rotateKey(app, first.record.id, 60), Conflict);
    const replaced = await service.rotateKey(app, first.record.id, 0);
    assert.equal((await service.listKeys(app)).length, MAX_KEYS_PER_PROJECT);
    assert.equal(replaced.record.channel, undefined);
  });
});
