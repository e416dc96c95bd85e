/**
 * What `vigal serve` checks in a PNG before decoding it, so that a small upload cannot make it allocate
 * gigabytes (a decompression bomb): the header (IHDR) must declare at most MAX_IMAGE_PIXELS, and the
 * compressed pixel data (the IDAT chunks) must not inflate to more bytes than that declared image needs.
 * Both checks cost at most the declared image's own size; only then does the decoder (render/png.ts) run.
 * Node only (node:zlib's output cap); the core decoder stays the same in Node and browsers.
 */
import { inflateSync } from 'node:zlib';

/** 4096 x 4096: the nano model looks at 80 px, ViGaL's boards are 320 px; this is generous. */
export const MAX_IMAGE_PIXELS = 4096 * 4096;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Samples per pixel by PNG colour type (grey, -, RGB, palette, grey+alpha, -, RGBA). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Adam7 passes: [x start, y start, x step, y step]. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** An image refused for its size (not for being broken). */
export class ImageTooLargeError extends Error {
  override name = 'ImageTooLargeError';
}

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
}

/**
 * The IHDR fields, read without decoding anything. Throws "not a PNG: ..." when the bytes do not start
 * with the signature and an IHDR chunk; other damage is left to the decoder, which names it.
 */
export function readPngHeader(bytes: Uint8Array): PngHeader {
  if (bytes.length < 33 || SIGNATURE.some((b, i) => bytes[i] !== b))
    throw new Error('not a PNG: the file does not start with the PNG signature and a header (IHDR) chunk');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(bytes[12]!, bytes[13]!, bytes[14]!, bytes[15]!);
  if (view.getUint32(8) !== 13 || type !== 'IHDR') throw new Error('not a PNG: the first chunk is not a 13-byte IHDR header');
  return { width: view.getUint32(16), height: view.getUint32(20), bitDepth: bytes[24]!, colorType: bytes[25]!, interlaced: bytes[28] === 1 };
}

/** Bytes the zlib stream of an image with this header inflates to (rows with their filter bytes). */
export function rawDataBytes(h: PngHeader): number {
  const bits = (CHANNELS[h.colorType] ?? 4) * h.bitDepth;
  const rows = (w: number, n: number) => (w > 0 && n > 0 ? n * (1 + Math.ceil((w * bits) / 8)) : 0);
  if (!h.interlaced) return rows(h.width, h.height);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) total += rows(Math.ceil((h.width - x0) / dx), Math.ceil((h.height - y0) / dy));
  return total;
}

/**
 * Refuses (throws, saying why) an image over the pixel budget or whose data inflates past what its
 * header declares. `where` names the request field in the message.
 */
export function checkPngBudget(bytes: Uint8Array, maxPixels = MAX_IMAGE_PIXELS): PngHeader {
  const h = readPngHeader(bytes);
  if (h.width * h.height > maxPixels) {
    const side = Math.round(Math.sqrt(maxPixels));
    throw new ImageTooLargeError(
      `the image is ${h.width} x ${h.height} pixels, above this server's limit of ${maxPixels} pixels (${side} x ${side}); send a smaller image`,
    );
  }
  const expected = rawDataBytes(h);
  // The IDAT chunks, walked by their lengths; a length running past the end is the decoder's to report.
  const idat: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 8; at + 8 <= bytes.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
    if (type === 'IDAT') idat.push(bytes.subarray(at + 8, Math.min(bytes.length, at + 8 + length)));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  try {
    inflateSync(Buffer.concat(idat), { maxOutputLength: Math.max(1, expected) });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ImageTooLargeError(
        `the image's compressed data inflates to more than the ${expected} bytes its ${h.width} x ${h.height} header needs (a decompression bomb?)`,
      );
    }
    // Corrupt or truncated data: the decoder names it.
  }
  return h;
}
