/**
 * A unique-client counter that stays small however many devices it sees: exact while it holds at
 * most `EXACT_LIMIT` device hashes, then a HyperLogLog sketch of 2^12 registers.
 *
 * Why our own: the npm HyperLogLog packages are unmaintained or 32-bit-hash only (the classic
 * large-range correction then bites at 10 million devices); this is ~150 lines and tested against
 * exact counts (test/unit/hyperloglog.test.ts).
 *
 * - Input: 64-bit device hashes (the keyed hash of `device-hash.ts`); the raw device id never gets here.
 * - Sketch: precision p = 12 (4,096 one-byte registers, 4 KB stored), standard error
 *   1.04 / sqrt(4096) = 1.6 %. The estimator is Ertl's improved raw estimator ("New cardinality
 *   estimation algorithms for HyperLogLog sketches", 2017, algorithm 6): no bias tables, no
 *   small/large-range switch, accurate from 0 to far beyond 10 million with 64-bit hashes.
 * - Exact mode: the sorted distinct hashes (8 bytes each) up to 512 of them (the size of the
 *   sketch), so small apps and tests get exact counts.
 * - Union (`merge`) is lossless: register-wise max, so per-day, per-dimension rows can be combined
 *   in any grouping (a filter, a week) without counting a device twice.
 */
export const HLL_PRECISION = 12;
export const HLL_REGISTERS = 1 << HLL_PRECISION;
/** Relative standard error of the sketch (1.04 / sqrt(m)). */
export const HLL_STANDARD_ERROR = 1.04 / Math.sqrt(HLL_REGISTERS);
/** Distinct hashes kept exactly before switching to registers (same byte size as the registers). */
export const EXACT_LIMIT = HLL_REGISTERS / 8;

const KIND_EXACT = 1;
const KIND_DENSE = 2;
/** Bits left for the rank after the register index: ranks go from 1 to Q + 1. */
const Q = 64 - HLL_PRECISION;

/** A 64-bit hash as two unsigned 32-bit halves (no BigInt on the hot path). */
export interface Hash64 {
  hi: number;
  lo: number;
}

export class UniqueCounter {
  /** Exact mode: distinct hashes as `hi:lo` keys; undefined once dense. */
  private exact: Map<string, Hash64> | undefined = new Map();
  private registers: Uint8Array | undefined;

  /** Adds one device hash. */
  add(hash: Hash64): void {
    if (this.exact) {
      this.exact.set(`${hash.hi}:${hash.lo}`, hash);
      if (this.exact.size > EXACT_LIMIT) this.densify();
      return;
    }
    addToRegisters(this.registers as Uint8Array, hash);
  }

  /** Adds every device of `other` (a union: a device in both counts once). */
  merge(other: UniqueCounter): this {
    if (other.exact) {
      for (const hash of other.exact.values()) this.add(hash);
      return this;
    }
    if (this.exact) this.densify();
    const mine = this.registers as Uint8Array;
    const theirs = other.registers as Uint8Array;
    for (let i = 0; i < HLL_REGISTERS; i++) mine[i] = Math.max(mine[i] ?? 0, theirs[i] ?? 0);
    return this;
  }

  /** Whether the count is exact (no sketch yet). */
  get isExact(): boolean {
    return this.exact !== undefined;
  }

  /** The number of distinct devices: exact in exact mode, else the sketch's estimate rounded. */
  count(): number {
    if (this.exact) return this.exact.size;
    return Math.round(estimate(this.registers as Uint8Array));
  }

  /** The stored form: kind byte, then the sorted hashes (8 bytes each) or the 4,096 registers. */
  encode(): Uint8Array {
    if (!this.exact) {
      const out = new Uint8Array(1 + HLL_REGISTERS);
      out[0] = KIND_DENSE;
      out.set(this.registers as Uint8Array, 1);
      return out;
    }
    const hashes = [...this.exact.values()].sort((a, b) => a.hi - b.hi || a.lo - b.lo);
    const out = new Uint8Array(1 + hashes.length * 8);
    const view = new DataView(out.buffer);
    out[0] = KIND_EXACT;
    hashes.forEach((h, i) => {
      view.setUint32(1 + i * 8, h.hi);
      view.setUint32(5 + i * 8, h.lo);
    });
    return out;
  }

  /** Reads `encode()`'s form; throws on anything else (a corrupt item is reported, never guessed). */
  static decode(bytes: Uint8Array): UniqueCounter {
    const counter = new UniqueCounter();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes[0] === KIND_DENSE && bytes.length === 1 + HLL_REGISTERS) {
      counter.exact = undefined;
      counter.registers = bytes.slice(1);
      return counter;
    }
    if (bytes[0] === KIND_EXACT && (bytes.length - 1) % 8 === 0) {
      for (let at = 1; at < bytes.length; at += 8) counter.add({ hi: view.getUint32(at), lo: view.getUint32(at + 4) });
      return counter;
    }
    throw new Error(`Not a unique-client counter (kind ${bytes[0]}, ${bytes.length} bytes)`);
  }

  private densify(): void {
    const registers = new Uint8Array(HLL_REGISTERS);
    for (const hash of (this.exact as Map<string, Hash64>).values()) addToRegisters(registers, hash);
    this.registers = registers;
    this.exact = undefined;
  }
}

/** The union of several counters (none of them changed). */
export function unionOf(counters: Iterable<UniqueCounter>): UniqueCounter {
  const union = new UniqueCounter();
  for (const counter of counters) union.merge(counter);
  return union;
}

function addToRegisters(registers: Uint8Array, { hi, lo }: Hash64): void {
  const index = hi >>> (32 - HLL_PRECISION);
  // The rank: 1 + leading zeros of the 52 bits after the index (Q + 1 when they are all zero).
  const rest = (hi << HLL_PRECISION) >>> 0;
  const rank = rest !== 0 ? Math.clz32(rest) + 1 : lo !== 0 ? 32 - HLL_PRECISION + Math.clz32(lo) + 1 : Q + 1;
  if (rank > (registers[index] ?? 0)) registers[index] = rank;
}

/** Ertl's improved raw estimator over the register histogram. */
function estimate(registers: Uint8Array): number {
  const m = HLL_REGISTERS;
  const histogram = new Uint32Array(Q + 2);
  for (const value of registers) histogram[value] = (histogram[value] ?? 0) + 1;
  let z = m * tau(1 - (histogram[Q + 1] ?? 0) / m);
  for (let k = Q; k >= 1; k--) z = 0.5 * (z + (histogram[k] ?? 0));
  z += m * sigma((histogram[0] ?? 0) / m);
  return (m * m) / (2 * Math.LN2 * z);
}

function sigma(x: number): number {
  if (x === 1) return Number.POSITIVE_INFINITY;
  let y = 1;
  let z = x;
  for (;;) {
    x *= x;
    const previous = z;
    z += x * y;
    y += y;
    if (previous === z) return z;
  }
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  for (;;) {
    x = Math.sqrt(x);
    const previous = z;
    y *= 0.5;
    z -= (1 - x) ** 2 * y;
    if (previous === z) return z / 3;
  }
}
