import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { buildNanoGraph, isQuantizedMatrix, pastKeyName, pastValueName, presentKeyName, presentValueName } from './nano';
import { dequantizeQ4, quantizeQ4 } from './quant';
import { inspectNanoOnnx } from './inspect';
import { parameterShapes, patchDim, type ModelConfig } from '../config';
import { randomParams } from '../params';
import { referenceLogits } from '../reference';
import { TEST_CONFIG, snakeExample } from '../testkit';

type Feeds = Record<string, ort.Tensor>;

/** Runs one forward of an ONNX nano model directly through ORT (no runtime code involved). */
async function run(session: ort.InferenceSession, c: ModelConfig, patches: Float32Array, ids: number[], B = 1, past: ort.Tensor[] | null = null) {
  const hs = c.dModel / c.nHead;
  const P = patches.length / (B * patchDim(c));
  const feeds: Feeds = {
    patches: new ort.Tensor('float32', patches, [B, P, patchDim(c)]),
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [B, ids.length / B]),
  };
  for (let i = 0; i < c.nLayer; i++) {
    feeds[pastKeyName(i)] = past?.[2 * i] ?? new ort.Tensor('float32', new Float32Array(0), [B, c.nHead, 0, hs]);
    feeds[pastValueName(i)] = past?.[2 * i + 1] ?? new ort.Tensor('float32', new Float32Array(0), [B, c.nHead, 0, hs]);
  }
  const out = await session.run(feeds);
  const present: ort.Tensor[] = [];
  for (let i = 0; i < c.nLayer; i++) present.push(out[presentKeyName(i)] as ort.Tensor, out[presentValueName(i)] as ort.Tensor);
  return { logits: out['logits'] as ort.Tensor, present };
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

describe('nano ONNX graph', () => {
  const c = TEST_CONFIG;
  // perturbAll: random LayerNorm gains and biases too, so a mis-wired bias cannot hide behind zeros.
  const params = randomParams(c, 1, { std: 0.1, perturbAll: true });
  const ex = snakeExample(c, 5);

  it('fp32 logits equal the plain-TS reference forward (max abs diff < 1e-4) on a real Snake input', async () => {
    const session = await ort.InferenceSession.create(buildNanoGraph(c, params, { quant: 'fp32' }));
    const { logits, present } = await run(session, c, ex.patches, ex.inputIds);
    const P = ex.patches.length / patchDim(c);
    expect(logits.dims).toEqual([1, ex.inputIds.length, c.vocabSize]);
    expect(present[0]?.dims).toEqual([1, c.nHead, P + ex.inputIds.length, c.dModel / c.nHead]);
    const ref = referenceLogits(c, params, { patches: ex.patches, inputIds: ex.inputIds });
    expect(maxAbsDiff(logits.data as Float32Array, ref)).toBeLessThan(1e-4);
  });

  it('prefill + one-token steps with the cache give the logits of the full sequence', async () => {
    const session = await ort.InferenceSession.create(buildNanoGraph(c, params, { quant: 'fp32' }));
    const extra = [10, 42, 7, 99];
    const full = await run(session, c, ex.patches, [...ex.inputIds, ...extra]);
    let step = await run(session, c, ex.patches, ex.inputIds);
    const V = c.vocabSize;
    const fullData = full.logits.data as Float32Array;
    for (let k = 0; k < extra.length; k++) {
      step = await run(session, c, new Float32Array(0), [extra[k] as number], 1, step.present);
      const pos = ex.inputIds.length + k;
      expect(maxAbsDiff(step.logits.data as Float32Array, fullData.subarray(pos * V, (pos + 1) * V))).toBeLessThan(1e-4);
    }
  });

  it('batch rows are independent: B=2 with different prompts equals two B=1 runs', async () => {
    const session = await ort.InferenceSession.create(buildNanoGraph(c, params, { quant: 'fp32' }));
    const ex2 = snakeExample(c, 9);
    const n = Math.min(ex.inputIds.length, ex2.inputIds.length);
    const a = ex.inputIds.slice(0, n);
    const b = ex2.inputIds.slice(0, n);
    const both = await run(session, c, Float32Array.from([...ex.patches, ...ex2.patches]), [...a, ...b], 2);
    const one = await run(session, c, ex2.patches, b);
    const half = (both.logits.data as Float32Array).subarray(n * c.vocabSize);
    expect(maxAbsDiff(half, one.logits.data as Float32Array)).toBeLessThan(1e-5);
  });

  it('text-only prompts (0 patches) run', async () => {
    const session = await ort.InferenceSession.create(buildNanoGraph(c, params, { quant: 'fp32' }));
    const { logits } = await run(session, c, new Float32Array(0), ex.inputIds);
    const ref = referenceLogits(c, params, { patches: new Float32Array(0), inputIds: ex.inputIds });
    expect(maxAbsDiff(logits.data as Float32Array, ref)).toBeLessThan(1e-4);
  });

  it('q4 (MatMulNBits) equals the reference run on the dequantised weights', async () => {
    const session = await ort.InferenceSession.create(buildNanoGraph(c, params, { quant: 'q4' }));
    const deq = new Map(params);
    for (const [name, shape] of parameterShapes(c)) {
      if (!isQuantizedMatrix(name)) continue;
      const [K, N] = shape as [number, number];
      deq.set(name, dequantizeQ4(quantizeQ4(params.get(name) as Float32Array, K, N)));
    }
    const { logits } = await run(session, c, ex.patches, ex.inputIds);
    const ref = referenceLogits(c, deq, { patches: ex.patches, inputIds: ex.inputIds });
    expect(maxAbsDiff(logits.data as Float32Array, ref)).toBeLessThan(1e-4);
    // ...and differs from fp32 by the quantisation error, not by a wiring error.
    const fp = referenceLogits(c, params, { patches: ex.patches, inputIds: ex.inputIds });
    const d = maxAbsDiff(logits.data as Float32Array, fp);
    expect(d).toBeGreaterThan(1e-4);
    expect(d).toBeLessThan(1);
  });

  it('carries its config and quantisation in the metadata', () => {
    for (const quant of ['fp32', 'q4'] as const) {
      const info = inspectNanoOnnx(buildNanoGraph(c, params, { quant }));
      expect(info.quant).toBe(quant);
      expect(info.config).toEqual(c);
    }
  });

  it('refuses parameters that do not match the config', () => {
    const bad = new Map(params);
    bad.set('lm_head.weight', new Float32Array(5));
    expect(() => buildNanoGraph(c, bad, { quant: 'fp32' })).toThrow(/lm_head.weight has 5 values/);
    bad.delete('ln_f.bias');
    expect(() => buildNanoGraph(c, bad, { quant: 'fp32' })).toThrow(/ln_f.bias is missing/);
  });
});
