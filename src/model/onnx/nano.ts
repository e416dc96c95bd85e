/**
 * The nano model as an ONNX graph: one function per layer, in the order of the trainer's forward
 * (src/train/model.ts), so the two read side by side:
 *   patchEmbed -> tokenEmbed -> positions -> block x nLayer (attention, mlp) -> lmHead
 *
 * Contract (names as transformers.js uses them, so generation is one prefill plus one step per token):
 *   inputs   patches                    float32 [batch, num_patches, patch_dim]  (num_patches may be 0)
 *            input_ids                  int64   [batch, seq]
 *            past_key_values.N.key      float32 [batch, n_head, past, head_size] (past may be 0)
 *            past_key_values.N.value    float32 [batch, n_head, past, head_size]
 *   outputs  logits                     float32 [batch, seq, vocab]   TEXT positions only: logits[:, i]
 *                                                                     predicts the token after input_ids[:, i]
 *            present.N.key / .value     float32 [batch, n_head, past + num_patches + seq, head_size]
 * The sequence of one call is [patches][input_ids], placed at positions past .. past+T-1 (T =
 * num_patches + seq), so a prefill passes the images and the prompt with past = 0 and a decode step
 * passes 0 patches, one token and the previous `present` as `past_key_values`. The causal mask and the
 * position offset are computed in-graph from the shapes, valid for both.
 *
 * Only ops the onnxruntime-web WebGPU EP runs natively are used (docs/architecture.md): MatMul, Add, Mul,
 * Tanh, Softmax, LayerNormalization, Concat, Slice, Reshape, Transpose, Gather, Shape, Unsqueeze, Range,
 * Where, Less, Cast, and com.microsoft MatMulNBits for the 4-bit variant. Shape arithmetic is int64 (ORT
 * keeps it on the CPU); the mask comparison runs on float positions, because int64 compare kernels are
 * not guaranteed on WebGPU.
 */
import type { ModelProto } from 'onnx-buf';
import { DataType, GraphBuilder, INT64_MAX, float, int, ints, serializeModel } from './proto';
import { quantizeQ4 } from './quant';
import { headSize, parameterShapes, patchDim, validateConfig, type ModelConfig } from '../config';
import { checkParams, type Params } from '../params';

export type Quant = 'fp32' | 'q4';
export const QUANTS: readonly Quant[] = ['fp32', 'q4'];

export interface BuildOptions {
  quant: Quant;
  /** MatMulNBits block size along K (docs/architecture.md: 32). */
  blockSize?: number;
}

/** Metadata keys written into every nano ONNX file (read back by the runtime to check the config). */
export const META_CONFIG = 'vigal.config';
export const META_QUANT = 'vigal.quant';
export const META_FORMAT = 'vigal.format';
/** FNV-1a (32-bit) of every initializer's bytes in graph order: catches flipped bits inside the weights. */
export const META_CHECKSUM = 'vigal.weights_fnv1a32';
/** Bumped when the input/output contract above changes. */
export const FORMAT_VERSION = 'nano-onnx-1';

/** Masked attention scores get this value, as in the trainer (-inf would turn a fully masked row into NaN). */
const MASK_VALUE = -1e9;

export const pastKeyName = (i: number): string => `past_key_values.${i}.key`;
export const pastValueName = (i: number): string => `past_key_values.${i}.value`;
export const presentKeyName = (i: number): string => `present.${i}.key`;
export const presentValueName = (i: number): string => `present.${i}.value`;

/** Which weight matrices the 4-bit variant quantises (embeddings stay float: they are gathered, not multiplied). */
export const isQuantizedMatrix = (name: string): boolean =>
  /^(patch_embed|lm_head|blocks\.\d+\.(attn\.qkv|attn\.proj|mlp\.fc|mlp\.proj))\.weight$/.test(name);

interface Ctx {
  g: GraphBuilder;
  c: ModelConfig;
  /** Parameter shapes by name (config.ts), so layers read [in, out] rather than guess it. */
  shapes: Map<string, number[]>;
  w: Map<string, Float32Array>;
  opts: Required<BuildOptions>;
}

/** Shape-derived values every layer shares, computed once. */
interface SeqInfo {
  /** int64 positions of this call's rows, [T] (for the position table). */
  positions: string;
  /** bool [T, past + T], true where attention is NOT allowed. */
  masked: string;
  /** int64 [1]: num_patches, where the text rows start. */
  numPatches: string;
}

/** y = x @ W (+ b); W is [in, out] (config.ts), or its 4-bit MatMulNBits form. `out` names the result. */
function linear(ctx: Ctx, x: string, name: string, opts: { bias?: boolean; out?: string } = {}): string {
  const { g, w } = ctx;
  const hasBias = opts.bias ?? true;
  const [K, N] = ctx.shapes.get(`${name}.weight`) as [number, number];
  const weight = w.get(`${name}.weight`) as Float32Array;
  // Without a bias the product itself is the result, so it carries the requested output name.
  const product = !hasBias && opts.out ? { name: opts.out } : {};
  let y: string;
  if (ctx.opts.quant === 'q4' && isQuantizedMatrix(`${name}.weight`)) {
    const q = quantizeQ4(weight, K, N, ctx.opts.blockSize);
    const B = g.initializer(`${name}.weight_q4`, DataType.UINT8, [N, q.kBlocks, q.blockSize / 2], q.packed);
    const scales = g.initializer(`${name}.weight_scales`, DataType.FLOAT, [N, q.kBlocks], q.scales);
    // No zero_points input: the default zero point 8 makes the code symmetric (quant.ts).
    y = g.op('MatMulNBits', [x, B, scales], { K: int(K), N: int(N), bits: int(4), block_size: int(q.blockSize) }, {
      domain: 'com.microsoft',
      ...product,
    });
  } else {
    const W = g.initializer(`${name}.weight`, DataType.FLOAT, [K, N], weight);
    y = g.op('MatMul', [x, W], {}, product);
  }
  if (!hasBias) return y;
  const b = g.initializer(`${name}.bias`, DataType.FLOAT, [N], w.get(`${name}.bias`) as Float32Array);
  return g.op('Add', [y, b], {}, opts.out ? { name: opts.out } : {});
}

function layerNorm(ctx: Ctx, x: string, name: string): string {
  const { g, w, c } = ctx;
  const d = c.dModel;
  const gain = g.initializer(`${name}.weight`, DataType.FLOAT, [d], w.get(`${name}.weight`) as Float32Array);
  const bias = g.initializer(`${name}.bias`, DataType.FLOAT, [d], w.get(`${name}.bias`) as Float32Array);
  return g.op('LayerNormalization', [x, gain, bias], { axis: int(-1), epsilon: float(c.lnEps) });
}

/** GELU, tanh approximation (config.ts), from elementary ops: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
function gelu(ctx: Ctx, x: string): string {
  const { g } = ctx;
  const x3 = g.op('Mul', [g.op('Mul', [x, x]), x]);
  const inner = g.op('Add', [x, g.op('Mul', [x3, g.constFloat('gelu_c1', [0.044715])])]);
  const t = g.op('Tanh', [g.op('Mul', [inner, g.constFloat('gelu_c0', [Math.sqrt(2 / Math.PI)])])]);
  const half = g.op('Mul', [x, g.constFloat('half', [0.5])]);
  return g.op('Mul', [half, g.op('Add', [t, g.constFloat('one', [1])])]);
}

// ---- layers, in forward order ----------------------------------------------------------------------

/** patches [B, P, patchDim] -> [B, P, d]. */
function patchEmbed(ctx: Ctx): string {
  return ctx.g.within('patch_embed', () => linear(ctx, 'patches', 'patch_embed'));
}

/** input_ids [B, S] -> [B, S, d]. */
function tokenEmbed(ctx: Ctx): string {
  const { g, w, c } = ctx;
  return g.within('tok_embed', () => {
    const table = g.initializer('tok_embed.weight', DataType.FLOAT, [c.vocabSize, c.dModel], w.get('tok_embed.weight') as Float32Array);
    return g.op('Gather', [table, 'input_ids'], { axis: int(0) });
  });
}

/** Positions past .. past+T-1 and the causal mask, from the input shapes. */
function sequenceInfo(ctx: Ctx): SeqInfo {
  const { g } = ctx;
  return g.within('positions', () => {
    const scalar = (tensor: string, axis: number): string =>
      g.op('Gather', [g.op('Shape', [tensor]), g.constInt64('axis', [axis], [])], { axis: int(0) });
    const past = scalar(pastKeyName(0), 2); // () int64
    const numPatchesScalar = scalar('patches', 1);
    const T = g.op('Add', [numPatchesScalar, scalar('input_ids', 1)]);
    const total = g.op('Add', [past, T]);
    const one = g.constInt64('one', [1], []);
    const positions = g.op('Range', [past, total, one]); // (T) int64
    const keyPositions = g.op('Range', [g.constInt64('zero', [0], []), total, one]); // (past+T)
    const queryPos = g.op('Cast', [positions], { to: int(DataType.FLOAT) });
    const keyPos = g.op('Cast', [keyPositions], { to: int(DataType.FLOAT) });
    // Row i may attend key j iff j <= past + i: masked where queryPos[i] < keyPos[j].
    const queryCol = g.op('Unsqueeze', [queryPos, g.constInt64('axes', [1])]); // (T, 1)
    const masked = g.op('Less', [queryCol, keyPos]); // (T, past+T) bool
    const numPatches = g.op('Unsqueeze', [numPatchesScalar, g.constInt64('axes', [0])]); // (1)
    return { positions, masked, numPatches };
  });
}

/** x [B, T, d] + pos_embed[past .. past+T) -> [B, T, d]. */
function addPositions(ctx: Ctx, x: string, seq: SeqInfo): string {
  const { g, w, c } = ctx;
  return g.within('pos_embed', () => {
    const table = g.initializer('pos_embed.weight', DataType.FLOAT, [c.maxSeqLen, c.dModel], w.get('pos_embed.weight') as Float32Array);
    const pos = g.op('Gather', [table, seq.positions], { axis: int(0) }); // (T, d)
    return g.op('Add', [x, pos]);
  });
}

/** Causal self-attention with KV cache; returns the projected output [B, T, d]. */
function attention(ctx: Ctx, i: number, x: string, seq: SeqInfo): string {
  const { g, c } = ctx;
  const p = `blocks.${i}.attn`;
  const hs = headSize(c);
  const qkv = linear(ctx, x, `${p}.qkv`); // (B, T, 3d): columns [q | k | v], each head-major (config.ts)
  const split = g.op('Reshape', [qkv, g.constInt64('shape', [0, 0, 3, c.nHead, hs])]); // (B, T, 3, nh, hs)
  const heads = g.op('Transpose', [split], { perm: ints([2, 0, 3, 1, 4]) }); // (3, B, nh, T, hs)
  const pick = (k: number): string => g.op('Gather', [heads, g.constInt64('idx', [k], [])], { axis: int(0) }); // (B, nh, T, hs)
  const q = pick(0);
  const kAll = g.op('Concat', [pastKeyName(i), pick(1)], { axis: int(2) }, { name: presentKeyName(i) }); // (B, nh, past+T, hs)
  const vAll = g.op('Concat', [pastValueName(i), pick(2)], { axis: int(2) }, { name: presentValueName(i) });
  const kT = g.op('Transpose', [kAll], { perm: ints([0, 1, 3, 2]) }); // (B, nh, hs, past+T)
  const scores = g.op('Mul', [g.op('MatMul', [q, kT]), g.constFloat('scale', [1 / Math.sqrt(hs)])]); // (B, nh, T, past+T)
  const maskedScores = g.op('Where', [seq.masked, g.constFloat('mask_value', [MASK_VALUE]), scores]);
  const probs = g.op('Softmax', [maskedScores], { axis: int(-1) });
  const y = g.op('MatMul', [probs, vAll]); // (B, nh, T, hs)
  const merged = g.op('Reshape', [
    g.op('Transpose', [y], { perm: ints([0, 2, 1, 3]) }), // (B, T, nh, hs)
    g.constInt64('shape', [0, 0, c.dModel]),
  ]); // (B, T, d)
  return linear(ctx, merged, `${p}.proj`);
}

function mlp(ctx: Ctx, i: number, x: string): string {
  const p = `blocks.${i}.mlp`;
  return linear(ctx, gelu(ctx, linear(ctx, x, `${p}.fc`)), `${p}.proj`); // (B, T, dFF) -> (B, T, d)
}

/** Pre-norm block: x = x + attn(ln1(x)); x = x + mlp(ln2(x)). */
function block(ctx: Ctx, i: number, x: string, seq: SeqInfo): string {
  return ctx.g.within(`blocks.${i}`, () => {
    const p = `blocks.${i}`;
    const a = ctx.g.op('Add', [x, attention(ctx, i, layerNorm(ctx, x, `${p}.ln1`), seq)]);
    return ctx.g.op('Add', [a, mlp(ctx, i, layerNorm(ctx, a, `${p}.ln2`))]);
  });
}

/** Text rows only: x[:, num_patches:, :] -> ln_f -> lm_head -> logits [B, S, vocab]. */
function lmHead(ctx: Ctx, x: string, seq: SeqInfo): void {
  const { g } = ctx;
  g.within('lm_head', () => {
    const end = g.initializer(g.fresh('end'), DataType.INT64, [1], BigInt64Array.of(INT64_MAX));
    const text = g.op('Slice', [x, seq.numPatches, end, g.constInt64('axes', [1])]); // (B, S, d)
    linear(ctx, layerNorm(ctx, text, 'ln_f'), 'lm_head', { bias: false, out: 'logits' }); // (B, S, vocab)
  });
}

// ---- the whole model ---------------------------------------------------------------------------

export function buildNanoModel(config: ModelConfig, params: Params, options: BuildOptions): ModelProto {
  const c = validateConfig(config);
  const w = checkParams(c, params);
  if (!QUANTS.includes(options.quant)) {
    throw new Error(`buildNanoGraph: quant must be one of ${QUANTS.join(', ')}, got ${JSON.stringify(options.quant)}`);
  }
  const opts: Required<BuildOptions> = { blockSize: 32, ...options };
  const g = new GraphBuilder();
  const ctx: Ctx = { g, c, w, opts, shapes: new Map(parameterShapes(c)) };
  const hs = headSize(c);

  g.input('patches', DataType.FLOAT, ['batch', 'num_patches', patchDim(c)]);
  g.input('input_ids', DataType.INT64, ['batch', 'sequence_length']);
  for (let i = 0; i < c.nLayer; i++) {
    g.input(pastKeyName(i), DataType.FLOAT, ['batch', c.nHead, 'past_sequence_length', hs]);
    g.input(pastValueName(i), DataType.FLOAT, ['batch', c.nHead, 'past_sequence_length', hs]);
  }

  const seq = sequenceInfo(ctx);
  const img = patchEmbed(ctx); // (B, P, d)
  const tok = tokenEmbed(ctx); // (B, S, d)
  let x = g.op('Concat', [img, tok], { axis: int(1) }); // (B, T, d)
  x = addPositions(ctx, x, seq);
  for (let i = 0; i < c.nLayer; i++) x = block(ctx, i, x, seq);
  lmHead(ctx, x, seq);

  g.output('logits', DataType.FLOAT, ['batch', 'sequence_length', c.vocabSize]);
  for (let i = 0; i < c.nLayer; i++) {
    g.output(presentKeyName(i), DataType.FLOAT, ['batch', c.nHead, 'total_sequence_length', hs]);
    g.output(presentValueName(i), DataType.FLOAT, ['batch', c.nHead, 'total_sequence_length', hs]);
  }

  const checksum = weightsChecksum(g.initializers.map((t) => t.rawData));
  return g.model({
    name: c.name,
    // LayerNormalization needs opset 17; com.microsoft 1 holds MatMulNBits.
    opsets: opts.quant === 'q4' ? { '': 17, 'com.microsoft': 1 } : { '': 17 },
    metadata: {
      [META_CONFIG]: JSON.stringify(c),
      [META_QUANT]: opts.quant,
      [META_FORMAT]: FORMAT_VERSION,
      [META_CHECKSUM]: checksum,
    },
    docString: `vigal nano model '${c.name}' (${opts.quant}); inputs/outputs documented in src/model/onnx/nano.ts`,
  });
}

/** FNV-1a 32 over a list of byte arrays, as 8 hex digits. */
export function weightsChecksum(chunks: readonly Uint8Array[]): string {
  let h = 0x811c9dc5;
  for (const bytes of chunks) {
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The nano model's ONNX bytes. */
export function buildNanoGraph(config: ModelConfig, params: Params, options: BuildOptions): Uint8Array {
  return serializeModel(buildNanoModel(config, params, options));
}
