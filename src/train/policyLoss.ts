/**
 * The RL objective on the nano model, in jax-js: PPO's clipped surrogate on per-token log-probs, with an
 * optional k3 KL penalty toward the reference policy (Schulman's low-variance estimator, verl's
 * `low_var_kl`). Token-mean aggregation: `weights` carry 1 / (response tokens in the whole step), so the
 * loss of a step is the mean over every response token of every sample, whatever the micro-batching.
 *
 *   logp    = log softmax(logits / temperature + mask)[target]   per response token (mask: the ids
 *             the sampler suppresses, so these are the sampled distribution's log-probs)
 *   ratio   = exp(logp - old)                                    old: behaviour log-probs
 *   pg      = max(-A * ratio, -A * clip(ratio, 1 - eps_lo, 1 + eps_hi))
 *   kl      = exp(ref - logp) - (ref - logp) - 1                 (k3, >= 0)
 *   loss    = sum(weights * (pg + klCoef * kl))
 *
 * `old` is the trainer's own log-probs before the step's first update (verl recomputes them rather than
 * trusting the rollout engine's): with `selfOld` = 1 the loss uses stopGradient(logp) of this very
 * forward, which are exactly those values on the first update, so the first PPO epoch costs no extra
 * forward. Later epochs pass the stored values with `selfOld` = 0.
 */
import { jit, lax, nn, numpy as np, valueAndGrad } from '@jax-js/jax';
import type { ModelConfig } from '../model/config';
import { forwardText, type Params } from './model';

export interface PolicyLossConfig {
  /** PPO clip range below and above 1 (verl: clip_ratio_low / clip_ratio_high, both 0.2 by default). */
  clipLow: number;
  clipHigh: number;
  /** Logits are divided by the rollout temperature so the trainer's log-probs match the sampler's. */
  temperature: number;
}

/** One micro-batch; every [B, T] array is aligned with inputIds (position j predicts token j + 1). */
export type PolicyBatch = {
  patches: np.Array; // [B, Np, patchDim]
  inputIds: np.Array; // [B, T] int32
  targets: np.Array; // [B, T] int32: inputIds shifted left
  weights: np.Array; // [B, T] float32: token-mean weight on response positions, 0 elsewhere
  advantages: np.Array; // [B, T] float32: the sample's advantage on its response positions
  oldLogp: np.Array; // [B, T] float32: behaviour log-probs (ignored where selfOld = 1)
  selfOld: np.Array; // [] float32: 1 -> old = stopGradient(logp)
  refLogp: np.Array; // [B, T] float32: reference log-probs (pass old ones when klCoef = 0)
  klCoef: np.Array; // [] float32
  logitMask: np.Array; // [V] float32: -1e9 on ids the sampler never emits, else 0
};

/** Per-token numbers the host reduces into metrics (all without gradient). */
export type PolicyAux = {
  logp: np.Array; // [B, T]
  entropy: np.Array; // [B, T]
  clipped: np.Array; // [B, T] 1 where the clipped branch is the active one
  kl: np.Array; // [B, T]
};

/** Log-prob of each target and the entropy of each position's distribution, [B, T] each; consumes p. */
export function tokenLogprobs(
  c: ModelConfig,
  temperature: number,
  p: Params,
  patches: np.Array,
  inputIds: np.Array,
  targets: np.Array,
  logitMask: np.Array,
): [np.Array, np.Array] {
  const logits = forwardText(c, p, patches, inputIds); // [B, T, V]
  const scaled = temperature === 1 ? logits : logits.mul(1 / temperature);
  // The sampler's processors: suppressed ids get no mass, then softmax at the rollout temperature.
  const logpAll = nn.logSoftmax(scaled.add(logitMask), -1); // [B, T, V]
  const logp = logpAll.ref.mul(nn.oneHot(targets, c.vocabSize)).sum(-1); // [B, T]
  const entropy = np.exp(logpAll.ref).mul(logpAll).sum(-1).neg(); // [B, T]
  return [logp, entropy];
}

export function policyLoss(c: ModelConfig, lc: PolicyLossConfig, p: Params, b: PolicyBatch): [np.Array, PolicyAux] {
  const [logp, entropy] = tokenLogprobs(c, lc.temperature, p, b.patches, b.inputIds, b.targets, b.logitMask);
  const current = lax.stopGradient(logp.ref); // [B, T]
  // Off-response positions (prompt, padding) may target a masked id (log-prob -1e9): keep every
  // exponent there at 0, or exp() overflows to inf and inf * weight 0 poisons the loss with NaN.
  const live = np.greater(b.weights.ref, 0); // [B, T] bool
  const old = current.ref.mul(b.selfOld.ref).add(b.oldLogp.mul(b.selfOld.neg().add(1))); // [B, T]
  const ratio = np.exp(np.where(live.ref, logp.ref.sub(old), 0)); // [B, T]
  const negA = b.advantages.neg(); // [B, T]
  const pg1 = negA.ref.mul(ratio.ref);
  const pg2 = negA.mul(np.clip(ratio, 1 - lc.clipLow, 1 + lc.clipHigh));
  const clipped = np.greater(lax.stopGradient(pg2.ref), lax.stopGradient(pg1.ref)).astype(np.float32);
  const pg = np.maximum(pg1, pg2); // [B, T]
  const diff = np.where(live, b.refLogp.sub(logp), 0); // [B, T] ref - logp
  const kl = np.exp(diff.ref).sub(diff).sub(1); // [B, T] k3
  const perToken = pg.add(kl.ref.mul(b.klCoef)); // [B, T]
  const loss = perToken.mul(b.weights).sum();
  return [loss, { logp: current, entropy: lax.stopGradient(entropy), clipped, kl: lax.stopGradient(kl) }];
}

/** Compiled for one config and loss config; each compiles once per (B, T) shape. */
export function compilePolicy(c: ModelConfig, lc: PolicyLossConfig) {
  const lossAndGrad = jit(valueAndGrad((p: Params, b: PolicyBatch) => policyLoss(c, lc, p, b), { hasAux: true }));
  /** Log-probs of the targets under `p` (the reference model's, or any policy's): [B, T]. */
  const logprobs = jit((p: Params, patches: np.Array, inputIds: np.Array, targets: np.Array, logitMask: np.Array) => {
    const [logp, entropy] = tokenLogprobs(c, lc.temperature, p, patches, inputIds, targets, logitMask);
    entropy.dispose();
    return logp;
  });
  return { lossAndGrad, logprobs };
}
