import { describe, expect, it } from 'vitest';
import { advantageColor, inkOn, logprobColor, MAX_SURPRISE, maxAbsAdvantage, tickLabels, TRAIN_CHARTS, yRange } from './trainScale';

describe('advantage colours', () => {
  it.each([
    // [advantage, maxAbs, colour]: white at 0, full green/red at +-maxAbs, halfway mixes, saturation past it.
    [0, 1, 'rgb(255, 255, 255)'],
    [1, 1, 'rgb(46, 160, 90)'],
    [-1, 1, 'rgb(210, 60, 50)'],
    [0.5, 1, 'rgb(151, 208, 173)'],
    [-3, 1, 'rgb(210, 60, 50)'],
    [0.6, 1.2, 'rgb(151, 208, 173)'],
    [Number.NaN, 1, 'rgb(255, 255, 255)'],
    [0.5, 0, 'rgb(151, 208, 173)'],
  ])('advantage %d of max %d is %s', (a, m, c) => expect(advantageColor(a, m)).toBe(c));
});

describe('log-prob colours', () => {
  it.each([
    [0, 'rgb(255, 255, 255)'],
    [-MAX_SURPRISE, 'rgb(232, 110, 40)'],
    [-MAX_SURPRISE / 2, 'rgb(244, 183, 148)'],
    [-50, 'rgb(232, 110, 40)'],
    [0.1, 'rgb(255, 255, 255)'],
  ])('log-prob %d is %s', (lp, c) => expect(logprobColor(lp)).toBe(c));
});

describe('helpers', () => {
  it('picks white ink only on dark backgrounds', () => {
    expect(inkOn('rgb(255, 255, 255)')).toBe('#1d2430');
    expect(inkOn('rgb(46, 100, 60)')).toBe('#ffffff');
    expect(inkOn('not a colour')).toBe('#1d2430');
  });
  it('finds the largest |advantage|, ignoring non-finite ones', () => {
    expect(maxAbsAdvantage([{ samples: [{ advantage: 0.3 }, { advantage: -1.5 }] }, { samples: [{ advantage: Number.NaN }] }])).toBe(1.5);
    expect(maxAbsAdvantage([])).toBe(1e-6);
  });
  it('charts the six metrics the issue names', () => {
    expect(TRAIN_CHARTS.map((c) => c.key)).toEqual(['reward', 'accuracy', 'format_rate', 'kl', 'entropy', 'completions/mean_length']);
  });
});

describe('chart y ranges', () => {
  it.each([
    // Rates and reward: fixed, widened only if data leaves them.
    ['reward', 0, 0, [0, 1.1]],
    ['accuracy', 0.2, 0.4, [0, 1]],
    ['format_rate', null, null, [0, 1]],
    // Others fit their data with 10% padding; a flat series gets a small band, not 0..100.
    ['kl', 0, 0.1, [-0.01, 0.11]],
    ['entropy', 5, 5, [4.75, 5.25]],
    ['kl', 0, 0, [-0.001, 0.001]],
    ['entropy', null, null, [0, 1]],
  ] as const)('%s over [%s, %s] -> %j', (metric, min, max, range) => {
    const [lo, hi] = yRange(metric, min, max);
    expect(lo).toBeCloseTo(range[0], 10);
    expect(hi).toBeCloseTo(range[1], 10);
  });
});

describe('tick labels', () => {
  it.each([
    [
      [0, 0.5, 1],
      ['0.0', '0.5', '1.0'],
    ],
    [
      [10, 20, 30],
      ['10', '20', '30'],
    ],
    [
      [5.4439, 5.444, 5.4441],
      ['5.4439', '5.4440', '5.4441'],
    ],
    [[1], ['1']],
    // A KL axis: short exponent labels, never "0.00010" (its leading digit was cut off by the axis).
    [
      [0, 0.00005, 0.0001, 0.00015],
      ['0', '0.5e-4', '1.0e-4', '1.5e-4'],
    ],
    [
      [0.0002, 0.0004, 0.0006],
      ['2e-4', '4e-4', '6e-4'],
    ],
  ])('%j -> %j', (splits, labels) => expect(tickLabels(splits)).toEqual(labels));
});
