import { describe, expect, it } from 'vitest';
import { ROTATION_CLASS_SETS, rotationQuestion, scoreRotation } from '../../games/rotation';
import { sampleSnakeStates, scoreSnake, snakeLabels, type SnakeState } from '../../games/snake';
import { mapPoint, rotationTrace } from './rotation';
import { snakeTrace } from './snake';

/** A 5x5 board, you = red snake 1; table cases below move its head around. */
function board(me: [number, number][], enemy: [number, number][], apples: [number, number][]): SnakeState {
  return {
    width: 5,
    height: 5,
    apples,
    snakes: [
      { id: 1, body: me, lastMove: null, alive: true, score: 0 },
      { id: 2, body: enemy, lastMove: null, alive: true, score: 0 },
    ],
    you: 1,
    round: 3,
  };
}

describe('Snake solver traces', () => {
  it('score 1.1 (format + accuracy) on 400 states from real play, trapped ones included', () => {
    const states = sampleSnakeStates(77, 400, { trappedRate: 1 });
    for (const s of states) {
      const { response } = snakeTrace(s);
      expect(scoreSnake(response, snakeLabels(s)).overall, response).toBe(1.1);
    }
  });

  it.each([
    // [label, state, expected best, expected worst, a phrase the trace must contain]
    ['wall on the left and below', board([[0, 0]], [[4, 4]], [[2, 0]]), 'RIGHT', 'DOWN, LEFT', 'DOWN (0,-1) off board, worst.'],
    [
      'own body behind',
      board(
        [
          [2, 2],
          [2, 1],
        ],
        [[4, 4]],
        [[2, 4]],
      ),
      'UP',
      'DOWN',
      'DOWN (2,1) my own body, worst.',
    ],
    [
      'enemy head next door',
      board(
        [[2, 2]],
        [
          [3, 2],
          [4, 2],
        ],
        [[0, 2]],
      ),
      'LEFT',
      'RIGHT',
      'RIGHT (3,2) blue head, worst.',
    ],
    [
      'enemy body',
      board(
        [[2, 2]],
        [
          [4, 3],
          [3, 3],
          [2, 3],
        ],
        [[2, 0]],
      ),
      'DOWN',
      'UP',
      'UP (2,3) blue body, worst.',
    ],
    ['no worst move', board([[2, 2]], [[4, 4]], [[0, 0]]), 'DOWN', 'None', 'Worst None.'],
    ['no apple: first safe move', board([[2, 2]], [[4, 4]], []), 'UP', 'None', 'UP (2,3) safe, no apple.'],
    [
      'trapped: best empty',
      board(
        [
          [0, 0],
          [0, 1],
        ],
        [
          [1, 0],
          [1, 1],
        ],
        [[4, 4]],
      ),
      '',
      'UP, DOWN, LEFT, RIGHT',
      'Best none, all moves are worst.',
    ],
  ])('%s', (_label, state, best, worst, phrase) => {
    const { response } = snakeTrace(state);
    expect(response).toContain(phrase);
    expect(response).toContain(`<best_answer>${best}</best_answer><worst_answer>${worst}</worst_answer>`);
    expect(scoreSnake(response, snakeLabels(state)).overall).toBe(1.1);
  });

  it('reads off head, body, enemy head and apples, and names the distance to the nearest apple', () => {
    const { response } = snakeTrace(
      board(
        [
          [2, 2],
          [2, 1],
        ],
        [
          [4, 4],
          [4, 3],
        ],
        [
          [0, 2],
          [4, 0],
        ],
      ),
    );
    expect(response.startsWith('<think>Head (2,2) body (2,1). Enemy blue head (4,4).\nApples (0,2) (4,0).\n')).toBe(true);
    expect(response).toContain('LEFT (1,2) safe, nearest apple (0,2) dist 1.');
    expect(response).toContain('Worst DOWN. Best LEFT dist 1.</think>');
  });
});

describe('Rotation solver traces', () => {
  it('mapPoint turns points like the prompt says', () => {
    expect(mapPoint('counter clockwise 90', [4, -2])).toEqual([2, 4]);
    expect(mapPoint('clockwise 90', [4, -2])).toEqual([-2, -4]);
    expect(mapPoint('180', [4, -2])).toEqual([-4, 2]);
  });

  it.each(Object.entries(ROTATION_CLASS_SETS))('score 1.1 on 60 questions, class set %s, with and without the example pair', (_name, classes) => {
    for (let i = 0; i < 60; i++) {
      const q = rotationQuestion(1000 + i, { classes: [...classes], example: i % 2 === 0 });
      const t = rotationTrace(q);
      expect(scoreRotation(t.response, q.answer).overall, t.response).toBe(1.1);
      // The feature point moved as the answer says, and exactly one option line matches.
      expect(t.feature.after).toEqual(mapPoint(q.answer, t.feature.before));
      expect(t.response.match(/, match\./g)).toHaveLength(1);
      expect(t.response).toContain(q.example ? 'Image 3:' : 'Image 1:');
    }
  });
});
