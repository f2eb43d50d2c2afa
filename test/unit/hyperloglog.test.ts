import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deviceHasher } from '../../shared/domain/device-hash.js';
import { EXACT_LIMIT, HLL_STANDARD_ERROR, UniqueCounter, unionOf } from '../../shared/domain/hyperloglog.js';

const hash = deviceHasher(new Uint8Array(32).fill(7));
const device = (i: number) => `${i.toString(16).padStart(8, '0')}-4b1e-4c2d-9e3f-000000000000`;

function counterOf(from: number, to: number, scope = 'app-1'): UniqueCounter {
  const counter = new UniqueCounter();
  for (let i = from; i < to; i++) counter.add(hash(scope, device(i)));
  return counter;
}

describe('unique clients (HyperLogLog)', () => {
  it('states a standard error under 2 %', () => {
    assert.ok(HLL_STANDARD_ERROR < 0.02, `${HLL_STANDARD_ERROR}`);
  });

  it('counts exactly up to the exact limit, and a device seen twice once', () => {
    const counter = counterOf(0, EXACT_LIMIT);
    for (let i = 0; i < 100; i++) counter.add(hash('app-1', device(i)));
    assert.equal(counter.count(), EXACT_LIMIT);
    assert.ok(counter.isExact);
    assert.equal(UniqueCounter.decode(counter.encode()).count(), EXACT_LIMIT);
  });

  it('keeps every estimate from 600 to 1,000,000 devices within 3 standard errors (4.9 %)', () => {
    for (const exact of [600, 2_000, 5_000, 10_000, 30_000, 100_000, 1_000_000]) {
      const estimate = counterOf(0, exact, `app-${exact}`).count();
      const error = Math.abs(estimate - exact) / exact;
      assert.ok(error <= 3 * HLL_STANDARD_ERROR, `${exact} devices: estimate ${estimate}, error ${(error * 100).toFixed(2)} %`);
    }
  });

  it('has a root mean square error under 2 % over 40 independent sets of 20,000 (the stated error holds)', () => {
    let squared = 0;
    const runs = 40;
    for (let run = 0; run < runs; run++) {
      const estimate = counterOf(0, 20_000, `run-${run}`).count();
      squared += ((estimate - 20_000) / 20_000) ** 2;
    }
    const rms = Math.sqrt(squared / runs);
    assert.ok(rms <= 0.02, `root mean square error ${(rms * 100).toFixed(2)} %`);
  });

  it('unites without counting a device twice, in exact and sketch modes', () => {
    const small = unionOf([counterOf(0, 300), counterOf(200, 400)]);
    assert.equal(small.count(), 400);
    const parts = [counterOf(0, 60_000), counterOf(30_000, 90_000), counterOf(0, 10)];
    const big = unionOf(parts);
    // The union's registers are exactly those of one sketch fed all 90,000 devices.
    assert.equal(big.count(), counterOf(0, 90_000).count());
    assert.ok(Math.abs(big.count() - 90_000) / 90_000 <= 3 * HLL_STANDARD_ERROR, `${big.count()}`);
    assert.equal(parts[0]?.count(), counterOf(0, 60_000).count(), 'the parts are unchanged');
    assert.ok(!big.isExact);
  });

  it('survives its stored form (4 KB once a sketch)', () => {
    const counter = counterOf(0, 50_000);
    const bytes = counter.encode();
    assert.equal(bytes.length, 4097);
    assert.equal(UniqueCounter.decode(bytes).count(), counter.count());
    assert.throws(() => UniqueCounter.decode(new Uint8Array([9, 1, 2])), /Not a unique-client counter/);
  });

  it('hashes per app and per key', () => {
    assert.notDeepEqual(hash('app-1', 'd'), hash('app-2', 'd'));
    assert.notDeepEqual(hash('app-1', 'd'), deviceHasher(new Uint8Array(32).fill(8))('app-1', 'd'));
  });
});
