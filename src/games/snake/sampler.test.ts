import { describe, expect, it } from 'vitest';
import { snakeLabels } from './labels';
import { sampleSnakeStates, snakeStateKey } from './sampler';
import { makeSnakeState } from './testing';
import { parseSnakeState } from './types';

describe('sampleSnakeStates', () => {
  const states = sampleSnakeStates(1, 400);

  it('returns the count asked for, valid, non-terminal, from the point of view of an alive snake', () => {
    expect(states).toHaveLength(400);
    for (const s of states) {
      expect(() => parseSnakeState(s)).not.toThrow();
      expect(s.snakes.every((k) => k.alive)).toBe(true);
      const me = s.snakes.find((k) => k.id === s.you)!;
      expect(me.body.length).toBeGreaterThanOrEqual(1);
      expect(me.body.length).toBeLessThanOrEqual(5);
    }
  });

  it('covers the whole length range and comes from play (moves made, apples eaten)', () => {
    const lengths = new Set(states.map((s) => s.snakes.find((k) => k.id === s.you)!.body.length));
    expect([...lengths].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(states.some((s) => s.round > 10)).toBe(true);
    expect(new Set(states.map((s) => s.you))).toEqual(new Set([1, 2]));
  });

  it('has no duplicates', () => {
    expect(new Set(states.map(snakeStateKey)).size).toBe(states.length);
  });

  it('keeps states where every move is worst only rarely', () => {
    const trapped = states.filter((s) => snakeLabels(s).worst.length === 4).length;
    expect(trapped).toBeLessThan(states.length * 0.02);
  });

  it('is deterministic for a seed', () => {
    expect(sampleSnakeStates(1, 50)).toEqual(states.slice(0, 50));
    expect(sampleSnakeStates(2, 50)).not.toEqual(states.slice(0, 50));
  });

  it('honours a length range, other bots and board options', () => {
    const long = sampleSnakeStates(3, 100, { minLength: 3, maxLength: 4, bots: ['greedy', 'random'], width: 8, height: 8 });
    for (const s of long) {
      expect(s.width).toBe(8);
      const len = s.snakes.find((k) => k.id === s.you)!.body.length;
      expect(len >= 3 && len <= 4).toBe(true);
    }
    const alone = sampleSnakeStates(3, 20, { numSnakes: 1, bots: ['greedy'] });
    expect(alone.every((s) => s.snakes.length === 1)).toBe(true);
    // Alone without named bots: one lookahead player.
    expect(sampleSnakeStates(3, 5, { numSnakes: 1 }).every((s) => s.snakes.length === 1)).toBe(true);
    expect(() => sampleSnakeStates(3, 5, { numSnakes: 1, bots: ['greedy', 'greedy'] })).toThrow(/needs 1 bots/);
  });

  it('rejects impossible requests clearly', () => {
    expect(() => sampleSnakeStates(1, 5, { minLength: 4, maxLength: 2 })).toThrow(/minLength <= maxLength/);
    expect(() => sampleSnakeStates(1, 5, { bots: ['nobody' as 'greedy', 'greedy'] })).toThrow(/unknown bot nobody/);
    // A 2 x 2 board cannot hold a length-30 snake.
    expect(() => sampleSnakeStates(1, 1, { width: 2, height: 2, numSnakes: 1, apples: 1, bots: ['greedy'], minLength: 30, maxLength: 40 })).toThrow(
      /widen the range/,
    );
  });
});

describe('snakeStateKey', () => {
  const base = makeSnakeState({
    snakes: [
      [
        [1, 1],
        [1, 0],
      ],
      [[5, 5]],
    ],
    apples: [
      [3, 3],
      [7, 7],
    ],
  });

  it('ignores apple order, round and scores', () => {
    const same = {
      ...base,
      apples: [
        [7, 7],
        [3, 3],
      ] as [number, number][],
      round: 40,
    };
    same.snakes = same.snakes.map((s) => ({ ...s, score: 3 }));
    expect(snakeStateKey(same)).toBe(snakeStateKey(base));
  });

  it('tells apart the point of view, bodies and last moves', () => {
    const keys = [
      base,
      { ...base, you: 2 },
      makeSnakeState({
        snakes: [
          [
            [1, 1],
            [0, 1],
          ],
          [[5, 5]],
        ],
        apples: [
          [3, 3],
          [7, 7],
        ],
      }),
      makeSnakeState({
        snakes: [
          {
            body: [
              [1, 1],
              [1, 0],
            ],
            lastMove: 'UP',
          },
          [[5, 5]],
        ],
        apples: [
          [3, 3],
          [7, 7],
        ],
      }),
    ].map(snakeStateKey);
    expect(new Set(keys).size).toBe(4);
  });
});
