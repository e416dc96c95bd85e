import { describe, expect, it } from 'vitest';
import { deriveSeed, mix32, Rng } from './rng';
import { baseForDerivedSeed, unmix32 } from './rng.testkit';

describe('deriveSeed', () => {
  it('nearby bases give unrelated streams: seeds 1 and 2 share no derived seed over 10,000 indices', () => {
    // The old deriveSeed depended only on base ^ index, so these two sets were equal.
    const one = new Set(Array.from({ length: 10_000 }, (_, i) => deriveSeed(1, i)));
    const two = Array.from({ length: 10_000 }, (_, i) => deriveSeed(2, i));
    expect(two.filter((s) => one.has(s))).toEqual([]);
    expect(one.size).toBe(10_000);
  });

  it('is not a function of base ^ index (nor base + index)', () => {
    expect(deriveSeed(1, 3)).not.toBe(deriveSeed(3, 1));
    expect(deriveSeed(1, 3)).not.toBe(deriveSeed(2, 2));
    expect(deriveSeed(0, 5)).not.toBe(deriveSeed(5, 0));
  });

  it('flips about half the output bits when one base bit flips (avalanche)', () => {
    let flipped = 0,
      trials = 0;
    for (let base = 0; base < 200; base++) {
      for (let bit = 0; bit < 32; bit++) {
        const x = deriveSeed(base, 7) ^ deriveSeed((base ^ (1 << bit)) >>> 0, 7);
        flipped += popcount(x >>> 0);
        trials++;
      }
    }
    expect(flipped / trials).toBeGreaterThan(15);
    expect(flipped / trials).toBeLessThan(17);
  });

  it('refuses non-finite input instead of silently using 0', () => {
    expect(() => deriveSeed(Number.NaN, 1)).toThrow(/finite/);
    expect(() => deriveSeed(1, Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });

  it('the test kit inverts it (used to build streams that meet on purpose)', () => {
    const rng = new Rng(5);
    for (let k = 0; k < 100; k++) {
      const x = rng.nextUint32();
      expect(unmix32(mix32(x))).toBe(x);
      const index = rng.int(1 << 20);
      expect(deriveSeed(baseForDerivedSeed(x, index), index)).toBe(x);
    }
  });
});

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v >>>= 1) n += v & 1;
  return n;
}
