/**
 * The Rotation SFT source: questions by seed, their images, the compact prompt, and the game's own
 * solver trace (games/rotation/trace.ts, the game object's `trace`).
 */
import { EXAMPLE_ANGLE_DEG, rotationPrompt, rotationQuestion, rotationScenes, scoreRotation, type RotationQuestion } from '../../games/rotation';
import { rotationTrace, traceable } from '../../games/rotation/trace';
import type { ModelConfig } from '../../model/config';
import { deriveSeed } from '../../util/rng';
import { streamSeed } from '../../util/streams';
import { sceneToImage, type SftExample, type SftSource } from '../data';

export { mapPoint, rotationTrace, traceable, type RotationTrace } from '../../games/rotation/trace';

/** One example: the question's images at config.imageSize (with the example pair if 4 images fit). */
export function rotationExample(c: ModelConfig, q: RotationQuestion): SftExample {
  if (c.inputMode !== 'image+text' && c.inputMode !== 'image') {
    throw new Error(`rotation SFT: the answer is in the images; inputMode '${c.inputMode}' has none`);
  }
  return {
    images: rotationScenes(q, c.imageSize).map(sceneToImage),
    prompt: rotationPrompt(q, { variant: 'compact' }),
    response: rotationTrace(q).response,
    score: (response) => scoreRotation(response, q.answer),
  };
}

export interface RotationSourceOptions {
  seed: number;
  trainSize: number;
  evalSize: number;
}

/**
 * Questions by index: train i from deriveSeed(seed, i), held-out from another stream (a 32-bit seed
 * collision between the two is ~1e-5 likely and harmless). The example pair is on when config.maxImages
 * leaves room for four images.
 */
/**
 * The seed of the traceable question at index i of the stream `base`: deriveSeed(base, i), or, for the
 * ~1 in 2,000 questions the solver cannot trace (index 142 of seed 1 is one), the first traceable of
 * deriveSeed(deriveSeed(base, i), k), k = 1, 2, ... Every other index keeps its question.
 */
function traceableSeed(base: number, i: number, question: (seed: number) => RotationQuestion): number {
  const first = deriveSeed(base, i);
  if (traceable(question(first))) return first;
  for (let k = 1; k <= 16; k++) {
    const seed = deriveSeed(first, k);
    if (traceable(question(seed))) return seed;
  }
  throw new Error(`rotation source: no traceable question for index ${i} in 17 tries`);
}

export function rotationSource(c: ModelConfig, o: RotationSourceOptions): SftSource & { trainSeed: (i: number) => number } {
  const example = c.maxImages >= 4;
  const question = (seed: number): RotationQuestion => rotationQuestion(seed, { example, imageSize: c.imageSize });
  const evalBase = streamSeed(o.seed, 'sftHeldOut');
  return {
    game: 'rotation',
    trainSize: o.trainSize,
    evalSize: o.evalSize,
    train: (i) => rotationExample(c, question(traceableSeed(o.seed, i, question))),
    /**
     * The question seed of training index i (a question is a pure function of its seed), as the held-out
     * exclusion compares it; the rare untraceable question's replacement derives from this seed.
     */
    trainSeed: (i) => deriveSeed(o.seed, i),
    evalExample: (i) => rotationExample(c, question(traceableSeed(evalBase, i, question))),
  };
}

/** Re-exported for tests: the example pair's fixed turn. */
export { EXAMPLE_ANGLE_DEG };
