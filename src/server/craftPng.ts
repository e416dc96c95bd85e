/**
 * Test support: hand-built PNG files a normal encoder would not write, byte for byte (signature, IHDR,
 * IDAT, IEND with real CRCs), to probe what `vigal serve` does with hostile images: a huge declared
 * size (16000 x 16000, 1 bit, all zero: about 31 KB on the wire, 1 GB once decoded to RGBA), or a small
 * declared size whose pixel data inflates far beyond it.
 */
import { deflateSync } from 'node:zlib';

export interface CraftedPng {
  width: number;
  height: number;
  /** 1, 2, 4, 8 or 16. */
  bitDepth: number;
  /** 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
  colorType: number;
  /** Bytes the zlib stream inflates to; default exactly what the header needs (all zero: filter none, black). */
  rawBytes?: number;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export function craftPng(p: CraftedPng): Uint8Array {
  const bits = (CHANNELS[p.colorType] ?? 1) * p.bitDepth;
  const raw = p.rawBytes ?? p.height * (1 + Math.ceil((p.width * bits) / 8));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(p.width, 0);
  ihdr.writeUInt32BE(p.height, 4);
  ihdr.set([p.bitDepth, p.colorType, 0, 0, 0], 8);
  // Zeros deflate about 1000:1 (the raw buffer is at most tens of MB, and only in the test).
  const idat = deflateSync(Buffer.alloc(raw), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
