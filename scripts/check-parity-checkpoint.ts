/**
 * The CPU route's parity check: a `vigal train sft` checkpoint's weights through the jax-js trainer's
 * forward (src/train/model.ts) against the model folder `vigal export-model` wrote from it (its fp32 ONNX
 * graph on onnxruntime-web), on one held-out position of each game the config plays, fed exactly as the
 * runtime feeds them (nanoObservation, encodePrompt: for the joint model Rotation's four views tiled into
 * one raster). Prints one JSON line with the max absolute logit difference; exits 1 above 1e-4.
 * (scripts/gpu/check-parity.ts is the GPU route's: PyTorch's logits against the same ONNX graph.)
 * Usage: npx tsx scripts/check-parity-checkpoint.ts CHECKPOINT_DIR MODEL_FOLDER
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfig, patchDim } from '../src/model/config';
import { paramsFromSafetensors } from '../src/model/export';
import { encodePrompt } from '../src/model/inputs';
import { Tokenizer } from '../src/model/tokenizer';
import { nanoObservation } from '../src/policy/nano';
import { heldOutPositions } from '../src/rl/evaluate';
import { forwardLogits } from '../src/train/model';

const [checkpoint, folder] = process.argv.slice(2);
if (!checkpoint || !folder) throw new Error('usage: check-parity-checkpoint.ts CHECKPOINT_DIR MODEL_FOLDER');
const config = validateConfig(JSON.parse(readFileSync(join(checkpoint, 'config.json'), 'utf8')));
const tok = Tokenizer.fromJSON(readFileSync(join(checkpoint, 'tokenizer.json'), 'utf8'));
const params = Object.fromEntries(paramsFromSafetensors(config, new Uint8Array(readFileSync(join(checkpoint, 'model.safetensors')))));
const inputs = config.games.map((game) => {
  const obs = nanoObservation(heldOutPositions(game, 1, 1000)[0]!, config.imageSize);
  return { game, ...encodePrompt(config, tok, obs.prompt, obs.images) };
});
// jax-js first: onnxruntime-web, once loaded, may leave a Worker that jax-js's WASM backend trips on.
const trainer = [];
for (const x of inputs) trainer.push(await forwardLogits(config, params, { patches: x.patches, inputIds: Int32Array.from(x.inputIds) }));
const { loadNanoModel, disposeCache } = await import('../src/runtime/model');
const model = await loadNanoModel(folder, { quant: 'fp32', executionProviders: ['wasm'] });
const V = config.vocabSize;
const rows: { game: string; patches: number; tokens: number; maxAbsDiff: number }[] = [];
for (const [k, x] of inputs.entries()) {
  const Np = x.patches.length / patchDim(config);
  const { logits, present } = await model.forward({ patches: x.patches, numPatches: Np, inputIds: x.inputIds, batch: 1, past: null });
  disposeCache(present);
  let maxAbsDiff = 0;
  for (let s = 0; s < x.inputIds.length; s++) {
    for (let v = 0; v < V; v++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs((trainer[k]![(Np + s) * V + v] as number) - (logits[s * V + v] as number)));
  }
  rows.push({ game: x.game, patches: Np, tokens: x.inputIds.length, maxAbsDiff });
}
await model.dispose();
const maxAbsDiff = Math.max(...rows.map((r) => r.maxAbsDiff));
console.log(JSON.stringify({ checkpoint, folder, rows, maxAbsDiff }));
if (!(maxAbsDiff < 1e-4)) process.exit(1);
