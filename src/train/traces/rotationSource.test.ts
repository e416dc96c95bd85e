import { describe, expect, it } from 'vitest';
import { deriveSeed } from '../../util/rng';
import { gameConfig } from '../sft.node.ts';
import { rotationExample, rotationSource, traceable } from './rotation';
import { rotationQuestion } from '../../games/rotation';

describe('the standard Rotation source', () => {
  const c = gameConfig('rotation');
  const src = rotationSource(c, { seed: 1, trainSize: 200, evalSize: 1 });
  const question = (seed: number) => rotationQuestion(seed, { example: c.maxImages >= 4, imageSize: c.imageSize });

  it('replaces a question the solver cannot trace (index 142 of seed 1) and keeps every other index', () => {
    expect(traceable(question(deriveSeed(1, 142)))).toBe(false);
    const ex = src.train(142);
    expect(ex.response).toMatch(/<answer>/);
    // Its neighbours are the questions of their own seeds, as before.
    for (const i of [141, 143]) {
      const own = rotationExample(c, question(deriveSeed(1, i)));
      expect([src.train(i).prompt, src.train(i).response]).toEqual([own.prompt, own.response]);
    }
    expect(src.trainSeed(142)).toBe(deriveSeed(1, 142));
  });
});
