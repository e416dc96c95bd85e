/**
 * Small factories for the model and runtime tests: a tiny config and real game inputs (a rendered Snake
 * board and its compact prompt). Test support only: the one place model/ reaches up into games/ and
 * render/, to feed the graph what it will see in use.
 */
import { DEFAULT_CONFIG, type ModelConfig } from './config';
import { patchify } from './patchify';
import { defaultTokenizer, type Tokenizer } from './tokenizer';
import { sampleSnakeStates, snakePrompt, snakeScene } from '../games/snake';
import { rasterize } from '../render';

/** 32x32 images in 8x8 patches (16 patches of 192 values), d=32, 2 layers, 2 heads; runs in milliseconds. */
export const TEST_CONFIG: ModelConfig = {
  ...DEFAULT_CONFIG,
  name: 'nano-test',
  imageSize: 32,
  patchSize: 8,
  maxImages: 1,
  vocabSize: 256,
  dModel: 32,
  nLayer: 2,
  nHead: 2,
  dFF: 64,
  maxSeqLen: 256,
};

export interface Example {
  patches: Float32Array;
  inputIds: number[];
  prompt: string;
}

/** Real inputs: Snake state `index` of a seeded sample, rendered at 2x and box-filtered by patchify. */
export function snakeExample(config: ModelConfig, seed: number, tokenizer: Tokenizer = defaultTokenizer()): Example {
  const state = sampleSnakeStates(seed, 1)[0];
  if (!state) throw new Error(`no Snake state for seed ${seed}`);
  const raster = rasterize(snakeScene(state, { size: config.imageSize * 2, axes: false }));
  const prompt = snakePrompt(state, { variant: 'compact' });
  return { patches: patchify(config, [raster]), inputIds: tokenizer.encode(prompt, { bos: true }), prompt };
}
