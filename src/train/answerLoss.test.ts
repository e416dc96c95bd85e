import { numpy as np, tree } from '@jax-js/jax';
import { describe, expect, it } from 'vitest';
import { patchDim } from '../model/config';
import { Rng } from '../util/rng';
import { compileAnswerLoss, trainableNames, type AnswerBatch } from './answerLoss';
import { initParams, paramsToDevice, treeToHost, type HostParams } from './model';
import { TINY } from './testkit';

const c = TINY;
const B = 3;
const T = 5;
const MOVE_IDS = [3, 4, 5, 6];

function batch(rng: Rng, rewards: number[][]): AnswerBatch {
  const Np = (c.imageSize / c.patchSize) ** 2;
  const last = new Float32Array(B * T);
  const lengths = [5, 3, 4];
  lengths.forEach((n, b) => (last[b * T + n - 1] = 1));
  const select = new Float32Array(c.vocabSize * 4);
  MOVE_IDS.forEach((id, k) => (select[id * 4 + k] = 1));
  return {
    patches: np.array(new Float32Array(B * Np * patchDim(c)).map(() => rng.next()), { shape: [B, Np, patchDim(c)] }),
    inputIds: np.array(new Int32Array(B * T).map(() => rng.int(c.vocabSize)), { shape: [B, T], dtype: np.int32 }),
    last: np.array(last, { shape: [B, T] }),
    rewards: np.array(Float32Array.from(rewards.flat()), { shape: [B, 4] }),
    rowWeights: np.array(new Float32Array(B).fill(1 / B), { shape: [B] }),
    moveSelect: np.array(select, { shape: [c.vocabSize, 4] }),
  };
}

/** Runs the compiled loss once: the four moves' probabilities, the advantages, the gradient. */
async function evaluate(params: HostParams, train: string[], seed: number, rewards: number[][]) {
  const fn = compileAnswerLoss(c, { temperature: 1, eps: 0.05, entropyCoef: 0 });
  const device = paramsToDevice(c, params);
  const trainable = Object.fromEntries(Object.entries(device).filter(([n]) => train.includes(n)));
  const frozen = Object.fromEntries(Object.entries(device).filter(([n]) => !train.includes(n)));
  const [[loss, aux], grads] = fn(trainable, frozen, batch(new Rng(seed), rewards));
  const probs = Array.from((await aux.probs.data()) as Float32Array);
  const advantages = Array.from((await aux.advantages.data()) as Float32Array);
  const g = await treeToHost(grads);
  await loss.data();
  return { probs, advantages, grads: g };
}

const expected = (probs: number[], rewards: number[][]): number =>
  rewards.reduce((s, r, b) => s + r.reduce((t, x, k) => t + x * (probs[b * 4 + k] as number), 0), 0) / rewards.length;

describe('the exact answer-only gradient', () => {
  const rewards = [[1, 0, 0, 1], [0, 0, 1, 0], [1, 1, 1, 1]];
  const params = initParams(c, new Rng(3));
  // A larger output layer so the four moves' probabilities differ.
  for (let i = 0; i < (params['lm_head.weight'] as Float32Array).length; i++) (params['lm_head.weight'] as Float32Array)[i]! *= 40;

  it('weighs the four moves by their probabilities: advantages average 0 under the policy, and none where all moves are equal', async () => {
    const { probs, advantages } = await evaluate(params, trainableNames(c, Object.keys(params), 'all'), 1, rewards);
    for (let b = 0; b < B; b++) {
      const pi = probs.slice(b * 4, b * 4 + 4);
      expect(pi.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 5);
      expect(pi.reduce((s, p, k) => s + p * (advantages[b * 4 + k] as number), 0)).toBeCloseTo(0, 5);
    }
    for (const a of advantages.slice(8)) expect(Math.abs(a)).toBeLessThan(1e-4); // float dust at most
    // A rewarded move gets a positive advantage, an unrewarded one a negative one.
    expect(advantages[0]).toBeGreaterThan(0);
    expect(advantages[1]).toBeLessThan(0);
  });

  it('a small step along it raises the expected reward, and the top-only split leaves the rest without a gradient', async () => {
    // One prompt with a spread (the others' rows add no gradient): its expected reward must go up.
    const rewards = [[1, 0, 0, 1], [1, 1, 1, 1], [0, 0, 0, 0]];
    const top = trainableNames(c, Object.keys(params), 'top');
    expect(top.every((n) => n.startsWith(`blocks.${c.nLayer - 1}.`) || n.startsWith('ln_f.') || n.startsWith('lm_head.'))).toBe(true);
    expect(top).toContain('lm_head.weight');
    expect(top).not.toContain('tok_embed.weight');
    const before = await evaluate(params, top, 1, rewards);
    expect(Object.keys(before.grads).sort()).toEqual([...top].sort());
    const stepped: HostParams = tree.map((a: Float32Array) => Float32Array.from(a), params) as HostParams;
    for (const n of top) {
      const p = stepped[n] as Float32Array;
      const g = before.grads[n] as Float32Array;
      for (let i = 0; i < p.length; i++) p[i] = (p[i] as number) - 0.01 * (g[i] as number);
    }
    const after = await evaluate(stepped, top, 1, rewards);
    expect(expected(after.probs, rewards)).toBeGreaterThan(expected(before.probs, rewards));
  });
});
