/**
 * Logits processors and token choice: pure functions over one row of logits (Float32Array [vocab]),
 * applied in order temperature -> top-k -> top-p, then greedy argmax or a seeded draw.
 */
import type { Rng } from '../util/rng';

export interface SamplingOptions {
  /** 0 or undefined = greedy. Otherwise logits are divided by it before sampling. */
  temperature?: number;
  /** Keep the smallest set of tokens whose probability mass reaches topP (1 = off). */
  topP?: number;
  /** Keep the topK most likely tokens (0 = off). */
  topK?: number;
}

export const isGreedy = (o: SamplingOptions): boolean => !o.temperature || o.temperature <= 0;

/** Index of the largest value; the lowest index wins ties, so greedy decoding is deterministic. */
export function argmax(x: ArrayLike<number>): number {
  let best = 0;
  let bestV = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v > bestV) {
      bestV = v;
      best = i;
    }
  }
  return best;
}

/** Softmax of `logits / temperature` in float64, with -Infinity entries at probability 0. */
export function softmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const p = new Float64Array(logits.length);
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, (logits[i] as number) / temperature);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp((logits[i] as number) / temperature - max);
    p[i] = e;
    sum += e;
  }
  for (let i = 0; i < p.length; i++) p[i] = (p[i] as number) / sum;
  return p;
}

/** log softmax(logits / temperature)[index], in float64 (-Infinity entries contribute nothing). */
export function logSoftmaxAt(logits: ArrayLike<number>, index: number, temperature = 1): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, (logits[i] as number) / temperature);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp((logits[i] as number) / temperature - max);
  return (logits[index] as number) / temperature - max - Math.log(sum);
}

/** Zeroes all but the topK largest probabilities (ties at the boundary kept), in place. */
export function applyTopK(p: Float64Array, topK: number): void {
  if (!topK || topK <= 0 || topK >= p.length) return;
  const threshold = [...p].sort((a, b) => b - a)[topK - 1] as number;
  for (let i = 0; i < p.length; i++) if ((p[i] as number) < threshold) p[i] = 0;
}

/** Nucleus filtering: keeps the most likely tokens until their mass reaches topP (at least one), in place. */
export function applyTopP(p: Float64Array, topP: number): void {
  if (topP === undefined || topP >= 1) return;
  if (!(topP > 0)) throw new Error(`topP must be in (0, 1], got ${topP}`);
  let total = 0;
  for (const v of p) total += v;
  const order = [...p.keys()].sort((a, b) => (p[b] as number) - (p[a] as number) || a - b);
  let mass = 0;
  let keep = 0;
  while (keep < order.length && (keep === 0 || mass < topP * total)) mass += p[order[keep++] as number] as number;
  for (let k = keep; k < order.length; k++) p[order[k] as number] = 0;
}

/** Draws an index from unnormalised probabilities with the given generator. */
export function drawFrom(p: Float64Array, rng: Rng): number {
  let total = 0;
  for (const v of p) total += v;
  let u = rng.next() * total;
  let last = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i] as number;
    if (v <= 0) continue;
    last = i;
    u -= v;
    if (u < 0) return i;
  }
  return last; // rounding left u >= 0 after the last positive entry
}

/** The next token for one row of logits. */
export function chooseToken(logits: ArrayLike<number>, opts: SamplingOptions, rng: Rng): number {
  if (isGreedy(opts)) return argmax(logits);
  const p = softmax(logits, opts.temperature);
  applyTopK(p, opts.topK ?? 0);
  applyTopP(p, opts.topP ?? 1);
  return drawFrom(p, rng);
}
