/**
 * PNG encode/decode of rasters through fast-png (pure JS, so the bytes are the same in Node and browsers).
 * Encoding always writes 8-bit RGBA with fast-png's fixed defaults, so the same raster gives the same
 * bytes. Decoding accepts any standard PNG (grey, grey+alpha, RGB, RGBA, palette; 1-16 bits; interlaced)
 * and returns 8-bit RGBA.
 */
import { decode, encode, hasPngSignature, type DecodedPng } from 'fast-png';
import type { Raster } from './raster';

/** 8-bit RGBA PNG bytes of the raster. */
export function encodePng(raster: Raster): Uint8Array {
  const { width, height, data } = raster;
  if (data.length !== width * height * 4) {
    throw new Error(`encodePng: raster data has ${data.length} bytes, expected ${width}x${height}x4 = ${width * height * 4}`);
  }
  return encode({ width, height, data, depth: 8, channels: 4 });
}

/** Decodes PNG bytes to an RGBA raster. Throws "not a PNG: ..." on anything corrupt or truncated. */
export function decodePng(bytes: Uint8Array): Raster {
  if (!(bytes instanceof Uint8Array)) throw new Error('not a PNG: expected a Uint8Array of file bytes');
  if (bytes.length < 8 || !hasPngSignature(bytes)) {
    const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new Error(`not a PNG: the file does not start with the PNG signature (first bytes: ${head || 'none'})`);
  }
  let png: DecodedPng;
  try {
    // checkCrc: a flipped bit anywhere in a chunk is an error, not a quietly wrong picture.
    png = decode(bytes, { checkCrc: true });
  } catch (error) {
    // Reading past the end surfaces as DataView's RangeError, which names no PNG concept: say what it means.
    const why =
      error instanceof RangeError && /outside the bounds/.test(error.message)
        ? 'the file ends before its last chunk (truncated)'
        : error instanceof Error
          ? error.message
          : String(error);
    throw new Error(`not a PNG: ${why} (${bytes.length} bytes)`, { cause: error });
  }
  return toRgba(png, bytes.length);
}

/** Converts fast-png's decoded layout (channels x depth, packed below 8 bits) to 8-bit RGBA. */
function toRgba(png: DecodedPng, fileBytes: number): Raster {
  const { width, height, depth, channels, data } = png;
  const palette = png.palette;
  const rowSamples = width * channels;
  // Below 8 bits samples are packed, each row starting on a byte boundary.
  const expected = depth < 8 ? Math.ceil((rowSamples * depth) / 8) * height : rowSamples * height;
  if (!(width > 0 && height > 0) || data.length !== expected) {
    throw new Error(`not a PNG: image data has ${data.length} samples, expected ${expected} for ${width}x${height} (truncated file of ${fileBytes} bytes?)`);
  }
  const rowBytes = Math.ceil((rowSamples * depth) / 8);
  const maxValue = 2 ** depth - 1;
  // Sample i of row y at its original depth (used for palette indices and tRNS keys as well).
  const sample = (y: number, i: number): number => {
    if (depth === 8 || depth === 16) return data[y * rowSamples + i]!;
    const bit = i * depth;
    const byte = data[y * rowBytes + (bit >>> 3)]!;
    return (byte >>> (8 - depth - (bit & 7))) & maxValue;
  };
  const to8 = (v: number): number => (depth === 16 ? v >>> 8 : depth === 8 ? v : Math.round((v * 255) / maxValue));
  // tRNS for grey/RGB images names one fully transparent colour (palette alpha comes in the palette).
  const key = !palette && png.transparency && png.transparency.length === channels ? png.transparency : undefined;

  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const i = x * channels;
      if (palette) {
        const index = sample(y, i);
        const entry = palette[index];
        if (!entry) throw new Error(`not a PNG: pixel (${x}, ${y}) uses palette index ${index}, but the palette has ${palette.length} entries`);
        out[o] = entry[0]!;
        out[o + 1] = entry[1]!;
        out[o + 2] = entry[2]!;
        out[o + 3] = entry[3] ?? 255;
        continue;
      }
      let r: number;
      let g: number;
      let b: number;
      let a = 255;
      if (channels === 1 || channels === 2) {
        const v = sample(y, i);
        r = g = b = to8(v);
        if (channels === 2) a = to8(sample(y, i + 1));
        else if (key && v === key[0]) a = 0;
      } else {
        const rv = sample(y, i);
        const gv = sample(y, i + 1);
        const bv = sample(y, i + 2);
        r = to8(rv);
        g = to8(gv);
        b = to8(bv);
        if (channels === 4) a = to8(sample(y, i + 3));
        else if (key && rv === key[0] && gv === key[1] && bv === key[2]) a = 0;
      }
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
      out[o + 3] = a;
    }
  }
  return { width, height, data: out };
}
