import { describe, expect, it } from 'vitest';
import { expectTensor, f32, i32, readSafetensors, u8, writeSafetensors } from './safetensors';

const sample = () => ({
  'a.weight': f32([2, 3], new Float32Array([1, 2, 3, 4, 5, -6.5])),
  'b.bias': f32([3], new Float32Array([0.25, Number.NaN, Infinity])),
  step: i32([1], new Int32Array([-7])),
  bytes: u8([5], new Uint8Array([1, 2, 3, 4, 255])),
  empty: f32([0, 4], new Float32Array(0)),
});

/** Builds a file from a hand-written header, to produce the corruptions a writer never would. */
function rawFile(header: unknown, dataBytes: number, headerLenOverride?: number): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLenOverride ?? json.length), true);
  out.set(json, 8);
  return out;
}

describe('safetensors', () => {
  it('round-trips F32/I32/U8 tensors, order, NaN/Inf and metadata', () => {
    const bytes = writeSafetensors(sample(), { format: 'pt', config: '{"dModel":8}' });
    // Header padded to a multiple of 8 so the data buffer (and every F32 tensor) starts aligned.
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLen % 8).toBe(0);
    const back = readSafetensors(bytes);
    expect(Object.keys(back.tensors)).toEqual(['a.weight', 'b.bias', 'step', 'bytes', 'empty']);
    expect(back.metadata).toEqual({ format: 'pt', config: '{"dModel":8}' });
    expect(back.tensors['a.weight']).toEqual(sample()['a.weight']);
    expect(Array.from(back.tensors['b.bias']!.data)).toEqual([0.25, NaN, Infinity]);
    expect(back.tensors.step).toEqual(sample().step);
    expect(back.tensors.bytes).toEqual(sample().bytes);
    expect(back.tensors.empty!.shape).toEqual([0, 4]);
  });

  it('reads a file written by the reference layout (no metadata, unpadded header)', () => {
    const header = { x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
    const file = rawFile(header, 8);
    new DataView(file.buffer).setFloat32(file.length - 8, 1.5, true);
    new DataView(file.buffer).setFloat32(file.length - 4, -2, true);
    const back = readSafetensors(file);
    expect(Array.from(expectTensor(back, 'x', 'F32', [2]))).toEqual([1.5, -2]);
    expect(back.metadata).toEqual({});
  });

  // Each corruption gives a message naming the problem, never a wrong read.
  it.each([
    ['fewer than 8 bytes', new Uint8Array(5), /shorter than the 8-byte header length/],
    ['header length beyond file', rawFile({}, 0, 1000), /runs past the end .*truncated/],
    ['absurd header length', rawFile({}, 0, 2 ** 40), /exceeds the .* limit/],
    ['bad JSON', rawFile('{"x": [', 0), /not valid UTF-8 JSON/],
    ['JSON not an object', rawFile('[1,2]', 0), /must be a JSON object/],
    ['unknown dtype', rawFile({ x: { dtype: 'BF16', shape: [1], data_offsets: [0, 2] } }, 2), /dtype "BF16" is not supported \(valid: F32, I32, U8\)/],
    ['bad shape', rawFile({ x: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4), /shape must be a list of non-negative integers/],
    ['offsets out of range', rawFile({ x: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, 8), /run past the 8-byte data buffer/],
    ['offsets backwards', rawFile({ x: { dtype: 'F32', shape: [1], data_offsets: [8, 4] } }, 8), /run backwards/],
    ['dtype/shape vs byte length', rawFile({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8), /8 bytes of data but F32 x \[3\] needs 12/],
    ['overlap', rawFile({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, y: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8), /overlap/],
    ['non-string metadata', rawFile({ __metadata__: { n: 3 } }, 0), /__metadata__.n must be a string/],
  ])('rejects %s', (_label, bytes, message) => {
    expect(() => readSafetensors(bytes, 'model.safetensors')).toThrow(message);
    expect(() => readSafetensors(bytes, 'model.safetensors')).toThrow(/^model\.safetensors: /);
  });

  it('rejects a truncated real file', () => {
    const bytes = writeSafetensors(sample());
    expect(() => readSafetensors(bytes.subarray(0, bytes.length - 3))).toThrow(/truncated/);
    expect(() => readSafetensors(bytes.subarray(0, 20))).toThrow(/truncated/);
  });

  it('expectTensor names missing tensors and dtype/shape mismatches', () => {
    const file = readSafetensors(writeSafetensors(sample()));
    expect(() => expectTensor(file, 'nope', 'F32', [1], 'ckpt')).toThrow(/ckpt: tensor 'nope' is missing \(present: a\.weight, b\.bias/);
    expect(() => expectTensor(file, 'step', 'F32', [1])).toThrow(/is I32, expected F32/);
    expect(() => expectTensor(file, 'a.weight', 'F32', [3, 2])).toThrow(/has shape \[2, 3\], expected \[3, 2\]/);
  });

  it('refuses to write inconsistent tensors', () => {
    expect(() => writeSafetensors({ x: f32([2, 2], new Float32Array(3)) })).toThrow(/holds 4 values, data has 3/);
    // @ts-expect-error: wrong array type for the dtype, as untyped JS could pass
    expect(() => writeSafetensors({ x: { dtype: 'F32', shape: [1], data: new Int32Array(1) } })).toThrow(/needs a Float32Array/);
  });
});
