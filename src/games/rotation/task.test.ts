import { describe, expect, it } from 'vitest';
import type { Scene } from '../../render/scene';
import { rotationPrompt } from './prompt';
import { classAngle, DEFAULT_ROTATION_OPTIONS, ROTATION_CLASS_SETS, RotationEnv, rotationQuestion, rotationScenes, type RotationQuestion } from './task';
import { renderObject } from './render3d';

describe('classes', () => {
  it.each([
    ['counter clockwise 90', 90],
    ['clockwise 90', 270],
    ['180', 180],
  ])('%s is %i degrees counter-clockwise', (label, deg) => {
    expect(classAngle(label)).toBe(deg);
  });

  it('rejects an unknown label and lists the valid ones', () => {
    expect(() => classAngle('Counter Clockwise 90')).toThrow(/unknown class 'Counter Clockwise 90'.*'counter clockwise 90', 'clockwise 90', '180'/);
  });

  it('offers ViGaL’s two options by default, and the three-class set', () => {
    expect(ROTATION_CLASS_SETS.default).toEqual(['counter clockwise 90', '180']);
    expect(ROTATION_CLASS_SETS.three).toEqual(['clockwise 90', 'counter clockwise 90', '180']);
    expect(DEFAULT_ROTATION_OPTIONS).toEqual({ classes: ['counter clockwise 90', '180'], example: true, imageSize: 256, jitterStepDeg: 30 });
    for (const set of Object.values(ROTATION_CLASS_SETS)) for (const c of set) expect(() => classAngle(c)).not.toThrow();
  });

  it('rejects bad options with the reason', () => {
    expect(() => rotationQuestion(1, { classes: ['180'] })).toThrow(/at least 2 classes/);
    expect(() => rotationQuestion(1, { classes: ['180', '180'] })).toThrow(/distinct/);
    expect(() => rotationQuestion(1, { classes: ['180', '45'] })).toThrow(/unknown class '45'/);
    expect(() => rotationQuestion(1, { jitterStepDeg: 7 })).toThrow(/dividing 360/);
  });
});

describe('rotationQuestion', () => {
  it('is deterministic: same seed, same question and same scenes (deep-equal)', () => {
    for (const seed of [0, 1, 99, 123456789]) {
      const a = rotationQuestion(seed);
      const b = rotationQuestion(seed);
      expect(b).toEqual(a);
      expect(rotationScenes(b)).toEqual(rotationScenes(a));
      expect(rotationPrompt(b)).toBe(rotationPrompt(a));
    }
    expect(rotationQuestion(1)).not.toEqual(rotationQuestion(2));
  });

  it('is plain JSON and redraws the same from its JSON', () => {
    const q = rotationQuestion(7);
    const back = JSON.parse(JSON.stringify(q)) as RotationQuestion;
    expect(back).toEqual(q);
    expect(rotationScenes(back, 64)).toEqual(rotationScenes(q, 64));
  });

  it('draws the jitter from the grid, the answer from the classes, and every class over seeds', () => {
    const seen = new Map<string, number>();
    const rolls = new Set<number>();
    for (let seed = 0; seed < 300; seed++) {
      const q = rotationQuestion(seed, { classes: ROTATION_CLASS_SETS.three, example: seed % 10 === 0 });
      expect(q.classes).toContain(q.answer);
      expect(q.angleDeg).toBe(classAngle(q.answer));
      expect(q.baseRollDeg % 30).toBe(0);
      expect(q.baseRollDeg).toBeGreaterThanOrEqual(0);
      expect(q.baseRollDeg).toBeLessThan(360);
      if (q.example) expect(q.example.baseRollDeg % 30).toBe(0);
      rolls.add(q.baseRollDeg);
      seen.set(q.answer, (seen.get(q.answer) ?? 0) + 1);
    }
    expect(rolls.size).toBe(12);
    // 300 draws over 3 classes: each near 100 (a binomial sd of about 8).
    for (const c of ROTATION_CLASS_SETS.three) expect(seen.get(c)).toBeGreaterThan(60);
  });

  it('leaves the test pair unchanged when the example pair is switched off', () => {
    const withEx = rotationQuestion(11);
    const without = rotationQuestion(11, { example: false });
    expect(without.example).toBeUndefined();
    expect({ ...withEx, example: undefined }).toEqual({ ...without, example: undefined });
    expect(rotationScenes(without, 64)).toEqual(rotationScenes(withEx, 64).slice(2));
  });
});

describe('rotationScenes', () => {
  it('returns [ex before, ex after (180), test before, test after] or just the test pair', () => {
    const q = rotationQuestion(3);
    const s = rotationScenes(q, 96);
    expect(s).toHaveLength(4);
    for (const scene of s) expect(scene).toMatchObject({ width: 96, height: 96 });
    const ex = q.example!;
    expect(s[0]).toEqual(renderObject(ex.object, { rollDeg: ex.baseRollDeg, size: 96 }));
    expect(s[1]).toEqual(renderObject(ex.object, { rollDeg: (ex.baseRollDeg + 180) % 360, size: 96 }));
    expect(s[2]).toEqual(renderObject(q.object, { rollDeg: q.baseRollDeg, size: 96 }));
    expect(s[3]).toEqual(renderObject(q.object, { rollDeg: (q.baseRollDeg + q.angleDeg) % 360, size: 96 }));
    expect(rotationScenes(rotationQuestion(3, { example: false }), 96)).toHaveLength(2);
  });

  it('draws a different second image for each class: r + 90, r + 180 and r + 270 all differ', () => {
    const outline = (s: Scene): number[][] => s.items.map((i) => (i.kind === 'polygon' ? i.points : []));
    for (let seed = 0; seed < 100; seed++) {
      const q = rotationQuestion(seed);
      const after = (label: string): Scene => rotationScenes({ ...q, answer: label, angleDeg: classAngle(label) }, 64)[3]!;
      const [ccw, half, cw] = [after('counter clockwise 90'), after('180'), after('clockwise 90')];
      // Outlines, not just shading, must differ, or the classes would only be told apart by lighting.
      expect(outline(ccw)).not.toEqual(outline(half));
      expect(outline(cw)).not.toEqual(outline(half));
      expect(outline(cw)).not.toEqual(outline(ccw));
    }
  });
});

describe('RotationEnv', () => {
  it('follows the reset/step contract of a one-step episode', () => {
    const env = new RotationEnv();
    expect(() => env.step('180')).toThrow(/reset/);
    const { state, info } = env.reset(5);
    expect(state).toEqual(rotationQuestion(5));
    expect(info).toEqual({ seed: 5, classes: ['counter clockwise 90', '180'] });
    const r = env.step(state.answer);
    expect(r).toEqual({ state, reward: 1, terminated: true, truncated: false, info: { correct: true, answer: state.answer } });
    expect(() => env.step(state.answer)).toThrow(/terminated/);
    expect(env.render()).toEqual(rotationScenes(state, 256));
  });

  it('scores a wrong label 0 and a response with the ViGaL reward', () => {
    const env = new RotationEnv({ example: false });
    const { state } = env.reset(8);
    const wrong = state.classes.find((c) => c !== state.answer)!;
    expect(env.step(wrong)).toMatchObject({ reward: 0, info: { correct: false, answer: state.answer } });

    env.reset(8);
    const good = env.step(`<think> turn </think>\n<answer> ${state.answer} </answer>`);
    expect(good.reward).toBe(1.1);
    expect(good.info).toMatchObject({ correct: true, verdict: { format: 0.1, accuracy: 1, answerText: state.answer } });

    env.reset(8);
    const formatOnly = env.step(`<think>x</think><answer>${wrong}</answer>`);
    expect(formatOnly.reward).toBe(0.1);
    expect(formatOnly.info.correct).toBe(false);

    // A bare label passed as a response earns nothing, as in ViGaL; as a string it is an action.
    env.reset(8);
    expect(env.step({ response: state.answer }).reward).toBe(0);
    env.reset(8);
    expect(env.step({ label: state.answer }).reward).toBe(1);
  });

  it('gives the same questions and rewards for the same seeds (determinism over a rollout)', () => {
    const run = (): unknown[] => {
      const env = new RotationEnv({ classes: ROTATION_CLASS_SETS.three });
      return [1, 2, 3].map((seed) => {
        const { state } = env.reset(seed);
        return [state, env.step(`<think>a</think><answer>${state.classes[seed % 3]}</answer>`)];
      });
    };
    expect(run()).toEqual(run());
  });
});
