/**
 * Builds candidate samples, one chunk at a time: the unit of work the export hands to its worker
 * threads. A chunk depends only on (game, options, seed, chunk index), never on which thread builds it
 * or when, so an export is the same bytes with any number of workers.
 *
 * Snake chunk k: `sampleSnakeStates(deriveSeed(base, k), SNAKE_CHUNK, ...)` (bot games, distinct states
 * within the chunk). Rotation chunk k: questions with seeds `deriveSeed(base, k * ROTATION_CHUNK + j)`.
 * The export then drops states already seen in earlier chunks, so the dataset has no duplicates.
 */
import { createHash } from 'node:crypto';
import { rotationPrompt, rotationQuestion, rotationScenes, ROTATION_CLASS_SETS, type RotationQuestion } from '../games/rotation';
import { sampleSnakeStates, snakeLabels, snakePrompt, snakeScene, snakeStateKey, type SnakeState } from '../games/snake';
import type { GameId } from '../games/registry';
import { rasterize } from '../render/raster';
import { deriveSeed } from '../util/rng';
import { streamSeed } from '../util/streams';
import { encodeDatasetPng } from './png.node.ts';
import { groundTruthJson, withPlaceholders, type GroundTruth } from './record';

/** States per Snake chunk: several bot games each, small enough that tiny exports stay fast. */
export const SNAKE_CHUNK = 64;
/** Questions per Rotation chunk (four 512 px renders each, so a smaller unit). */
export const ROTATION_CHUNK = 8;

export type RotationClassSet = keyof typeof ROTATION_CLASS_SETS;
export type PromptVariant = 'full' | 'compact';

/** Everything that decides the samples; stored in the manifest. */
export interface BuildOptions {
  seed: number;
  promptVariant: PromptVariant;
  snake: {
    /** Board side (ViGaL: 10). */
    board: number;
    /** Length range of the point-of-view snake (ViGaL: 1-5). */
    minLength: number;
    maxLength: number;
    /** Image side in pixels. */
    imageSize: number;
  };
  rotation: {
    classSet: RotationClassSet;
    /** Include the in-context example pair (images 1-2). */
    example: boolean;
    /** Image side in pixels (ViGaL: 512). */
    imageSize: number;
    /** Anti-aliasing of the shaded renders (1 crisp, 2 smooth). */
    supersample: 1 | 2 | 4;
  };
}

/** A sample before deduplication and the split. */
export interface Candidate {
  game: GameId;
  seed: number;
  stateKey: string;
  state: SnakeState | RotationQuestion;
  images: Uint8Array[];
  prompt: string;
  groundTruth: GroundTruth;
  groundTruthJson: string;
}

/** Per-game base seeds, so adding Rotation to a Snake export leaves the Snake samples unchanged. */
export function gameBaseSeed(seed: number, game: GameId): number {
  return streamSeed(seed, game === 'snake' ? 'exportSnake' : 'exportRotation');
}

export function buildChunk(opts: BuildOptions, game: GameId, chunk: number): Candidate[] {
  return game === 'snake' ? buildSnakeChunk(opts, chunk) : buildRotationChunk(opts, chunk);
}

function buildSnakeChunk(opts: BuildOptions, chunk: number): Candidate[] {
  const { board, minLength, maxLength, imageSize } = opts.snake;
  const seed = deriveSeed(gameBaseSeed(opts.seed, 'snake'), chunk);
  const states = sampleSnakeStates(seed, SNAKE_CHUNK, { width: board, height: board, minLength, maxLength });
  return states.map((state) => {
    const { best, worst } = snakeLabels(state);
    const image = encodeDatasetPng(rasterize(snakeScene(state, { size: imageSize, axes: true })));
    const truth: GroundTruth = { game: 'snake', best, worst, state };
    return {
      game: 'snake',
      seed,
      stateKey: `snake:${snakeStateKey(state)}`,
      state,
      images: [image],
      prompt: withPlaceholders(snakePrompt(state, { variant: opts.promptVariant }), 1),
      groundTruth: truth,
      groundTruthJson: groundTruthJson(truth),
    };
  });
}

function buildRotationChunk(opts: BuildOptions, chunk: number): Candidate[] {
  const { classSet, example, imageSize, supersample } = opts.rotation;
  const classes = [...ROTATION_CLASS_SETS[classSet]];
  const base = gameBaseSeed(opts.seed, 'rotation');
  const out: Candidate[] = [];
  for (let j = 0; j < ROTATION_CHUNK; j++) {
    const seed = deriveSeed(base, chunk * ROTATION_CHUNK + j);
    const q = rotationQuestion(seed, { classes, example, imageSize });
    const images = rotationScenes(q, imageSize).map((scene) => encodeDatasetPng(rasterize(scene, { supersample })));
    const truth: GroundTruth = { game: 'rotation', answer: q.answer, seed, classes, example };
    out.push({
      game: 'rotation',
      seed,
      stateKey: `rotation:${rotationKey(q)}`,
      state: q,
      images,
      prompt: withPlaceholders(rotationPrompt(q, { variant: opts.promptVariant }), images.length),
      groundTruth: truth,
      groundTruthJson: groundTruthJson(truth),
    });
  }
  return out;
}

/** What the model sees and must answer (objects, poses, answer), without the seed: a hash, as objects are long. */
export function rotationKey(q: RotationQuestion): string {
  const shown = { classes: q.classes, object: q.object, baseRollDeg: q.baseRollDeg, answer: q.answer, example: q.example ?? null };
  return createHash('sha256').update(JSON.stringify(shown)).digest('hex').slice(0, 32);
}
