import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNanoModel } from './model';
import { generate } from './generate';
import { writeModelFolder } from '../model/export';
import { MODEL_FILES } from '../model/files';
import { buildNanoGraph } from '../model/onnx/nano';
import { randomParams } from '../model/params';
import { defaultTokenizer } from '../model/tokenizer';
import { TEST_CONFIG, snakeExample } from '../model/testkit';

const c = TEST_CONFIG;
const tokenizer = defaultTokenizer();
const params = randomParams(c, 11, { std: 0.1 });
const quiet = { executionProviders: ['wasm'] as const, log: () => {} };
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nano-model-'));
  await writeModelFolder(join(dir, 'ok'), { config: c, params, tokenizer });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A copy of the good folder with one file replaced (or removed, for `null`). */
async function variant(name: string, file: string, bytes: Uint8Array | string | null): Promise<string> {
  const target = join(dir, name);
  await writeModelFolder(target, { config: c, params, tokenizer });
  if (bytes === null) await unlink(join(target, file));
  else await writeFile(join(target, file), bytes);
  return target;
}

describe('loadNanoModel', () => {
  it.each(['fp32', 'q4'] as const)('loads a folder written by writeModelFolder (%s) and generates', async (quant) => {
    const m = await loadNanoModel(join(dir, 'ok'), { ...quiet, quant });
    expect(m.quant).toBe(quant);
    expect(m.provider).toBe('wasm');
    expect(m.fallbackReason).toBeNull();
    const ex = snakeExample(c, 2, tokenizer);
    const r = await generate(m, { inputIds: ex.inputIds, patches: ex.patches, maxNewTokens: 5, stopTokens: [] });
    expect(r.tokens[0]).toHaveLength(5);
    await m.dispose();
  });

  it('reports why WebGPU was not used, and logs it', async () => {
    const logs: string[] = [];
    const m = await loadNanoModel(
      { config: c, tokenizer, model: buildNanoGraph(c, params, { quant: 'fp32' }) },
      { executionProviders: ['webgpu', 'wasm'], log: (s) => logs.push(s) },
    );
    expect(m.provider).toBe('wasm');
    expect(m.fallbackReason).toMatch(/^running in Node/);
    expect(logs.join('\n')).toMatch(/on wasm, not WebGPU: running in Node/);
    expect(m.describe()).toMatch(/fp32 on wasm, 1 thread/);
  });

  it('missing file and missing folder: the error names the file and how to make it', async () => {
    const noOnnx = await variant('no-q4', MODEL_FILES.onnxQ4, null);
    await expect(loadNanoModel(noOnnx, { ...quiet, quant: 'q4' })).rejects.toThrow(/has no model_q4\.onnx; expected .*vigal export-model/);
    await expect(loadNanoModel(join(dir, 'nowhere'), quiet)).rejects.toThrow(/model folder .*nowhere does not exist/);
  });

  it('truncated ONNX file: a clear error, not an ORT code', async () => {
    const good = await readFile(join(dir, 'ok', MODEL_FILES.onnx));
    for (const cut of [0.5, 0.999]) {
      const folder = await variant(`cut-${cut}`, MODEL_FILES.onnx, good.subarray(0, Math.floor(good.length * cut)));
      await expect(loadNanoModel(folder, quiet)).rejects.toThrow(/(truncated or corrupt|not a readable ONNX file)/);
    }
    const empty = await variant('empty', MODEL_FILES.onnx, new Uint8Array(0));
    await expect(loadNanoModel(empty, quiet)).rejects.toThrow(/is empty/);
  });

  it('corrupt ONNX file (garbage bytes, or another ONNX model) gives a clear error', async () => {
    const garbage = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251);
    await expect(loadNanoModel(await variant('garbage', MODEL_FILES.onnx, garbage), quiet)).rejects.toThrow(
      /(not a readable ONNX file|has no graph|not a nano model)/,
    );
    // One flipped byte inside the weights still parses; the checksum in the metadata catches it.
    const good = await readFile(join(dir, 'ok', MODEL_FILES.onnx));
    const flipped = new Uint8Array(good);
    const mid = Math.floor(good.length / 2);
    flipped[mid] = (flipped[mid] as number) ^ 0xff;
    await expect(loadNanoModel(await variant('flipped', MODEL_FILES.onnx, flipped), quiet)).rejects.toThrow(/weights are corrupt \(checksum/);
    const html = '<!doctype html><html><body>index</body></html>';
    await expect(loadNanoModel(await variant('html', MODEL_FILES.onnx, html), quiet)).rejects.toThrow(/ONNX/);
  });

  it('config/model mismatch: config.json disagrees with the ONNX file', async () => {
    const other = JSON.stringify({ ...c, dModel: 64 });
    await expect(loadNanoModel(await variant('mismatch', MODEL_FILES.config, other), quiet)).rejects.toThrow(/config\/model mismatch: .*dModel: 64 vs 32/);
    const vocab = JSON.stringify({ ...c, vocabSize: 300 });
    await expect(loadNanoModel(await variant('vocab', MODEL_FILES.config, vocab), quiet)).rejects.toThrow(/vocabSize: 300 vs 256/);
    const small = JSON.stringify({ ...c, vocabSize: 100 });
    await expect(loadNanoModel(await variant('small', MODEL_FILES.config, small), quiet)).rejects.toThrow(
      /tokenizer.json has 234 tokens but config.json vocabSize is 100/,
    );
    await expect(loadNanoModel(await variant('badcfg', MODEL_FILES.config, '{"nHead": 5}'), quiet)).rejects.toThrow(
      /config.json: .*dModel \(128\) must be a multiple of nHead \(5\)/,
    );
    await expect(loadNanoModel(await variant('badtok', MODEL_FILES.tokenizer, '{"model":{}}'), quiet)).rejects.toThrow(
      /tokenizer.json: model.type must be 'WordLevel'/,
    );
  });

  it('refuses an unknown execution provider, listing the valid ones', async () => {
    await expect(loadNanoModel(join(dir, 'ok'), { executionProviders: ['cuda' as 'wasm'], log: () => {} })).rejects.toThrow(
      /unknown execution provider "cuda"; valid: webgpu, wasm/,
    );
  });
});
