/** A position of either game, as a policy is asked to play it (policy/types.ts and records/types.ts use it). */
import type { SnakeState } from './snake';
import type { RotationQuestion } from './rotation';

/** A position to play: a Snake state seen from `state.you`, or a Rotation question. */
export type Position = { game: 'snake'; state: SnakeState } | { game: 'rotation'; state: RotationQuestion };
