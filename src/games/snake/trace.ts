/**
 * Supervised targets for Snake, written by the game's own solver in the model's output format:
 *
 *   <think> read off the board, check each move, measure distances, conclude </think>
 *   <best_answer>MOVE</best_answer><worst_answer>MOVES or None</worst_answer>
 *
 * The trace follows the order a careful player (and ViGaL's prompt) reasons in:
 *   1. read off: my head and body, the enemy's head, the apples;
 *   2. for each move in canonical order, the new head cell and what is there: off the board, a snake
 *      (which one, head or body), or free, and for a free cell the Manhattan distance to the nearest
 *      apple (naming that apple);
 *   3. conclude: the worst moves, then the best (smallest distance; ties go to the first in canonical
 *      order, which the reward accepts since every tied move is in `best`).
 * Everything is derived here from the state, then checked against `snakeLabels` so a trace can never
 * teach an answer the verifier would mark wrong.
 *
 * Wording stays in the tokenizer's word list (DEFAULT_WORDS) and its spacing rule ("(3,4)" glued,
 * words spaced), so traces cost one token per word, digit and bracket, no spacing markers.
 */
import { snakeLabels } from './labels';
import { DELTAS, MOVES, SNAKE_COLOR_NAMES, type Move, type Point, type SnakeState } from './types';

export interface SnakeTrace {
  /** The full response: think block and both answer tags. */
  response: string;
  best: Move | null;
  worst: Move[];
}

const pt = (p: readonly number[]): string => `(${p[0]},${p[1]})`;
const cells = (ps: readonly Point[]): string => (ps.length > 0 ? ps.map(pt).join(' ') : 'none');

export function snakeTrace(state: SnakeState): SnakeTrace {
  const meIndex = state.snakes.findIndex((s) => s.id === state.you);
  const me = state.snakes[meIndex];
  if (!me) throw new Error(`snakeTrace: no snake with id ${state.you}; ids are ${state.snakes.map((s) => s.id).join(', ')}`);
  const head = me.body[0];
  if (!head) throw new Error(`snakeTrace: snake ${me.id} has an empty body`);
  const enemyIndex = state.snakes.findIndex((s) => s.id !== state.you);
  const enemy = state.snakes[enemyIndex];
  const enemyColor = SNAKE_COLOR_NAMES[enemyIndex] ?? 'enemy';

  const lines: string[] = [];
  // 1. Read off the board.
  // The enemy's body is in the prompt and unbounded in length; the trace names only its head so that a
  // response's length does not grow with the other snake (moves into its body are named below).
  lines.push(`Head ${pt(head)} body ${cells(me.body.slice(1))}. Enemy ${enemy ? `${enemyColor} head ${pt(enemy.body[0] as Point)}` : 'none'}.`);
  lines.push(`Apples ${cells(state.apples)}.`);

  // 2. Check each move.
  const worst: Move[] = [];
  let best: Move | null = null;
  let bestDist = Infinity;
  for (const move of MOVES) {
    const [dx, dy] = DELTAS[move];
    const cell: Point = [head[0] + dx, head[1] + dy];
    const what = blocker(state, meIndex, cell);
    if (what !== null) {
      worst.push(move);
      lines.push(`${move} ${pt(cell)} ${what}, worst.`);
      continue;
    }
    if (state.apples.length === 0) {
      lines.push(`${move} ${pt(cell)} safe, no apple.`);
      if (best === null) {
        best = move;
        bestDist = 0;
      }
      continue;
    }
    let nearest = state.apples[0] as Point;
    let dist = Infinity;
    for (const a of state.apples) {
      const d = Math.abs(a[0] - cell[0]) + Math.abs(a[1] - cell[1]);
      if (d < dist) {
        dist = d;
        nearest = a;
      }
    }
    lines.push(`${move} ${pt(cell)} safe, nearest apple ${pt(nearest)} dist ${dist}.`);
    if (dist < bestDist) {
      bestDist = dist;
      best = move;
    }
  }

  // 3. Conclude.
  const worstText = worst.length > 0 ? worst.join(', ') : 'None';
  lines.push(`Worst ${worstText}. ` + (best === null ? 'Best none, all moves are worst.' : `Best ${best} dist ${bestDist}.`));

  const labels = snakeLabels(state);
  if (worst.join() !== labels.worst.join() || (best === null ? labels.best.length !== 0 : !labels.best.includes(best))) {
    throw new Error(`snakeTrace: solver disagrees with snakeLabels (worst ${worst} vs ${labels.worst}, best ${best} vs ${labels.best})`);
  }
  const response = `<think>${lines.join('\n')}</think>` + `<best_answer>${best ?? ''}</best_answer><worst_answer>${worstText}</worst_answer>`;
  return { response, best, worst };
}

/** What makes `cell` deadly for the snake at `meIndex`, or null when it is free. */
function blocker(state: SnakeState, meIndex: number, cell: Point): string | null {
  const [x, y] = cell;
  if (x < 0 || x >= state.width || y < 0 || y >= state.height) return 'off board';
  for (let i = 0; i < state.snakes.length; i++) {
    const s = state.snakes[i]!;
    const k = s.body.findIndex((p) => p[0] === x && p[1] === y);
    if (k < 0) continue;
    const part = k === 0 ? 'head' : 'body';
    if (i === meIndex) return `my own ${part}`;
    return `${SNAKE_COLOR_NAMES[i] ?? 'enemy'} ${part}`;
  }
  return null;
}
