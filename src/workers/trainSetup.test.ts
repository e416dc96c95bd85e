import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../model/config';
import { paramsToSafetensors } from '../model/export';
import { defaultTokenizer } from '../model/tokenizer';
import { checkRlOptions, DEFAULT_RL } from '../train/rl';
import { initParams } from '../train/model';
import { Rng } from '../util/rng';
import { DEFAULT_TRAIN_SETTINGS } from '../store/train';
import { copyParams, fetchStartWeights, rlOptions } from './trainSetup';

const config = { ...DEFAULT_CONFIG, name: 'tiny', dModel: 16, nLayer: 1, nHead: 2, dFF: 32 };

/** A fetch over an in-memory folder; missing files are 404s, like the models plugin answers. */
function folderFetch(files: Record<string, string | Uint8Array>): typeof fetch {
  return (async (url: string) => {
    const name = String(url).split('/').pop() as string;
    const body = files[name];
    if (body === undefined) return new Response('no such model file', { status: 404, headers: { 'content-type': 'text/plain' } });
    return new Response(body as BodyInit, { status: 200 });
  }) as typeof fetch;
}

describe('the browser run set-up', () => {
  it('reads a served model folder: config, tokenizer and the weights by name', async () => {
    const params = initParams(config, new Rng(1));
    const fetchFn = folderFetch({
      'config.json': JSON.stringify(config),
      'tokenizer.json': defaultTokenizer().toString(),
      'model.safetensors': paramsToSafetensors(config, new Map(Object.entries(params))),
    });
    const w = await fetchStartWeights('/models/tiny', fetchFn);
    expect(w.config.name).toBe('tiny');
    expect(Object.keys(w.params).sort()).toEqual(Object.keys(params).sort());
    expect(w.params['tok_embed.weight']).toEqual(params['tok_embed.weight']);
  });

  it('names the missing file and what training needs', async () => {
    const fetchFn = folderFetch({ 'config.json': JSON.stringify(config), 'tokenizer.json': defaultTokenizer().toString() });
    await expect(fetchStartWeights('/models/tiny/', fetchFn)).rejects.toThrow(/\/models\/tiny\/ has no model\.safetensors \(HTTP 404\)/);
  });

  it('maps the app settings onto valid trainer options (micro-batch no larger than a step)', () => {
    const o = rlOptions({ ...DEFAULT_TRAIN_SETTINGS, prompts: 1, groupSize: 2, lr: 1e-4 });
    expect(() => checkRlOptions(o)).not.toThrow();
    expect(o).toMatchObject({ game: 'snake', algo: 'rloo', prompts: 1, groupSize: 2, lr: 1e-4, minLr: 1e-4, microBatch: 2, ppoEpochs: DEFAULT_RL.ppoEpochs });
    expect(rlOptions({ ...DEFAULT_TRAIN_SETTINGS, answerOnly: false }).microBatch).toBe(DEFAULT_RL.microBatch);
    // The demo (answer-only) merges a prompt's samples into at most four rows: a smaller micro-batch.
    expect(rlOptions(DEFAULT_TRAIN_SETTINGS)).toMatchObject({ answerOnly: true, microBatch: 8 });
    // Answer-only is Snake's: a Rotation run samples whole answers whatever the switch says.
    expect(rlOptions({ ...DEFAULT_TRAIN_SETTINGS, game: 'rotation' }).answerOnly).toBe(false);
    // The exact answer update and top-only training go through when chosen; whole traces are always sampled.
    const exact = rlOptions({ ...DEFAULT_TRAIN_SETTINGS, answerGradient: 'exact', trainable: 'top' });
    expect(exact).toMatchObject({ answerOnly: true, answerGradient: 'exact', trainable: 'top' });
    expect(() => checkRlOptions(exact)).not.toThrow();
    const traces = rlOptions({ ...DEFAULT_TRAIN_SETTINGS, answerOnly: false, answerGradient: 'exact' });
    expect(traces).toMatchObject({ answerGradient: 'sampled', entropyCoef: 0 });
    expect(() => checkRlOptions(traces)).not.toThrow();
    expect(() => checkRlOptions(rlOptions({ ...DEFAULT_TRAIN_SETTINGS, game: 'rotation' }))).not.toThrow();
  });

  it('copies weights so the reference does not follow the trained ones', () => {
    const p = { w: new Float32Array([1, 2]) };
    const c = copyParams(p);
    p.w[0] = 5;
    expect(c.w?.[0]).toBe(1);
  });
});
