import { describe, expect, it } from 'vitest';
import { dequantizeQ4, quantizeQ4 } from './quant';
import { Rng } from '../../util/rng';

describe('quantizeQ4 (MatMulNBits layout)', () => {
  it('packs the even k in the low nibble, code = round(w / scale) + 8, scale = extreme / -8', () => {
    // K=32 (one block), N=1, w[k] = k - 16: the extreme is -16, so scale = -16 / -8 = 2 and code = round(w / 2) + 8.
    const K = 32;
    const w = Float32Array.from({ length: K }, (_, k) => k - 16);
    const q = quantizeQ4(w, K, 1);
    expect(q.scales[0]).toBe(2);
    expect(q.packed.length).toBe(16);
    // k=0: -16/2+8 = 0; k=1: -15/2 -> round(-7.5) = -7 -> 1  => byte0 = 0 | 1 << 4
    expect(q.packed[0]).toBe(0x10);
    // k=30: 14/2+8 = 15; k=31: 15/2 -> round(7.5) = 8 -> 16 clamped to 15 => byte15 = 15 | 15 << 4
    expect(q.packed[15]).toBe(0xff);
  });

  it('dequantises within one step per block (half a step, except near +extreme where +8 clamps to +7), and handles K not a multiple of 32 and zero blocks', () => {
    const rng = new Rng(3);
    const K = 72; // 2 full blocks + a padded one
    const N = 5;
    const w = Float32Array.from({ length: K * N }, () => rng.next() * 2 - 1);
    for (let n = 0; n < N; n++) for (let k = 32; k < 64; k++) if (n === 2) w[k * N + n] = 0; // an all-zero block
    const q = quantizeQ4(w, K, N);
    expect(q.kBlocks).toBe(3);
    const back = dequantizeQ4(q);
    for (let n = 0; n < N; n++) {
      for (let k = 0; k < K; k++) {
        const scale = Math.abs(q.scales[n * 3 + Math.floor(k / 32)] as number);
        expect(Math.abs((back[k * N + n] as number) - (w[k * N + n] as number))).toBeLessThanOrEqual(scale + 1e-7);
      }
    }
    expect(Math.abs(back[40 * N + 2] as number)).toBe(0); // code 8 -> (8 - 8) * scale, which may be -0
  });

  it('rejects a weight of the wrong size', () => {
    expect(() => quantizeQ4(new Float32Array(10), 4, 4)).toThrow(/\[4, 4\] needs 16/);
  });
});
