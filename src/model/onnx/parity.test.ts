/**
 * The contract between the two implementations of the nano model: the ONNX graph (this folder) and the
 * trainer's jax-js forward (src/train/model.ts) give the same logits for the same weights, within 1e-4,
 * on random weights and real game inputs. The trainer returns every position; the graph only text
 * positions, so the comparison reads the trainer's last S rows.
 */
import { describe, expect, it } from 'vitest';
import type * as OrtModule from 'onnxruntime-web';
import { buildNanoGraph, pastKeyName, pastValueName } from './nano';
import { DEFAULT_CONFIG, patchDim } from '../config';
import { randomParams } from '../params';
import { TEST_CONFIG, snakeExample } from '../testkit';
import { forwardLogits } from '../../train/model';
import { createSession, loadOrt } from '../../runtime/ort';

type Tensor = OrtModule.Tensor;

describe('ONNX vs trainer forward (parity)', () => {
  it.each([
    ['tiny config, GPT-2 init scale', TEST_CONFIG, 1, { std: 0.02 }],
    ['tiny config, large random weights, random norms and biases', TEST_CONFIG, 2, { std: 0.1, perturbAll: true }],
    ['default config (80x80 board, 100 patches), large random weights', DEFAULT_CONFIG, 3, { std: 0.1, perturbAll: true }],
  ] as const)('fp32 logits equal forwardLogits within 1e-4 (%s)', async (_label, c, seed, init) => {
    const params = randomParams(c, seed, init);
    const B = 2;
    const a = snakeExample(c, 3);
    const b = snakeExample(c, 4);
    const S = Math.min(a.inputIds.length, b.inputIds.length);
    const ids = [...a.inputIds.slice(0, S), ...b.inputIds.slice(0, S)];
    const patches = Float32Array.from([...a.patches, ...b.patches]);
    const P = a.patches.length / patchDim(c);

    const trainer = await forwardLogits(c, Object.fromEntries(params), { patches, inputIds: Int32Array.from(ids), batchSize: B });

    // createSession keeps ORT from leaving a global Worker behind, which would break jax-js (ort.ts).
    const { ort } = await loadOrt(['wasm']);
    const session = await createSession(ort, buildNanoGraph(c, params, { quant: 'fp32' }));
    const hs = c.dModel / c.nHead;
    const feeds: Record<string, Tensor> = {
      patches: new ort.Tensor('float32', patches, [B, P, patchDim(c)]),
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [B, S]),
    };
    for (let i = 0; i < c.nLayer; i++) {
      feeds[pastKeyName(i)] = new ort.Tensor('float32', new Float32Array(0), [B, c.nHead, 0, hs]);
      feeds[pastValueName(i)] = new ort.Tensor('float32', new Float32Array(0), [B, c.nHead, 0, hs]);
    }
    const onnx = (await session.run(feeds))['logits']?.data as Float32Array;

    const V = c.vocabSize;
    let maxDiff = 0;
    for (let r = 0; r < B; r++) {
      for (let s = 0; s < S; s++) {
        for (let v = 0; v < V; v++) {
          const t = trainer[(r * (P + S) + P + s) * V + v] as number;
          const o = onnx[(r * S + s) * V + v] as number;
          maxDiff = Math.max(maxDiff, Math.abs(t - o));
        }
      }
    }
    expect(trainer.length).toBe(B * (P + S) * V);
    expect(maxDiff).toBeLessThan(1e-4);
  });
});
