/**
 * ViGaL's ground truth for one Snake state: a static, one-step check against the CURRENT board
 * (docs/games.md, Labels). Under the default 'static' tail rule, `worst` is exactly the set of moves
 * that die whatever the other snake does; head-to-head depends on its move and is not in `worst`.
 */

import { DELTAS, MOVES, type Move, type SnakeState } from './types';

export interface SnakeLabels {
  /** Non-worst moves that bring the head nearest (Manhattan) to its nearest apple; canonical order. */
  best: Move[];
  /** Moves onto a wall or onto any cell a snake occupies now (any snake, dead or alive); canonical order. */
  worst: Move[];
}

export function snakeLabels(state: SnakeState, you: number = state.you): SnakeLabels {
  const me = state.snakes.find((s) => s.id === you);
  if (!me) {
    throw new Error(`snakeLabels: no snake with id ${you}; ids are ${state.snakes.map((s) => s.id).join(', ')}`);
  }
  const head = me.body[0];
  if (!head) throw new Error(`snakeLabels: snake ${you} has an empty body`);
  const { width, height, snakes, apples } = state;

  const best: Move[] = [];
  const worst: Move[] = [];
  let bestDist = Infinity;
  for (const move of MOVES) {
    const d = DELTAS[move];
    const x = head[0] + d[0];
    const y = head[1] + d[1];
    if (x < 0 || x >= width || y < 0 || y >= height || occupied(snakes, x, y)) {
      worst.push(move);
      continue;
    }
    // No apple on the board: every safe move is equally good.
    let dist = 0;
    if (apples.length > 0) {
      dist = Infinity;
      for (const a of apples) {
        const m = Math.abs(a[0] - x) + Math.abs(a[1] - y);
        if (m < dist) dist = m;
      }
    }
    if (dist < bestDist) {
      bestDist = dist;
      best.length = 0;
      best.push(move);
    } else if (dist === bestDist) {
      best.push(move);
    }
  }
  return { best, worst };
}

function occupied(snakes: SnakeState['snakes'], x: number, y: number): boolean {
  for (const s of snakes) {
    for (const p of s.body) if (p[0] === x && p[1] === y) return true;
  }
  return false;
}
