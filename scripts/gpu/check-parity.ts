/**
 * Checks that the GPU trainer's forward (train_nano_sft.py) equals this project's model: the logits it
 * saved for a fixed batch (parity.safetensors) against the exported ONNX model's logits for the same
 * inputs, read back from the dumped data. Prints the max absolute difference.
 * Usage: npx tsx scripts/gpu/check-parity.ts DATA_DIR PARITY_FILE MODEL_FOLDER
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { patchify } from '../../src/model/patchify';
import { loadNanoModel } from '../../src/runtime/model';
import { disposeCache } from '../../src/runtime/model';
import { readSafetensors } from '../../src/util/safetensors';

const [data, parityFile, folder] = process.argv.slice(2);
if (!data || !parityFile || !folder) throw new Error('usage: check-parity.ts DATA_DIR PARITY_FILE MODEL_FOLDER');
const meta = JSON.parse(readFileSync(join(data, 'meta.json'), 'utf8')) as { N: number; T: number; config: { imageSize: number } };
const side = meta.config.imageSize;
const images = gunzipSync(readFileSync(join(data, 'images.u8.gz')));
const ids = new Int16Array(gunzipSync(readFileSync(join(data, 'ids.i16.gz'))).buffer.slice(0));
const parity = readSafetensors(new Uint8Array(readFileSync(parityFile)));
const rows = Array.from(parity.tensors['rows']!.data as Int32Array);
const expected = parity.tensors['logits']!.data as Float32Array;
const model = await loadNanoModel(folder, { quant: 'fp32', executionProviders: ['wasm'] });
const V = model.config.vocabSize;
let maxDiff = 0;
for (const [b, row] of rows.entries()) {
  const rgb = images.subarray(row * side * side * 3, (row + 1) * side * side * 3);
  const rgba = new Uint8ClampedArray(side * side * 4);
  for (let i = 0; i < side * side; i++) rgba.set([rgb[3 * i]!, rgb[3 * i + 1]!, rgb[3 * i + 2]!, 255], 4 * i);
  const patches = patchify(model.config, [{ width: side, height: side, data: rgba }]);
  const tok = Array.from(ids.subarray(row * meta.T, (row + 1) * meta.T));
  const { logits, present } = await model.forward({
    patches,
    numPatches: patches.length / (model.config.patchSize ** 2 * 3),
    inputIds: tok,
    batch: 1,
    past: null,
  });
  disposeCache(present);
  const ref = expected.subarray(b * meta.T * V, (b + 1) * meta.T * V);
  for (let i = 0; i < ref.length; i++) maxDiff = Math.max(maxDiff, Math.abs((ref[i] as number) - (logits[i] as number)));
}
await model.dispose();
console.log(JSON.stringify({ rows, positions: rows.length * meta.T, maxAbsDiff: maxDiff }));
