/**
 * The nano model's differentiable forward in jax-js: the trainer's half of the "one config, two
 * implementations" contract (the ONNX writer in src/model is the other half and must match this file
 * numerically; `forwardLogits` is the reference its parity test calls).
 *
 * One function per layer, in the order of config.ts:
 *   patchEmbed -> tokEmbed -> (concat) -> posEmbed -> block x nLayer (ln1, attn, ln2, mlp) -> lnF -> lmHead
 *
 * Exact conventions the ONNX graph must reproduce:
 * - Linear layers are y = x @ W + b with W stored [in, out].
 * - LayerNorm: (x - mean) / sqrt(var + lnEps) * weight + bias, biased variance over the last axis.
 * - qkv = ln1(x) @ Wqkv + b, split along the last axis as [q | k | v], each of width dModel; head h of
 *   q/k/v is columns [h*hs, (h+1)*hs) of its part (a plain reshape [B, S, nHead, hs]).
 * - Attention scores (q @ k^T) / sqrt(hs); causal mask over the WHOLE sequence (image patches included),
 *   masked scores set to -1e9 (not -inf: a fully masked row would give NaN); softmax over keys.
 * - MLP: GELU with the tanh approximation, 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
 * - Token embedding as one-hot @ tok_embed.weight (gathers' gradients fail under jax-js jit; at a
 *   ~256-token vocabulary the matmul is cheap). lm_head has no bias and is not tied to tok_embed.
 *
 * Every jax-js op consumes its array arguments (reference counting): an array used twice is passed as
 * `.ref` the first time. Functions here follow the same rule: they consume what they are given.
 */
import { jit, numpy as np, nn, tree, valueAndGrad } from '@jax-js/jax';
import type { ModelConfig } from '../model/config';
import { headSize, parameterShapes, patchDim } from '../model/config';
import { Rng } from '../util/rng';

export type Params = Record<string, np.Array>;
/** The same parameters as plain arrays: what checkpoints, the optimizer and the ONNX writer hold. */
export type HostParams = Record<string, Float32Array>;

/** Masked attention scores; large and finite so an all-masked row stays finite (see header). */
const MASK_VALUE = -1e9;

// ---------------------------------------------------------------------------------------------------
// Layers, in the order of config.ts
// ---------------------------------------------------------------------------------------------------

/** y = x @ W + b; x [..., in], W [in, out], b [out] -> [..., out]. */
function linear(x: np.Array, w: np.Array, b?: np.Array): np.Array {
  const y = np.matmul(x, w);
  return b === undefined ? y : y.add(b);
}

/** patches [B, Np, patchDim] -> [B, Np, d]. */
function patchEmbed(p: Params, patches: np.Array): np.Array {
  return linear(patches, get(p, 'patch_embed.weight'), get(p, 'patch_embed.bias'));
}

/** inputIds [B, T] int32 -> [B, T, d] as one-hot [B, T, V] @ tok_embed.weight [V, d]. */
function tokEmbed(c: ModelConfig, p: Params, inputIds: np.Array): np.Array {
  return np.matmul(nn.oneHot(inputIds, c.vocabSize), get(p, 'tok_embed.weight'));
}

/** x [B, S, d] + pos_embed.weight[0..S) (broadcast over B). */
function posEmbed(p: Params, x: np.Array): np.Array {
  const S = x.shape[1] as number;
  return x.add(get(p, 'pos_embed.weight').slice([0, S])); // [S, d]
}

function layerNorm(c: ModelConfig, x: np.Array, w: np.Array, b: np.Array): np.Array {
  const mean = x.ref.mean(-1, { keepdims: true }); // [B, S, 1]
  const xc = x.sub(mean);
  const variance = xc.ref.mul(xc.ref).mean(-1, { keepdims: true }); // [B, S, 1]
  return xc
    .div(np.sqrt(variance.add(c.lnEps)))
    .mul(w)
    .add(b);
}

/** Causal self-attention over the whole sequence. x [B, S, d] -> [B, S, d]. */
function attention(c: ModelConfig, p: Params, i: number, x: np.Array): np.Array {
  const [B, S, d] = x.shape as [number, number, number];
  const nh = c.nHead;
  const hs = headSize(c);
  const qkv = linear(x, get(p, `blocks.${i}.attn.qkv.weight`), get(p, `blocks.${i}.attn.qkv.bias`)); // [B, S, 3d]
  const heads = (part: number, perm: number[]): np.Array =>
    qkv.ref
      .slice([], [], [part * d, (part + 1) * d]) // [B, S, d]
      .reshape([B, S, nh, hs]) // [B, S, nh, hs]
      .transpose(perm);
  const q = heads(0, [0, 2, 1, 3]); // [B, nh, S, hs]
  const kT = heads(1, [0, 2, 3, 1]); // [B, nh, hs, S]
  const v = heads(2, [0, 2, 1, 3]); // [B, nh, S, hs]
  qkv.dispose();
  const scores = np.matmul(q, kT).mul(1 / Math.sqrt(hs)); // [B, nh, S, S]
  const causal = np.tri(S, S, 0, { dtype: np.bool }); // [S, S], true where key <= query
  const att = nn.softmax(np.where(causal, scores, MASK_VALUE), -1); // [B, nh, S, S]
  const y = np
    .matmul(att, v) // [B, nh, S, hs]
    .transpose([0, 2, 1, 3]) // [B, S, nh, hs]
    .reshape([B, S, d]); // [B, S, d]
  return linear(y, get(p, `blocks.${i}.attn.proj.weight`), get(p, `blocks.${i}.attn.proj.bias`));
}

/** GELU, tanh approximation, written out so the formula is visible next to the ONNX graph's. */
function geluTanh(x: np.Array): np.Array {
  const inner = x.ref.add(x.ref.mul(x.ref).mul(x.ref).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
  return x.mul(np.tanh(inner).add(1)).mul(0.5);
}

/** x [B, S, d] -> [B, S, d] through dFF. */
function mlp(p: Params, i: number, x: np.Array): np.Array {
  const h = geluTanh(linear(x, get(p, `blocks.${i}.mlp.fc.weight`), get(p, `blocks.${i}.mlp.fc.bias`))); // [B, S, dFF]
  return linear(h, get(p, `blocks.${i}.mlp.proj.weight`), get(p, `blocks.${i}.mlp.proj.bias`));
}

/** Pre-norm residual block. */
function block(c: ModelConfig, p: Params, i: number, x: np.Array): np.Array {
  const a = attention(c, p, i, layerNorm(c, x.ref, get(p, `blocks.${i}.ln1.weight`), get(p, `blocks.${i}.ln1.bias`)));
  const x1 = x.add(a);
  const m = mlp(p, i, layerNorm(c, x1.ref, get(p, `blocks.${i}.ln2.weight`), get(p, `blocks.${i}.ln2.bias`)));
  return x1.add(m);
}

function lnF(c: ModelConfig, p: Params, x: np.Array): np.Array {
  return layerNorm(c, x, get(p, 'ln_f.weight'), get(p, 'ln_f.bias'));
}

/** [..., d] -> [..., V]; no bias. */
function lmHead(p: Params, x: np.Array): np.Array {
  return np.matmul(x, get(p, 'lm_head.weight'));
}

// ---------------------------------------------------------------------------------------------------
// The whole model
// ---------------------------------------------------------------------------------------------------

/**
 * Hidden states after the last block. patches [B, Np, patchDim] (Np may be 0), inputIds [B, T] int32
 * -> [B, Np + T, d]. Consumes `patches` and `inputIds`, not `p` (parameters are taken by `.ref`).
 */
function trunk(c: ModelConfig, p: Params, patches: np.Array, inputIds: np.Array): np.Array {
  const Np = patches.shape[1] as number;
  const tok = tokEmbed(c, p, inputIds); // [B, T, d]
  let x: np.Array;
  if (Np > 0) {
    x = np.concatenate([patchEmbed(p, patches), tok], 1); // [B, Np + T, d]
  } else {
    patches.dispose();
    x = tok;
  }
  x = posEmbed(p, x);
  for (let i = 0; i < c.nLayer; i++) x = block(c, p, i, x);
  return x;
}

/** Logits at every position, images included: [B, Np + T, V]. Consumes its arguments, `p` included. */
export function forward(c: ModelConfig, p: Params, patches: np.Array, inputIds: np.Array): np.Array {
  const logits = lmHead(p, lnF(c, p, trunk(c, p, patches, inputIds)));
  tree.dispose(p); // layers took every parameter by .ref; this balances the caller's reference
  return logits;
}

/**
 * Logits at the text positions only, [B, T, V]: position Np + j predicts text token j + 1. Training
 * never reads the image positions' logits, so ln_f and lm_head skip them.
 */
export function forwardText(c: ModelConfig, p: Params, patches: np.Array, inputIds: np.Array): np.Array {
  const Np = patches.shape[1] as number;
  const T = inputIds.shape[1] as number;
  const h = trunk(c, p, patches, inputIds).slice([], [Np, Np + T]); // [B, T, d]
  const logits = lmHead(p, lnF(c, p, h));
  tree.dispose(p); // see forward
  return logits;
}

/**
 * A training batch, all shapes fixed for the run so jit compiles once.
 * - patches [B, Np, patchDim] float32, inputIds [B, T] int32 (right-padded);
 * - targets [B, T] int32: targets[b, j] = inputIds[b, j + 1] (any valid id where weight is 0);
 * - weights [B, T] float32: 1 / (response targets in the batch) where targets[b, j] is a response token,
 *   else 0, so the loss is the mean over response tokens, whatever the padding.
 */
export type TrainBatch = {
  patches: np.Array;
  inputIds: np.Array;
  targets: np.Array;
  weights: np.Array;
};

/** Host-side twin of TrainBatch (what the data pipeline builds, and the shapes alongside). */
export interface HostBatch {
  B: number;
  Np: number;
  T: number;
  patches: Float32Array; // [B, Np, patchDim]
  inputIds: Int32Array; // [B, T]
  targets: Int32Array; // [B, T]
  weights: Float32Array; // [B, T]
}

/** Moves a host batch into jax-js arrays. */
export function toDevice(c: ModelConfig, b: HostBatch): TrainBatch {
  return {
    // np.array of an empty buffer fails in jax-js 0.1.25; zeros works for text-only batches.
    patches: b.Np === 0 ? np.zeros([b.B, 0, patchDim(c)]) : np.array(b.patches, { shape: [b.B, b.Np, patchDim(c)] }),
    inputIds: np.array(b.inputIds, { shape: [b.B, b.T], dtype: np.int32 }),
    targets: np.array(b.targets, { shape: [b.B, b.T], dtype: np.int32 }),
    weights: np.array(b.weights, { shape: [b.B, b.T] }),
  };
}

/** Mean cross-entropy over response tokens (weights sum to 1); consumes `batch`. */
export function loss(c: ModelConfig, p: Params, batch: TrainBatch): np.Array {
  const logits = forwardText(c, p, batch.patches, batch.inputIds); // [B, T, V]
  const logp = nn.logSoftmax(logits, -1); // [B, T, V]
  const picked = logp.mul(nn.oneHot(batch.targets, c.vocabSize)).sum(-1); // [B, T]
  return picked.mul(batch.weights).sum().neg();
}

/**
 * For evaluation: the loss (as `loss`) and the greedy prediction at every text position, [B, T] int32,
 * from which the host computes token accuracy and teacher-forced exact matches.
 */
export function evalMetrics(c: ModelConfig, p: Params, batch: TrainBatch): [np.Array, np.Array] {
  const logits = forwardText(c, p, batch.patches, batch.inputIds); // [B, T, V]
  const pred = np.argmax(logits.ref, -1); // [B, T] int32
  const logp = nn.logSoftmax(logits, -1); // [B, T, V]
  const picked = logp.mul(nn.oneHot(batch.targets, c.vocabSize)).sum(-1); // [B, T]
  return [picked.mul(batch.weights).sum().neg(), pred];
}

/**
 * Compiled functions for one config. Each call compiles once per input shape; keep B and T fixed.
 * `lossAndGrad(params, batch)` consumes both: pass `tree.ref(params)` to keep the parameters.
 */
export function compile(c: ModelConfig) {
  const lossAndGrad = jit(valueAndGrad((p: Params, b: TrainBatch) => loss(c, p, b)));
  const evaluate = jit((p: Params, b: TrainBatch) => evalMetrics(c, p, b));
  const logits = jit((p: Params, patches: np.Array, inputIds: np.Array) => forward(c, p, patches, inputIds));
  return { lossAndGrad, evaluate, logits };
}

/**
 * Matmul FLOPs of one forward of `forwardText` on [B, Np + T] (elementwise ops are left out; they are
 * a few percent here). A training step (forward + backward) costs about 3x this.
 */
export function forwardFlops(c: ModelConfig, B: number, Np: number, T: number): number {
  const d = c.dModel;
  const S = Np + T;
  const perLayer = 2 * B * S * d * (3 * d) + 2 * 2 * B * S * S * d + 2 * B * S * d * d + 2 * 2 * B * S * d * c.dFF;
  return 2 * B * Np * patchDim(c) * d + 2 * B * T * c.vocabSize * d + c.nLayer * perLayer + 2 * B * T * d * c.vocabSize;
}

// ---------------------------------------------------------------------------------------------------
// Parameters: init, host <-> device
// ---------------------------------------------------------------------------------------------------

/**
 * GPT-2 / nanoGPT initialisation: weights N(0, 0.02), the residual output projections (attn.proj and
 * mlp.proj) N(0, 0.02 / sqrt(2 nLayer)), biases 0, LayerNorm weights 1. Seeded by `rng` (Box-Muller
 * over the project's Rng), so the same seed gives the same model in Node and the browser.
 */
export function initParams(c: ModelConfig, rng: Rng): HostParams {
  const out: HostParams = {};
  const residualStd = 0.02 / Math.sqrt(2 * c.nLayer);
  for (const [name, shape] of parameterShapes(c)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (name.endsWith('.bias')) {
      // zeros
    } else if (/(^|\.)ln(1|2|_f)?\.weight$/.test(name) || name === 'ln_f.weight') {
      data.fill(1);
    } else {
      const std = /\.(attn|mlp)\.proj\.weight$/.test(name) ? residualStd : 0.02;
      for (let k = 0; k < n; k++) data[k] = gaussian(rng) * std;
    }
    out[name] = data;
  }
  return out;
}

function gaussian(rng: Rng): number {
  // Box-Muller; 1 - u keeps log's argument in (0, 1].
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Host parameters -> jax-js arrays, shapes from the config (errors name a missing/mis-sized tensor). */
export function paramsToDevice(c: ModelConfig, host: HostParams): Params {
  const p: Params = {};
  for (const [name, shape] of parameterShapes(c)) {
    const data = host[name];
    const n = shape.reduce((a, b) => a * b, 1);
    if (data === undefined) throw new Error(`parameter '${name}' is missing (config ${c.name})`);
    if (data.length !== n) {
      throw new Error(`parameter '${name}' has ${data.length} values, config wants [${shape.join(', ')}] = ${n}`);
    }
    p[name] = np.array(data, { shape });
  }
  return p;
}

/** jax-js arrays -> host arrays; consumes the tree. */
export async function treeToHost(t: Record<string, np.Array>): Promise<HostParams> {
  const out: HostParams = {};
  for (const [name, a] of Object.entries(t)) {
    out[name] = (await a.data()) as Float32Array;
  }
  return out;
}

/**
 * Reference forward for parity tests and one-off use: plain arrays in, plain arrays out.
 * patches [B, Np, patchDim] (Np = number of image patches, possibly 0), inputIds [B, T], with
 * B = batch.batchSize (default 1) -> logits [B, Np + T, V], flattened row-major. Not jitted (a one-off call would pay the compile).
 */
export async function forwardLogits(
  config: ModelConfig,
  params: HostParams,
  batch: { patches: Float32Array; inputIds: Int32Array; batchSize?: number },
): Promise<Float32Array> {
  const pd = patchDim(config);
  const B = batch.batchSize ?? 1;
  const T = batch.inputIds.length / B;
  const Np = batch.patches.length / (B * pd);
  if (!Number.isInteger(T) || !Number.isInteger(Np)) {
    throw new Error(`forwardLogits: patches (${batch.patches.length} values) and inputIds (${batch.inputIds.length}) do not split into batch ${B}`);
  }
  if (Np + T > config.maxSeqLen) throw new Error(`forwardLogits: sequence ${Np} + ${T} exceeds maxSeqLen ${config.maxSeqLen}`);
  for (const id of batch.inputIds) {
    if (id < 0 || id >= config.vocabSize) throw new Error(`forwardLogits: token id ${id} outside [0, ${config.vocabSize})`);
  }
  const p = paramsToDevice(config, params);
  // np.array of an empty buffer fails in jax-js 0.1.25 (it reads data[0]); zeros works for Np = 0.
  const patches = Np === 0 ? np.zeros([B, 0, pd]) : np.array(batch.patches, { shape: [B, Np, pd] }); // [B, Np, patchDim]
  const ids = np.array(batch.inputIds, { shape: [B, T], dtype: np.int32 }); // [B, T]
  const logits = forward(config, p, patches, ids); // [B, Np + T, V]
  return (await logits.data()) as Float32Array;
}

function get(p: Params, name: string): np.Array {
  const a = p[name];
  if (a === undefined) throw new Error(`parameter '${name}' missing from the parameter tree`);
  return a.ref;
}
