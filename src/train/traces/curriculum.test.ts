/**
 * Issue 16's training data: the Snake length curriculum and the Rotation class-set mix are disjoint from
 * every registered held-out set by construction, for both games, and the exclusion is what makes them so
 * (a source told to exclude its own first items draws others).
 */
import { describe, expect, it } from 'vitest';
import { ROTATION_CLASS_SETS, rotationQuestion, type RotationQuestion } from '../../games/rotation';
import { CURRICULUM_BUCKETS, sampleCurriculumStates, snakeStateKey, stateTags, type SnakeState } from '../../games/snake';
import { heldOutPositions } from '../../rl/evaluate';
import { heldOutRotationKeys, heldOutSnakeKeys, rotationObjectKey } from '../../rl/heldOutKeys';
import { STANDARD_HELD_OUT_SETS } from '../../rl/heldOutSets';
import { gameConfig } from '../sft.node.ts';
import { curriculumSnakeSource, rotationClassesSource, standardExclusion, traceable, type HeldOutExclusion } from './curriculum';

const snakeConfig = gameConfig('snake');
const rotationConfig = gameConfig('rotation');
const none: HeldOutExclusion = { snake: new Set(), rotation: { seeds: new Set(), objects: new Set() } };

describe('the registry covers what evaluation draws', () => {
  it('each registered set holds the smaller sets of its seed (vigal eval --n 200, --min-length 8 --n 100)', { timeout: 120_000 }, () => {
    const keys = heldOutSnakeKeys();
    const inRegistry = (n: number, seed: number, minLength?: number) =>
      heldOutPositions('snake', n, seed, minLength === undefined ? {} : { minLength }).every((p) => keys.has(snakeStateKey(p.state as SnakeState)));
    expect(inRegistry(200, 1000)).toBe(true);
    expect(inRegistry(500, 2000)).toBe(true);
    expect(inRegistry(100, 1000, 8)).toBe(true);
    expect(inRegistry(500, 2000, 8)).toBe(true);
    const rotation = heldOutRotationKeys();
    for (const classes of ['default', 'three', 'clockwise'] as const) {
      expect(heldOutPositions('rotation', 200, 1000, { classes }).every((p) => rotation.seeds.has((p.state as RotationQuestion).seed))).toBe(true);
    }
    expect(STANDARD_HELD_OUT_SETS.filter((s) => s.game === 'snake' && s.set.minLength === 8).map((s) => s.seed)).toEqual([1000, 2000, 3000]);
  });
});

describe('Snake: the length curriculum', () => {
  it('fills every bucket, 1-5 to 21+, with the wall and enemy-head quotas, deterministically', () => {
    const states = sampleCurriculumStates(11, 400, { exclude: none.snake });
    expect(states).toHaveLength(400);
    const tags = states.map((s) => stateTags(s));
    const counts = CURRICULUM_BUCKETS.map((_, b) => tags.filter((t) => t.bucket === b));
    expect(counts.map((c) => c.length)).toEqual([120, 100, 80, 60, 40]);
    for (const c of counts) {
      expect(c.filter((t) => t.nearWall).length).toBeGreaterThanOrEqual(Math.ceil(0.3 * c.length));
      expect(c.filter((t) => t.besideEnemyHead).length).toBeGreaterThanOrEqual(Math.ceil(0.15 * c.length));
    }
    expect(Math.max(...tags.map((t) => t.length))).toBeGreaterThanOrEqual(25);
    expect(new Set(states.map(snakeStateKey)).size).toBe(400);
    expect(sampleCurriculumStates(11, 400, { exclude: none.snake }).map(snakeStateKey)).toEqual(states.map(snakeStateKey));
  });

  it('no training or held-out-split state is in any registered held-out set, nor in each other', { timeout: 120_000 }, () => {
    const src = curriculumSnakeSource(snakeConfig, { seed: 1, trainSize: 600, evalSize: 60 });
    const heldOut = heldOutSnakeKeys();
    expect(heldOut.size).toBeGreaterThan(4000);
    const train = src.trainStates.map(snakeStateKey);
    const evalKeys = src.evalStates.map(snakeStateKey);
    expect(train.filter((k) => heldOut.has(k))).toEqual([]);
    expect(evalKeys.filter((k) => heldOut.has(k))).toEqual([]);
    expect(evalKeys.filter((k) => train.includes(k))).toEqual([]);
    // Every state has a solver trace the verifier accepts (snakeTrace checks it against the labels).
    for (let i = 0; i < src.trainSize; i++) expect(src.text!('train', i).response).toMatch(/<\/think><best_answer>/);
  });

  it('the exclusion is what keeps them apart: told to exclude its own first states, it draws others', () => {
    const first = curriculumSnakeSource(snakeConfig, { seed: 5, trainSize: 80, evalSize: 8, exclude: none });
    const taken = new Set(first.trainStates.slice(0, 40).map(snakeStateKey));
    const again = curriculumSnakeSource(snakeConfig, { seed: 5, trainSize: 80, evalSize: 8, exclude: { ...none, snake: taken } });
    expect(again.trainStates.map(snakeStateKey).filter((k) => taken.has(k))).toEqual([]);
    expect(again.evalStates.map(snakeStateKey).filter((k) => taken.has(k))).toEqual([]);
  });
});

describe('Rotation: the class-set mix', () => {
  it('no training or held-out-split question shares a seed or an object with a registered held-out set', { timeout: 120_000 }, () => {
    const n = 300;
    const src = rotationClassesSource(rotationConfig, { seed: 1, trainSize: n, evalSize: 60, exclude: standardExclusion() });
    const heldOut = heldOutRotationKeys();
    expect(heldOut.seeds.size).toBe(3000);
    const train = Array.from({ length: n }, (_, i) => src.trainQuestion(i));
    const evalQs = Array.from({ length: 60 }, (_, i) => src.evalQuestion(i));
    for (const q of [...train, ...evalQs]) {
      expect(heldOut.seeds.has(q.seed)).toBe(false);
      expect(heldOut.objects.has(rotationObjectKey(q.object))).toBe(false);
    }
    const trainSeeds = new Set(train.map((q) => q.seed));
    expect(evalQs.filter((q) => trainSeeds.has(q.seed))).toEqual([]);
    // All three class sets, roughly in their shares (0.4, 0.4, 0.2), each answer one of its set's classes.
    const bySet = (name: keyof typeof ROTATION_CLASS_SETS) => train.filter((q) => q.classes.join() === ROTATION_CLASS_SETS[name].join()).length;
    expect(bySet('default') + bySet('three') + bySet('clockwise')).toBe(n);
    for (const [name, share] of [
      ['default', 0.4],
      ['three', 0.4],
      ['clockwise', 0.2],
    ] as const)
      expect(Math.abs(bySet(name) / n - share)).toBeLessThan(0.08);
    for (const q of train) expect(q.classes).toContain(q.answer);
    // The example pair is on: the rotation config has room for four images.
    expect(train[0]!.example).toBeDefined();
  });

  it('the exclusion is what keeps them apart: a held-out seed or object is replaced, the class set kept', () => {
    const free = rotationClassesSource(rotationConfig, { seed: 9, trainSize: 20, evalSize: 4, exclude: none });
    const q0 = free.trainQuestion(0);
    const q1 = free.trainQuestion(1);
    const exclude: HeldOutExclusion = { ...none, rotation: { seeds: new Set([q0.seed]), objects: new Set([rotationObjectKey(q1.object)]) } };
    const held = rotationClassesSource(rotationConfig, { seed: 9, trainSize: 20, evalSize: 4, exclude });
    const r0 = held.trainQuestion(0);
    const r1 = held.trainQuestion(1);
    expect(r0.seed).not.toBe(q0.seed);
    expect(rotationObjectKey(r1.object)).not.toBe(rotationObjectKey(q1.object));
    expect(r0.classes).toEqual(q0.classes);
    expect(r1.classes).toEqual(q1.classes);
    // Indices not held out are unchanged.
    expect(held.trainQuestion(2)).toEqual(free.trainQuestion(2));
    // A replacement is an ordinary question of its seed.
    expect(rotationQuestion(r0.seed, { classes: r0.classes, example: true, imageSize: rotationConfig.imageSize })).toEqual(r0);
  });

  it('a question the solver cannot trace is never drawn (one met in a 30,000-row dump)', () => {
    const untraceable = rotationQuestion(2300618992, { classes: [...ROTATION_CLASS_SETS.three] });
    expect(traceable(untraceable)).toBe(false);
    expect(traceable(rotationQuestion(2300618993, { classes: [...ROTATION_CLASS_SETS.three] }))).toBe(true);
  });
});
