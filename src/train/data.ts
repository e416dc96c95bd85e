/**
 * SFT data: game states -> (images, prompt, solver response) -> token ids and patches -> fixed-shape
 * batches with the loss on response tokens only.
 *
 * The sequence layout (the contract with the runtime, which must build prompts the same way):
 *
 *   [patches of every image] [BOS] prompt-ids [\n] response-ids [EOS] [PAD ...]
 *                                                  `-------- loss --------'
 *
 * `promptIds` gives everything the runtime feeds before generating (BOS, the prompt, the newline);
 * the model then writes the response and EOS. Position Np + j predicts text token j + 1, so the loss
 * weights sit on the positions whose NEXT token is a response token or EOS.
 *
 * Images are the game scene rasterised at config.imageSize (Snake without axes, so an 80 px image of a
 * 10 x 10 board has 8 px cells, one per patch), cut by model/patchify.ts (shared with the runtime)
 * into [Np, patchDim] rows.
 */
import type { RewardParts } from '../games/types';
import type { ModelConfig } from '../model/config';
import { patchDim } from '../model/config';
import { patchify, type RgbaImage } from '../model/patchify';
import type { Tokenizer } from '../model/tokenizer';
import { rasterize } from '../render/raster';
import type { Scene } from '../render/scene';
import { deriveSeed, Rng } from '../util/rng';
import { streamSeed } from '../util/streams';
import type { HostBatch } from './model';

/** One supervised example, before tokenisation. */
export interface SftExample {
  /** RGBA rasters of each image, config.imageSize square (or an integer multiple), in prompt order. */
  images: RgbaImage[];
  prompt: string;
  /** The target: `<think>...</think>` and the answer tags. */
  response: string;
  /** The game's verifiable reward of any response to this example (for greedy-decode evaluation). */
  score?(response: string): RewardParts;
}

export interface EncodedExample {
  /** [Np, patchDim], Np = images x patchesPerImage (0 in text-only mode). */
  patches: Float32Array;
  /** Text ids fed before the response: BOS, prompt, newline. */
  prompt: number[];
  /** Response ids and EOS: the tokens the loss is on. */
  response: number[];
}

// The prompt layout is shared with the runtime (model/inputs.ts), so both feed exactly the same ids.
export { promptIds, responseIds } from '../model/inputs';
import { promptIds, responseIds } from '../model/inputs';

/** Scene -> RGBA raster at its own size (the model's eyes; model/patchify reads it). */
export function sceneToImage(scene: Scene): RgbaImage {
  return rasterize(scene);
}

export function encodeExample(c: ModelConfig, tok: Tokenizer, ex: SftExample): EncodedExample {
  const useImages = c.inputMode !== 'text';
  if (useImages && ex.images.length > c.maxImages) {
    throw new Error(`encodeExample: ${ex.images.length} images but config.maxImages is ${c.maxImages}`);
  }
  const patches = useImages ? patchify(c, ex.images) : new Float32Array(0);
  return { patches, prompt: promptIds(tok, ex.prompt), response: responseIds(tok, ex.response) };
}

/**
 * Stacks examples into one fixed-shape batch: text right-padded with PAD to `T`, every example with the
 * same number of patches. Rows beyond `examples.length` (to fill a last eval batch) are all padding
 * with zero weight. Weights are 1 / (response tokens in the batch), so the loss is their mean.
 */
export function makeBatch(c: ModelConfig, examples: EncodedExample[], B: number, T: number, padId: number): HostBatch {
  if (examples.length === 0 || examples.length > B) throw new Error(`makeBatch: need 1..${B} examples, got ${examples.length}`);
  const pd = patchDim(c);
  const Np = (examples[0] as EncodedExample).patches.length / pd;
  const patches = new Float32Array(B * Np * pd);
  const inputIds = new Int32Array(B * T).fill(padId);
  const targets = new Int32Array(B * T).fill(padId);
  const weights = new Float32Array(B * T);
  let count = 0;
  examples.forEach((e, b) => {
    if (e.patches.length !== Np * pd) throw new Error(`makeBatch: example ${b} has ${e.patches.length / pd} patches, example 0 has ${Np}`);
    const ids = [...e.prompt, ...e.response];
    if (ids.length > T) throw new Error(`makeBatch: example ${b} has ${ids.length} text tokens, more than T = ${T}`);
    if (Np + T > c.maxSeqLen) throw new Error(`makeBatch: ${Np} patches + ${T} tokens exceed maxSeqLen ${c.maxSeqLen}`);
    patches.set(e.patches, b * Np * pd);
    inputIds.set(ids, b * T);
    // Position j predicts ids[j + 1]; a response token k (k >= prompt length) is predicted at k - 1.
    for (let j = 0; j + 1 < ids.length; j++) {
      targets[b * T + j] = ids[j + 1] as number;
      if (j + 1 >= e.prompt.length) {
        weights[b * T + j] = 1;
        count++;
      }
    }
  });
  for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] as number) / count;
  return { B, Np, T, patches, inputIds, targets, weights };
}

/**
 * A source of examples, indexable so that a batch is a pure function of (seed, step): resume then
 * replays exactly the batches the interrupted run would have seen.
 */
export interface SftSource {
  readonly game: string;
  /** Number of distinct training examples. */
  readonly trainSize: number;
  readonly evalSize: number;
  train(index: number): SftExample;
  evalExample(index: number): SftExample;
  /** Prompt and response only, without rendering images (for vocabulary and length scans). */
  text?(split: 'train' | 'eval', index: number): { prompt: string; response: string };
}

/**
 * Encodes examples on demand with a small cache (rasterising and tokenising costs ~1 ms an example,
 * a step ~1 s: caching only matters for the repeated eval set).
 */
export class EncodedSource {
  private readonly evalCache = new Map<number, EncodedExample>();

  constructor(
    readonly config: ModelConfig,
    readonly tok: Tokenizer,
    readonly source: SftSource,
  ) {}

  train(index: number): EncodedExample {
    return encodeExample(this.config, this.tok, this.source.train(index));
  }

  evalExample(index: number): EncodedExample {
    let e = this.evalCache.get(index);
    if (e === undefined) {
      e = encodeExample(this.config, this.tok, this.source.evalExample(index));
      this.evalCache.set(index, e);
    }
    return e;
  }

  /** The micro-batch `micro` of optimizer step `step`: B training indices drawn from (seed, step, micro). */
  trainBatchIndices(seed: number, step: number, micro: number, accum: number, B: number): number[] {
    const rng = new Rng(deriveSeed(streamSeed(seed, 'sftBatches'), step * accum + micro));
    return Array.from({ length: B }, () => rng.int(this.source.trainSize));
  }
}
