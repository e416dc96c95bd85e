/**
 * AdamW for the nano model, on host arrays (Float32Array per parameter): at ~1M parameters the update
 * costs a few milliseconds in plain TypeScript next to a ~1 s forward/backward, and keeping it on the
 * host makes the optimizer state trivially checkpointable, the NaN/inf guard exact and the whole
 * update bit-for-bit deterministic (same on resume, same in Node and the browser).
 *
 * Pieces, in the order a training step uses them:
 *   learningRate(step)       warm-up + cosine schedule, a pure function of the step
 *   GradAccumulator          sums micro-batch gradients (gradient accumulation)
 *   globalNorm / clip        global-norm gradient clipping
 *   adamwStep                the guarded update: skips (and says why) on a non-finite loss or gradient
 */
import type { HostParams } from './model';

export interface OptimConfig {
  /** Peak learning rate, reached at the end of warm-up. */
  lr: number;
  /** Floor of the cosine decay (nanoGPT uses lr / 10). */
  minLr: number;
  /** Linear warm-up steps (from lr / (warmup + 1) up to lr). */
  warmupSteps: number;
  /** Step at which the cosine reaches minLr (usually the run's total steps); constant minLr after. */
  decaySteps: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Decoupled weight decay, applied only where `decays(name)` says so. */
  weightDecay: number;
  /** Max global gradient norm; 0 disables clipping. */
  gradClip: number;
}

/** nanoGPT's defaults for small models (beta2 0.99 as in its shakespeare-char config). */
export const DEFAULT_OPTIM: OptimConfig = {
  lr: 1e-3,
  minLr: 1e-4,
  warmupSteps: 50,
  decaySteps: 1000,
  beta1: 0.9,
  beta2: 0.99,
  eps: 1e-8,
  weightDecay: 0.1,
  gradClip: 1.0,
};

/**
 * Learning rate for a step (0-based). Warm-up as nanoGPT: lr * (step + 1) / (warmup + 1); then cosine
 * from lr to minLr over [warmup, decaySteps]; minLr afterwards.
 */
export function learningRate(step: number, c: OptimConfig): number {
  if (step < c.warmupSteps) return (c.lr * (step + 1)) / (c.warmupSteps + 1);
  if (step >= c.decaySteps) return c.minLr;
  const ratio = (step - c.warmupSteps) / Math.max(1, c.decaySteps - c.warmupSteps);
  const coeff = 0.5 * (1 + Math.cos(Math.PI * ratio)); // 1 -> 0
  return c.minLr + coeff * (c.lr - c.minLr);
}

/**
 * Which parameters get weight decay: the linear layers' weight matrices only. Biases, LayerNorm gains
 * and the embedding tables (tokens, positions) do not, as the brief asks (nanoGPT decays every >=2-D
 * tensor, embeddings included; decaying a rarely used token's row toward 0 only hurts it here).
 */
export function decays(name: string): boolean {
  if (!name.endsWith('.weight')) return false;
  if (name === 'tok_embed.weight' || name === 'pos_embed.weight') return false;
  return !/(^|\.)ln(1|2|_f)\.weight$/.test(name) && name !== 'ln_f.weight';
}

export interface OptimState {
  /** Updates applied so far (Adam's t; skipped steps do not count). */
  t: number;
  m: HostParams;
  v: HostParams;
}

export function initOptimState(params: HostParams): OptimState {
  const m: HostParams = {};
  const v: HostParams = {};
  for (const [name, p] of Object.entries(params)) {
    m[name] = new Float32Array(p.length);
    v[name] = new Float32Array(p.length);
  }
  return { t: 0, m, v };
}

/** sqrt(sum of squares) over every gradient tensor; NaN/inf propagate (the guard relies on it). */
export function globalNorm(grads: HostParams): number {
  let s = 0;
  for (const g of Object.values(grads)) for (let i = 0; i < g.length; i++) s += (g[i] as number) * (g[i] as number);
  return Math.sqrt(s);
}

/** Sums micro-batch gradients; `mean()` gives their average (the gradient of the mean loss). */
export class GradAccumulator {
  private sum: HostParams | null = null;
  private count = 0;
  private lossSum = 0;

  add(grads: HostParams, loss: number): void {
    if (this.sum === null) {
      this.sum = {};
      for (const [name, g] of Object.entries(grads)) this.sum[name] = Float32Array.from(g);
    } else {
      for (const [name, g] of Object.entries(grads)) {
        const acc = this.sum[name];
        if (acc === undefined || acc.length !== g.length) throw new Error(`GradAccumulator: gradient '${name}' changed shape between micro-batches`);
        for (let i = 0; i < g.length; i++) acc[i] = (acc[i] as number) + (g[i] as number);
      }
    }
    this.count++;
    this.lossSum += loss;
  }

  get micro(): number {
    return this.count;
  }

  /** Average gradient and loss over the micro-batches added since the last call; resets. */
  mean(): { grads: HostParams; loss: number } {
    if (this.sum === null || this.count === 0) throw new Error('GradAccumulator.mean() called before any add()');
    const grads = this.sum;
    const inv = 1 / this.count;
    for (const g of Object.values(grads)) for (let i = 0; i < g.length; i++) g[i] = (g[i] as number) * inv;
    const loss = this.lossSum * inv;
    this.sum = null;
    this.count = 0;
    this.lossSum = 0;
    return { grads, loss };
  }
}

export interface StepReport {
  /** False when the NaN/inf guard skipped the update; params and state are then untouched. */
  applied: boolean;
  /** Why the update was skipped (names the first bad value and where). */
  skipReason?: string;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** Factor the gradient was scaled by (1 when under the clip). */
  clipScale: number;
  lr: number;
}

/**
 * One guarded AdamW update, in place on `params` and `state`:
 * 1. guard: a non-finite loss or gradient norm skips the whole update (reported, never silent);
 * 2. clip the gradient to `gradClip` global norm;
 * 3. decoupled weight decay p -= lr * wd * p (only where `decays`), then the bias-corrected Adam step.
 */
export function adamwStep(params: HostParams, grads: HostParams, state: OptimState, lr: number, c: OptimConfig, loss = 0): StepReport {
  const gradNorm = globalNorm(grads);
  if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
    const what = !Number.isFinite(loss) ? `loss is ${loss}` : `gradient norm is ${gradNorm} (first bad tensor: ${firstNonFinite(grads)})`;
    return { applied: false, skipReason: `non-finite update skipped: ${what}`, gradNorm, clipScale: 1, lr };
  }
  const clipScale = c.gradClip > 0 && gradNorm > c.gradClip ? c.gradClip / gradNorm : 1;
  const t = state.t + 1;
  const bc1 = 1 - c.beta1 ** t;
  const bc2 = 1 - c.beta2 ** t;
  for (const [name, p] of Object.entries(params)) {
    const g = grads[name];
    const m = state.m[name];
    const v = state.v[name];
    if (g === undefined || m === undefined || v === undefined) throw new Error(`adamwStep: no gradient or state for parameter '${name}'`);
    const decay = decays(name) ? 1 - lr * c.weightDecay : 1;
    for (let i = 0; i < p.length; i++) {
      const gi = (g[i] as number) * clipScale;
      const mi = c.beta1 * (m[i] as number) + (1 - c.beta1) * gi;
      const vi = c.beta2 * (v[i] as number) + (1 - c.beta2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] = (p[i] as number) * decay - (lr * (mi / bc1)) / (Math.sqrt(vi / bc2) + c.eps);
    }
  }
  state.t = t;
  return { applied: true, gradNorm, clipScale, lr };
}

function firstNonFinite(grads: HostParams): string {
  for (const [name, g] of Object.entries(grads)) {
    for (let i = 0; i < g.length; i++) if (!Number.isFinite(g[i])) return `${name}[${i}] = ${g[i]}`;
  }
  return 'none (the sum of squares overflowed)';
}
