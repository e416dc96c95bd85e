/**
 * The text half of a Snake observation (the caller adds the board image). 'full' carries every element
 * of ViGaL's interface (docs/games.md, Prompts) in our own words, with the exact tags and option list;
 * 'compact' states the same facts in a few short lines for the nano model.
 */

import { SNAKE_COLOR_NAMES, type Point, type SnakeJson, type SnakeState } from './types';

/** The answer format, verbatim from the interface: ViGaL-trained models expect these tags. */
export const SNAKE_ANSWER_FORMAT =
  '<think> reasoning </think><best_answer> one move </best_answer><worst_answer> all worst moves, comma separated, or None </worst_answer>';

/** The option list exactly as ViGaL's prompt prints it. */
export const SNAKE_OPTIONS_TEXT = "['UP', 'DOWN', 'LEFT', 'RIGHT']";

export type SnakePromptVariant = 'full' | 'compact';
export const SNAKE_PROMPT_VARIANTS: readonly SnakePromptVariant[] = ['full', 'compact'];

export interface SnakePromptOptions {
  variant?: SnakePromptVariant;
}

export function snakePrompt(state: SnakeState, opts: SnakePromptOptions = {}): string {
  const variant = opts.variant ?? 'full';
  if (!SNAKE_PROMPT_VARIANTS.includes(variant)) {
    throw new Error(`snakePrompt: variant must be one of ${SNAKE_PROMPT_VARIANTS.join(', ')}, got ${String(variant)}`);
  }
  const meIndex = state.snakes.findIndex((s) => s.id === state.you);
  const me = state.snakes[meIndex];
  if (!me) {
    throw new Error(`snakePrompt: no snake with id ${state.you}; ids are ${state.snakes.map((s) => s.id).join(', ')}`);
  }
  const enemyIndex = state.snakes.findIndex((s) => s.id !== state.you);
  const enemy = state.snakes[enemyIndex];
  const view: View = {
    me,
    meColor: colorName(meIndex),
    enemy: enemy ?? null,
    enemyColor: colorName(enemyIndex),
  };
  return variant === 'full' ? fullPrompt(state, view) : compactPrompt(state, view);
}

interface View {
  me: SnakeJson;
  meColor: string;
  enemy: SnakeJson | null;
  enemyColor: string;
}

function fullPrompt(state: SnakeState, v: View): string {
  const { width: w, height: h } = state;
  const apples = state.apples.length > 0 ? state.apples.map((p) => pt(p)).join(', ') : 'none';
  const last = v.me.lastMove ?? 'None (you have not moved yet)';
  const enemyLine = v.enemy
    ? `- The enemy is snake ${v.enemy.id}, the ${v.enemyColor} snake. Head: ${head(v.enemy)}. Body: ${body(v.enemy, ', ')}.`
    : '- There is no enemy snake on this board.';
  return [
    `You control a snake in a game of Snake with several apples. The board in the image is ${w} by ${h} cells.`,
    `It uses Cartesian coordinates (x, y): (0, 0) is the bottom-left cell and (${w - 1}, ${h - 1}) the top-right cell.`,
    '',
    'Current board:',
    `- You are snake ${v.me.id}, the ${v.meColor} snake. Head: ${head(v.me)}. Body: ${body(v.me, ', ')}.`,
    enemyLine,
    `- Apples: ${apples}.`,
    `- Your last move: ${last}.`,
    '',
    'Rules:',
    '1) Moving your head onto an apple makes you grow by one cell and earns 1 point.',
    `2) You die if your head leaves the board (x < 0, x > ${w - 1}, y < 0 or y > ${h - 1}), moves into a cell of another snake (its head or body), or moves into a cell of your own body. Such a move is a worst move.`,
    '3) Your goal: first stay alive by avoiding every worst move, then collect apples: head for the nearest apple, measured by Manhattan distance |x1 - x2| + |y1 - y2|.',
    '',
    'Moves: LEFT decreases x by 1, RIGHT increases x by 1, DOWN decreases y by 1, UP increases y by 1.',
    '',
    'Reason step by step:',
    '1. Read the positions of your head, your body, the other snake and every apple from the image and check them against the coordinates above.',
    `2. For each move in ${SNAKE_OPTIONS_TEXT}, compute where your head would be.`,
    '3. A move is a worst move if that cell is off the board, on the other snake, or on your own body. Collect all of them.',
    '4. For every other move, compute the Manhattan distance from the new head to the nearest apple.',
    '5. The best move is a move that is not a worst move and has the smallest such distance. The other snake moves at the same time: try to predict its next move and avoid colliding with it.',
    '',
    `List every worst move in the <worst_answer> tag, separated by commas; if there is none, write None, e.g. <worst_answer>None</worst_answer>.`,
    'Give exactly one best move in the <best_answer> tag; if every move is a worst move, leave it empty. The best move is never one of the worst moves.',
    `Choose the moves from ${SNAKE_OPTIONS_TEXT}.`,
    'Write your reasoning inside <think> </think> first, then the two answers, in this format:',
    SNAKE_ANSWER_FORMAT,
  ].join('\n');
}

function compactPrompt(state: SnakeState, v: View): string {
  const apples = state.apples.length > 0 ? state.apples.map((p) => pt(p, '')).join(' ') : 'none';
  const enemy = v.enemy ? `${v.enemyColor} head ${head(v.enemy, '')} body ${body(v.enemy, ' ', '')}` : 'none';
  return [
    `Snake ${state.width}x${state.height}, (0,0) bottom-left, x right, y up.`,
    `You: ${v.meColor} head ${head(v.me, '')} body ${body(v.me, ' ', '')}`,
    `Enemy: ${enemy}`,
    `Apples: ${apples}`,
    `Last move: ${v.me.lastMove ?? 'None'}`,
    'Worst: off board or onto a snake. Best: safe move nearest an apple.',
    'Answer: <think>...</think><best_answer>move</best_answer><worst_answer>moves or None</worst_answer>',
  ].join('\n');
}

function colorName(index: number): string {
  return SNAKE_COLOR_NAMES[index] ?? `colour ${index + 1}`;
}

function pt(p: Point, sep = ' '): string {
  return `(${p[0]},${sep}${p[1]})`;
}

function head(s: SnakeJson, sep = ' '): string {
  const h = s.body[0];
  return h ? pt(h, sep) : 'none';
}

function body(s: SnakeJson, join: string, sep = ' '): string {
  return s.body.length > 1
    ? s.body
        .slice(1)
        .map((p) => pt(p, sep))
        .join(join)
    : 'none';
}
