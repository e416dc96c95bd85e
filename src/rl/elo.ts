/**
 * Elo ratings over head-to-head games.
 *
 * Each game moves both players' ratings by K times the surprise of its result:
 *   expected(A) = 1 / (1 + 10^((R_B - R_A) / 400))
 *   R_A += K * (S_A - expected(A)),  R_B += K * (S_B - expected(B)),  S = 1 win, 0.5 tie, 0 loss
 * Every player starts at ELO_INITIAL (1000, as LMSYS's Chatbot Arena); K = ELO_K (32, the usual value for
 * players with few games: an evaluation plays tens of games per policy, not thousands).
 *
 * Elo is sequential: the same games in another order give (slightly) different ratings, because each
 * update uses the ratings left by the games before it. So the order is fixed, and documented: matches in
 * the order of the record (the suite's round robin: pairs (i, j), i < j, in the order the policies were
 * listed, seat 1 then seat 2), games within a match in the order they were played. What does not depend
 * on order: the sum of all ratings (every update is zero-sum), the W/T/L counts, and the interleaving of
 * games between disjoint pairs of players (they touch different ratings).
 */
import type { EloRow } from '../records/types';

export const ELO_INITIAL = 1000;
export const ELO_K = 32;

/** One game's result from `a`'s side: 1 = a won, 0.5 = tie, 0 = b won. */
export interface EloGame {
  a: string;
  b: string;
  score: 0 | 0.5 | 1;
}

export interface EloOptions {
  k?: number;
  initial?: number;
  /** Players to list even when they played no game (they keep the initial rating). */
  players?: readonly string[];
}

/** The expected score of a player rated `ra` against one rated `rb` (the logistic curve, base 10, scale 400). */
export function expectedScore(ra: number, rb: number): number {
  return 1 / (1 + 10 ** ((rb - ra) / 400));
}

/** Ratings after `games`, applied in order; rows sorted by rating, best first (ties by name). */
export function eloRatings(games: Iterable<EloGame>, opts: EloOptions = {}): EloRow[] {
  const k = opts.k ?? ELO_K;
  const initial = opts.initial ?? ELO_INITIAL;
  const rows = new Map<string, EloRow>();
  const row = (policy: string): EloRow => {
    let r = rows.get(policy);
    if (!r) rows.set(policy, (r = { policy, rating: initial, games: 0, wins: 0, ties: 0, losses: 0 }));
    return r;
  };
  for (const p of opts.players ?? []) row(p);
  for (const g of games) {
    if (g.a === g.b) throw new Error(`elo: a game needs two different players, got '${g.a}' twice`);
    if (g.score !== 0 && g.score !== 0.5 && g.score !== 1) throw new Error(`elo: score must be 0, 0.5 or 1, got ${String(g.score)}`);
    const a = row(g.a);
    const b = row(g.b);
    const delta = k * (g.score - expectedScore(a.rating, b.rating));
    a.rating += delta;
    b.rating -= delta; // expected(B) = 1 - expected(A) and S_B = 1 - S_A: the update is zero-sum
    a.games++;
    b.games++;
    if (g.score === 1) {
      a.wins++;
      b.losses++;
    } else if (g.score === 0) {
      a.losses++;
      b.wins++;
    } else {
      a.ties++;
      b.ties++;
    }
  }
  return [...rows.values()].sort((x, y) => y.rating - x.rating || x.policy.localeCompare(y.policy));
}
