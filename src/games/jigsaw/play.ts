/**
 * The logic of playing Jigsaw by hand, pure so that Node tests cover it and the React view
 * (ui/JigsawPlay.tsx) only draws: the arrangement a person builds by swapping tiles, the selection,
 * the keyboard focus moves, and the response text the verifier scores.
 *
 * An arrangement uses the answer's convention: `arrangement[p]` is the shuffled tile number (1-based)
 * now at position p. It starts as the identity (the shuffled image as shown); the right answer is the
 * arrangement that shows the restored picture.
 */
import { formatPermutation } from './task';

export interface PlayState {
  arrangement: number[];
  /** The position picked first (0-based), waiting for a second pick to swap with; null when none. */
  selected: number | null;
}

export function startPlay(grid: number): PlayState {
  return { arrangement: Array.from({ length: grid * grid }, (_, i) => i + 1), selected: null };
}

/** Picks position p: the first pick selects it, picking it again deselects, a second position swaps the two. */
export function pick(state: PlayState, p: number): PlayState {
  if (!Number.isInteger(p) || p < 0 || p >= state.arrangement.length) return state;
  if (state.selected === null) return { ...state, selected: p };
  if (state.selected === p) return { ...state, selected: null };
  const arrangement = [...state.arrangement];
  const a = state.selected;
  [arrangement[a], arrangement[p]] = [arrangement[p]!, arrangement[a]!];
  return { arrangement, selected: null };
}

/** The focus after an arrow key (and Home/End) on a grid x grid board; other keys leave it; edges stop it. */
export function moveFocus(focus: number, key: string, grid: number): number {
  const row = Math.floor(focus / grid);
  const col = focus % grid;
  switch (key) {
    case 'ArrowLeft':
      return col > 0 ? focus - 1 : focus;
    case 'ArrowRight':
      return col < grid - 1 ? focus + 1 : focus;
    case 'ArrowUp':
      return row > 0 ? focus - grid : focus;
    case 'ArrowDown':
      return row < grid - 1 ? focus + grid : focus;
    case 'Home':
      return 0;
    case 'End':
      return grid * grid - 1;
    default:
      return focus;
  }
}

/** A person's answer in the prompt's format, so the same verifier scores a human and a model. */
export function humanResponse(arrangement: readonly number[]): string {
  return `<think>Tiles swapped by hand until the picture looked whole.</think><answer>${formatPermutation(arrangement)}</answer>`;
}

/** Row and column (1-based) of a position, for labels a screen reader reads. */
export function positionLabel(p: number, grid: number): string {
  return `row ${Math.floor(p / grid) + 1}, column ${(p % grid) + 1}`;
}
