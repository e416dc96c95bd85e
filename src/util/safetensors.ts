/**
 * The safetensors format (https://github.com/huggingface/safetensors), bytes in and bytes out, so it runs
 * the same in Node and the browser:
 *
 *   [8 bytes: N, little-endian u64] [N bytes: UTF-8 JSON header] [data buffer]
 *   header = { "__metadata__"?: { str: str }, name: { dtype, shape, data_offsets: [begin, end] }, ... }
 *
 * Offsets are relative to the start of the data buffer. Tensors are written in insertion order (for the
 * nano model: config.parameterShapes order), the header padded with spaces to a multiple of 8 bytes as
 * the reference writer does, so every tensor starts 8-byte aligned.
 *
 * Every malformed file fails with an error that names the file (`source`), the tensor and what is wrong,
 * never with a silent wrong read: truncated header or data, bad JSON, unknown dtype, offsets out of range
 * or overlapping, and byte lengths that disagree with dtype x shape.
 */

export type SafeDType = 'F32' | 'I32' | 'U8';

export interface TypedArrayOf {
  F32: Float32Array;
  I32: Int32Array;
  U8: Uint8Array;
}

export type SafeTensor = {
  [D in SafeDType]: { dtype: D; shape: number[]; data: TypedArrayOf[D] };
}[SafeDType];

export interface SafetensorsFile {
  /** Tensors in file order (JS objects keep string-key insertion order). */
  tensors: Record<string, SafeTensor>;
  /** The `__metadata__` string map ({} when absent). */
  metadata: Record<string, string>;
}

const BYTES: Record<SafeDType, number> = { F32: 4, I32: 4, U8: 1 };
const DTYPES = Object.keys(BYTES) as SafeDType[];
/** The reference implementation refuses headers above 100 MB; so do we (a corrupt length reads as huge). */
const MAX_HEADER_BYTES = 100_000_000;

export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

/** Convenience constructors, so call sites read `f32([2, 3], data)`. */
export const f32 = (shape: number[], data: Float32Array): SafeTensor => ({ dtype: 'F32', shape, data });
export const i32 = (shape: number[], data: Int32Array): SafeTensor => ({ dtype: 'I32', shape, data });
export const u8 = (shape: number[], data: Uint8Array): SafeTensor => ({ dtype: 'U8', shape, data });

const numel = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Serialises tensors (and optional string metadata) to safetensors bytes. */
export function writeSafetensors(tensors: Record<string, SafeTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new SafetensorsError(`metadata '${k}' must be a string, got ${typeof v}`);
    }
    header['__metadata__'] = metadata;
  }
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    if (name === '__metadata__') throw new SafetensorsError(`'__metadata__' is reserved and cannot name a tensor`);
    checkTensor(name, t);
    const bytes = t.data.byteLength;
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const withPad = new Uint8Array(padded).fill(0x20); // spaces: still valid JSON
    withPad.set(json);
    json = withPad;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const t of Object.values(tensors)) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    pos += t.data.byteLength;
  }
  return out;
}

/**
 * Parses safetensors bytes. `source` (a path or URL) only decorates error messages. Tensor data are
 * copied out of `bytes` (aligned, independent of the input buffer).
 */
export function readSafetensors(bytes: Uint8Array, source = 'safetensors data'): SafetensorsFile {
  const fail = (msg: string): never => {
    throw new SafetensorsError(`${source}: ${msg}`);
  };
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, shorter than the 8-byte header length: truncated or not safetensors`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen64 = view.getBigUint64(0, true);
  if (headerLen64 > BigInt(MAX_HEADER_BYTES)) {
    fail(`header length ${headerLen64} exceeds the ${MAX_HEADER_BYTES}-byte limit: corrupt or not safetensors`);
  }
  const headerLen = Number(headerLen64);
  if (8 + headerLen > bytes.length) {
    fail(`header length ${headerLen} runs past the end of the ${bytes.length}-byte file: truncated`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (err) {
    fail(`header is not valid UTF-8 JSON (${(err as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('header must be a JSON object');
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const tensors: Record<string, SafeTensor> = {};
  let metadata: Record<string, string> = {};
  const ranges: [number, number, string][] = [];
  for (const [name, entry] of Object.entries(raw as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail('__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__.${k} must be a string, got ${JSON.stringify(v)}`);
      }
      metadata = entry as Record<string, string>;
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e !== 'object' || e === null) fail(`tensor '${name}': entry must be an object`);
    if (typeof e.dtype !== 'string' || !DTYPES.includes(e.dtype as SafeDType)) {
      fail(`tensor '${name}': dtype ${JSON.stringify(e.dtype)} is not supported (valid: ${DTYPES.join(', ')})`);
    }
    const dtype = e.dtype as SafeDType;
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      fail(`tensor '${name}': shape must be a list of non-negative integers, got ${JSON.stringify(e.shape)}`);
    }
    const shape = e.shape as number[];
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isInteger(o) && o >= 0)) {
      fail(`tensor '${name}': data_offsets must be [begin, end] integers, got ${JSON.stringify(off)}`);
    }
    const [begin, end] = off as [number, number];
    if (begin > end) fail(`tensor '${name}': data_offsets [${begin}, ${end}] run backwards`);
    if (end > dataLen) {
      fail(`tensor '${name}': data_offsets [${begin}, ${end}] run past the ${dataLen}-byte data buffer: truncated`);
    }
    const expected = numel(shape) * BYTES[dtype];
    if (end - begin !== expected) {
      fail(`tensor '${name}': ${end - begin} bytes of data but ${dtype} x [${shape.join(', ')}] needs ${expected}`);
    }
    ranges.push([begin, end, name]);
    const slice = bytes.slice(dataStart + begin, dataStart + end); // a copy: aligned, owns its buffer
    tensors[name] = makeTensor(dtype, shape, slice.buffer);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) {
    const prev = ranges[i - 1] as [number, number, string];
    const cur = ranges[i] as [number, number, string];
    if (cur[0] < prev[1]) fail(`tensors '${prev[2]}' and '${cur[2]}' overlap in the data buffer`);
  }
  return { tensors, metadata };
}

/**
 * Fetches one tensor and checks it against what the caller expects; the error says which of dtype or
 * shape disagrees (the "config/model mismatch" case: a checkpoint from another config).
 */
export function expectTensor<D extends SafeDType>(
  file: SafetensorsFile,
  name: string,
  dtype: D,
  shape: number[],
  source = 'safetensors data',
): TypedArrayOf[D] {
  const t = file.tensors[name];
  if (t === undefined) {
    const names = Object.keys(file.tensors);
    const shown = names.slice(0, 8).join(', ') + (names.length > 8 ? `, ... (${names.length} in all)` : '');
    throw new SafetensorsError(`${source}: tensor '${name}' is missing (present: ${shown || 'none'})`);
  }
  if (t.dtype !== dtype) throw new SafetensorsError(`${source}: tensor '${name}' is ${t.dtype}, expected ${dtype}`);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new SafetensorsError(`${source}: tensor '${name}' has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}] (config/model mismatch?)`);
  }
  return t.data as TypedArrayOf[D];
}

function checkTensor(name: string, t: SafeTensor): void {
  if (!DTYPES.includes(t.dtype)) throw new SafetensorsError(`tensor '${name}': dtype ${String(t.dtype)} not supported`);
  const ctor = { F32: Float32Array, I32: Int32Array, U8: Uint8Array }[t.dtype];
  if (!(t.data instanceof ctor)) throw new SafetensorsError(`tensor '${name}': ${t.dtype} needs a ${ctor.name}`);
  if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new SafetensorsError(`tensor '${name}': bad shape [${t.shape.join(', ')}]`);
  }
  if (numel(t.shape) !== t.data.length) {
    throw new SafetensorsError(`tensor '${name}': shape [${t.shape.join(', ')}] holds ${numel(t.shape)} values, data has ${t.data.length}`);
  }
}

function makeTensor(dtype: SafeDType, shape: number[], buf: ArrayBuffer): SafeTensor {
  switch (dtype) {
    case 'F32':
      return { dtype, shape, data: new Float32Array(buf) };
    case 'I32':
      return { dtype, shape, data: new Int32Array(buf) };
    case 'U8':
      return { dtype, shape, data: new Uint8Array(buf) };
  }
}
