/** The held-out sets beyond the default: long snakes (own length >= N) and Rotation's other class sets. */
import { describe, expect, it } from 'vitest';
import { ROTATION_CLASS_SETS, type RotationQuestion } from '../games/rotation';
import { snakeStateKey, type SnakeState } from '../games/snake';
import { BotPolicy } from '../policy/bots';
import { evaluatePolicy, heldOutPositions } from './evaluate';
import { heldOutSetFields, heldOutSetLabel, heldOutSetOf, LONG_SNAKE_MAX } from './heldOutSets';
import { pairedComparison } from './paired';

const ownLength = (s: SnakeState): number => s.snakes.find((x) => x.id === s.you)!.body.length;
const snakeStates = (n: number, seed: number, minLength?: number): SnakeState[] =>
  heldOutPositions('snake', n, seed, minLength === undefined ? {} : { minLength }).map((p) => p.state as SnakeState);

describe('the long-snake held-out set (--min-length)', () => {
  it('every state has an own snake of at least N, alive; the same seed gives the same states', () => {
    const states = snakeStates(60, 1000, 8);
    expect(states).toHaveLength(60);
    for (const s of states) {
      expect(ownLength(s)).toBeGreaterThanOrEqual(8);
      expect(s.snakes.find((x) => x.id === s.you)!.alive).toBe(true);
    }
    expect(snakeStates(60, 1000, 8).map(snakeStateKey)).toEqual(states.map(snakeStateKey));
    // Lengths above the curriculum's old range do occur, not only N itself.
    expect(Math.max(...states.map(ownLength))).toBeGreaterThan(10);
  });

  it("is drawn from a stream of its own: no state of the default set at the same seed, nor of the next seed's long set", () => {
    // N = 2 overlaps the default set's lengths (1-5), so only the streams keep the two apart.
    const long = snakeStates(200, 1000, 2).map(snakeStateKey);
    const standard = new Set(snakeStates(200, 1000).map(snakeStateKey));
    expect(long.filter((k) => standard.has(k))).toEqual([]);
    const next = new Set(snakeStates(200, 1001, 2).map(snakeStateKey));
    expect(long.filter((k) => next.has(k))).toEqual([]);
  });

  it('the longest minimum offered still fills a small set', { timeout: 60_000 }, () => {
    const states = snakeStates(10, 1000, LONG_SNAKE_MAX);
    expect(states.every((s) => ownLength(s) >= LONG_SNAKE_MAX)).toBe(true);
  });

  it('is refused for Rotation, and outside its range', () => {
    expect(() => heldOutPositions('rotation', 2, 1, { minLength: 8 })).toThrow(/minLength is a held-out variant of Snake; Rotation has none/);
    expect(() => heldOutPositions('snake', 2, 1, { minLength: 1 })).toThrow(/minLength must be an integer in \[2, 25\]/);
    expect(() => heldOutPositions('snake', 2, 1, { classes: 'three' })).toThrow(/classes is a held-out variant of Rotation; Snake has none/);
    expect(() => heldOutPositions('snake', 2, 1, { grid: 3 })).toThrow(/grid is a held-out variant of Jigsaw; Snake has none/);
  });
});

describe('Rotation class sets (--classes)', () => {
  it('the same question seeds, asked over the named class set; the default set is the one eval always drew', () => {
    const questions = (classes?: 'default' | 'three' | 'clockwise') =>
      heldOutPositions('rotation', 30, 1000, classes ? { classes } : {}).map((p) => p.state as RotationQuestion);
    const standard = questions();
    expect(questions('default')).toEqual(standard);
    for (const name of ['three', 'clockwise'] as const) {
      const qs = questions(name);
      expect(qs.map((q) => q.seed)).toEqual(standard.map((q) => q.seed));
      for (const q of qs) {
        expect(q.classes).toEqual([...ROTATION_CLASS_SETS[name]]);
        expect(q.classes).toContain(q.answer);
      }
    }
    // Three classes: each answer comes up (30 questions, a third each on average).
    expect(new Set(questions('three').map((q) => q.answer)).size).toBe(3);
  });
});

describe('reports name their set, and only reports of one set pair', () => {
  it('fields, labels and pairing', async () => {
    expect(heldOutSetFields({})).toEqual({});
    expect(heldOutSetFields({ classes: 'default' })).toEqual({});
    expect(heldOutSetFields({ minLength: 8 })).toEqual({ min_length: 8 });
    expect(heldOutSetOf({ class_set: 'three' })).toEqual({ classes: 'three' });
    expect(heldOutSetLabel({ minLength: 8 })).toBe(', own length >= 8');
    expect(heldOutSetLabel({ classes: 'three' })).toBe(', classes three');
    expect(heldOutSetLabel({})).toBe('');

    const bot = new BotPolicy('greedy', 1);
    const standard = await evaluatePolicy(bot, 'snake', 20, 1000);
    const long = await evaluatePolicy(bot, 'snake', 20, 1000, undefined, 1, { minLength: 8 });
    expect(standard.min_length).toBeUndefined();
    expect(long.min_length).toBe(8);
    expect(pairedComparison(standard, long)).toBeNull();
    expect(pairedComparison(long, { ...long, policy: 'other' })).not.toBeNull();
  });
});
