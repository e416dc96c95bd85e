import { describe, expect, it } from 'vitest';
import type { EvalReport } from './evaluate';
import { mcnemarExact, pairedAgainstFirst, pairedCells, pairedComparison } from './paired';

const report = (policy: string, right: string, over: Partial<EvalReport> = {}): EvalReport => ({
  game: 'snake',
  policy,
  n: right.length,
  seed: 1000,
  accuracy: [...right].filter((c) => c === '1').length / right.length,
  format_rate: 1,
  mean_reward: 0,
  seconds: 0,
  right,
  ...over,
});

describe('mcnemarExact', () => {
  it('matches the binomial tail worked by hand', () => {
    // 6 fixed, 12 broken: 2 * sum_{i<=6} C(18, i) / 2^18 = 2 * 31180 / 262144.
    expect(mcnemarExact(6, 12)).toBeCloseTo((2 * 31180) / 262144, 12);
    expect(mcnemarExact(12, 6)).toBeCloseTo(mcnemarExact(6, 12), 12);
    // 0 of 5 one way: 2 / 32.
    expect(mcnemarExact(0, 5)).toBeCloseTo(2 / 32, 12);
  });

  it('is 1 for an even split or no disagreement, and stays finite for large counts', () => {
    expect(mcnemarExact(0, 0)).toBe(1);
    expect(mcnemarExact(7, 7)).toBe(1);
    const p = mcnemarExact(900, 1100);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-4);
  });
});

describe('pairedComparison', () => {
  it('pairs only reports of one held-out set: another length, class set or grid shares the seed, not the states', () => {
    expect(pairedComparison(report('a', '10'), report('b', '01'))).not.toBeNull();
    expect(pairedComparison(report('a', '10', { min_length: 8 }), report('b', '01', { min_length: 8 }))).not.toBeNull();
    expect(pairedComparison(report('a', '10'), report('b', '01', { min_length: 8 }))).toBeNull();
    expect(pairedComparison(report('a', '10', { min_length: 8 }), report('b', '01', { min_length: 12 }))).toBeNull();
    expect(pairedComparison(report('a', '10', { game: 'rotation' }), report('b', '01', { game: 'rotation', class_set: 'three' }))).toBeNull();
    expect(pairedComparison(report('a', '10', { game: 'jigsaw' }), report('b', '01', { game: 'jigsaw', grid: 3 }))).toBeNull();
  });

  it('counts fixed and broken states', () => {
    const c = pairedComparison(report('sft', '1100110'), report('rl', '1010111'));
    expect(c).toEqual({ base: 'sft', other: 'rl', n: 7, fixed: 2, broken: 1, bothRight: 3, bothWrong: 1, pValue: 1 });
  });

  it('refuses reports that are not on the same states, one answer each', () => {
    expect(pairedComparison(report('a', '10'), report('b', '10', { seed: 7 }))).toBeNull();
    expect(pairedComparison(report('a', '10'), report('b', '101'))).toBeNull();
    expect(pairedComparison(report('a', '10'), report('b', '21', { samples: 2 }))).toBeNull();
    const { right: _r, ...noDetail } = report('b', '10');
    expect(pairedComparison(report('a', '10'), noDetail)).toBeNull();
  });

  it('pairs every later report with the first, leaving out those that cannot be paired, and says them as text', () => {
    const rows = pairedAgainstFirst([report('sft', '1100'), report('rl', '0111'), report('other-seed', '1111', { seed: 9 })]);
    expect(rows.map((c) => [c.other, ...pairedCells(c)])).toEqual([['rl', '2', '1', '+1', '1.000']]);
    expect(pairedCells({ ...rows[0]!, fixed: 0, broken: 40, pValue: mcnemarExact(0, 40) }).slice(2)).toEqual(['-40', '<0.001']);
    expect(pairedAgainstFirst([])).toEqual([]);
  });
});
