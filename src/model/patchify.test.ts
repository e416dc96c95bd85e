import { describe, expect, it } from 'vitest';
import { normalizePixel, patchify } from './patchify';
import { TEST_CONFIG } from './testkit';
import { patchDim } from './config';

/** An RGBA image whose pixel (x, y) is [x, y, 7, 255]. */
function coords(size: number) {
  const data = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data.set([x, y, 7, 255], (y * size + x) * 4);
  return { width: size, height: size, data };
}

describe('patchify', () => {
  const c = TEST_CONFIG; // 32x32 in 8x8 patches: a 4x4 grid of 192-value patches

  it('orders patches row-major over the grid and values (py, px, channel) within a patch', () => {
    const out = patchify(c, [coords(32)]);
    const pd = patchDim(c);
    expect(out.length).toBe(16 * pd);
    // Patch 6 = grid row 1, column 2: its first pixel is (16, 8); value 3 is pixel (17, 8)'s R.
    expect(out[6 * pd + 0]).toBeCloseTo(normalizePixel(16));
    expect(out[6 * pd + 1]).toBeCloseTo(normalizePixel(8));
    expect(out[6 * pd + 2]).toBeCloseTo(normalizePixel(7));
    expect(out[6 * pd + 3]).toBeCloseTo(normalizePixel(17));
    // Value 8 * 3 = 24 starts the patch's second pixel row: pixel (16, 9).
    expect(out[6 * pd + 24]).toBeCloseTo(normalizePixel(16));
    expect(out[6 * pd + 25]).toBeCloseTo(normalizePixel(9));
  });

  it('maps 0..255 to 0..1 and box-filters an integer multiple of the size', () => {
    expect(normalizePixel(0)).toBe(0);
    expect(normalizePixel(255)).toBe(1);
    const out = patchify(c, [coords(64)]);
    // Pixel (0, 0) at half resolution averages x in {0, 1}, y in {0, 1}: 0.5 each.
    expect(out[0]).toBeCloseTo(normalizePixel(0.5));
    expect(out[1]).toBeCloseTo(normalizePixel(0.5));
  });

  it('refuses images of the wrong size or too many images, naming the expectation', () => {
    expect(() => patchify(c, [coords(48)])).toThrow(/expected RGBA 32x32 \(config.imageSize\)/);
    expect(() => patchify(c, [coords(32), coords(32)])).toThrow(/at most maxImages=1/);
  });
});
