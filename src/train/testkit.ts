/**
 * Small factories shared by the trainer's tests: a tiny config and random batches. Not used at run
 * time (kept out of *.test.ts so several test files can import it).
 */
import { DEFAULT_CONFIG, type ModelConfig, patchDim } from '../model/config';
import { Rng } from '../util/rng';
import type { HostBatch } from './model';

/** 2x2-patch 4x4 images (4 patches of 12 values), 11 tokens, d=8, 2 layers, 2 heads. */
export const TINY: ModelConfig = {
  ...DEFAULT_CONFIG,
  name: 'tiny-test',
  imageSize: 4,
  patchSize: 2,
  vocabSize: 11,
  dModel: 8,
  nLayer: 2,
  nHead: 2,
  dFF: 16,
  maxSeqLen: 16,
};

/** A random batch whose last `respLen` targets of each row are response tokens. */
export function randomBatch(c: ModelConfig, rng: Rng, B: number, T: number, images = 1, respLen = 3): HostBatch {
  const Np = images * (c.imageSize / c.patchSize) ** 2;
  const patches = new Float32Array(B * Np * patchDim(c)).map(() => rng.next());
  const inputIds = new Int32Array(B * T).map(() => rng.int(c.vocabSize));
  const targets = new Int32Array(B * T);
  const weights = new Float32Array(B * T);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < T - 1; j++) targets[b * T + j] = inputIds[b * T + j + 1] as number;
    for (let j = T - 1 - respLen; j < T - 1; j++) weights[b * T + j] = 1 / (B * respLen);
  }
  return { B, Np, T, patches, inputIds, targets, weights };
}

/**
 * An independent float64 reference of the nano model in plain loops (no jax-js), written from the
 * conventions in model.ts's header. Tests use it for exact finite differences (jax-js computes
 * exp/log/tanh at float32 accuracy even in float64) and as a second implementation of the forward.
 * Params may be float32 or float64 arrays. Returns logits [B, Np + T, V].
 */
export function referenceLogits(
  c: ModelConfig,
  p: Record<string, ArrayLike<number>>,
  patches: ArrayLike<number>,
  ids: ArrayLike<number>,
  B: number,
): Float64Array {
  const d = c.dModel;
  const V = c.vocabSize;
  const pd = patchDim(c);
  const T = ids.length / B;
  const Np = patches.length / (B * pd);
  const S = Np + T;
  const hs = d / c.nHead;
  const w = (name: string): ArrayLike<number> => {
    const a = p[name];
    if (a === undefined) throw new Error(`reference: missing ${name}`);
    return a;
  };
  // y[n, out] = x[n, in] @ W[in, out] + b
  const linear = (x: Float64Array, n: number, din: number, dout: number, W: ArrayLike<number>, bias?: ArrayLike<number>) => {
    const y = new Float64Array(n * dout);
    for (let r = 0; r < n; r++) {
      for (let o = 0; o < dout; o++) {
        let s = bias ? (bias[o] as number) : 0;
        for (let i = 0; i < din; i++) s += (x[r * din + i] as number) * (W[i * dout + o] as number);
        y[r * dout + o] = s;
      }
    }
    return y;
  };
  const layerNorm = (x: Float64Array, n: number, g: ArrayLike<number>, bias: ArrayLike<number>) => {
    const y = new Float64Array(x.length);
    for (let r = 0; r < n; r++) {
      let mean = 0;
      for (let i = 0; i < d; i++) mean += x[r * d + i] as number;
      mean /= d;
      let v = 0;
      for (let i = 0; i < d; i++) v += ((x[r * d + i] as number) - mean) ** 2;
      v /= d;
      for (let i = 0; i < d; i++) y[r * d + i] = (((x[r * d + i] as number) - mean) / Math.sqrt(v + c.lnEps)) * (g[i] as number) + (bias[i] as number);
    }
    return y;
  };
  const out = new Float64Array(B * S * V);
  for (let b = 0; b < B; b++) {
    let x = new Float64Array(S * d);
    const img = linear(
      Float64Array.from({ length: Np * pd }, (_, k) => patches[b * Np * pd + k] as number),
      Np,
      pd,
      d,
      w('patch_embed.weight'),
      w('patch_embed.bias'),
    );
    x.set(img, 0);
    for (let j = 0; j < T; j++) {
      const tok = ids[b * T + j] as number;
      for (let i = 0; i < d; i++) x[(Np + j) * d + i] = w('tok_embed.weight')[tok * d + i] as number;
    }
    for (let k = 0; k < S * d; k++) x[k] = (x[k] as number) + (w('pos_embed.weight')[k] as number);
    for (let l = 0; l < c.nLayer; l++) {
      const pre = `blocks.${l}`;
      const h = layerNorm(x, S, w(`${pre}.ln1.weight`), w(`${pre}.ln1.bias`));
      const qkv = linear(h, S, d, 3 * d, w(`${pre}.attn.qkv.weight`), w(`${pre}.attn.qkv.bias`));
      const y = new Float64Array(S * d);
      for (let hd = 0; hd < c.nHead; hd++) {
        for (let qi = 0; qi < S; qi++) {
          const scores: number[] = [];
          for (let ki = 0; ki <= qi; ki++) {
            let s = 0;
            for (let e = 0; e < hs; e++) s += (qkv[qi * 3 * d + hd * hs + e] as number) * (qkv[ki * 3 * d + d + hd * hs + e] as number);
            scores.push(s / Math.sqrt(hs));
          }
          const m = Math.max(...scores);
          const ex = scores.map((s) => Math.exp(s - m));
          const z = ex.reduce((a, e) => a + e, 0);
          for (let ki = 0; ki <= qi; ki++) {
            for (let e = 0; e < hs; e++)
              y[qi * d + hd * hs + e] = (y[qi * d + hd * hs + e] as number) + ((ex[ki] as number) / z) * (qkv[ki * 3 * d + 2 * d + hd * hs + e] as number);
          }
        }
      }
      const a = linear(y, S, d, d, w(`${pre}.attn.proj.weight`), w(`${pre}.attn.proj.bias`));
      x = x.map((v, k) => v + (a[k] as number));
      const h2 = layerNorm(x, S, w(`${pre}.ln2.weight`), w(`${pre}.ln2.bias`));
      const f = linear(h2, S, d, c.dFF, w(`${pre}.mlp.fc.weight`), w(`${pre}.mlp.fc.bias`)).map(
        (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
      );
      const m = linear(f, S, c.dFF, d, w(`${pre}.mlp.proj.weight`), w(`${pre}.mlp.proj.bias`));
      x = x.map((v, k) => v + (m[k] as number));
    }
    const logits = linear(layerNorm(x, S, w('ln_f.weight'), w('ln_f.bias')), S, d, V, w('lm_head.weight'));
    out.set(logits, b * S * V);
  }
  return out;
}

/** The training loss of model.ts (weighted CE at text positions), in float64 on the reference. */
export function referenceLoss(c: ModelConfig, p: Record<string, ArrayLike<number>>, hb: HostBatch): number {
  const V = c.vocabSize;
  const S = hb.Np + hb.T;
  const logits = referenceLogits(c, p, hb.patches, hb.inputIds, hb.B);
  let loss = 0;
  for (let b = 0; b < hb.B; b++) {
    for (let j = 0; j < hb.T; j++) {
      const wgt = hb.weights[b * hb.T + j] as number;
      if (wgt === 0) continue;
      const row = logits.subarray((b * S + hb.Np + j) * V, (b * S + hb.Np + j + 1) * V);
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
      loss -= wgt * ((row[hb.targets[b * hb.T + j] as number] as number) - lse);
    }
  }
  return loss;
}
