/**
 * Jigsaw prompts. The interface follows ViGaL's Rotation (one image first, then the text; the
 * `<think> reasoning </think><answer> answer </answer>` format) with Jigsaw-R1's question: name the
 * permutation that restores a shuffled grid of tiles. The words are ours. No image placeholder: the
 * caller places the one image (`jigsawScenes`) as its chat format wants.
 *
 * The answer is defined in the prompt itself, because two readings of "the permutation" exist (where
 * each tile goes, or which tile goes where): we ask for the second, per restored position.
 */
import { formatPermutation, resolveOptions, type JigsawOptions, type JigsawQuestion } from './task';

export type PromptVariant = 'full' | 'compact';

/** The example answers the prompts show: fixed, so a prompt depends on the grid alone, not the question. */
export const EXAMPLE_ANSWERS: Readonly<Record<number, readonly number[]>> = {
  2: [3, 1, 4, 2],
  3: [5, 2, 7, 9, 1, 4, 8, 3, 6],
};

/** The answer format line, for a grid (with that grid's example list). */
export function answerFormat(grid: number): string {
  return `<think> reasoning </think><answer> ${formatPermutation(exampleAnswer(grid))} </answer>`;
}

function exampleAnswer(grid: number): readonly number[] {
  const ex = EXAMPLE_ANSWERS[grid];
  if (ex === undefined) throw new Error(`jigsawPrompt: grid must be 2 or 3, got ${grid}`);
  return ex;
}

/** Names of the restored positions, in reading order, for the worked example. */
function positionNames(grid: number): string[] {
  const rows = grid === 2 ? ['top', 'bottom'] : ['top', 'middle', 'bottom'];
  const cols = grid === 2 ? ['left', 'right'] : ['left', 'centre', 'right'];
  return rows.flatMap((r) => cols.map((c) => (r === 'middle' && c === 'centre' ? 'centre' : `${r}-${c}`)));
}

export function jigsawPrompt(source: JigsawQuestion | Partial<JigsawOptions> = {}, { variant = 'full' }: { variant?: PromptVariant } = {}): string {
  const grid = 'answer' in source && 'picture' in source ? source.grid : resolveOptions(source as Partial<JigsawOptions>).grid;
  const n = grid * grid;
  const example = exampleAnswer(grid);

  if (variant === 'compact') {
    return [
      `Shuffled ${grid}x${grid} jigsaw; tiles numbered 1-${n} in reading order.`,
      `For each position of the restored picture, in reading order, give the tile that belongs there.`,
      `Format: ${answerFormat(grid)}`,
    ].join('\n');
  }
  if (variant !== 'full') throw new Error(`jigsawPrompt: unknown variant '${String(variant)}'; valid: 'full', 'compact'`);

  const layout = Array.from({ length: grid }, (_, r) => Array.from({ length: grid }, (_, c) => String(r * grid + c + 1)).join(' '));
  const names = positionNames(grid);
  const worked = example.map((t, p) => `${names[p]} is shuffled tile ${t}`).join(', ');
  return [
    `You are given one image: a picture that was cut into a ${grid} x ${grid} grid of ${n} square tiles, which were then shuffled.`,
    `The tiles of the shuffled image are numbered 1 to ${n} in reading order: left to right along the top row, then the next row, and so on:`,
    ...layout.map((l) => `  ${l}`),
    'Restore the picture: work out where each tile belongs.',
    '',
    'Clues:',
    '1. The background is a gradient in flat steps that changes steadily across the whole picture, so a tile’s shade tells how far along it lies.',
    '2. Straight bands and large shapes (discs, rings, boxes, triangles) cross tile borders: in the restored picture their edges continue from each tile into its neighbours.',
    '3. Compare the border of one tile with the border of another: where the colours meet without a break, the two tiles are neighbours.',
    '',
    `Answer with a list of ${n} tile numbers: for each position of the RESTORED picture, in the same reading order (top-left first), the number of the shuffled tile that belongs there. Each number from 1 to ${n} appears exactly once.`,
    `For example, ${formatPermutation(example)} means: the restored ${worked}.`,
    '',
    'Reason step by step inside <think> </think>, then write the list inside <answer> </answer>:',
    answerFormat(grid),
  ].join('\n');
}
