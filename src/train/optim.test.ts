import { describe, expect, it } from 'vitest';
import { adamwStep, decays, DEFAULT_OPTIM, GradAccumulator, globalNorm, initOptimState, learningRate, type OptimConfig } from './optim';

const cfg: OptimConfig = { ...DEFAULT_OPTIM, lr: 1e-2, minLr: 1e-3, warmupSteps: 4, decaySteps: 14, weightDecay: 0, gradClip: 0 };

describe('learningRate (warm-up + cosine, pure in the step)', () => {
  it.each([
    // warm-up: lr * (step + 1) / (warmup + 1)
    [0, 2e-3],
    [3, 8e-3],
    // cosine from lr at step 4 to minLr at step 14; halfway (step 9) is the mean of the two
    [4, 1e-2],
    [9, 5.5e-3],
    [14, 1e-3],
    [100, 1e-3],
  ])('step %i -> %f', (step, lr) => {
    expect(learningRate(step, cfg)).toBeCloseTo(lr, 12);
  });
  it('is monotone after warm-up', () => {
    for (let s = 4; s < 20; s++) expect(learningRate(s + 1, cfg)).toBeLessThanOrEqual(learningRate(s, cfg));
  });
});

describe('weight decay applies to linear weight matrices only', () => {
  it.each([
    ['blocks.0.attn.qkv.weight', true],
    ['blocks.3.mlp.proj.weight', true],
    ['patch_embed.weight', true],
    ['lm_head.weight', true],
    ['blocks.0.attn.qkv.bias', false],
    ['blocks.1.ln1.weight', false],
    ['blocks.1.ln2.bias', false],
    ['ln_f.weight', false],
    ['tok_embed.weight', false],
    ['pos_embed.weight', false],
  ])('%s -> %s', (name, expected) => {
    expect(decays(name)).toBe(expected);
  });
});

describe('adamwStep', () => {
  const params = () => ({ 'a.weight': new Float32Array([1, -2, 3]), 'a.bias': new Float32Array([0.5]) });

  it('first step moves each weight by ~lr against its gradient sign (bias-corrected Adam)', () => {
    const p = params();
    const st = initOptimState(p);
    const r = adamwStep(p, { 'a.weight': new Float32Array([0.3, -0.001, 0]), 'a.bias': new Float32Array([-5]) }, st, 0.1, cfg);
    expect(r.applied).toBe(true);
    expect(st.t).toBe(1);
    // m_hat = g, v_hat = g^2 -> step = lr * g / (|g| + eps)
    expect(p['a.weight'][0]).toBeCloseTo(0.9, 6);
    expect(p['a.weight'][1]).toBeCloseTo(-1.9, 4);
    expect(p['a.weight'][2]).toBe(3); // zero gradient, no decay: unchanged
    expect(p['a.bias'][0]).toBeCloseTo(0.6, 6);
  });

  it('decoupled weight decay shrinks matrices, not biases', () => {
    const p = params();
    const zero = { 'a.weight': new Float32Array(3), 'a.bias': new Float32Array(1) };
    adamwStep(p, zero, initOptimState(p), 0.1, { ...cfg, weightDecay: 0.5 });
    expect(Array.from(p['a.weight'])).toEqual([0.949999988079071, -1.899999976158142, 2.8499999046325684]); // x (1 - 0.1 * 0.5)
    expect(p['a.bias'][0]).toBe(0.5);
  });

  it('clips the global gradient norm', () => {
    const p = params();
    const g = { 'a.weight': new Float32Array([3, 0, 0]), 'a.bias': new Float32Array([4]) };
    expect(globalNorm(g)).toBe(5);
    const r = adamwStep(p, g, initOptimState(p), 0.1, { ...cfg, gradClip: 1 });
    expect(r.gradNorm).toBe(5);
    expect(r.clipScale).toBeCloseTo(0.2, 12);
  });

  it.each([
    [
      'NaN gradient',
      { 'a.weight': new Float32Array([1, NaN, 0]), 'a.bias': new Float32Array([0]) },
      0,
      /gradient norm is NaN \(first bad tensor: a\.weight\[1\] = NaN\)/,
    ],
    [
      'inf gradient',
      { 'a.weight': new Float32Array([1, 0, 0]), 'a.bias': new Float32Array([-Infinity]) },
      0,
      /gradient norm is Infinity \(first bad tensor: a\.bias\[0\] = -Infinity\)/,
    ],
    ['NaN loss', { 'a.weight': new Float32Array([1, 0, 0]), 'a.bias': new Float32Array([0]) }, NaN, /loss is NaN/],
  ])('NaN/inf guard skips the update on a %s and says why', (_label, g, loss, message) => {
    const p = params();
    const st = initOptimState(p);
    const before = structuredClone(p);
    const r = adamwStep(p, g, st, 0.1, cfg, loss);
    expect(r.applied).toBe(false);
    expect(r.skipReason).toMatch(message);
    expect(p).toEqual(before);
    expect(st.t).toBe(0);
    expect(Array.from(st.m['a.weight']!)).toEqual([0, 0, 0]);
  });
});

describe('GradAccumulator', () => {
  it('averages micro-batch gradients and losses, then resets', () => {
    const acc = new GradAccumulator();
    acc.add({ w: new Float32Array([1, 2]) }, 1);
    acc.add({ w: new Float32Array([3, -2]) }, 3);
    expect(acc.micro).toBe(2);
    const { grads, loss } = acc.mean();
    expect(Array.from(grads.w!)).toEqual([2, 0]);
    expect(loss).toBe(2);
    expect(() => acc.mean()).toThrow(/before any add/);
  });
});
