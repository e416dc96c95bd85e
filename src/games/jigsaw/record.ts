/**
 * Jigsaw's dataset record and ground truth, in the shape of src/data/record.ts (`SampleRecord`,
 * `groundTruthJson`), built here because games/ sits below data/ and cannot import it. Once the
 * registry widens `GameId` and `GroundTruth`, a `JigsawSampleRecord` is a `SampleRecord` as it stands.
 *
 * The ground-truth JSON is what python/vigal_reward.py reads:
 *   {"game":"jigsaw","answer":[3,1,4,2],"grid":2,"seed":17}
 * (`answer` is the scored fact; `grid` and `seed` regenerate the question.)
 */
import { encodePng } from '../../render/png';
import { fnv1a64Hex, rasterize, type Raster } from '../../render/raster';
import { jigsawPrompt, type PromptVariant } from './prompt';
import { jigsawQuestionKey, jigsawScenes, type JigsawQuestion } from './task';

/** data/record.ts's IMAGE_PLACEHOLDER (one per image, before the text); the same string. */
export const JIGSAW_IMAGE_PLACEHOLDER = '<image>';
/** `data_source` (verl) / `datasource` (OpenRLHF), as data/record.ts's DATA_SOURCES names the others. */
export const JIGSAW_DATA_SOURCE = 'vigal/jigsaw';

export interface JigsawGroundTruth {
  game: 'jigsaw';
  /** 1-based shuffled tile number per restored position, reading order. */
  answer: number[];
  grid?: number;
  seed?: number;
}

export interface JigsawSampleRecord {
  game: 'jigsaw';
  split: 'train' | 'val';
  /** Position within its split, 0-based. */
  index: number;
  /** The question seed. */
  seed: number;
  /** Duplicate-detection key, game-prefixed: a hash of jigsawQuestionKey (the picture makes the key long). */
  stateKey: string;
  state: JigsawQuestion;
  /** PNG bytes, in prompt order (one image). */
  images: Uint8Array[];
  /** The user message, with one image placeholder per image, first. */
  prompt: string;
  groundTruth: JigsawGroundTruth;
  /** `groundTruth` serialised once (key order fixed, no spaces), byte-identical in every engine's files. */
  groundTruthJson: string;
}

export interface JigsawRecordOptions {
  split?: 'train' | 'val';
  index?: number;
  promptVariant?: PromptVariant;
  /** Must be a multiple of the grid (JIGSAW_IMAGE_SIZES.export is 504). */
  imageSize: number;
  supersample?: 1 | 2 | 4;
  /** PNG encoder; the export passes its smaller indexed-colour one (data/png.node.ts's encodeDatasetPng). */
  encode?: (raster: Raster) => Uint8Array;
}

export function jigsawGroundTruth(q: JigsawQuestion): JigsawGroundTruth {
  return { game: 'jigsaw', answer: [...q.answer], grid: q.grid, seed: q.seed };
}

/** The hash part of a record's stateKey: 16 hex digits of FNV-1a 64 over the key's UTF-8 bytes. */
export function jigsawStateHash(q: JigsawQuestion): string {
  return fnv1a64Hex(new TextEncoder().encode(jigsawQuestionKey(q)));
}

/** One dataset sample: plain data (the PNG bytes included), ready for the engine writers. */
export function jigsawRecord(q: JigsawQuestion, o: JigsawRecordOptions): JigsawSampleRecord {
  const encode = o.encode ?? encodePng;
  const images = jigsawScenes(q, o.imageSize).map((scene) => encode(rasterize(scene, { supersample: o.supersample ?? 1 })));
  const groundTruth = jigsawGroundTruth(q);
  return {
    game: 'jigsaw',
    split: o.split ?? 'train',
    index: o.index ?? 0,
    seed: q.seed,
    stateKey: `jigsaw:${jigsawStateHash(q)}`,
    state: q,
    images,
    prompt: JIGSAW_IMAGE_PLACEHOLDER.repeat(images.length) + jigsawPrompt(q, { variant: o.promptVariant ?? 'full' }),
    groundTruth,
    groundTruthJson: JSON.stringify(groundTruth),
  };
}

/** What a perfect response to this truth looks like (check-dataset scores it and must get 1.1). */
export function jigsawPerfectResponse(truth: JigsawGroundTruth): string {
  return `<think>ground truth</think><answer>[${truth.answer.join(', ')}]</answer>`;
}
