import { describe, expect, it } from 'vitest';
import { computeAdvantages, fracRewardZeroStd } from './advantages';

// 5 digits: GRPO adds eps = 1e-6 to the std.
const close = (a: ArrayLike<number>, b: number[]) => b.forEach((v, i) => expect(a[i]).toBeCloseTo(v, 5));

describe('RLOO advantages', () => {
  it('subtract the mean of the other samples of the same group', () => {
    // Sample 0: 1 - mean(0, 0, 0) = 1; the others: 0 - mean(1, 0, 0) = -1/3.
    close(computeAdvantages('rloo', [1, 0, 0, 0], 4), [1, -1 / 3, -1 / 3, -1 / 3]);
    // Two groups are independent: the second group's baseline ignores the first.
    close(computeAdvantages('rloo', [1.1, 0.1, 0.1, 0.1], 2), [1, -1, 0, 0]);
  });
  it('sum to zero within a group', () => {
    const a = computeAdvantages('rloo', [1.1, 0.1, 0, 1.1, 1.1, 0.1], 6);
    expect(a.reduce((x, y) => x + y, 0)).toBeCloseTo(0, 12);
  });
  it('are exactly zero for an all-equal group', () => {
    expect([...computeAdvantages('rloo', [1.1, 1.1, 1.1, 0, 0, 0], 3)]).toEqual([0, 0, 0, 0, 0, 0]);
    // Six 1.1s: their float mean is not exactly 1.1, the advantages must still be exactly 0.
    expect([...computeAdvantages('rloo', Array(6).fill(1.1), 6)]).toEqual(Array(6).fill(0));
    expect([...computeAdvantages('grpo', Array(6).fill(0.1), 6)]).toEqual(Array(6).fill(0));
  });
});

describe('GRPO advantages', () => {
  it('normalise by the group mean and sample std', () => {
    // mean 0.5, sample std sqrt(0.5) -> +-0.7071.
    close(computeAdvantages('grpo', [1, 0], 2), [Math.SQRT1_2, -Math.SQRT1_2]);
    // [1.1, 0.1, 0.1]: mean 0.4333, deviations 0.6667, -0.3333, -0.3333; sample var 0.3333, std 0.5774.
    close(computeAdvantages('grpo', [1.1, 0.1, 0.1], 3), [2 / Math.sqrt(3), -1 / Math.sqrt(3), -1 / Math.sqrt(3)]);
  });
  it('are exactly zero for an all-equal group (eps, not 0/0)', () => {
    const a = computeAdvantages('grpo', [0.1, 0.1, 0.1, 0.1], 4);
    expect([...a]).toEqual([0, 0, 0, 0]);
    expect(a.every(Number.isFinite)).toBe(true);
  });
  it('without std normalisation are the centred rewards (Dr. GRPO)', () => {
    close(computeAdvantages('grpo', [1, 0, 0, 0], 4, { normalizeByStd: false }), [0.75, -0.25, -0.25, -0.25]);
  });
});

describe('argument checks', () => {
  it('reject a group size below 2, ragged groups and non-finite rewards', () => {
    expect(() => computeAdvantages('rloo', [1], 1)).toThrow(/group size/);
    expect(() => computeAdvantages('grpo', [1, 0, 1], 2)).toThrow(/do not split/);
    expect(() => computeAdvantages('grpo', [1, NaN], 2)).toThrow(/not finite/);
  });
});

describe('frac_reward_zero_std', () => {
  it('counts groups whose rewards are all equal', () => {
    // Groups [1,1], [0,1], [0,0], [0.1,0.1]: three of four carry no signal.
    expect(fracRewardZeroStd([1, 1, 0, 1, 0, 0, 0.1, 0.1], 2)).toBe(0.75);
    expect(fracRewardZeroStd([1, 0, 0, 1], 4)).toBe(0);
  });
});
