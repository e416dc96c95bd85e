/**
 * What the nano trainer knows of each game it can train: the solver-trace sources, the game's default
 * model config, how its RL prompt pool drops held-out items, and whether answer-only RL applies. A game
 * enters here only with a solver trace and words in the nano vocabulary (a new vocabulary means a newly
 * trained model), so a registered game without traces is simply not trainable (docs/architecture.md).
 */
import { questionSeedKey } from '../../games/game';
import { gameOf, type GameId } from '../../games/registry';
import { snakeStateKey, type SnakeState } from '../../games/snake';
import type { ModelConfig } from '../../model/config';
import type { SftSource } from '../data';
import { curriculumSnakeSource, rotationClassesSource } from './curriculum';
import { rotationSource } from './rotation';
import { snakeSource } from './snake';

export interface SourceSizes {
  seed: number;
  trainSize: number;
  evalSize: number;
}

export interface TraceGame {
  /** The game's default nano config (name, image layout, sequence length). */
  readonly config: Partial<ModelConfig>;
  /** The standard source: solver traces of the data seed's items. */
  source(config: ModelConfig, sizes: SourceSizes): SftSource;
  /** Issue 16's curriculum source (`vigal train sft --data curriculum`). */
  curriculum(config: ModelConfig, sizes: SourceSizes): SftSource;
  /**
   * The RL prompt pool: the standard source and the training indices kept, those sharing no exclusion
   * key (games/game.ts `exclusionKeys`) with the held-out set.
   */
  pool(config: ModelConfig, sizes: SourceSizes, heldOut: ReadonlySet<string>): { source: SftSource; keep: number[] };
  /** Answer-only RL (one move token after a fixed scaffold) applies: Snake's best move. */
  readonly answerOnly: boolean;
  /** Prompts the pool measures for its length quantiles: every one, or the first n (a question game's prompts differ only in labels). */
  readonly lengthScan: number | null;
}

export const TRACE_GAMES = {
  snake: {
    config: { name: 'vigal-nano-snake-sft', games: ['snake'], imageSize: 80, patchSize: 8, maxImages: 1, maxSeqLen: 512 },
    source: snakeSource,
    curriculum: curriculumSnakeSource,
    pool(config, sizes, heldOut) {
      const source = snakeSource(config, sizes);
      return { source, keep: source.trainStates.flatMap((s: SnakeState, i) => (heldOut.has(snakeStateKey(s)) ? [] : [i])) };
    },
    answerOnly: true,
    lengthScan: null,
  },
  rotation: {
    config: { name: 'vigal-nano-rotation-sft', games: ['rotation'], imageSize: 40, patchSize: 8, maxImages: 4, maxSeqLen: 272 },
    source: rotationSource,
    curriculum: rotationClassesSource,
    pool(config, sizes, heldOut) {
      const source = rotationSource(config, sizes);
      return { source, keep: Array.from({ length: sizes.trainSize }, (_, i) => i).filter((i) => !heldOut.has(questionSeedKey(source.trainSeed(i)))) };
    },
    answerOnly: false,
    lengthScan: 256,
  },
} as const satisfies Partial<Record<GameId, TraceGame>>;

export type TraceGameId = keyof typeof TRACE_GAMES;
export const TRACE_GAME_IDS = Object.keys(TRACE_GAMES) as TraceGameId[];

export const isTraceGame = (game: string): game is TraceGameId => Object.prototype.hasOwnProperty.call(TRACE_GAMES, game);

/** The trainer's entry of a game, or an Error naming the trainable games. */
export function traceGame(game: GameId): TraceGame {
  if (isTraceGame(game)) return TRACE_GAMES[game];
  throw new Error(`${gameOf(game).title} has no solver traces for the nano model; trainable games: ${TRACE_GAME_IDS.join(', ')}`);
}

/** Answer-only RL applies to this game (Train mode's checkbox, the trainer's check). */
export const answerOnlyGame = (game: GameId): boolean => isTraceGame(game) && TRACE_GAMES[game].answerOnly;
