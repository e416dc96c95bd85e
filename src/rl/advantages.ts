/**
 * Advantage estimators for group-sampled RL (one prompt, G sampled responses, one scalar reward each).
 * Rewards arrive flattened group by group: rewards[g * G + i] is sample i of group g.
 *
 *   GRPO (DeepSeekMath; verl `grpo`): A_i = (r_i - mean(r)) / (std(r) + eps), std the group's sample
 *        std (see the note below).
 *   RLOO (Ahmadian et al. 2024; ViGaL's choice): A_i = r_i - mean_{j != i} r_j
 *        = G / (G - 1) * (r_i - mean(r)).
 *
 * A group whose rewards are all equal carries no learning signal under either estimator: every
 * advantage is exactly 0 (GRPO divides 0 by eps, not by 0). `frac_reward_zero_std` counts those groups.
 *
 * Note on GRPO's std: verl uses torch.std (unbiased, n - 1) and TRL the same; we follow them, so a
 * group's advantages match what the cluster engines compute for the same rewards.
 */
export type AdvantageEstimator = 'grpo' | 'rloo';
export const ADVANTAGE_ESTIMATORS: readonly AdvantageEstimator[] = ['grpo', 'rloo'];

export interface AdvantageOptions {
  /** GRPO: divide by the group's std (default true; Dr. GRPO turns it off). */
  normalizeByStd?: boolean;
  /** GRPO: added to the std (default 1e-6, verl's epsilon). */
  eps?: number;
}

export function computeAdvantages(estimator: AdvantageEstimator, rewards: readonly number[], groupSize: number, opts: AdvantageOptions = {}): Float64Array {
  if (!Number.isInteger(groupSize) || groupSize < 2) {
    throw new Error(`advantages: group size must be an integer >= 2 (a baseline needs other samples), got ${groupSize}`);
  }
  if (rewards.length % groupSize !== 0) {
    throw new Error(`advantages: ${rewards.length} rewards do not split into groups of ${groupSize}`);
  }
  const eps = opts.eps ?? 1e-6;
  const byStd = opts.normalizeByStd ?? true;
  const out = new Float64Array(rewards.length);
  for (let g = 0; g < rewards.length; g += groupSize) {
    const group = rewards.slice(g, g + groupSize);
    for (const r of group) if (!Number.isFinite(r)) throw new Error(`advantages: reward ${r} in group ${g / groupSize} is not finite`);
    // An all-equal group is exactly 0 (the float mean of six 1.1s is not exactly 1.1).
    if (group.every((r) => r === group[0])) continue;
    const mean = group.reduce((a, b) => a + b, 0) / groupSize;
    if (estimator === 'rloo') {
      const scale = groupSize / (groupSize - 1);
      group.forEach((r, i) => (out[g + i] = scale * (r - mean)));
    } else {
      const variance = group.reduce((a, r) => a + (r - mean) ** 2, 0) / (groupSize - 1);
      const denom = byStd ? Math.sqrt(variance) + eps : 1;
      group.forEach((r, i) => (out[g + i] = (r - mean) / denom));
    }
  }
  return out;
}

/** Share of groups whose rewards are all equal (no signal): TRL's `frac_reward_zero_std`. */
export function fracRewardZeroStd(rewards: readonly number[], groupSize: number): number {
  let zero = 0;
  const groups = rewards.length / groupSize;
  for (let g = 0; g < rewards.length; g += groupSize) {
    const first = rewards[g];
    let same = true;
    for (let i = 1; i < groupSize; i++) if (rewards[g + i] !== first) same = false;
    if (same) zero++;
  }
  return groups > 0 ? zero / groups : 0;
}
