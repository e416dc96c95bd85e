/**
 * Golden vectors for the Snake reward: each expectation is what ViGaL's released Python reward
 * (reward_func_qwen_snake.py) returns for the same response and labels. reward.test.ts runs them in
 * TypeScript; a Python port of the reward can run the very same list (it is plain data).
 */

import type { Move } from './types';

export interface SnakeRewardCase {
  name: string;
  response: string;
  best: Move[];
  worst: Move[];
  format: number;
  accuracy: number;
}

const OK = '<think> the head is at (5, 5) </think>';

export const SNAKE_REWARD_CASES: readonly SnakeRewardCase[] = [
  // Well formed.
  {
    name: 'right answer',
    response: `${OK}<best_answer>UP</best_answer><worst_answer>LEFT</worst_answer>`,
    best: ['UP'],
    worst: ['LEFT'],
    format: 0.1,
    accuracy: 1,
  },
  {
    name: 'one of several best moves',
    response: `${OK}<best_answer>RIGHT</best_answer><worst_answer>None</worst_answer>`,
    best: ['UP', 'RIGHT'],
    worst: [],
    format: 0.1,
    accuracy: 1,
  },
  {
    name: 'wrong best',
    response: `${OK}<best_answer>DOWN</best_answer><worst_answer>LEFT</worst_answer>`,
    best: ['UP'],
    worst: ['LEFT'],
    format: 0.1,
    accuracy: 0,
  },
  {
    name: 'whitespace between blocks and text around them',
    response: `Sure. ${OK}\n  <best_answer> UP </best_answer>\n<worst_answer> LEFT </worst_answer> Done`,
    best: ['UP'],
    worst: ['LEFT'],
    format: 0.1,
    accuracy: 1,
  },
  {
    name: 'surrounding whitespace is trimmed first',
    response: `\n\n  ${OK}<best_answer>UP</best_answer><worst_answer>LEFT</worst_answer>  \n`,
    best: ['UP'],
    worst: ['LEFT'],
    format: 0.1,
    accuracy: 1,
  },
  // Best answer cleaning: case, full stops, newlines.
  {
    name: 'lower-case best is upper-cased',
    response: `${OK}<best_answer>up</best_answer><worst_answer>LEFT</worst_answer>`,
    best: ['UP'],
    worst: ['LEFT'],
    format: 0.1,
    accuracy: 1,
  },
  {
    name: 'full stop and newline in best are deleted',
    response: `${OK}<best_answer>\nU\nP.\n</best_answer><worst_answer>LEFT.</worst_answer>`,
    best: ['UP'],
    worst: ['LEFT'],
    format: 0.1,
    accuracy: 1,
  },
  {
    name: 'best with extra words is wrong',
    response: `${OK}<best_answer>move UP</best_answer><worst_answer>LEFT</worst_answer>`,
    best: ['UP'],
    worst: ['LEFT'],
    format: 0.1,
    accuracy: 0,
  },
  {
    name: 'empty best is right when there is no best move',
    response: `${OK}<best_answer></best_answer><worst_answer>UP, DOWN, LEFT, RIGHT</worst_answer>`,
    best: [],
    worst: ['UP', 'DOWN', 'LEFT', 'RIGHT'],
    format: 0.1,
    accuracy: 1,
  },
  {
    name: 'empty best is wrong when a best move exists',
    response: `${OK}<best_answer> </best_answer><worst_answer>LEFT</worst_answer>`,
    best: ['UP'],
    worst: ['LEFT'],
    format: 0.1,
    accuracy: 0,
  },
  // Worst answer: substrings, order, None.
  {
    name: "'DOWN, UP' counts as [UP, DOWN]",
    response: `${OK}<best_answer>LEFT</best_answer><worst_answer>DOWN, UP</worst_answer>`,
    best: ['LEFT'],
    worst: ['UP', 'DOWN'],
    format: 0.1,
    accuracy: 1,
  },
  {
    name: 'worst is case-sensitive: "down" names nothing',
    response: `${OK}<best_answer>LEFT</best_answer><worst_answer>down</worst_answer>`,
    best: ['LEFT'],
    worst: ['DOWN'],
    format: 0.1,
    accuracy: 0,
  },
  {
    name: "'none' is accepted for an empty worst",
    response: `${OK}<best_answer>LEFT</best_answer><worst_answer>none</worst_answer>`,
    best: ['LEFT'],
    worst: [],
    format: 0.1,
    accuracy: 1,
  },
  {
    name: "'None.' is accepted for an empty worst",
    response: `${OK}<best_answer>LEFT</best_answer><worst_answer>None.</worst_answer>`,
    best: ['LEFT'],
    worst: [],
    format: 0.1,
    accuracy: 1,
  },
  {
    name: 'None is wrong when there are worst moves',
    response: `${OK}<best_answer>LEFT</best_answer><worst_answer>None</worst_answer>`,
    best: ['LEFT'],
    worst: ['UP'],
    format: 0.1,
    accuracy: 0,
  },
  {
    name: 'empty worst matches an empty worst set',
    response: `${OK}<best_answer>LEFT</best_answer><worst_answer></worst_answer>`,
    best: ['LEFT'],
    worst: [],
    format: 0.1,
    accuracy: 1,
  },
  {
    name: "'UPPER' contains the substring UP",
    response: `${OK}<best_answer>LEFT</best_answer><worst_answer>UPPER</worst_answer>`,
    best: ['LEFT'],
    worst: ['UP'],
    format: 0.1,
    accuracy: 1,
  },
  {
    name: 'a missing worst move is wrong',
    response: `${OK}<best_answer>LEFT</best_answer><worst_answer>UP</worst_answer>`,
    best: ['LEFT'],
    worst: ['UP', 'RIGHT'],
    format: 0.1,
    accuracy: 0,
  },
  {
    name: 'a newline inside RIGHT is deleted, so RIGHT is named',
    response: `${OK}<best_answer>LEFT</best_answer><worst_answer>RI\nGHT</worst_answer>`,
    best: ['LEFT'],
    worst: ['RIGHT'],
    format: 0.1,
    accuracy: 1,
  },
  // Format failures; accuracy still counts from the first blocks.
  {
    name: 'reordered blocks: no format, accuracy kept',
    response: `<best_answer>UP</best_answer><worst_answer>LEFT</worst_answer>${OK}`,
    best: ['UP'],
    worst: ['LEFT'],
    format: 0,
    accuracy: 1,
  },
  {
    name: 'worst before best: no format',
    response: `${OK}<worst_answer>LEFT</worst_answer><best_answer>UP</best_answer>`,
    best: ['UP'],
    worst: ['LEFT'],
    format: 0,
    accuracy: 1,
  },
  {
    name: 'text between think and best: no format',
    response: `${OK} so <best_answer>UP</best_answer><worst_answer>LEFT</worst_answer>`,
    best: ['UP'],
    worst: ['LEFT'],
    format: 0,
    accuracy: 1,
  },
  {
    name: 'missing think: no format',
    response: '<best_answer>UP</best_answer><worst_answer>LEFT</worst_answer>',
    best: ['UP'],
    worst: ['LEFT'],
    format: 0,
    accuracy: 1,
  },
  {
    name: 'duplicated best block: no format, first block read',
    response: `${OK}<best_answer>UP</best_answer><worst_answer>LEFT</worst_answer><best_answer>DOWN</best_answer>`,
    best: ['UP'],
    worst: ['LEFT'],
    format: 0,
    accuracy: 1,
  },
  {
    name: 'duplicated think tag: no format',
    response: `<think>a</think><think>${OK}<best_answer>UP</best_answer><worst_answer>LEFT</worst_answer>`,
    best: ['UP'],
    worst: ['LEFT'],
    format: 0,
    accuracy: 1,
  },
  {
    name: 'empty blocks are well formed',
    response: '<think></think><best_answer></best_answer><worst_answer></worst_answer>',
    best: [],
    worst: [],
    format: 0.1,
    accuracy: 1,
  },
  { name: 'missing worst block: no format, no accuracy', response: `${OK}<best_answer>UP</best_answer>`, best: ['UP'], worst: [], format: 0, accuracy: 0 },
  {
    name: 'unclosed best block: no accuracy',
    response: `${OK}<best_answer>UP<worst_answer>LEFT</worst_answer>`,
    best: ['UP'],
    worst: ['LEFT'],
    format: 0,
    accuracy: 0,
  },
  { name: 'plain answer without tags', response: 'UP', best: ['UP'], worst: [], format: 0, accuracy: 0 },
  { name: 'empty response', response: '', best: [], worst: [], format: 0, accuracy: 0 },
  { name: 'whitespace-only response', response: ' \n\t ', best: [], worst: [], format: 0, accuracy: 0 },
  // Python's whitespace: U+001C and U+0085 are space to Python (and to \s), U+FEFF is not.
  {
    name: 'U+001C between blocks is whitespace to Python',
    response: `${OK}\u001c<best_answer>UP</best_answer>\u0085<worst_answer>LEFT</worst_answer>`,
    best: ['UP'],
    worst: ['LEFT'],
    format: 0.1,
    accuracy: 1,
  },
  {
    name: 'U+FEFF between blocks is not whitespace to Python',
    response: `${OK}\ufeff<best_answer>UP</best_answer><worst_answer>LEFT</worst_answer>`,
    best: ['UP'],
    worst: ['LEFT'],
    format: 0,
    accuracy: 1,
  },
  {
    name: 'U+FEFF around the best move is kept',
    response: `${OK}<best_answer>\ufeffUP</best_answer><worst_answer>LEFT</worst_answer>`,
    best: ['UP'],
    worst: ['LEFT'],
    format: 0.1,
    accuracy: 0,
  },
  {
    name: 'a carriage return is not deleted like a newline',
    response: `${OK}<best_answer>U\rP</best_answer><worst_answer>LEFT</worst_answer>`,
    best: ['UP'],
    worst: ['LEFT'],
    format: 0.1,
    accuracy: 0,
  },
];
