import { describe, expect, it } from 'vitest';
import { SNAKE_ANSWER_FORMAT, SNAKE_OPTIONS_TEXT, snakePrompt } from './prompt';
import { makeSnakeState } from './testing';

// The state JSON example of docs/games.md.
const EXAMPLE = makeSnakeState({
  apples: [[3, 4], [7, 1]],
  snakes: [{ body: [[5, 5], [5, 4]], lastMove: 'UP' }, [[1, 8]]],
});

describe('snakePrompt full', () => {
  const text = snakePrompt(EXAMPLE, { variant: 'full' });

  it.each([
    ['board size', '10 by 10'],
    ['bottom-left origin', '(0, 0) is the bottom-left cell'],
    ['top-right corner', '(9, 9) the top-right cell'],
    ['apples', 'Apples: (3, 4), (7, 1).'],
    ['last move', 'Your last move: UP.'],
    ['you: id, colour, head, body', 'You are snake 1, the red snake. Head: (5, 5). Body: (5, 4).'],
    ['enemy: colour and cells', 'The enemy is snake 2, the blue snake. Head: (1, 8). Body: none.'],
    ['apple rule', 'grow by one cell and earns 1 point'],
    ['death rule bounds', 'x < 0, x > 9, y < 0 or y > 9'],
    ['worst move named', 'Such a move is a worst move'],
    ['goal and distance', 'Manhattan distance'],
    ['x mapping', 'LEFT decreases x by 1, RIGHT increases x by 1'],
    ['y mapping', 'DOWN decreases y by 1, UP increases y by 1'],
    ['step-by-step', 'Reason step by step'],
    ['None for no worst move', '<worst_answer>None</worst_answer>'],
    ['options list, exact', "['UP', 'DOWN', 'LEFT', 'RIGHT']"],
    ['answer format, exact', SNAKE_ANSWER_FORMAT],
  ])('states the %s', (_, fragment) => {
    expect(text).toContain(fragment);
  });

  it('ends with the answer format and carries no image placeholder', () => {
    expect(text.endsWith(SNAKE_ANSWER_FORMAT)).toBe(true);
    expect(text).not.toContain('<image>');
    expect(SNAKE_OPTIONS_TEXT).toBe("['UP', 'DOWN', 'LEFT', 'RIGHT']");
  });

  it('takes the point of view of state.you', () => {
    const p2 = snakePrompt({ ...EXAMPLE, you: 2 });
    expect(p2).toContain('You are snake 2, the blue snake. Head: (1, 8). Body: none.');
    expect(p2).toContain('The enemy is snake 1, the red snake. Head: (5, 5). Body: (5, 4).');
    expect(p2).toContain('Your last move: None (you have not moved yet).');
  });

  it('uses the board size in the coordinates it quotes', () => {
    const small = makeSnakeState({ width: 6, height: 4, snakes: [[[0, 0]]], apples: [] });
    const p = snakePrompt(small);
    expect(p).toContain('6 by 4');
    expect(p).toContain('(5, 3) the top-right cell');
    expect(p).toContain('x > 5, y < 0 or y > 3');
    expect(p).toContain('There is no enemy snake');
    expect(p).toContain('Apples: none.');
  });
});

describe('snakePrompt compact', () => {
  it('states the same facts in a few lines', () => {
    expect(snakePrompt(EXAMPLE, { variant: 'compact' })).toBe(
      [
        'Snake 10x10, (0,0) bottom-left, x right, y up.',
        'You: red head (5,5) body (5,4)',
        'Enemy: blue head (1,8) body none',
        'Apples: (3,4) (7,1)',
        'Last move: UP',
        'Worst: off board or onto a snake. Best: safe move nearest an apple.',
        'Answer: <think>...</think><best_answer>move</best_answer><worst_answer>moves or None</worst_answer>',
      ].join('\n'),
    );
  });

  it('rejects unknown variants and snakes', () => {
    expect(() => snakePrompt(EXAMPLE, { variant: 'long' as 'full' })).toThrow(/variant must be one of full, compact/);
    expect(() => snakePrompt({ ...EXAMPLE, you: 5 })).toThrow(/no snake with id 5/);
  });
});
