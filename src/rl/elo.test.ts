import { describe, expect, it } from 'vitest';
import { ELO_INITIAL, ELO_K, eloRatings, expectedScore, type EloGame } from './elo';

const g = (a: string, b: string, score: EloGame['score']): EloGame => ({ a, b, score });
const rating = (rows: ReturnType<typeof eloRatings>, p: string) => rows.find((r) => r.policy === p)?.rating;
const total = (rows: ReturnType<typeof eloRatings>) => rows.reduce((s, r) => s + r.rating, 0);

describe('Elo', () => {
  it('the expected score is 1/2 between equals, ~0.76 at +200, and the two sides sum to 1', () => {
    expect(expectedScore(1000, 1000)).toBe(0.5);
    expect(expectedScore(1200, 1000)).toBeCloseTo(0.7597, 4); // 1 / (1 + 10^-0.5)
    expect(expectedScore(1200, 1000) + expectedScore(1000, 1200)).toBeCloseTo(1, 12);
  });

  it('equal players: a tie changes nothing, a win moves K/2 = 16 points each way', () => {
    const tie = eloRatings([g('A', 'B', 0.5)]);
    expect(tie.map((r) => r.rating)).toEqual([ELO_INITIAL, ELO_INITIAL]);
    expect(tie.map((r) => [r.policy, r.ties])).toEqual([
      ['A', 1],
      ['B', 1],
    ]);
    const win = eloRatings([g('A', 'B', 1)]);
    expect(rating(win, 'A')).toBe(ELO_INITIAL + ELO_K / 2);
    expect(rating(win, 'B')).toBe(ELO_INITIAL - ELO_K / 2);
    expect(win[0]).toMatchObject({ policy: 'A', games: 1, wins: 1, ties: 0, losses: 0 });
    expect(win[1]).toMatchObject({ policy: 'B', games: 1, wins: 0, ties: 0, losses: 1 });
  });

  it('a sweep: each further win is worth less, the winner rises monotonically, the total is conserved', () => {
    let prev = ELO_INITIAL;
    let prevGain = Infinity;
    for (let n = 1; n <= 10; n++) {
      const rows = eloRatings(Array.from({ length: n }, () => g('A', 'B', 1)));
      const a = rating(rows, 'A')!;
      expect(a - prev).toBeLessThan(prevGain);
      expect(a).toBeGreaterThan(prev);
      expect(total(rows)).toBeCloseTo(2 * ELO_INITIAL, 9);
      prevGain = a - prev;
      prev = a;
    }
    // Second win: A at 1016 vs 984 expects 1/(1+10^(-32/400)) = 0.5460, so gains 32 * 0.4540 = 14.53.
    const two = eloRatings([g('A', 'B', 1), g('A', 'B', 1)]);
    expect(rating(two, 'A')).toBeCloseTo(1016 + 14.528, 2);
    expect(prev).toBeLessThan(ELO_INITIAL + (10 * ELO_K) / 2);
  });

  it('a game read from the other side gives the same ratings', () => {
    expect(eloRatings([g('A', 'B', 1), g('B', 'C', 0.5)])).toEqual(eloRatings([g('B', 'A', 0), g('C', 'B', 0.5)]));
  });

  it('is sequential: the same games in another order give other ratings (so the order is fixed)', () => {
    // Win then loss: A 1016, then expects 0.5460 and loses 17.47 -> 998.53. Loss then win: 984, then gains 17.47 -> 1001.47.
    const winLoss = eloRatings([g('A', 'B', 1), g('A', 'B', 0)]);
    const lossWin = eloRatings([g('A', 'B', 0), g('A', 'B', 1)]);
    expect(rating(winLoss, 'A')).toBeCloseTo(998.53, 2);
    expect(rating(lossWin, 'A')).toBeCloseTo(1001.47, 2);
    // ...but counts and the zero-sum total do not depend on order.
    expect(winLoss.map(({ rating: _r, ...c }) => c).sort((x, y) => x.policy.localeCompare(y.policy))).toEqual(
      lossWin.map(({ rating: _r, ...c }) => c).sort((x, y) => x.policy.localeCompare(y.policy)),
    );
    expect(total(winLoss)).toBeCloseTo(total(lossWin), 9);
  });

  it('games between disjoint pairs commute: any interleaving gives the same ratings', () => {
    const ab = [g('A', 'B', 1), g('A', 'B', 0.5), g('B', 'A', 1)];
    const cd = [g('C', 'D', 0), g('D', 'C', 1)];
    const base = eloRatings([...ab, ...cd]);
    expect(eloRatings([...cd, ...ab])).toEqual(base);
    expect(eloRatings([cd[0]!, ab[0]!, ab[1]!, cd[1]!, ab[2]!])).toEqual(base);
  });

  it('lists named players without games at the initial rating; K and the start are options', () => {
    const rows = eloRatings([g('A', 'B', 1)], { players: ['A', 'B', 'Z'], k: 16, initial: 1500 });
    expect(rows.map((r) => [r.policy, r.rating, r.games])).toEqual([
      ['A', 1508, 1],
      ['Z', 1500, 0],
      ['B', 1492, 1],
    ]);
  });

  it('refuses self-play and scores other than 0, 1/2, 1', () => {
    expect(() => eloRatings([g('A', 'A', 1)])).toThrow(/two different players/);
    expect(() => eloRatings([{ a: 'A', b: 'B', score: 2 as 1 }])).toThrow(/0, 0.5 or 1/);
  });
});
