/**
 * A plain-TypeScript forward of the nano model (no ORT, no jax-js), written from config.ts alone, as a
 * third opinion in tests: the ONNX graph must equal it, and so must the trainer. Slow (naive loops,
 * float64 accumulation); for tiny configs only.
 *
 * patches [B, P, patchDim], inputIds [B, S] -> logits at text positions [B, S, vocab], flattened.
 */
import { headSize, patchDim, type ModelConfig } from './config';
import { checkParams, type Params } from './params';

export function referenceLogits(
  config: ModelConfig,
  params: Params,
  batch: { patches: Float32Array; inputIds: ArrayLike<number>; batchSize?: number },
): Float32Array {
  const c = config;
  const w = checkParams(c, params);
  const W = (name: string): Float32Array => w.get(name) as Float32Array;
  const B = batch.batchSize ?? 1;
  const d = c.dModel;
  const pd = patchDim(c);
  const S = batch.inputIds.length / B;
  const P = batch.patches.length / (B * pd);
  const T = P + S;
  const V = c.vocabSize;
  const out = new Float32Array(B * S * V);

  /** y[T, N] = x[T, K] @ W[K, N] (+ b). */
  const linear = (x: Float64Array, rows: number, name: string, bias = true): Float64Array => {
    const Wm = W(`${name}.weight`);
    const N = bias ? W(`${name}.bias`).length : V;
    const K = Wm.length / N;
    const y = new Float64Array(rows * N);
    for (let t = 0; t < rows; t++) {
      for (let n = 0; n < N; n++) {
        let acc = bias ? (W(`${name}.bias`)[n] as number) : 0;
        for (let k = 0; k < K; k++) acc += (x[t * K + k] as number) * (Wm[k * N + n] as number);
        y[t * N + n] = acc;
      }
    }
    return y;
  };
  const layerNorm = (x: Float64Array, rows: number, name: string): Float64Array => {
    const g = W(`${name}.weight`);
    const b = W(`${name}.bias`);
    const y = new Float64Array(rows * d);
    for (let t = 0; t < rows; t++) {
      let mean = 0;
      for (let i = 0; i < d; i++) mean += x[t * d + i] as number;
      mean /= d;
      let v = 0;
      for (let i = 0; i < d; i++) v += ((x[t * d + i] as number) - mean) ** 2;
      const inv = 1 / Math.sqrt(v / d + c.lnEps);
      for (let i = 0; i < d; i++) y[t * d + i] = ((x[t * d + i] as number) - mean) * inv * (g[i] as number) + (b[i] as number);
    }
    return y;
  };
  const gelu = (v: number): number => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));

  for (let bi = 0; bi < B; bi++) {
    // embeddings: [patches][tokens] + positions
    const x = new Float64Array(T * d);
    const pe = linear(Float64Array.from(batch.patches.subarray(bi * P * pd, (bi + 1) * P * pd)), P, 'patch_embed');
    x.set(pe, 0);
    const tok = W('tok_embed.weight');
    for (let s = 0; s < S; s++) {
      const id = batch.inputIds[bi * S + s] as number;
      for (let i = 0; i < d; i++) x[(P + s) * d + i] = tok[id * d + i] as number;
    }
    const pos = W('pos_embed.weight');
    for (let i = 0; i < T * d; i++) x[i] = (x[i] as number) + (pos[i] as number);

    for (let l = 0; l < c.nLayer; l++) {
      const p = `blocks.${l}`;
      const qkv = linear(layerNorm(x, T, `${p}.ln1`), T, `${p}.attn.qkv`); // [T, 3d]
      const hs = headSize(c);
      const y = new Float64Array(T * d);
      for (let h = 0; h < c.nHead; h++) {
        for (let i = 0; i < T; i++) {
          const scores = new Float64Array(i + 1);
          let max = -Infinity;
          for (let j = 0; j <= i; j++) {
            let dot = 0;
            for (let e = 0; e < hs; e++) dot += (qkv[i * 3 * d + h * hs + e] as number) * (qkv[j * 3 * d + d + h * hs + e] as number);
            scores[j] = dot / Math.sqrt(hs);
            max = Math.max(max, scores[j] as number);
          }
          let sum = 0;
          for (let j = 0; j <= i; j++) sum += scores[j] = Math.exp((scores[j] as number) - max);
          for (let e = 0; e < hs; e++) {
            let acc = 0;
            for (let j = 0; j <= i; j++) acc += (scores[j] as number) * (qkv[j * 3 * d + 2 * d + h * hs + e] as number);
            y[i * d + h * hs + e] = acc / sum;
          }
        }
      }
      const a = linear(y, T, `${p}.attn.proj`);
      for (let i = 0; i < T * d; i++) x[i] = (x[i] as number) + (a[i] as number);
      const hidden = linear(layerNorm(x, T, `${p}.ln2`), T, `${p}.mlp.fc`).map(gelu);
      const m = linear(hidden, T, `${p}.mlp.proj`);
      for (let i = 0; i < T * d; i++) x[i] = (x[i] as number) + (m[i] as number);
    }
    const logits = linear(layerNorm(x.subarray(P * d), S, 'ln_f'), S, 'lm_head', false);
    out.set(logits, bi * S * V);
  }
  return out;
}
