/**
 * Two policies on the same held-out states, compared state by state: which of the first one's mistakes
 * the second fixes and which of its right answers it breaks, with McNemar's exact test on those two
 * counts. Aggregate accuracy hides this: an RL checkpoint can fix some answers and break as many others,
 * and on a few hundred states a difference of a few points is often within noise.
 */
import type { EvalReport } from './evaluate';
import { heldOutSetOf, sameHeldOutSet } from './heldOutSets';

export interface PairedComparison {
  /** The baseline policy and the compared one. */
  base: string;
  other: string;
  n: number;
  /** States the baseline got wrong and the other right (and the reverse). */
  fixed: number;
  broken: number;
  bothRight: number;
  bothWrong: number;
  /** Two-sided exact McNemar p-value: how likely a split at least this uneven is if neither is better. */
  pValue: number;
}

/**
 * Null when the two reports cannot be paired: different game, seed, set or states, per-state results missing,
 * or more than one answer per state (then each state's result is a rate, not right or wrong).
 */
export function pairedComparison(base: EvalReport, other: EvalReport): PairedComparison | null {
  if (base.game !== other.game || base.seed !== other.seed || base.n !== other.n) return null;
  // A long-snake, other-class or other-grid set shares the seed but not the states.
  if (!sameHeldOutSet(heldOutSetOf(base), heldOutSetOf(other))) return null;
  if ((base.samples ?? 1) !== 1 || (other.samples ?? 1) !== 1) return null;
  if (base.right === undefined || other.right === undefined || base.right.length !== base.n || other.right.length !== other.n) return null;
  let fixed = 0,
    broken = 0,
    bothRight = 0,
    bothWrong = 0;
  for (let i = 0; i < base.n; i++) {
    const a = base.right[i] === '1';
    const b = other.right[i] === '1';
    if (a && b) bothRight++;
    else if (a) broken++;
    else if (b) fixed++;
    else bothWrong++;
  }
  return { base: base.policy, other: other.policy, n: base.n, fixed, broken, bothRight, bothWrong, pValue: mcnemarExact(fixed, broken) };
}

/** Every report after the first, paired with the first (those that cannot be paired are left out). */
export function pairedAgainstFirst(reports: readonly EvalReport[]): PairedComparison[] {
  const [first, ...rest] = reports;
  return first ? rest.flatMap((r) => pairedComparison(first, r) ?? []) : [];
}

/** A comparison's numbers as people read them: fixed, broken, signed net, p ('<0.001' when tiny). */
export function pairedCells(c: PairedComparison): [fixed: string, broken: string, net: string, p: string] {
  const net = c.fixed - c.broken;
  return [String(c.fixed), String(c.broken), `${net >= 0 ? '+' : ''}${net}`, c.pValue < 0.001 ? '<0.001' : c.pValue.toFixed(3)];
}

/** Two-sided exact McNemar test: P(a Binomial(b + c, 1/2) count is as far from even as min(b, c)). */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // Sum C(n, i) / 2^n for i <= k in log space (n can be in the thousands).
  let logC = 0; // log C(n, 0)
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log((n - i + 1) / i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}
