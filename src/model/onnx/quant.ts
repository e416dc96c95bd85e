/**
 * 4-bit block quantisation in the layout of com.microsoft `MatMulNBits` (bits=4, symmetric).
 *
 * MatMulNBits computes Y = A @ dequant(B)^T with B stored TRANSPOSED, one row per output column n:
 *   B       uint8   [N, kBlocks, blockSize/2]  two 4-bit codes per byte, the even k in the LOW nibble
 *   scales  float32 [N, kBlocks]
 *   w[k, n] = (code - zeroPoint) * scale[n, k / blockSize]
 * With no zero_points input the operator spec's default zero point is 2^(bits-1) = 8, so a symmetric scheme
 * stores code = round(w / scale) + 8 in [0, 15]. As MLAS does, the scale is (signed extreme) / -8: the
 * value of largest magnitude maps exactly to code 0 (-8 levels) and the opposite side gets up to +7.
 * Our weights are stored [in=K, out=N] (config.ts), hence the transposition here.
 */
export interface Q4Weight {
  /** [N, kBlocks, blockSize / 2] packed codes. */
  packed: Uint8Array;
  /** [N, kBlocks]. */
  scales: Float32Array;
  K: number;
  N: number;
  blockSize: number;
  kBlocks: number;
}

export function quantizeQ4(w: Float32Array, K: number, N: number, blockSize = 32): Q4Weight {
  if (w.length !== K * N) throw new Error(`quantizeQ4: weight has ${w.length} values, [${K}, ${N}] needs ${K * N}`);
  if (blockSize < 16 || (blockSize & (blockSize - 1)) !== 0) {
    throw new Error(`quantizeQ4: block size must be a power of two >= 16, got ${blockSize}`);
  }
  const kBlocks = Math.ceil(K / blockSize);
  const blob = blockSize / 2;
  const packed = new Uint8Array(N * kBlocks * blob);
  const scales = new Float32Array(N * kBlocks);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < kBlocks; b++) {
      const k0 = b * blockSize;
      const k1 = Math.min(K, k0 + blockSize); // the last block is zero-padded past K
      let extreme = 0;
      for (let k = k0; k < k1; k++) {
        const v = w[k * N + n] as number;
        if (Math.abs(v) > Math.abs(extreme)) extreme = v;
      }
      // Round the scale to float32 first so codes are computed against the value ORT will use.
      const scale = Math.fround(extreme / -8);
      scales[n * kBlocks + b] = scale;
      const inv = scale === 0 ? 0 : 1 / scale;
      const base = (n * kBlocks + b) * blob;
      for (let k = k0; k < k0 + blockSize; k++) {
        const v = k < k1 ? (w[k * N + n] as number) : 0;
        const code = Math.min(15, Math.max(0, Math.round(v * inv) + 8));
        const j = k - k0;
        const byte = base + (j >> 1);
        packed[byte] = (packed[byte] as number) | (j & 1 ? code << 4 : code);
      }
    }
  }
  return { packed, scales, K, N, blockSize, kBlocks };
}

/** The float [K, N] weight MatMulNBits will actually multiply by (for tests and error reports). */
export function dequantizeQ4(q: Q4Weight): Float32Array {
  const { K, N, blockSize, kBlocks } = q;
  const out = new Float32Array(K * N);
  const blob = blockSize / 2;
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const b = Math.floor(k / blockSize);
      const j = k - b * blockSize;
      const byte = q.packed[(n * kBlocks + b) * blob + (j >> 1)] as number;
      const code = j & 1 ? byte >> 4 : byte & 15;
      out[k * N + n] = (code - 8) * (q.scales[n * kBlocks + b] as number);
    }
  }
  return out;
}
