/**
 * A tiny Idefics3/SmolVLM-shaped model as the three ONNX graphs transformers.js opens for an
 * image-text-to-text model (src/models/session_config.js there: vision_encoder + embed_tokens +
 * decoder_model_merged with a KV cache). Random weights: it exists so that tests can load a real model
 * folder through transformers.js without any download; what it writes is noise.
 *
 * Contracts (names and shapes as transformers.js and the SmolVLM ONNX exports use them):
 *   vision_encoder        pixel_values         float32 [batch, num_images, 3, H, W]
 *                         pixel_attention_mask bool    [batch, num_images, H, W]   (accepted, unused: no padding here)
 *                      -> image_features       float32 [batch*num_images, image_seq_len, hidden]
 *   embed_tokens          input_ids            int64   [batch, seq]
 *                      -> inputs_embeds        float32 [batch, seq, hidden]
 *   decoder_model_merged  inputs_embeds        float32 [batch, seq, hidden]
 *                         attention_mask       int64   [batch, past + seq]
 *                         position_ids         int64   [batch, seq]
 *                         past_key_values.N.key/value float32 [batch, kv_heads, past, head_dim]
 *                      -> logits               float32 [batch, seq, vocab]
 *                         present.N.key/value  float32 [batch, kv_heads, past + seq, head_dim]
 * The decoder is a Llama block stack (RMSNorm, rotary positions, grouped-query attention, SwiGLU), the
 * text model of SmolVLM; the vision encoder is one patch convolution and a linear connector (SmolVLM has a
 * SigLIP encoder and a pixel-shuffle connector: same contract, far fewer ops).
 */
import type { ModelProto } from 'onnx-buf';
import { DataType, GraphBuilder, int, ints, serializeModel } from './proto';
import { quantizeQ4 } from './quant';

export interface TinyVlmDims {
  vocabSize: number;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  intermediate: number;
  /** Side of the square image the vision encoder takes (the processor resizes to it). */
  imageSize: number;
  /** Patch side: image_seq_len = (imageSize / patchSize)^2 features per image. */
  patchSize: number;
  rmsEps: number;
  ropeTheta: number;
}

/** Weights by name; matrices are [in, out], row-major (the project's convention, see config.ts). */
export type TinyVlmWeights = Map<string, Float32Array>;

export type TinyVlmQuant = 'fp32' | 'q4';

/** Masked attention scores get this value (a fully masked row stays finite, as in the nano graph). */
const MASK_VALUE = -1e9;

export const imageSeqLen = (d: TinyVlmDims): number => (d.imageSize / d.patchSize) ** 2;

/** Every weight the three graphs read, with its shape. */
export function tinyVlmShapes(d: TinyVlmDims): [string, number[]][] {
  const q = d.heads * d.headDim;
  const kv = d.kvHeads * d.headDim;
  const shapes: [string, number[]][] = [
    ['vision.patch.weight', [d.hidden, 3, d.patchSize, d.patchSize]],
    ['vision.patch.bias', [d.hidden]],
    ['vision.connector.weight', [d.hidden, d.hidden]],
    ['embed_tokens.weight', [d.vocabSize, d.hidden]],
  ];
  for (let i = 0; i < d.layers; i++) {
    const p = `layers.${i}`;
    shapes.push(
      [`${p}.input_norm.weight`, [d.hidden]],
      [`${p}.q.weight`, [d.hidden, q]],
      [`${p}.k.weight`, [d.hidden, kv]],
      [`${p}.v.weight`, [d.hidden, kv]],
      [`${p}.o.weight`, [q, d.hidden]],
      [`${p}.post_norm.weight`, [d.hidden]],
      [`${p}.gate.weight`, [d.hidden, d.intermediate]],
      [`${p}.up.weight`, [d.hidden, d.intermediate]],
      [`${p}.down.weight`, [d.intermediate, d.hidden]],
    );
  }
  shapes.push(['norm.weight', [d.hidden]], ['lm_head.weight', [d.hidden, d.vocabSize]]);
  return shapes;
}

interface Ctx {
  g: GraphBuilder;
  d: TinyVlmDims;
  w: TinyVlmWeights;
  quant: TinyVlmQuant;
}

function weight(ctx: Ctx, name: string): Float32Array {
  const v = ctx.w.get(name);
  if (!v) throw new Error(`tiny VLM: missing weight ${name}`);
  return v;
}

/** y = x @ W, W [K, N]; 4-bit MatMulNBits (block 32, symmetric) in the q4 variant. */
function linear(ctx: Ctx, x: string, name: string, shape: number[], out?: string): string {
  const { g } = ctx;
  const [K, N] = shape as [number, number];
  const w = weight(ctx, `${name}.weight`);
  const named = out ? { name: out } : {};
  if (ctx.quant === 'q4' && K % 32 === 0) {
    const q = quantizeQ4(w, K, N, 32);
    const B = g.initializer(`${name}.weight_q4`, DataType.UINT8, [N, q.kBlocks, q.blockSize / 2], q.packed);
    const scales = g.initializer(`${name}.weight_scales`, DataType.FLOAT, [N, q.kBlocks], q.scales);
    return g.op('MatMulNBits', [x, B, scales], { K: int(K), N: int(N), bits: int(4), block_size: int(32) }, { domain: 'com.microsoft', ...named });
  }
  return g.op('MatMul', [x, g.initializer(`${name}.weight`, DataType.FLOAT, [K, N], w)], {}, named);
}

/** x / sqrt(mean(x^2) + eps) * w, over the last axis. */
function rmsNorm(ctx: Ctx, x: string, name: string): string {
  const { g, d } = ctx;
  const ms = g.op('ReduceMean', [g.op('Mul', [x, x])], { axes: ints([-1]), keepdims: int(1) });
  const rms = g.op('Sqrt', [g.op('Add', [ms, g.constFloat('eps', [d.rmsEps])])]);
  const gain = g.initializer(`${name}.weight`, DataType.FLOAT, [d.hidden], weight(ctx, `${name}.weight`));
  return g.op('Mul', [g.op('Div', [x, rms]), gain]);
}

// ---- vision encoder and token embeddings --------------------------------------------------------------

export function buildVisionEncoder(d: TinyVlmDims, w: TinyVlmWeights): ModelProto {
  const g = new GraphBuilder();
  const ctx: Ctx = { g, d, w, quant: 'fp32' };
  g.input('pixel_values', DataType.FLOAT, ['batch_size', 'num_images', 3, d.imageSize, d.imageSize]);
  g.input('pixel_attention_mask', DataType.BOOL, ['batch_size', 'num_images', d.imageSize, d.imageSize]);
  const frames = g.op('Reshape', ['pixel_values', g.constInt64('shape', [-1, 3, d.imageSize, d.imageSize])]); // (BN, 3, H, W)
  const kernel = g.initializer('vision.patch.weight', DataType.FLOAT, [d.hidden, 3, d.patchSize, d.patchSize], weight(ctx, 'vision.patch.weight'));
  const bias = g.initializer('vision.patch.bias', DataType.FLOAT, [d.hidden], weight(ctx, 'vision.patch.bias'));
  const patches = g.op('Conv', [frames, kernel, bias], { kernel_shape: ints([d.patchSize, d.patchSize]), strides: ints([d.patchSize, d.patchSize]) }); // (BN, D, g, g)
  const flat = g.op('Reshape', [patches, g.constInt64('shape', [0, d.hidden, -1])]); // (BN, D, g*g)
  const seq = g.op('Transpose', [flat], { perm: ints([0, 2, 1]) }); // (BN, g*g, D)
  linear(ctx, seq, 'vision.connector', [d.hidden, d.hidden], 'image_features');
  g.output('image_features', DataType.FLOAT, ['num_frames', imageSeqLen(d), d.hidden]);
  return g.model({ name: 'vision_encoder', opsets: { '': 17 }, docString: 'tiny random Idefics3-shaped vision encoder (vigal-playground test model)' });
}

export function buildEmbedTokens(d: TinyVlmDims, w: TinyVlmWeights): ModelProto {
  const g = new GraphBuilder();
  g.input('input_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  const table = g.initializer('embed_tokens.weight', DataType.FLOAT, [d.vocabSize, d.hidden], w.get('embed_tokens.weight') as Float32Array);
  g.op('Gather', [table, 'input_ids'], { axis: int(0) }, { name: 'inputs_embeds' });
  g.output('inputs_embeds', DataType.FLOAT, ['batch_size', 'sequence_length', d.hidden]);
  return g.model({ name: 'embed_tokens', opsets: { '': 17 }, docString: 'tiny random token embeddings (vigal-playground test model)' });
}

// ---- decoder ------------------------------------------------------------------------------------------

interface DecoderInfo {
  /** bool [B, 1, S, past+S]: true where attention is NOT allowed (causal or padding). */
  masked: string;
  /** float [B, 1, S, headDim] rotary tables for this call's positions. */
  cos: string;
  sin: string;
}

/** The causal + padding mask and the rotary tables, from the input shapes and position_ids. */
function decoderInfo(ctx: Ctx): DecoderInfo {
  const { g, d } = ctx;
  return g.within('positions', () => {
    const scalar = (tensor: string, axis: number): string => g.op('Gather', [g.op('Shape', [tensor]), g.constInt64('axis', [axis], [])], { axis: int(0) });
    const past = scalar('past_key_values.0.key', 2);
    const total = g.op('Add', [past, scalar('inputs_embeds', 1)]);
    const one = g.constInt64('one', [1], []);
    // Comparisons on float positions: int64 compare kernels are not guaranteed on WebGPU.
    const queryPos = g.op('Cast', [g.op('Range', [past, total, one])], { to: int(DataType.FLOAT) }); // (S)
    const keyPos = g.op('Cast', [g.op('Range', [g.constInt64('zero', [0], []), total, one])], { to: int(DataType.FLOAT) }); // (T)
    const causal = g.op('Less', [g.op('Unsqueeze', [queryPos, g.constInt64('axes', [1])]), keyPos]); // (S, T)
    const padding = g.op('Less', [g.op('Cast', ['attention_mask'], { to: int(DataType.FLOAT) }), g.constFloat('half', [0.5])]); // (B, T)
    const paddingB = g.op('Unsqueeze', [padding, g.constInt64('axes', [1, 2])]); // (B, 1, 1, T)
    const masked = g.op('Or', [causal, paddingB]); // (B, 1, S, T)

    // Rotary: angle[b, s, j] = position * theta^(-2j / headDim), duplicated over both halves.
    const half = d.headDim / 2;
    const invFreq = Array.from({ length: half }, (_, j) => Math.pow(d.ropeTheta, (-2 * j) / d.headDim));
    const pos = g.op('Unsqueeze', [g.op('Cast', ['position_ids'], { to: int(DataType.FLOAT) }), g.constInt64('axes', [2])]); // (B, S, 1)
    const angles = g.op('Mul', [pos, g.constFloat('inv_freq', invFreq, [half])]); // (B, S, half)
    const both = g.op('Concat', [angles, angles], { axis: int(-1) }); // (B, S, hd)
    const heads = g.constInt64('axes', [1]);
    return { masked, cos: g.op('Unsqueeze', [g.op('Cos', [both]), heads]), sin: g.op('Unsqueeze', [g.op('Sin', [both]), heads]) }; // (B, 1, S, hd)
  });
}

/** x * cos + rotate_half(x) * sin, x [B, h, S, hd]; rotate_half = [-x2, x1]. */
function rotary(ctx: Ctx, x: string, info: DecoderInfo): string {
  const { g, d } = ctx;
  const half = d.headDim / 2;
  const axis = g.constInt64('axes', [3]);
  const x1 = g.op('Slice', [x, g.constInt64('start', [0]), g.constInt64('end', [half]), axis]);
  const x2 = g.op('Slice', [x, g.constInt64('start', [half]), g.constInt64('end', [d.headDim]), axis]);
  const rotated = g.op('Concat', [g.op('Neg', [x2]), x1], { axis: int(3) });
  return g.op('Add', [g.op('Mul', [x, info.cos]), g.op('Mul', [rotated, info.sin])]);
}

/** Grouped-query attention with KV cache; returns [B, S, hidden]. */
function attention(ctx: Ctx, i: number, x: string, info: DecoderInfo): string {
  const { g, d } = ctx;
  const p = `layers.${i}`;
  const split = (t: string, h: number): string =>
    g.op('Transpose', [g.op('Reshape', [t, g.constInt64('shape', [0, 0, h, d.headDim])])], { perm: ints([0, 2, 1, 3]) }); // (B, h, S, hd)
  const q = rotary(ctx, split(linear(ctx, x, `${p}.q`, [d.hidden, d.heads * d.headDim]), d.heads), info);
  const k = rotary(ctx, split(linear(ctx, x, `${p}.k`, [d.hidden, d.kvHeads * d.headDim]), d.kvHeads), info);
  const v = split(linear(ctx, x, `${p}.v`, [d.hidden, d.kvHeads * d.headDim]), d.kvHeads);
  const kAll = g.op('Concat', [`past_key_values.${i}.key`, k], { axis: int(2) }, { name: `present.${i}.key` }); // (B, kvh, T, hd)
  const vAll = g.op('Concat', [`past_key_values.${i}.value`, v], { axis: int(2) }, { name: `present.${i}.value` });
  // Each KV head serves `rep` query heads (head h reads KV head floor(h / rep)): repeat them, so the
  // attention below is plain 4-D (broadcasting MatMuls are slow on some WebGPU adapters).
  const kRep = repeatKv(ctx, kAll); // (B, h, T, hd)
  const vRep = repeatKv(ctx, vAll);
  const kT = g.op('Transpose', [kRep], { perm: ints([0, 1, 3, 2]) }); // (B, h, hd, T)
  const scores = g.op('Mul', [g.op('MatMul', [q, kT]), g.constFloat('scale', [1 / Math.sqrt(d.headDim)])]); // (B, h, S, T)
  const probs = g.op('Softmax', [g.op('Where', [info.masked, g.constFloat('mask_value', [MASK_VALUE]), scores])], { axis: int(-1) });
  const y = g.op('MatMul', [probs, vRep]); // (B, h, S, hd)
  const merged = g.op('Reshape', [g.op('Transpose', [y], { perm: ints([0, 2, 1, 3]) }), g.constInt64('shape', [0, 0, d.heads * d.headDim])]); // (B, S, h*hd)
  return linear(ctx, merged, `${p}.o`, [d.heads * d.headDim, d.hidden]);
}

/** [B, kvh, T, hd] -> [B, kvh * rep, T, hd], each KV head repeated `rep` times in place. */
function repeatKv(ctx: Ctx, x: string): string {
  const { g, d } = ctx;
  const rep = d.heads / d.kvHeads;
  if (rep === 1) return x;
  const x5 = g.op('Unsqueeze', [x, g.constInt64('axes', [2])]); // (B, kvh, 1, T, hd)
  const shape5 = g.op('Shape', [x5]);
  const target = g.op(
    'Concat',
    [
      g.op('Slice', [shape5, g.constInt64('start', [0]), g.constInt64('end', [2])]),
      g.constInt64('rep', [rep]),
      g.op('Slice', [shape5, g.constInt64('start', [3]), g.constInt64('end', [5])]),
    ],
    { axis: int(0) },
  );
  const expanded = g.op('Expand', [x5, target]); // (B, kvh, rep, T, hd)
  return g.op('Reshape', [expanded, g.constInt64('shape', [0, d.heads, -1, d.headDim])]);
}

/** SwiGLU: down(silu(gate(x)) * up(x)). */
function mlp(ctx: Ctx, i: number, x: string): string {
  const { g, d } = ctx;
  const p = `layers.${i}`;
  const gate = linear(ctx, x, `${p}.gate`, [d.hidden, d.intermediate]);
  const silu = g.op('Mul', [gate, g.op('Sigmoid', [gate])]);
  return linear(ctx, g.op('Mul', [silu, linear(ctx, x, `${p}.up`, [d.hidden, d.intermediate])]), `${p}.down`, [d.intermediate, d.hidden]);
}

export function buildDecoder(d: TinyVlmDims, w: TinyVlmWeights, quant: TinyVlmQuant): ModelProto {
  const g = new GraphBuilder();
  const ctx: Ctx = { g, d, w, quant };
  g.input('inputs_embeds', DataType.FLOAT, ['batch_size', 'sequence_length', d.hidden]);
  g.input('attention_mask', DataType.INT64, ['batch_size', 'total_sequence_length']);
  g.input('position_ids', DataType.INT64, ['batch_size', 'sequence_length']);
  for (let i = 0; i < d.layers; i++) {
    for (const kind of ['key', 'value']) g.input(`past_key_values.${i}.${kind}`, DataType.FLOAT, ['batch_size', d.kvHeads, 'past_sequence_length', d.headDim]);
  }
  const info = decoderInfo(ctx);
  let x = 'inputs_embeds';
  for (let i = 0; i < d.layers; i++) {
    x = g.within(`layers.${i}`, () => {
      const a = g.op('Add', [x, attention(ctx, i, rmsNorm(ctx, x, `layers.${i}.input_norm`), info)]);
      return g.op('Add', [a, mlp(ctx, i, rmsNorm(ctx, a, `layers.${i}.post_norm`))]);
    });
  }
  linear(ctx, rmsNorm(ctx, x, 'norm'), 'lm_head', [d.hidden, d.vocabSize], 'logits'); // (B, S, V)
  g.output('logits', DataType.FLOAT, ['batch_size', 'sequence_length', d.vocabSize]);
  for (let i = 0; i < d.layers; i++) {
    for (const kind of ['key', 'value']) g.output(`present.${i}.${kind}`, DataType.FLOAT, ['batch_size', d.kvHeads, 'total_sequence_length', d.headDim]);
  }
  return g.model({
    name: 'decoder_model_merged',
    opsets: quant === 'q4' ? { '': 17, 'com.microsoft': 1 } : { '': 17 },
    docString: `tiny random Llama decoder (${quant}) with KV cache (vigal-playground test model)`,
  });
}

export function serializeTinyVlm(model: ModelProto): Uint8Array {
  return serializeModel(model);
}
