import { describe, expect, it } from 'vitest';
import { snakeLabels } from './labels';
import { sampleSnakeStates } from './sampler';
import { makeSnakeState, type StateSpec } from './testing';
import type { Move } from './types';

interface LabelCase {
  name: string;
  spec: StateSpec;
  you?: number;
  best: Move[];
  worst: Move[];
}

// 10 x 10 unless said; UP = y + 1. Distances in comments are Manhattan from the new head.
const CASES: LabelCase[] = [
  {
    // From (0,0) DOWN and LEFT leave the board. UP -> (0,1) is 4 from (3,0); RIGHT -> (1,0) is 2.
    name: 'bottom-left corner',
    spec: { snakes: [[[0, 0]], [[9, 9]]], apples: [[3, 0]] },
    best: ['RIGHT'],
    worst: ['DOWN', 'LEFT'],
  },
  {
    // From (9,9) UP and RIGHT leave the board; the enemy's length-1 head sits at (8,9): LEFT is worst too.
    name: 'top-right corner next to the enemy head',
    spec: { snakes: [[[9, 9]], [[8, 9]]], apples: [[9, 0]] },
    best: ['DOWN'],
    worst: ['UP', 'LEFT', 'RIGHT'],
  },
  {
    // Head (0,1): the wall on the left, its neck (0,0) below, its body on (1,1) and (0,2).
    name: 'boxed in: every move is worst, best is empty',
    spec: {
      snakes: [
        [
          [0, 1],
          [0, 0],
          [1, 0],
          [1, 1],
          [1, 2],
          [0, 2],
        ],
        [[9, 9]],
      ],
      apples: [[5, 5]],
    },
    best: [],
    worst: ['UP', 'DOWN', 'LEFT', 'RIGHT'],
  },
  {
    // Apple at (7,7) from (5,5): UP -> (5,6) and RIGHT -> (6,5) are both 3 away; DOWN/LEFT 5.
    name: 'diagonal apple: a tie, both listed in canonical order',
    spec: { snakes: [[[5, 5]], [[0, 9]]], apples: [[7, 7]] },
    best: ['UP', 'RIGHT'],
    worst: [],
  },
  {
    // Apples above and below at distance 3: UP and DOWN both reach distance 2.
    name: 'two nearest apples in opposite directions',
    spec: {
      snakes: [[[5, 5]], [[0, 9]]],
      apples: [
        [5, 8],
        [5, 2],
        [0, 0],
      ],
    },
    best: ['UP', 'DOWN'],
    worst: [],
  },
  {
    name: 'no apples: every safe move is best',
    spec: {
      snakes: [
        [
          [5, 5],
          [5, 4],
        ],
        [[0, 9]],
      ],
    },
    best: ['UP', 'LEFT', 'RIGHT'],
    worst: ['DOWN'],
  },
  {
    // The apple (5,7) is behind the enemy's body at (5,6). UP, the only move that gets closer, is worst;
    // the label stays one-step Manhattan, so DOWN (5,4), LEFT (4,5) and RIGHT (6,5), all 3 away, tie.
    name: 'worst moves drop out before distances are compared',
    spec: {
      snakes: [
        [[5, 5]],
        [
          [5, 6],
          [4, 6],
          [3, 6],
        ],
      ],
      apples: [[5, 7]],
    },
    best: ['DOWN', 'LEFT', 'RIGHT'],
    worst: ['UP'],
  },
  {
    // The enemy's tail at (6,5) counts, as the static rule says; so does its head at (4,5).
    name: "the enemy's tail and head are worst",
    spec: {
      snakes: [
        [[5, 5]],
        [
          [4, 5],
          [4, 4],
          [5, 4],
          [6, 4],
          [6, 5],
        ],
      ],
      apples: [[9, 9]],
    },
    best: ['UP'],
    worst: ['DOWN', 'LEFT', 'RIGHT'],
  },
  {
    // Snake 2's point of view on the same board as the corner case.
    name: 'labels for the other snake',
    spec: { snakes: [[[0, 0]], [[9, 9]]], apples: [[3, 0]] },
    you: 2,
    best: ['DOWN', 'LEFT'],
    worst: ['UP', 'RIGHT'],
  },
  {
    // Apple right next to the head: moving onto it is distance 0.
    name: 'adjacent apple',
    spec: {
      width: 3,
      height: 3,
      snakes: [[[1, 1]]],
      apples: [
        [2, 1],
        [0, 0],
      ],
    },
    best: ['RIGHT'],
    worst: [],
  },
];

describe('snakeLabels', () => {
  it.each(CASES)('$name', (c) => {
    const state = makeSnakeState(c.spec);
    expect(snakeLabels(state, c.you)).toEqual({ best: c.best, worst: c.worst });
  });

  it('uses state.you by default', () => {
    const state = makeSnakeState({ snakes: [[[0, 0]], [[9, 9]]], apples: [[3, 0]], you: 2 });
    expect(snakeLabels(state)).toEqual(snakeLabels(state, 2));
  });

  it('rejects an unknown snake', () => {
    const state = makeSnakeState({ snakes: [[[0, 0]]] });
    expect(() => snakeLabels(state, 7)).toThrow(/no snake with id 7; ids are 1/);
  });

  it('best and worst never overlap and cover the safe moves', () => {
    for (const s of sampleSnakeStates(3, 300, { bots: ['greedy', 'random'] })) {
      const { best, worst } = snakeLabels(s);
      expect(best.filter((m) => worst.includes(m))).toEqual([]);
      expect(best.length === 0).toBe(worst.length === 4);
    }
  });
});
