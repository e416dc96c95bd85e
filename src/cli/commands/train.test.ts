import { describe, expect, it } from 'vitest';
import { sampleSnakeStates } from '../../games/snake';
import { defaultTokenizer } from '../../model/tokenizer';
import { initParams } from '../../train/model';
import { gameConfig } from '../../train/sft.node.ts';
import { snakeExample } from '../../train/traces/snake';
import { Rng } from '../../util/rng';
import { greedyEvaluator } from './train';

describe('vigal train sft: greedy evaluation through the ORT runtime', () => {
  it('decodes held-out Snake examples with a tiny random model and scores them with the game reward', async () => {
    const tokenizer = defaultTokenizer();
    const config = gameConfig('snake', { dModel: 16, nLayer: 1, nHead: 2, dFF: 32, vocabSize: tokenizer.vocabSize, maxSeqLen: 400 });
    const params = initParams(config, new Rng(1));
    const states = sampleSnakeStates(4, 2);
    const m = await greedyEvaluator(2)({
      step: 1,
      final: false,
      config,
      tokenizer,
      params,
      evalSize: states.length,
      evalExample: (i) => snakeExample(config, states[i]!),
    });
    expect(m).not.toBeNull();
    if (m === null) return;
    expect(m.n).toBe(2);
    // A random model writes no valid answer: reward 0, but the numbers are well-formed.
    for (const k of ['accuracy', 'format_rate', 'mean_reward']) expect(m[k]).toBeGreaterThanOrEqual(0);
    expect(m.mean_reward).toBeLessThanOrEqual(1.1);
    expect(m.tokens_per_s).toBeGreaterThan(0);
  });

  it('--greedy-every skips checkpoints off the period, except the final one', async () => {
    const ctx = {
      config: gameConfig('snake'),
      tokenizer: defaultTokenizer(),
      params: {},
      evalSize: 0,
      evalExample: () => {
        throw new Error('not called');
      },
    };
    const hook = greedyEvaluator(2, 400);
    expect(await hook({ ...ctx, step: 100, final: false })).toBeNull();
    expect(await hook({ ...ctx, step: 300, final: false })).toBeNull();
  });
});
