/** The trace, the bots and the export record: each must agree with the question and the verifier. */
import { describe, expect, it } from 'vitest';
import { decodePng } from '../../render/png';
import { rasterize } from '../../render/raster';
import { Rng } from '../../util/rng';
import { JIGSAW_BOTS, JIGSAW_BOT_NAMES, jigsawBotResponse } from './bots';
import { jigsawGroundTruth, jigsawPerfectResponse, jigsawRecord } from './record';
import { scoreJigsaw } from './reward';
import { formatPermutation, isPermutation, jigsawQuestion, jigsawQuestionKey, jigsawScene } from './task';
import { jigsawTrace } from './trace';

describe('jigsawTrace', () => {
  it('ends in the right answer and scores 1.1, for both grids', () => {
    for (let seed = 0; seed < 60; seed++) {
      const q = jigsawQuestion(seed, { grid: seed % 2 === 0 ? 2 : 3 });
      const t = jigsawTrace(q);
      expect(t.answer).toEqual(q.answer);
      expect(t.response.endsWith(`<answer>${formatPermutation(q.answer)}</answer>`)).toBe(true);
      expect(scoreJigsaw(t.response, q.answer)).toMatchObject({ format: 0.1, accuracy: 1 });
    }
  });

  it('anchors the gradient’s light corner and justifies each tile by its neighbours', () => {
    const q = { ...jigsawQuestion(1), answer: [3, 1, 4, 2] };
    q.picture = { ...q.picture, gradient: { ...q.picture.gradient, deg: 45 } };
    expect(jigsawTrace(q).response).toBe(
      '<think>The background darkens toward the bottom-right, so its lightest shade is in the top-left corner.\n' +
        'Top-left: tile 3, with the lightest background.\n' +
        'Top-right: tile 1; its left edge continues tile 3.\n' +
        'Bottom-left: tile 4; its top edge continues tile 3.\n' +
        'Bottom-right: tile 2; its left edge continues tile 4, its top edge continues tile 1.\n' +
        'Restored order: [3, 1, 4, 2].</think><answer>[3, 1, 4, 2]</answer>',
    );
  });
});

describe('bots', () => {
  it('the solver is always right; the random bot answers a permutation and is seeded', () => {
    const rng = new Rng(3);
    let right = 0;
    for (let seed = 0; seed < 100; seed++) {
      const q = jigsawQuestion(seed);
      const solved = jigsawBotResponse('solver', q, rng);
      expect(solved.action).toEqual(q.answer);
      expect(scoreJigsaw(solved.text, q.answer).overall).toBe(1.1);
      const guess = jigsawBotResponse('random', q, rng);
      expect(isPermutation(guess.action, 4)).toBe(true);
      const v = scoreJigsaw(guess.text, q.answer);
      expect(v.format).toBe(0.1);
      expect(v.permutation).toEqual(guess.action);
      right += v.accuracy;
    }
    // Chance is 1 in 24: about 4 of 100.
    expect(right).toBeGreaterThan(0);
    expect(right).toBeLessThan(15);
    const q = jigsawQuestion(1, { grid: 3 });
    expect(JIGSAW_BOTS.random(q, new Rng(9))).toEqual(JIGSAW_BOTS.random(q, new Rng(9)));
    expect(JIGSAW_BOT_NAMES).toEqual(['solver', 'random']);
    expect(() => jigsawBotResponse('greedy' as 'solver', q, rng)).toThrow(/valid bots: solver, random/);
  });
});

describe('jigsawRecord', () => {
  it('is plain data in SampleRecord’s shape: the image, the prompt with its placeholder, the truth JSON', () => {
    const q = jigsawQuestion(11, { grid: 3 });
    const r = jigsawRecord(q, { imageSize: 72, split: 'val', index: 4, promptVariant: 'compact' });
    expect(Object.keys(r)).toEqual(['game', 'split', 'index', 'seed', 'stateKey', 'state', 'images', 'prompt', 'groundTruth', 'groundTruthJson']);
    expect(r).toMatchObject({ game: 'jigsaw', split: 'val', index: 4, seed: 11, state: q });
    expect(r.stateKey).toMatch(/^jigsaw:[0-9a-f]{16}$/);
    expect(r.prompt.startsWith('<image>Shuffled 3x3 jigsaw')).toBe(true);
    expect(r.images).toHaveLength(1);
    expect(decodePng(r.images[0]!).data).toEqual(rasterize(jigsawScene(q, 72)).data);
    expect(r.groundTruthJson).toBe(`{"game":"jigsaw","answer":[${q.answer.join(',')}],"grid":3,"seed":11}`);
    expect(JSON.parse(r.groundTruthJson)).toEqual(jigsawGroundTruth(q));
    expect(scoreJigsaw(jigsawPerfectResponse(r.groundTruth), q.answer).overall).toBe(1.1);
  });

  it('keys records by the question’s key, not its seed', () => {
    const a = jigsawQuestion(2);
    expect(jigsawRecord({ ...a, seed: 5 }, { imageSize: 48 }).stateKey).toBe(jigsawRecord(a, { imageSize: 48 }).stateKey);
    expect(jigsawRecord(jigsawQuestion(3), { imageSize: 48 }).stateKey).not.toBe(jigsawRecord(a, { imageSize: 48 }).stateKey);
    expect(jigsawQuestionKey(a)).toContain('"gradient"');
  });
});
