import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelFolderFiles, paramsFromSafetensors, paramsToSafetensors, writeModelFolder } from './export';
import { MODEL_FILES } from './files';
import { inspectNanoOnnx } from './onnx/inspect';
import { parameterShapes } from './config';
import { randomParams, parameterCount } from './params';
import { Tokenizer, defaultTokenizer } from './tokenizer';
import { TEST_CONFIG } from './testkit';
import { readSafetensors } from '../util/safetensors';

const c = TEST_CONFIG;
const params = randomParams(c, 4);
const tokenizer = defaultTokenizer();
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('model folder', () => {
  it('writes config, tokenizer, fp32 + q4 ONNX, safetensors and a card, each readable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nano-export-'));
    dirs.push(dir);
    const written = await writeModelFolder(dir, {
      config: c,
      params,
      tokenizer,
      card: { trainingCommand: 'vigal train sft --steps 10', steps: 10, metrics: { accuracy: 0.5, format_rate: 0.9 } },
    });
    expect((await readdir(dir)).sort()).toEqual(Object.values(MODEL_FILES).sort());
    expect(written.every((f) => f.bytes > 0)).toBe(true);
    expect(JSON.parse(await readFile(join(dir, MODEL_FILES.config), 'utf8'))).toEqual(c);
    expect(Tokenizer.fromJSON(await readFile(join(dir, MODEL_FILES.tokenizer), 'utf8')).vocab).toEqual(tokenizer.vocab);
    expect(inspectNanoOnnx(new Uint8Array(await readFile(join(dir, MODEL_FILES.onnx)))).quant).toBe('fp32');
    expect(inspectNanoOnnx(new Uint8Array(await readFile(join(dir, MODEL_FILES.onnxQ4)))).quant).toBe('q4');
    const card = await readFile(join(dir, MODEL_FILES.card), 'utf8');
    expect(card).toContain(`# ${c.name}`);
    expect(card).toContain('vigal train sft --steps 10');
    expect(card).toContain('| format_rate | 0.9 |');
    expect(card).toContain(parameterCount(c).toLocaleString('en-US'));
  });

  it('safetensors round-trips the parameters in config order, with the config in the metadata', () => {
    const bytes = paramsToSafetensors(c, params);
    const file = readSafetensors(bytes);
    expect(Object.keys(file.tensors)).toEqual(parameterShapes(c).map(([n]) => n));
    expect(JSON.parse(file.metadata['config'] as string)).toEqual(c);
    const back = paramsFromSafetensors(c, bytes);
    for (const [name, value] of params) expect(back.get(name)).toEqual(value);
    expect(() => paramsFromSafetensors({ ...c, dModel: 64 }, bytes)).toThrow(/config\/model mismatch/);
  });

  it('q4 is several times smaller than fp32', () => {
    const files = modelFolderFiles({ config: c, params, tokenizer });
    const fp = (files.get(MODEL_FILES.onnx) as Uint8Array).length;
    const q4 = (files.get(MODEL_FILES.onnxQ4) as Uint8Array).length;
    // Embeddings stay fp32 and dominate this tiny model, so the ratio is smaller than at d=128.
    expect(q4).toBeLessThan(fp * 0.6);
  });

  it('refuses a tokenizer larger than the config vocabulary', () => {
    expect(() => modelFolderFiles({ config: { ...c, vocabSize: 200 }, params: randomParams({ ...c, vocabSize: 200 }, 1), tokenizer })).toThrow(
      /tokenizer has 234 tokens, more than config.vocabSize 200/,
    );
  });
});
