/**
 * Supervised targets for Jigsaw, written by the game's own solver (the Rotation counterpart is
 * src/train/traces/rotation.ts; this one is pure and game-local, so the trainer and the export can share it).
 *
 *   <think>The background darkens toward the bottom-right, so its lightest shade is in the top-left corner.
 *   Top-left: tile 3, with the lightest background.
 *   Top-right: tile 1; its left edge continues tile 3.
 *   Bottom-left: tile 4; its top edge continues tile 3.
 *   Bottom-right: tile 2; its left edge continues tile 4, its top edge continues tile 1.
 *   Restored order: [3, 1, 4, 2].</think><answer>[3, 1, 4, 2]</answer>
 *
 * The solver knows the shuffle (it reads the question, as the Snake bots read the state); the trace
 * follows the prompt's clues: anchor the lightest corner of the gradient, then fill the positions in
 * reading order, each tile justified by the neighbours whose edges it continues.
 */
import { formatPermutation, type JigsawQuestion } from './task';

export interface JigsawTrace {
  response: string;
  /** The permutation the trace concludes (always the question's answer). */
  answer: number[];
}

/** Where the gradient grows darker: its direction's quadrant (screen y down), always a diagonal. */
function darkening(deg: number): { toward: string; lightCorner: 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right' } {
  const d = ((deg % 360) + 360) % 360;
  if (d < 90) return { toward: 'bottom-right', lightCorner: 'top-left' };
  if (d < 180) return { toward: 'bottom-left', lightCorner: 'top-right' };
  if (d < 270) return { toward: 'top-left', lightCorner: 'bottom-right' };
  return { toward: 'top-right', lightCorner: 'bottom-left' };
}

function positionName(p: number, grid: number): string {
  const r = Math.floor(p / grid);
  const c = p % grid;
  const row = r === 0 ? 'top' : r === grid - 1 ? 'bottom' : 'middle';
  const col = c === 0 ? 'left' : c === grid - 1 ? 'right' : 'centre';
  if (row === 'middle' && col === 'centre') return 'Centre';
  const name = `${row}-${col}`;
  return name[0]!.toUpperCase() + name.slice(1);
}

export function jigsawTrace(q: JigsawQuestion): JigsawTrace {
  const g = q.grid;
  const n = g * g;
  const { toward, lightCorner } = darkening(q.picture.gradient.deg);
  const corner = { 'top-left': 0, 'top-right': g - 1, 'bottom-left': n - g, 'bottom-right': n - 1 }[lightCorner];
  const lines = [`The background darkens toward the ${toward}, so its lightest shade is in the ${lightCorner} corner.`];
  for (let p = 0; p < n; p++) {
    const tile = q.answer[p]!;
    const clues: string[] = [];
    if (p % g > 0) clues.push(`its left edge continues tile ${q.answer[p - 1]!}`);
    if (p >= g) clues.push(`its top edge continues tile ${q.answer[p - g]!}`);
    const why =
      p === corner
        ? clues.length > 0
          ? `, with the lightest background; ${clues.join(', ')}`
          : ', with the lightest background'
        : clues.length > 0
          ? `; ${clues.join(', ')}`
          : '';
    lines.push(`${positionName(p, g)}: tile ${tile}${why}.`);
  }
  const answer = [...q.answer];
  lines.push(`Restored order: ${formatPermutation(answer)}.`);
  return { response: `<think>${lines.join('\n')}</think><answer>${formatPermutation(answer)}</answer>`, answer };
}
