import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultTokenizer } from '../model/tokenizer';
import { Rng } from '../util/rng';
import { CHECKPOINT_FILES, loadCheckpoint, loadWeights, saveCheckpoint, type Checkpoint } from './checkpoint.node.ts';
import { initParams } from './model';
import { DEFAULT_OPTIM, initOptimState } from './optim';
import { TINY } from './testkit';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function saved(): Promise<{ dir: string; ck: Checkpoint<{ note: string }> }> {
  const dir = await mkdtemp(join(tmpdir(), 'vigal-ck-'));
  dirs.push(dir);
  const tokenizer = defaultTokenizer();
  const config = { ...TINY, vocabSize: tokenizer.vocabSize };
  const params = initParams(config, new Rng(4));
  const optimizer = initOptimState(params);
  optimizer.t = 7;
  (optimizer.m['ln_f.bias'] as Float32Array)[2] = 0.25;
  const ck: Checkpoint<{ note: string }> = {
    config,
    tokenizer,
    params,
    optimizer,
    state: { format: 'vigal-trainer-state', version: 1, step: 7, options: { note: 'x' }, optim: DEFAULT_OPTIM, skipped: 1, wallSeconds: 3, savedAt: 'now' },
  };
  await saveCheckpoint(dir, ck);
  return { dir, ck };
}

describe('checkpoints', () => {
  it('round-trip weights, optimizer moments, step, config and tokenizer exactly', async () => {
    const { dir, ck } = await saved();
    const back = await loadCheckpoint<{ note: string }>(dir);
    expect(back.config).toEqual(ck.config);
    expect(back.params).toEqual(ck.params);
    expect(back.optimizer).toEqual(ck.optimizer);
    expect(back.state).toEqual(ck.state);
    expect(back.tokenizer.vocab).toEqual(ck.tokenizer.vocab);
    const config = JSON.parse(await readFile(join(dir, CHECKPOINT_FILES.config), 'utf8')) as unknown;
    expect(config).toEqual(ck.config);
  });

  it('a truncated weight file gives a clear error', async () => {
    const { dir } = await saved();
    const path = join(dir, CHECKPOINT_FILES.weights);
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 100));
    await expect(loadWeights(dir)).rejects.toThrow(/model\.safetensors: tensor 'lm_head\.weight': data_offsets .* run past the .*-byte data buffer: truncated/);
  });

  it('a config that does not match the weights names the tensor and both shapes', async () => {
    const { dir, ck } = await saved();
    await writeFile(join(dir, CHECKPOINT_FILES.config), JSON.stringify({ ...ck.config, dModel: 16, dFF: 32 }));
    await expect(loadWeights(dir)).rejects.toThrow(/tensor 'patch_embed.weight' has shape \[12, 8\], expected \[12, 16\] \(config\/model mismatch\?\)/);
  });

  it('missing and corrupt files are named', async () => {
    const { dir } = await saved();
    await unlink(join(dir, CHECKPOINT_FILES.optimizer));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/cannot read .*optimizer\.safetensors: file is missing/);
    await writeFile(join(dir, CHECKPOINT_FILES.state), '{"format": "vigal-trai');
    await expect(loadCheckpoint(dir)).rejects.toThrow(/trainer_state\.json is not valid JSON .*truncated or corrupt/);
    await unlink(join(dir, CHECKPOINT_FILES.config));
    await expect(loadWeights(dir)).rejects.toThrow(/config\.json: file is missing/);
  });
});
