/**
 * The registry of the project's random streams. A stream is `streamSeed(base, name)`, that is
 * `deriveSeed(base, STREAMS[name])`: one mixing function (src/util/rng.ts), one table of ids, so two
 * streams can only meet if their (base, id) pairs are equal. Items inside a stream (sample i, game g,
 * step s) are `deriveSeed(streamSeed, i)`. src/util/streams.test.ts derives every stream listed here at
 * the sizes the CLI and trainers use (capped to keep the test short) and checks that no two share a
 * state (Snake: snakeStateKey; Rotation: rotationQuestionKey).
 *
 * The ids are the values the project used before this table existed, so data, evaluation sets and
 * checkpoints stay reproducible from their seeds. Most are far above the item indices drawn from the
 * same base (a 30,000-state Snake pool plays about 10,000 games), but two are not: sftInit (5143) is
 * also the seed of the run's Rotation question 5143, or of its Snake game 5143 in a pool that large, and
 * rlPool (65), when the RL seed equals the SFT data seed (both 1 by default), that of SFT training game
 * 65. The seed then serves two roles that draw different things (initial weights or a sampler's choices,
 * against one game's spawns); see docs/architecture.md, Random streams.
 */
import { deriveSeed } from './rng';

export const STREAMS = {
  /** `vigal eval`, Evaluate mode, RL held-out evaluation: heldOutPositions(game, n, seed). */
  heldOut: 0x4e1d,
  /** `vigal eval --min-length N`: the long-snake held-out set (own snake length >= N), apart from `heldOut`. */
  heldOutLong: 0x7e1d00,
  /** The supervised trainer's held-out split, from its data seed (snakeSource, rotationSource). */
  sftHeldOut: 0x0e7a1,
  /** `vigal train sft`: the initial weights (the data seed itself draws the training states). */
  sftInit: 0x1417,
  /** `vigal train sft`: micro-batch k of the run draws its indices from deriveSeed(streamSeed(seed, 'sftBatches'), k). */
  sftBatches: 0xba7c,
  /** The RL prompt pool: the SFT sources drawn at streamSeed(seed, 'rlPool'), minus held-out states. */
  rlPool: 0x41,
  /** RL step s picks its prompts from streamSeed(seed, 'rlStepPrompts', s) (one stream per step). */
  rlStepPrompts: 0x5eed0000,
  /** RL step s samples its rollouts from streamSeed(seed, 'rlStepSampling', s); group g from deriveSeed(that, g). */
  rlStepSampling: 0x7011,
  /** `vigal export`: Snake chunk k is deriveSeed(streamSeed(seed, 'exportSnake'), k). */
  exportSnake: 0x5a4e,
  /** `vigal export`: Rotation sample i is deriveSeed(streamSeed(seed, 'exportRotation'), i). */
  exportRotation: 0x2071,
  /** `vigal export`: which positions go to validation. */
  exportSplit: 0x5917,
  /** Watch and Play: the opponent bot's moves in the game of `seed`. */
  opponentBot: 0xb07,
  /** Watch mode, Rotation: question i is deriveSeed(streamSeed(seed, 'watchRotation'), i). */
  watchRotation: 0x3a7c,
  /** `vigal export`: Jigsaw sample i is deriveSeed(streamSeed(seed, 'exportJigsaw'), i) (src/games/jigsaw/streams.ts). */
  exportJigsaw: 0x7165a000,
  /** Watch mode, Jigsaw: question i is deriveSeed(streamSeed(seed, 'watchJigsaw'), i). */
  watchJigsaw: 0x7165b000,
  /** Issue 16's training data (train/traces/curriculum.ts): the Snake length curriculum's games. */
  curriculumSnake: 0xc0a100,
  /** Issue 16's training data: Rotation question i over the mixed class sets, and its class set. */
  curriculumRotation: 0xc0a200,
  /** The curriculum sources' own held-out split (teacher-forced SFT evaluation), both games. */
  curriculumHeldOut: 0xc0a300,
} as const;

export type StreamName = keyof typeof STREAMS;

/** The seed of the named stream of `base`; per-step streams add the step to the id (`offset`). */
export function streamSeed(base: number, name: StreamName, offset = 0): number {
  if (!Number.isInteger(offset) || offset < 0) throw new Error(`streamSeed: offset must be an integer >= 0, got ${offset}`);
  return deriveSeed(base, (STREAMS[name] + offset) >>> 0);
}

/**
 * The seeds the project uses by default: the CLI's and the trainers' option defaults and the app's
 * starting seeds. Match games use `seed + g` on purpose (any game replays alone with `--seed S+g`), so
 * two matches whose seeds are less than their game count apart share games; the defaults are 1000 apart.
 */
export const DEFAULT_SEEDS = {
  /** `vigal train sft` and the GPU SFT data (dump-sft-data.ts). */
  sftData: 1,
  /** `vigal train rl` and the GPU RL pool (dump-rl-data.ts). */
  rlData: 1,
  /** `vigal eval`'s default held-out set (200 states) and games; `train rl --eval-seed`. */
  evalDefault: 1000,
  /** The independent test set the README reports (500 states). */
  evalIndependent: 2000,
  /** The validation set the GPU RL runs pick checkpoints by (1,000 states). */
  evalValidation: 3000,
  /** `vigal export --seed`. */
  export: 0,
  /** `vigal match --seed` (game g starts from seed + g). */
  match: 1000,
  /** Watch and Play's first game. */
  app: 1,
} as const;
