import { describe, expect, it } from 'vitest';
import { numpy as np, tree } from '@jax-js/jax';
import { parameterShapes } from '../model/config';
import { Rng } from '../util/rng';
import { compile, forwardLogits, initParams, paramsToDevice, toDevice, type HostParams } from './model';
import { randomBatch, referenceLogits, referenceLoss, TINY } from './testkit';

/** Init plus noise: LN weights of exactly 1 and zero biases would leave some gradients trivially 0. */
function noisyParams(seed: number): HostParams {
  const rng = new Rng(seed);
  const p = initParams(TINY, rng);
  for (const a of Object.values(p)) for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) + (rng.next() - 0.5) * 0.2;
  return p;
}

describe('nano model forward (jax-js)', () => {
  it('initParams follows GPT-2 init: shapes of the config, LN=1, biases 0, std 0.02, scaled residual projections', () => {
    const c = { ...TINY, dModel: 64, nHead: 4, dFF: 128, nLayer: 2 };
    const p = initParams(c, new Rng(3));
    expect(Object.keys(p)).toEqual(parameterShapes(c).map(([n]) => n));
    expect(Array.from(new Set(p['blocks.0.ln1.weight']))).toEqual([1]);
    expect(Array.from(new Set(p['ln_f.weight']))).toEqual([1]);
    expect(Array.from(new Set(p['blocks.1.mlp.fc.bias']))).toEqual([0]);
    const std = (a: Float32Array) => Math.sqrt(a.reduce((s, x) => s + x * x, 0) / a.length);
    expect(std(p['blocks.0.mlp.fc.weight']!)).toBeCloseTo(0.02, 2);
    // 0.02 / sqrt(2 * nLayer) = 0.01
    expect(std(p['blocks.0.mlp.proj.weight']!)).toBeCloseTo(0.01, 2);
    // Same seed, same weights (determinism across runs and platforms).
    expect(initParams(c, new Rng(3))['tok_embed.weight']).toEqual(p['tok_embed.weight']);
  });

  it('forwardLogits: [B, Np+T, V], causal, and equal to the jitted forward', async () => {
    const host = noisyParams(1);
    const b = randomBatch(TINY, new Rng(2), 2, 6);
    const out = await forwardLogits(TINY, host, { patches: b.patches, inputIds: b.inputIds, batchSize: 2 });
    expect(out.length).toBe(2 * (4 + 6) * 11);
    expect(out.every(Number.isFinite)).toBe(true);

    const jitted = compile(TINY).logits(paramsToDevice(TINY, host), ...devicePair(b));
    const j = (await jitted.data()) as Float32Array;
    for (let i = 0; i < out.length; i++) expect(Math.abs((j[i] as number) - (out[i] as number))).toBeLessThan(1e-5);

    // Changing the last token must not change any earlier position's logits (causal mask).
    const ids2 = Int32Array.from(b.inputIds);
    ids2[5] = ((ids2[5] as number) + 1) % 11;
    const out2 = await forwardLogits(TINY, host, { patches: b.patches, inputIds: ids2, batchSize: 2 });
    const row = (4 + 6) * 11;
    for (let i = 0; i < row - 11; i++) expect(out2[i]).toBe(out[i]);
    expect(out2.slice(row - 11, row)).not.toEqual(out.slice(row - 11, row));
    // The second batch row is untouched.
    expect(out2.slice(row)).toEqual(out.slice(row));
  });

  it('runs text-only (no patches) and several images', async () => {
    const host = noisyParams(1);
    const text = await forwardLogits(TINY, host, { patches: new Float32Array(0), inputIds: new Int32Array([1, 2, 3]) });
    expect(text.length).toBe(3 * 11);
    const b = randomBatch(TINY, new Rng(5), 1, 4, 2);
    const two = await forwardLogits(TINY, host, { patches: b.patches, inputIds: b.inputIds });
    expect(two.length).toBe((8 + 4) * 11);
  });

  it('rejects bad inputs with clear errors', async () => {
    const host = noisyParams(1);
    await expect(forwardLogits(TINY, host, { patches: new Float32Array(0), inputIds: new Int32Array([11]) })).rejects.toThrow(/token id 11 outside \[0, 11\)/);
    await expect(forwardLogits(TINY, host, { patches: new Float32Array(0), inputIds: new Int32Array(17) })).rejects.toThrow(/exceeds maxSeqLen 16/);
    const { ['ln_f.bias']: _drop, ...missing } = host;
    await expect(forwardLogits(TINY, missing, { patches: new Float32Array(0), inputIds: new Int32Array([1]) })).rejects.toThrow(
      /parameter 'ln_f.bias' is missing/,
    );
  });

  /**
   * Directional finite differences per parameter tensor: for a random direction u in that tensor,
   * (L(p + eps u) - L(p - eps u)) / 2 eps on the float64 reference must equal <dL/dp, u> from the
   * jitted float32 gradient that training uses. (jax-js's own float64 computes exp/log/tanh at float32
   * accuracy, too noisy for finite differences; the reference is plain float64 JS.) With eps = 1e-5
   * the FD error is ~1e-10, so the tolerance measures the float32 gradient: 1e-3 relative.
   */
  it('gradients match finite differences for every parameter tensor', async () => {
    const host = noisyParams(7);
    const hb = randomBatch(TINY, new Rng(8), 2, 6, 1, 4);
    const { lossAndGrad } = compile(TINY);
    const [l32, g] = lossAndGrad(paramsToDevice(TINY, host), toDevice(TINY, hb));
    const l0 = (await l32.data())[0] as number;
    // The jax-js loss equals the reference loss (float32 vs float64).
    expect(Math.abs(l0 - referenceLoss(TINY, host, hb))).toBeLessThan(1e-5);
    const rng = new Rng(9);
    const eps = 1e-5;
    for (const [name] of parameterShapes(TINY)) {
      const grad = (await g[name]!.data()) as Float32Array;
      const u = new Float64Array(grad.length).map(() => rng.next() * 2 - 1);
      const analytic = grad.reduce((s, gi, i) => s + gi * (u[i] as number), 0);
      const lossAt = (sign: number): number => {
        const p: Record<string, ArrayLike<number>> = { ...host };
        p[name] = Float64Array.from(host[name]!, (v, i) => v + sign * eps * (u[i] as number));
        return referenceLoss(TINY, p, hb);
      };
      const fd = (lossAt(1) - lossAt(-1)) / (2 * eps);
      const tol = 1e-3 * Math.abs(fd) + 1e-6;
      expect(Math.abs(fd - analytic), `${name}: fd ${fd} vs grad ${analytic}`).toBeLessThan(tol);
    }
  });

  it('matches the independent float64 reference forward', async () => {
    const host = noisyParams(11);
    const b = randomBatch(TINY, new Rng(12), 2, 7);
    const out = await forwardLogits(TINY, host, { patches: b.patches, inputIds: b.inputIds, batchSize: 2 });
    const ref = referenceLogits(TINY, host, b.patches, b.inputIds, 2);
    let maxDiff = 0;
    for (let i = 0; i < out.length; i++) maxDiff = Math.max(maxDiff, Math.abs((out[i] as number) - (ref[i] as number)));
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('tok_embed gradient rows of unused tokens are exactly zero (one-hot embedding)', async () => {
    const host = noisyParams(7);
    const hb = randomBatch(TINY, new Rng(8), 1, 3);
    // The last input token feeds no target (causal), so only earlier ones get a gradient.
    const used = new Set(hb.inputIds.slice(0, hb.T - 1));
    const { lossAndGrad } = compile(TINY);
    const [, g] = lossAndGrad(paramsToDevice(TINY, host), toDevice(TINY, hb));
    const ge = (await g['tok_embed.weight']!.ref.data()) as Float32Array; // data() consumes
    for (let v = 0; v < TINY.vocabSize; v++) {
      const rowAbs = ge.slice(v * 8, v * 8 + 8).reduce((s, x) => s + Math.abs(x), 0);
      if (used.has(v)) expect(rowAbs).toBeGreaterThan(0);
      else expect(rowAbs).toBe(0);
    }
    tree.dispose(g);
  });
});

function devicePair(b: ReturnType<typeof randomBatch>): [np.Array, np.Array] {
  return [np.array(b.patches, { shape: [b.B, b.Np, 12] }), np.array(b.inputIds, { shape: [b.B, b.T], dtype: np.int32 })];
}
