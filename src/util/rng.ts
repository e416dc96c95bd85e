/**
 * The one seeded random generator of the project. Every random choice below `store/` takes an `Rng`
 * passed in; nothing calls `Math.random`. sfc32 seeded through splitmix32: fast, 32-bit state words,
 * identical sequences in Node and every browser.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Rng seed must be a finite number, got ${seed}`);
    let s = Math.trunc(seed) >>> 0;
    const splitmix = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`Rng.int needs a positive integer bound, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi] inclusive. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick on an empty list');
    return items[this.int(items.length)] as T;
  }

  /** Fisher-Yates, in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** A new independent generator derived from this one (for sub-streams that must not shift others). */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }
}

/** murmur3's 32-bit finaliser: a bijection on 32-bit words in which every input bit flips about half the output bits. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Derives a stable 32-bit seed from a base seed and an index (sample i of a dataset, game g of a match).
 * The base is mixed on its own first, then combined with the index and mixed again: nearby bases (1 and 2,
 * 1000 and 1001) give unrelated streams, and for one base distinct indices give distinct seeds (the outer
 * mix is a bijection). An earlier version combined base and index before mixing, so the result depended
 * only on `base ^ index` and the streams of bases 1 and 2 were the same seeds reordered.
 * Named streams of the project go through `src/util/streams.ts`.
 */
export function deriveSeed(base: number, index: number): number {
  if (!Number.isFinite(base) || !Number.isFinite(index)) throw new Error(`deriveSeed needs finite numbers, got ${base} and ${index}`);
  const b = mix32((Math.trunc(base) >>> 0) ^ 0x5bd1e995);
  return mix32((b + Math.imul(Math.trunc(index) >>> 0, 0x9e3779b9)) >>> 0);
}
