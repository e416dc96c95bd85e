import { describe, expect, it } from 'vitest';
import { decodePng, encodePng } from '../render/png';
import { craftPng } from './craftPng';
import { checkPngBudget, ImageTooLargeError, rawDataBytes, readPngHeader } from './pngBudget';

describe('checkPngBudget', () => {
  it('reads the header without decoding, and passes ordinary images to the decoder', () => {
    const png = encodePng({ width: 33, height: 17, data: new Uint8ClampedArray(33 * 17 * 4).fill(90) });
    expect(readPngHeader(png)).toEqual({ width: 33, height: 17, bitDepth: 8, colorType: 6, interlaced: false });
    expect(checkPngBudget(png).width).toBe(33);
    expect(decodePng(png).width).toBe(33);
    const grey1 = craftPng({ width: 20, height: 3, bitDepth: 1, colorType: 0 });
    expect(checkPngBudget(grey1)).toMatchObject({ width: 20, height: 3, bitDepth: 1, colorType: 0 });
    expect(decodePng(grey1).data[0]).toBe(0);
  });

  it('the inflated size an image needs: rows plus one filter byte each, Adam7 passes summed', () => {
    expect(rawDataBytes({ width: 20, height: 3, bitDepth: 1, colorType: 0, interlaced: false })).toBe(3 * (1 + 3));
    expect(rawDataBytes({ width: 2, height: 2, bitDepth: 16, colorType: 6, interlaced: false })).toBe(2 * (1 + 16));
    // 1x1 interlaced: only pass 1 has a pixel. 8x8 RGB 8-bit: passes of 1x1, 1x1, 2x1, 2x2, 4x2, 4x4, 8x4 pixels.
    expect(rawDataBytes({ width: 1, height: 1, bitDepth: 8, colorType: 0, interlaced: true })).toBe(2);
    const passes = [
      [1, 1],
      [1, 1],
      [2, 1],
      [2, 2],
      [4, 2],
      [4, 4],
      [8, 4],
    ];
    expect(rawDataBytes({ width: 8, height: 8, bitDepth: 8, colorType: 2, interlaced: true })).toBe(passes.reduce((s, [w, h]) => s + h! * (1 + 3 * w!), 0));
  });

  it('refuses by the header over the pixel budget, and data that inflates past its header', () => {
    expect(() => checkPngBudget(craftPng({ width: 5000, height: 4000, bitDepth: 1, colorType: 0 }))).toThrow(ImageTooLargeError);
    expect(() => checkPngBudget(craftPng({ width: 100, height: 100, bitDepth: 8, colorType: 0 }), 99 * 100)).toThrow(
      /100 x 100 pixels, above this server's limit of 9900 pixels/,
    );
    expect(() => checkPngBudget(craftPng({ width: 4, height: 4, bitDepth: 8, colorType: 0, rawBytes: 21 }))).toThrow(
      /inflates to more than the 20 bytes its 4 x 4 header needs/,
    );
    expect(() => readPngHeader(new Uint8Array([1, 2, 3]))).toThrow(/not a PNG/);
  });
});
