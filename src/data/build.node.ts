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
import type { RotationQuestion } from '../games/rotation';
import type { RotationClassSet } from '../games/rotation/game';
import { sampleSnakeStates, type SnakeState } from '../games/snake';
import { gameOf, questionGame, type GameId } from '../games/registry';
import type { Game, PromptVariant } from '../games/game';
import { rasterize } from '../render/raster';
import { deriveSeed } from '../util/rng';
import { streamSeed } from '../util/streams';
import { encodeDatasetPng } from './png.node.ts';
import { groundTruthJson, withPlaceholders, type GroundTruth } from './record';

/** States per Snake chunk (the game's `exportChunk`): several bot games each, small enough that tiny exports stay fast. */
export const SNAKE_CHUNK = gameOf('snake').exportChunk;
/** Questions per Rotation chunk (four 512 px renders each, so a smaller unit). */
export const ROTATION_CHUNK = gameOf('rotation').exportChunk;

export type { RotationClassSet } from '../games/rotation/game';
export type { PromptVariant } from '../games/game';

/** A question game's export setting: its settings (games/game.ts, QuestionGame), the image side and anti-aliasing. */
export type QuestionBuild = { imageSize: number; supersample: 1 | 2 | 4 } & Record<string, unknown>;

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
  /** Other question games, by id (absent: the game's default settings at its default image size, crisp). */
  questions?: Partial<Record<GameId, QuestionBuild>>;
}

/** The export setting of a question game: Rotation's own field (kept, as manifests store it), else `questions[id]` or the defaults. */
export function questionBuild(opts: BuildOptions, id: GameId): QuestionBuild {
  const own = (opts as unknown as Record<string, QuestionBuild | undefined>)[id];
  const game = gameOf(id);
  if (own !== undefined) return own;
  const settings = questionGame(id)?.settings.default;
  return opts.questions?.[id] ?? { ...(settings as Record<string, unknown>), imageSize: game.defaultImageSize, supersample: 1 };
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

/** Per-game base seeds (each game's `exportStream`), so adding Rotation to a Snake export leaves the Snake samples unchanged. */
export function gameBaseSeed(seed: number, game: GameId): number {
  return streamSeed(seed, gameOf(game).exportStream);
}

/** Chunk k of a game: an env game's (Snake's) sampler run, or a question game's next questions. */
export function buildChunk(opts: BuildOptions, game: GameId, chunk: number): Candidate[] {
  return gameOf(game).kind === 'env' ? buildSnakeChunk(opts, chunk) : buildQuestionChunk(opts, game, chunk);
}

/** The export's duplicate key: the game's `exportKey`, hashed where it is long, prefixed with the game so games never collide. */
export function exportStateKey(game: Game<unknown, unknown>, state: unknown): string {
  const key = game.exportKey(state);
  return `${game.id}:${game.hashExportKey ? createHash('sha256').update(key).digest('hex').slice(0, 32) : key}`;
}

/** A candidate of any game from its state (the seed is the one it came from: the Snake chunk's, the question's own). */
function candidate(id: GameId, seed: number, state: unknown, images: Uint8Array[], variant: PromptVariant): Candidate {
  const game = gameOf(id);
  const truth = game.exportTruth(state, game.truth(state), seed) as GroundTruth;
  return {
    game: id,
    seed,
    stateKey: exportStateKey(game, state),
    state: state as Candidate['state'],
    images,
    prompt: withPlaceholders(game.prompt(state, variant), images.length),
    groundTruth: truth,
    groundTruthJson: groundTruthJson(truth),
  };
}

function buildSnakeChunk(opts: BuildOptions, chunk: number): Candidate[] {
  const { board, minLength, maxLength, imageSize } = opts.snake;
  const seed = deriveSeed(gameBaseSeed(opts.seed, 'snake'), chunk);
  const states = sampleSnakeStates(seed, SNAKE_CHUNK, { width: board, height: board, minLength, maxLength });
  const game = gameOf('snake');
  return states.map((state) => {
    const images = game.scenes(state, { size: imageSize, axes: true }).map((scene) => encodeDatasetPng(rasterize(scene)));
    return candidate('snake', seed, state, images, opts.promptVariant);
  });
}

function buildQuestionChunk(opts: BuildOptions, id: GameId, chunk: number): Candidate[] {
  const game = questionGame(id);
  if (!game) throw new Error(`buildQuestionChunk: ${id} is not a question game`);
  const o = questionBuild(opts, id);
  const base = gameBaseSeed(opts.seed, id);
  const out: Candidate[] = [];
  for (let j = 0; j < game.exportChunk; j++) {
    const seed = deriveSeed(base, chunk * game.exportChunk + j);
    const q = game.question(seed, o);
    const images = game.scenes(q, { size: o.imageSize, axes: true }).map((scene) => encodeDatasetPng(rasterize(scene, { supersample: o.supersample })));
    out.push(candidate(id, seed, q, images, opts.promptVariant));
  }
  return out;
}

/** What the model sees and must answer (objects, poses, answer), without the seed: a hash, as objects are long. */
export function rotationKey(q: RotationQuestion): string {
  return exportStateKey(gameOf('rotation'), q).slice('rotation:'.length);
}
