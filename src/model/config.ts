/**
 * The nano model's shape: ONE flat typed record that the trainer (src/train), the ONNX writer
 * (src/model/onnx) and the runtime (src/runtime) all read. It is saved as `config.json` beside every
 * checkpoint and inside the ONNX metadata, so a weight file never travels without its shape.
 *
 * The model is a decoder-only multimodal transformer (nanoGPT-style, pre-norm):
 *   sequence = [image patches of every image] [prompt tokens] [response tokens]
 *   x = concat(patch_embed(patches), tok_embed(tokens)) + pos_embed[0..T)
 *   x = x + attn(ln1(x)); x = x + mlp(ln2(x))        (nLayer times, causal attention over the whole sequence)
 *   logits = lm_head(ln_f(x))                        (read only at text positions)
 */
import type { GameId } from '../games/registry';
export interface ModelConfig {
  /** Name shown in the UI and model cards, e.g. 'vigal-nano-snake-sft'. */
  name: string;
  /** Which games this checkpoint was trained for. */
  games: GameId[];
  /** Side of the square RGB input raster in pixels (the game scene is rasterised at this size). */
  imageSize: number;
  /** Side of a square patch; imageSize must be a multiple. Patches per image = (imageSize/patchSize)^2. */
  patchSize: number;
  /** Images per prompt the positional table is sized for (Snake 1, Rotation up to 4). */
  maxImages: number;
  /** Tokenizer vocabulary size (tokenizer.json's entries, special tokens included). */
  vocabSize: number;
  /** Width of the residual stream. */
  dModel: number;
  nLayer: number;
  /** dModel must be a multiple of nHead; head size = dModel / nHead. */
  nHead: number;
  /** Hidden width of the MLP (GELU, tanh approximation). */
  dFF: number;
  /** Longest sequence, image patches included; sizes the learned position table. */
  maxSeqLen: number;
  /** LayerNorm epsilon. */
  lnEps: number;
  /** What the prompt carries besides the response: the raster, the coordinates text, or both (default). */
  inputMode: 'image+text' | 'image' | 'text';
  /**
   * Views per side of an image grid (absent: 1, every image its own raster). With g > 1 a prompt of 2 to
   * g x g images (Rotation's four views) is tiled row-major into ONE imageSize raster, each view
   * box-filtered to an imageSize/g cell, while a single image (Snake's board) still fills the raster:
   * both games then cost the same patches, so one model trains on both in one batch (model/patchify.ts).
   * It changes the inputs, not the graph.
   */
  imageGrid?: number;
}

export const DEFAULT_CONFIG: ModelConfig = {
  name: 'vigal-nano',
  games: ['snake'],
  imageSize: 80,
  patchSize: 8,
  maxImages: 1,
  vocabSize: 256,
  dModel: 128,
  nLayer: 4,
  nHead: 4,
  dFF: 512,
  maxSeqLen: 384,
  lnEps: 1e-5,
  inputMode: 'image+text',
};

export const patchesPerImage = (c: ModelConfig): number => (c.imageSize / c.patchSize) ** 2;
/** Rasters a prompt of `images` images becomes: each its own, or (imageGrid g > 1) ceil(images / g^2) grids, one image alone. */
export const rastersFor = (c: ModelConfig, images: number): number => {
  const g = c.imageGrid ?? 1;
  return g === 1 || images <= 1 ? images : Math.ceil(images / (g * g));
};
/** Values in one flattened patch: patchSize x patchSize pixels x RGB, row-major (py, px, channel). */
export const patchDim = (c: ModelConfig): number => c.patchSize * c.patchSize * 3;
export const headSize = (c: ModelConfig): number => c.dModel / c.nHead;

/**
 * Every parameter tensor, in a fixed order, with its shape. Weight matrices are stored [in, out] so that
 * y = x @ W + b everywhere (trainer, ONNX MatMul, 4-bit MatMulNBits after transposition).
 * These names are the safetensors keys and the ONNX initializer names.
 * `attn.qkv.weight` columns are [q | k | v], each dModel wide; head h is columns [h*hs, (h+1)*hs) of
 * its part (nanoGPT's split then view). The ONNX graph (onnx/nano.ts) and the trainer both rely on it.
 */
export function parameterShapes(c: ModelConfig): [name: string, shape: number[]][] {
  const d = c.dModel;
  const shapes: [string, number[]][] = [
    ['patch_embed.weight', [patchDim(c), d]],
    ['patch_embed.bias', [d]],
    ['tok_embed.weight', [c.vocabSize, d]],
    ['pos_embed.weight', [c.maxSeqLen, d]],
  ];
  for (let i = 0; i < c.nLayer; i++) {
    const p = `blocks.${i}`;
    shapes.push(
      [`${p}.ln1.weight`, [d]],
      [`${p}.ln1.bias`, [d]],
      [`${p}.attn.qkv.weight`, [d, 3 * d]],
      [`${p}.attn.qkv.bias`, [3 * d]],
      [`${p}.attn.proj.weight`, [d, d]],
      [`${p}.attn.proj.bias`, [d]],
      [`${p}.ln2.weight`, [d]],
      [`${p}.ln2.bias`, [d]],
      [`${p}.mlp.fc.weight`, [d, c.dFF]],
      [`${p}.mlp.fc.bias`, [c.dFF]],
      [`${p}.mlp.proj.weight`, [c.dFF, d]],
      [`${p}.mlp.proj.bias`, [d]],
    );
  }
  shapes.push(['ln_f.weight', [d]], ['ln_f.bias', [d]], ['lm_head.weight', [d, c.vocabSize]]);
  return shapes;
}

/** Checks a config read from disk or the UI; errors name the field and what was expected. */
export function validateConfig(raw: unknown): ModelConfig {
  if (typeof raw !== 'object' || raw === null) throw new Error('model config must be a JSON object');
  const c = { ...DEFAULT_CONFIG, ...(raw as Partial<ModelConfig>) };
  const positiveInts: (keyof ModelConfig)[] = ['imageSize', 'patchSize', 'maxImages', 'vocabSize', 'dModel', 'nLayer', 'nHead', 'dFF', 'maxSeqLen'];
  for (const key of positiveInts) {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new Error(`model config: ${key} must be a positive integer, got ${JSON.stringify(v)}`);
    }
  }
  if (c.imageSize % c.patchSize !== 0) {
    throw new Error(`model config: imageSize (${c.imageSize}) must be a multiple of patchSize (${c.patchSize})`);
  }
  if (c.dModel % c.nHead !== 0) {
    throw new Error(`model config: dModel (${c.dModel}) must be a multiple of nHead (${c.nHead})`);
  }
  if (!['image+text', 'image', 'text'].includes(c.inputMode)) {
    throw new Error(`model config: inputMode must be 'image+text', 'image' or 'text', got ${JSON.stringify(c.inputMode)}`);
  }
  if (c.imageGrid !== undefined) {
    const g = c.imageGrid;
    if (typeof g !== 'number' || !Number.isInteger(g) || g < 1 || (c.imageSize / g) % c.patchSize !== 0) {
      throw new Error(
        `model config: imageGrid must be an integer >= 1 with imageSize / imageGrid a multiple of patchSize (${c.imageSize} / g, ${c.patchSize}), got ${JSON.stringify(g)}`,
      );
    }
  }
  if (rastersFor(c, c.maxImages) * patchesPerImage(c) >= c.maxSeqLen) {
    throw new Error(`model config: maxSeqLen (${c.maxSeqLen}) leaves no room for text after ${c.maxImages} image(s)`);
  }
  return c;
}
