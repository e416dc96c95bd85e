import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { Rng } from '../util/rng';
import { decodePng, encodePng } from './png';
import { rasterHash, rasterize, type Raster } from './raster';

/** A raster of seeded random bytes, alpha included, so the round trip exercises every channel. */
function noise(width: number, height: number, seed: number): Raster {
  const rng = new Rng(seed);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = rng.nextUint32() & 0xff;
  return { width, height, data };
}

const rgba = (r: Raster) => Array.from(r.data);

describe('encodePng / decodePng', () => {
  it('round-trips RGBA exactly', () => {
    for (const [w, h, seed] of [
      [1, 1, 1],
      [7, 3, 2],
      [80, 80, 3],
    ] as const) {
      const r = noise(w, h, seed);
      const back = decodePng(encodePng(r));
      expect(back.width).toBe(w);
      expect(back.height).toBe(h);
      expect(back.data).toBeInstanceOf(Uint8ClampedArray);
      expect(rasterHash(back)).toBe(rasterHash(r));
    }
  });

  it('round-trips a rendered scene', () => {
    const r = rasterize(
      { width: 20, height: 10, background: '#123456', items: [{ kind: 'circle', cx: 10, cy: 5, r: 4, fill: '#abcdef' }] },
      { supersample: 2 },
    );
    expect(rgba(decodePng(encodePng(r)))).toEqual(rgba(r));
  });

  it('writes the same bytes for the same raster, starting with the PNG signature', () => {
    const a = encodePng(noise(16, 16, 9));
    const b = encodePng(noise(16, 16, 9));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  });

  it('rejects a raster whose data does not match its size', () => {
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8ClampedArray(15) })).toThrow(/expected 2x2x4 = 16/);
  });
});

describe('decodePng converts other PNG layouts to RGBA', () => {
  it('8-bit grey', () => {
    const png = encode({ width: 3, height: 1, data: Uint8Array.from([0, 128, 255]), channels: 1, depth: 8 });
    expect(rgba(decodePng(png))).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
  });

  it('8-bit grey + alpha', () => {
    const png = encode({ width: 2, height: 1, data: Uint8Array.from([10, 20, 30, 40]), channels: 2, depth: 8 });
    expect(rgba(decodePng(png))).toEqual([10, 10, 10, 20, 30, 30, 30, 40]);
  });

  it('8-bit RGB', () => {
    const png = encode({ width: 2, height: 1, data: Uint8Array.from([1, 2, 3, 4, 5, 6]), channels: 3, depth: 8 });
    expect(rgba(decodePng(png))).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
  });

  it('16-bit RGBA keeps the high byte', () => {
    const png = encode({ width: 1, height: 1, data: Uint16Array.from([0x1234, 0xabcd, 0xff00, 0x00ff]), channels: 4, depth: 16 });
    expect(rgba(decodePng(png))).toEqual([0x12, 0xab, 0xff, 0x00]);
  });

  it('1-bit grey, packed, with rows padded to whole bytes', () => {
    // Width 3: each row is one byte, the top 3 bits used. Row 0: 1 0 1; row 1: 0 1 0.
    const png = encode({ width: 3, height: 2, data: Uint8Array.from([0b1010_0000, 0b0100_0000]), channels: 1, depth: 1 });
    const grey = rgba(decodePng(png)).filter((_, i) => i % 4 === 0);
    expect(grey).toEqual([255, 0, 255, 0, 255, 0]);
  });

  it('8-bit palette, with transparency from tRNS', () => {
    const palette = [
      [9, 8, 7, 0],
      [200, 100, 50, 255],
    ];
    const png = encode({ width: 2, height: 1, data: Uint8Array.from([1, 0]), channels: 1, depth: 8, palette });
    expect(rgba(decodePng(png))).toEqual([200, 100, 50, 255, 9, 8, 7, 0]);
  });

  it('2-bit palette', () => {
    const palette = [
      [0, 0, 0],
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
    ];
    // Indices 3 2 1 0 packed into one byte: 11 10 01 00.
    const png = encode({ width: 4, height: 1, data: Uint8Array.from([0b11_10_01_00]), channels: 1, depth: 2, palette });
    expect(rgba(decodePng(png))).toEqual([0, 0, 255, 255, 0, 255, 0, 255, 255, 0, 0, 255, 0, 0, 0, 255]);
  });

  it('Adam7-interlaced RGBA', () => {
    const r = noise(9, 7, 4);
    const png = encode({ width: 9, height: 7, data: r.data, channels: 4, depth: 8 }, { interlace: 'Adam7' });
    expect(rasterHash(decodePng(png))).toBe(rasterHash(r));
  });
});

describe('decodePng errors', () => {
  const good = encodePng(noise(20, 20, 5));

  it('rejects bytes without the signature', () => {
    expect(() => decodePng(new TextEncoder().encode('GIF89a, not a png'))).toThrow(
      /^not a PNG: the file does not start with the PNG signature \(first bytes: 47 49 46 38/,
    );
    expect(() => decodePng(new Uint8Array(0))).toThrow(/not a PNG: .*first bytes: none/);
  });

  it('rejects a truncated file', () => {
    for (const keep of [8, 20, 40, good.length - 13, good.length - 1]) {
      expect(() => decodePng(good.slice(0, keep)), `first ${keep} bytes`).toThrow(/^not a PNG: the file ends before its last chunk \(truncated\)/);
    }
  });

  it('rejects a flipped byte inside a chunk (CRC mismatch)', () => {
    const bad = good.slice();
    bad[60] = bad[60]! ^ 0xff;
    expect(() => decodePng(bad)).toThrow(/^not a PNG: CRC mismatch for chunk/);
  });
});
