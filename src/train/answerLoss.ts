/**
 * The exact policy gradient of answer-only RL (rl/answerOnly.ts), in jax-js. An answer-only sample is one
 * of four moves, so the trainer need not sample: it scores all four and weighs each by its probability,
 * which is the expectation of what a group of sampled answers estimates (the "expected policy gradient"
 * of Ciosek & Whiteson, 2018), without the sampling noise. The advantage is GRPO's, taken under the
 * policy itself instead of over G samples:
 *
 *   pi       = softmax(logits[last, moves] / temperature)           the four moves' probabilities
 *   rbar     = sum_a sg(pi_a) r_a                                   the expected reward (the baseline)
 *   sd       = sqrt(sum_a sg(pi_a) (r_a - rbar)^2)                  its spread under the policy
 *   A_a      = (r_a - rbar) / (sd + eps)                            GRPO's normalised advantage
 *   loss     = -sum_rows weight * (sum_a sg(pi_a) A_a log pi_a + entropyCoef * H(pi))   (sg: stop-gradient)
 *
 * Without the division by the spread the gradient of a confident policy vanishes (pi (1 - pi) -> 0) and
 * Adam, which rescales any gradient to its step size, drives it to a fixed move that no later step
 * changes; with it, a prompt the policy answers confidently and wrongly still pulls.
 *
 * `trainable` and `frozen` split the parameters: the gradient is taken for `trainable` only, so a run
 * that trains the top block alone pays for the backward pass through that block alone.
 */
import { jit, lax, nn, numpy as np, valueAndGrad } from '@jax-js/jax';
import type { ModelConfig } from '../model/config';
import { forwardText, type Params } from './model';

export type AnswerBatch = {
  patches: np.Array; // [B, Np, patchDim]
  inputIds: np.Array; // [B, T] int32, prompt + scaffold, right-padded
  last: np.Array; // [B, T] float32: 1 at the row's last prompt position (which predicts the move), else 0
  rewards: np.Array; // [B, 4] float32: each move's reward
  rowWeights: np.Array; // [B] float32: the row's share of the step's mean (0 for padding rows)
  moveSelect: np.Array; // [V, 4] float32: one-hot columns picking the four move ids out of the vocabulary
};

export type AnswerAux = {
  probs: np.Array; // [B, 4] the policy's move probabilities (no gradient)
  advantages: np.Array; // [B, 4]
};

export interface AnswerLossConfig {
  temperature: number;
  /** Added to the spread before dividing (a confident, right policy must not be pushed further without bound). */
  eps: number;
  /** Weight of the entropy bonus that keeps the four moves' distribution from collapsing (0: none). */
  entropyCoef: number;
}

/** The four moves' logits at each row's last prompt position: [B, 4]. Consumes p. */
function moveLogits(c: ModelConfig, p: Params, b: Pick<AnswerBatch, 'patches' | 'inputIds' | 'last' | 'moveSelect'>): np.Array {
  const logits = forwardText(c, p, b.patches, b.inputIds); // [B, T, V]
  const [B, T] = b.inputIds.shape as [number, number];
  const atLast = logits.mul(b.last.reshape([B, T, 1])).sum(1); // [B, V]
  return np.matmul(atLast, b.moveSelect); // [B, 4]
}

export function answerLoss(c: ModelConfig, lc: AnswerLossConfig, trainable: Params, frozen: Params, b: AnswerBatch): [np.Array, AnswerAux] {
  const logits = moveLogits(c, { ...frozen, ...trainable }, b);
  const logp = nn.logSoftmax(lc.temperature === 1 ? logits : logits.mul(1 / lc.temperature), -1); // [B, 4]
  const probs = lax.stopGradient(np.exp(logp.ref)); // [B, 4]
  const rbar = probs.ref.mul(b.rewards.ref).sum(-1, { keepdims: true }); // [B, 1]
  const centred = b.rewards.sub(rbar); // [B, 4]
  const sd = np.sqrt(probs.ref.mul(centred.ref.mul(centred.ref)).sum(-1, { keepdims: true })); // [B, 1]
  const advantages = centred.div(sd.add(lc.eps)); // [B, 4]
  const entropy = np.exp(logp.ref).mul(logp.ref).sum(-1).neg(); // [B], with gradient
  const perRow = probs.ref.mul(advantages.ref).mul(logp).sum(-1).add(entropy.mul(lc.entropyCoef)); // [B]
  const loss = perRow.mul(b.rowWeights).sum().neg();
  return [loss, { probs, advantages }];
}

/** Compiled once per config; each compiles once per (B, T) shape. */
export function compileAnswerLoss(c: ModelConfig, lc: AnswerLossConfig) {
  return jit(valueAndGrad((trainable: Params, frozen: Params, b: AnswerBatch) => answerLoss(c, lc, trainable, frozen, b), { hasAux: true }));
}

/** Which parameters a run trains: every one, or the top block with the final norm and the output layer. */
export function trainableNames(c: ModelConfig, names: readonly string[], which: 'all' | 'top'): string[] {
  if (which === 'all') return [...names];
  const top = `blocks.${c.nLayer - 1}.`;
  return names.filter((n) => n.startsWith(top) || n.startsWith('ln_f.') || n.startsWith('lm_head.'));
}
