/** Small factories for Snake states in tests (this folder's and those of the layers above). */

import type { Move, Point, SnakeJson, SnakeState } from './types';

export interface SnakeSpec {
  /** Head first. */
  body: Point[];
  lastMove?: Move | null;
  alive?: boolean;
  score?: number;
}

export interface StateSpec {
  width?: number;
  height?: number;
  /** Snake i gets id i + 1. */
  snakes: (SnakeSpec | Point[])[];
  apples?: Point[];
  you?: number;
  round?: number;
}

/** A state on a 10 x 10 board unless told otherwise; a bare body is an alive snake that has not moved. */
export function makeSnakeState(spec: StateSpec): SnakeState {
  const snakes: SnakeJson[] = spec.snakes.map((s, i) => {
    const full: SnakeSpec = Array.isArray(s) ? { body: s } : s;
    return {
      id: i + 1,
      body: full.body.map((p) => [p[0], p[1]]),
      lastMove: full.lastMove ?? null,
      alive: full.alive ?? true,
      score: full.score ?? 0,
    };
  });
  return {
    width: spec.width ?? 10,
    height: spec.height ?? 10,
    apples: (spec.apples ?? []).map((p) => [p[0], p[1]]),
    snakes,
    you: spec.you ?? 1,
    round: spec.round ?? 0,
  };
}
