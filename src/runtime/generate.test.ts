import { describe, expect, it } from 'vitest';
import { generate, type Streamer } from './generate';
import { loadNanoModel, type NanoModel } from './model';
import { greedyAgreement } from './agreement';
import { buildNanoGraph, type Quant } from '../model/onnx/nano';
import { randomParams } from '../model/params';
import { defaultTokenizer } from '../model/tokenizer';
import { TEST_CONFIG, snakeExample } from '../model/testkit';

const c = TEST_CONFIG;
const tokenizer = defaultTokenizer();
// std 0.1: logits spread enough that greedy choices are not near-ties decided by rounding noise.
const params = randomParams(c, 7, { std: 0.1, perturbAll: true });
const models = new Map<Quant, Promise<NanoModel>>();
const model = (quant: Quant): Promise<NanoModel> => {
  if (!models.has(quant)) {
    models.set(quant, loadNanoModel({ config: c, tokenizer, model: buildNanoGraph(c, params, { quant }) }, { executionProviders: ['wasm'] }));
  }
  return models.get(quant) as Promise<NanoModel>;
};
const ex = snakeExample(c, 5, tokenizer);

/** A streamer that records everything it is given. */
function recorder() {
  const puts: { ids: number[]; text: string; row: number }[] = [];
  let ends = 0;
  const streamer: Streamer = { put: (ids, text, row) => void puts.push({ ids, text, row }), end: () => void ends++ };
  return { streamer, puts, ends: () => ends };
}

describe('generate', () => {
  it.each(['fp32', 'q4'] as const)('KV-cache generation equals no-cache generation token for token (greedy, %s)', async (quant) => {
    const m = await model(quant);
    const opts = { inputIds: ex.inputIds, patches: ex.patches, maxNewTokens: 40, stopTokens: [] };
    const cached = await generate(m, { ...opts, useCache: true });
    const uncached = await generate(m, { ...opts, useCache: false });
    expect(cached.tokens[0]?.length).toBeGreaterThan(0);
    expect(cached.tokens).toEqual(uncached.tokens);
    expect(cached.texts).toEqual(uncached.texts);
  });

  it('a batch of B identical prompts gives B identical greedy rows, equal to B=1', async () => {
    const m = await model('fp32');
    const one = await generate(m, { inputIds: ex.inputIds, patches: ex.patches, maxNewTokens: 20, stopTokens: [] });
    const three = await generate(m, { inputIds: ex.inputIds, patches: ex.patches, maxNewTokens: 20, stopTokens: [], batchSize: 3 });
    expect(three.tokens).toEqual([one.tokens[0], one.tokens[0], one.tokens[0]]);
  });

  it('sampling is reproducible from the seed, and batch rows sample independently', async () => {
    const m = await model('fp32');
    const opts = { inputIds: ex.inputIds, patches: ex.patches, maxNewTokens: 16, stopTokens: [], temperature: 1.5, topP: 0.95 };
    const a = await generate(m, { ...opts, seed: 1, batchSize: 4 });
    const b = await generate(m, { ...opts, seed: 1, batchSize: 4 });
    const other = await generate(m, { ...opts, seed: 2, batchSize: 4 });
    expect(a.tokens).toEqual(b.tokens);
    expect(other.tokens).not.toEqual(a.tokens);
    expect(new Set(a.tokens.map((t) => t.join())).size).toBeGreaterThan(1);
    // Sampling with the cache equals sampling without it (same generator draws, same logits).
    const uncached = await generate(m, { ...opts, seed: 1, batchSize: 4, useCache: false });
    expect(uncached.tokens).toEqual(a.tokens);
    // Log-probs of the sampled tokens: finite, <= 0, one per token.
    const withLp = await generate(m, { ...opts, seed: 1, batchSize: 4, returnLogprobs: true });
    expect(withLp.tokens).toEqual(a.tokens);
    expect(withLp.logprobs?.map((r) => r.length)).toEqual(a.tokens.map((r) => r.length));
    expect(withLp.logprobs?.flat().every((x) => Number.isFinite(x) && x <= 0)).toBe(true);
  });

  it('streams every token with its text, row by row, and ends once', async () => {
    const m = await model('fp32');
    const rec = recorder();
    const r = await generate(m, { inputIds: ex.inputIds, patches: ex.patches, maxNewTokens: 12, stopTokens: [], batchSize: 2, streamer: rec.streamer });
    for (const row of [0, 1]) {
      const mine = rec.puts.filter((p) => p.row === row);
      expect(mine.flatMap((p) => p.ids)).toEqual(r.tokens[row]);
      expect(mine.map((p) => p.text).join('')).toBe(r.texts[row]);
    }
    expect(r.texts[0]).toBe(tokenizer.decode(r.tokens[0] as number[]));
    expect(rec.ends()).toBe(1);
    expect(r.timings.newTokens).toBe(12);
    expect(r.timings.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(r.timings.tokensPerSecond).toBeGreaterThan(0);
  });

  it('stops at a stop token (kept in the output) and reports why each row stopped', async () => {
    const m = await model('fp32');
    const free = await generate(m, { inputIds: ex.inputIds, patches: ex.patches, maxNewTokens: 12, stopTokens: [] });
    const seq = free.tokens[0] as number[];
    expect(free.stopReasons).toEqual(['max_new_tokens']);
    // Use the 4th generated token as the "closing tag": generation must stop at its first occurrence.
    const stopId = seq[3] as number;
    const first = seq.indexOf(stopId);
    const stopped = await generate(m, { inputIds: ex.inputIds, patches: ex.patches, maxNewTokens: 12, stopTokens: [tokenizer.vocab[stopId] as string] });
    expect(stopped.tokens[0]).toEqual(seq.slice(0, first + 1));
    expect(stopped.stopReasons).toEqual([stopId === tokenizer.eosId ? 'eos' : 'stop_token']);
  });

  it('stops at maxSeqLen and says so', async () => {
    const m = await model('fp32');
    const P = ex.patches.length / 192;
    const r = await generate(m, { inputIds: ex.inputIds, patches: ex.patches, stopTokens: [], maxNewTokens: 10_000 });
    // The last token is never fed back: maxSeqLen - prompt + 1 tokens fit.
    expect(r.tokens[0]?.length).toBe(c.maxSeqLen - P - ex.inputIds.length + 1);
    expect(r.stopReasons).toEqual(['max_length']);
  });

  it('cancels on AbortSignal: rejects with AbortError and still ends the stream', async () => {
    const m = await model('fp32');
    const ctrl = new AbortController();
    const rec = recorder();
    const streamer: Streamer = {
      put: (ids, text, row) => {
        rec.streamer.put(ids, text, row);
        if (rec.puts.length === 3) ctrl.abort();
      },
      end: rec.streamer.end,
    };
    await expect(
      generate(m, { inputIds: ex.inputIds, patches: ex.patches, maxNewTokens: 50, stopTokens: [], streamer, signal: ctrl.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(rec.puts).toHaveLength(3);
    expect(rec.ends()).toBe(1);
  });

  it('lets the event loop run between steps, so a cancel from a timer, message or socket is seen mid-way', async () => {
    const m = await model('fp32');
    const ctrl = new AbortController();
    const rec = recorder();
    // The abort comes from a macrotask (as a worker message or a closed connection would), not from
    // inside the streamer: it can only land if generate yields to the event loop.
    const streamer: Streamer = {
      put: (ids, text, row) => {
        rec.streamer.put(ids, text, row);
        if (rec.puts.length === 2) setTimeout(() => ctrl.abort(), 0);
      },
      end: rec.streamer.end,
    };
    await expect(
      generate(m, { inputIds: ex.inputIds, patches: ex.patches, maxNewTokens: 60, stopTokens: [], streamer, signal: ctrl.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(rec.puts.length).toBeLessThan(60);
  });

  it('rejects bad arguments with the reason', async () => {
    const m = await model('fp32');
    await expect(generate(m, { inputIds: [] })).rejects.toThrow(/inputIds is empty/);
    await expect(generate(m, { inputIds: [1], stopTokens: ['<nope>'] })).rejects.toThrow(/not in the vocabulary/);
    await expect(generate(m, { inputIds: new Array(300).fill(5) })).rejects.toThrow(/exceeds maxSeqLen 256/);
    await expect(generate(m, { inputIds: [1], patches: new Float32Array(5) })).rejects.toThrow(/not a multiple of patchDim/);
  });

  it('measures q4 vs fp32 greedy agreement on a random model (the >= 95% bar applies to the trained checkpoint)', async () => {
    const prompts = [3, 4, 5, 6].map((seed) => snakeExample(c, seed, tokenizer));
    const r = await greedyAgreement(await model('fp32'), await model('q4'), prompts, 32);
    console.log(
      `q4 vs fp32 greedy agreement (random ${c.dModel}-wide model, teacher-forced): ${(100 * r.rate).toFixed(1)}% of ${r.positions} positions; identical sequences ${(100 * r.identicalSequences).toFixed(0)}%`,
    );
    expect(r.positions).toBe(4 * 32);
    // Random weights have flatter logits than a trained model: only a sanity floor here.
    expect(r.rate).toBeGreaterThan(0.5);
  });
});
