/** Snake, ViGaL's first surrogate game: rules, labels, prompt, reward, bots, sampler and scene. */

export {
  DEFAULT_SNAKE_OPTIONS,
  DELTAS,
  MAX_BOARD_SIDE,
  MOVES,
  SNAKE_COLOR_NAMES,
  TAIL_RULES,
  isMove,
  parseSnakeState,
  resolveSnakeOptions,
  type Move,
  type Point,
  type SnakeJson,
  type SnakeOptions,
  type SnakeState,
  type TailRule,
} from './types';
export { SnakeEnv, type DeathCause, type SnakeDeath, type SnakeResult, type SnakeStep, type SnakeStepInfo } from './env';
export { snakeLabels, type SnakeLabels } from './labels';
export { SNAKE_ANSWER_FORMAT, SNAKE_OPTIONS_TEXT, SNAKE_PROMPT_VARIANTS, snakePrompt, type SnakePromptOptions, type SnakePromptVariant } from './prompt';
export { judgeSnakeAnswer, parseSnakeAnswer, scoreSnake, type SnakeAnswer, type SnakeTruth, type SnakeVerdict } from './reward';
export { BOT_NAMES, SNAKE_BOTS, greedyBot, lookaheadBot, makeLookaheadBot, randomBot, type SnakeBot, type SnakeBotName } from './bots';
export { playSnakeGame, sampleSnakeStates, snakeStateKey, type SampleSnakeOptions, type SnakeGameRecord } from './sampler';
export {
  CURRICULUM_BUCKETS,
  CURRICULUM_PAIRINGS,
  CURRICULUM_WEIGHTS,
  bucketCounts,
  sampleCurriculumStates,
  stateTags,
  type CurriculumOptions,
  type LengthBucket,
  type StateTags,
} from './curriculum';
export {
  APPLE_COLOR,
  CELL_COLOR,
  GRID_COLOR,
  SNAKE_SCENE_COLORS,
  TICK_COLOR,
  headDirection,
  snakeLayout,
  snakeScene,
  type SnakeLayout,
  type SnakeSceneOptions,
} from './scene';
