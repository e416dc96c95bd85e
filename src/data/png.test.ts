import { describe, expect, it } from 'vitest';
import { decodePng } from '../render/png';
import type { Raster } from '../render/raster';
import { encodeDatasetPng } from './png.node.ts';

/** A raster filled by `color(x, y)` -> [r, g, b], opaque. */
function raster(width: number, height: number, color: (x: number, y: number) => [number, number, number]): Raster {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = color(x, y);
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

describe('encodeDatasetPng', () => {
  it('writes few-colour images as indexed PNG and decodes to the same pixels', () => {
    const r = raster(37, 11, (x, y) => ((x + y) % 3 === 0 ? [255, 0, 0] : x > 20 ? [0, 0, 255] : [255, 255, 255]));
    const png = encodeDatasetPng(r);
    expect(png[25]).toBe(3); // IHDR colour type: indexed
    expect(decodePng(png).data).toEqual(r.data);
  });

  it('falls back to RGB above 256 colours, still lossless', () => {
    // 300 distinct colours: one per pixel of a 20 x 15 gradient.
    const r = raster(20, 15, (x, y) => [x * 12, y * 17, (x * 7 + y * 3) % 256]);
    const png = encodeDatasetPng(r);
    expect(png[25]).toBe(2); // IHDR colour type: truecolour
    expect(decodePng(png).data).toEqual(r.data);
  });

  it('gives identical bytes for identical pixels', () => {
    const make = (): Raster => raster(64, 64, (x, y) => [x * 4, y * 4, 128]);
    expect(encodeDatasetPng(make())).toEqual(encodeDatasetPng(make()));
  });

  it('rejects a raster whose data does not match its size', () => {
    expect(() => encodeDatasetPng({ width: 4, height: 4, data: new Uint8ClampedArray(10) })).toThrow(/expected width\*height\*4/);
  });
});
