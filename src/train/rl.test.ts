import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tree } from '@jax-js/jax';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../util/rng';
import { Tokenizer } from '../model/tokenizer';
import { RolloutEngine } from '../rl/rollout';
import { loadCheckpoint, loadWeights } from './checkpoint.node.ts';
import { initParams, paramsToDevice, type HostParams } from './model';
import { adamwStep, DEFAULT_OPTIM, initOptimState } from './optim';
import { compilePolicy } from './policyLoss';
import { buildHostBatch, DEFAULT_RL, PromptPool, RlTrainer, toPolicyBatch, type Row } from './rl';
import { runRl, type RlRunOptions } from './rlRun.node.ts';
import { runSft } from './sft.node.ts';
import { TINY } from './testkit';
import { numpy as np } from '@jax-js/jax';
import type { ModelConfig } from '../model/config';

const dirs: string[] = [];
const tempDir = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), 'vigal-rl-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const noMask = (c: ModelConfig): Float32Array => new Float32Array(c.vocabSize);

/** Sum of each row's response log-probs under `params`. */
async function responseLogprobs(c: ModelConfig, params: HostParams, rows: Row[], T: number): Promise<number[]> {
  const fns = compilePolicy(c, { clipLow: 0.2, clipHigh: 0.2, temperature: 1 });
  const h = buildHostBatch(c, rows, rows.length, T, rows[0]!.patches.length / 12, 0, 1);
  const device = paramsToDevice(c, params);
  const patches = np.array(h.patches, { shape: [h.B, h.Np, 12] });
  const ids = np.array(h.inputIds, { shape: [h.B, h.T], dtype: np.int32 });
  const targets = np.array(h.targets, { shape: [h.B, h.T], dtype: np.int32 });
  const logp = (await fns.logprobs(device, patches, ids, targets, np.array(noMask(c), { shape: [c.vocabSize] })).data()) as Float32Array;
  return rows.map((_, b) => {
    let s = 0;
    for (let j = 0; j < T; j++) if (h.mask[b * T + j]) s += logp[b * T + j] as number;
    return s;
  });
}

describe('the policy-gradient step', () => {
  it('raises the log-probs of a positive-advantage response and lowers a negative one', async () => {
    const c = TINY;
    const params = initParams(c, new Rng(3));
    const patches = Float32Array.from({ length: 4 * 12 }, (_, i) => ((i * 37) % 11) / 11);
    // Same prompt [1, 2, 3]; response A = [4, 5, 6] is rewarded, B = [7, 8, 9] penalised.
    const rows: Row[] = [
      { patches, ids: [1, 2, 3, 4, 5, 6], promptLength: 3, advantage: 1, behaviour: [0, 0, 0] },
      { patches, ids: [1, 2, 3, 7, 8, 9], promptLength: 3, advantage: -1, behaviour: [0, 0, 0] },
    ];
    const T = 8;
    const before = await responseLogprobs(c, params, rows, T);
    const fns = compilePolicy(c, { clipLow: 0.2, clipHigh: 0.2, temperature: 1 });
    const h = buildHostBatch(c, rows, 2, T, 4, 0, 1 / 6);
    // The real setting: the padding id (0, the target of every off-response position) is masked as the
    // sampler suppresses it, and a KL term is on: the loss must stay finite.
    const mask = noMask(c);
    mask[0] = -1e9;
    const batch = toPolicyBatch(c, h, { oldLogp: h.behaviour, selfOld: 1, refLogp: h.behaviour, klCoef: 0.01, logitMask: mask });
    const device = paramsToDevice(c, params);
    const [[loss, aux], gradArr] = fns.lossAndGrad(tree.ref(device), batch);
    tree.dispose(device);
    const grads: HostParams = {};
    for (const [k, v] of Object.entries(gradArr)) grads[k] = (await v.data()) as Float32Array;
    const lossValue = ((await loss.data()) as Float32Array)[0] as number;
    expect(Number.isFinite(lossValue)).toBe(true);
    // On the first update the ratio is 1: nothing is clipped.
    expect([...((await aux.clipped.data()) as Float32Array)].every((x) => x === 0)).toBe(true);
    tree.dispose([aux.logp, aux.entropy, aux.kl]);
    const report = adamwStep(params, grads, initOptimState(params), 1e-2, { ...DEFAULT_OPTIM, weightDecay: 0 }, lossValue);
    expect(report.applied).toBe(true);
    const after = await responseLogprobs(c, params, rows, T);
    expect(after[0]).toBeGreaterThan(before[0]! + 1e-3);
    expect(after[1]).toBeLessThan(before[1]! - 1e-3);
  });

  it('with zero advantages and no KL the gradient is zero', async () => {
    const c = TINY;
    const params = initParams(c, new Rng(4));
    const patches = new Float32Array(4 * 12).fill(0.5);
    const rows: Row[] = [{ patches, ids: [1, 2, 3, 4, 5], promptLength: 3, advantage: 0, behaviour: [0, 0] }];
    const h = buildHostBatch(c, rows, 1, 8, 4, 0, 0.5);
    const fns = compilePolicy(c, { clipLow: 0.2, clipHigh: 0.2, temperature: 1 });
    const [[, aux], gradArr] = fns.lossAndGrad(
      paramsToDevice(c, params),
      toPolicyBatch(c, h, { oldLogp: h.behaviour, selfOld: 1, refLogp: h.behaviour, klCoef: 0, logitMask: noMask(c) }),
    );
    tree.dispose([aux.logp, aux.entropy, aux.kl, aux.clipped]);
    for (const g of Object.values(gradArr)) expect(Math.max(...((await g.data()) as Float32Array).map(Math.abs))).toBe(0);
  });
});

describe('the rollout engine and RL runs (tiny Snake model)', () => {
  let init = '';
  beforeAll(async () => {
    // A tiny model on the real Snake source: one SFT step writes config, tokenizer and weights.
    init = await tempDir();
    await runSft({
      game: 'snake',
      steps: 1,
      batch: 2,
      accum: 1,
      lr: 1e-3,
      minLr: 1e-4,
      warmup: 0,
      weightDecay: 0,
      gradClip: 1,
      evalEvery: 1,
      evalSize: 2,
      trainSize: 8,
      seed: 2,
      out: init,
      model: { dModel: 16, nLayer: 1, nHead: 2, dFF: 32, maxSeqLen: 512 },
    });
  }, 120_000);

  it("pushed weights reach the rollout engine: its log-probs equal the trainer's after a sync", async () => {
    const { config, params, tokenizer } = await loadWeights(init);
    const tok = tokenizer as Tokenizer;
    const pool = new PromptPool(config, tok, { game: 'snake', seed: 1, trainSize: 8, evalN: 4, evalSeed: 1000 });
    const [prompt] = pool.forStep(0, 1);
    const engine = await RolloutEngine.create(config, tok, params);
    const fns = compilePolicy(config, { clipLow: 0.2, clipHigh: 0.2, temperature: 1 });
    const { suppressedTokenIds } = await import('../runtime/generate');
    const mask = new Float32Array(config.vocabSize);
    for (const id of suppressedTokenIds(tok, config.vocabSize)) mask[id] = -1e9;
    const trainerLogprobs = async (p: HostParams, rows: Row[]): Promise<number[][]> => {
      const T = 32 * Math.ceil(Math.max(...rows.map((r) => r.ids.length)) / 32);
      const Np = prompt!.patches.length / 192;
      const h = buildHostBatch(config, rows, rows.length, T, Np, tok.padId, 1);
      const lp = (await fns
        .logprobs(
          paramsToDevice(config, p),
          np.array(h.patches, { shape: [h.B, Np, 192] }),
          np.array(h.inputIds, { shape: [h.B, T], dtype: np.int32 }),
          np.array(h.targets, { shape: [h.B, T], dtype: np.int32 }),
          np.array(mask, { shape: [config.vocabSize] }),
        )
        .data()) as Float32Array;
      return rows.map((r, b) => Array.from({ length: r.ids.length - r.promptLength }, (_, k) => lp[b * T + r.promptLength - 1 + k] as number));
    };
    const sample = async (): Promise<Row[]> => {
      const got = await engine.collect([prompt!], { groupSize: 2, temperature: 1, maxNewTokens: 6, seed: 7 });
      return got.rollouts.map((r) => ({
        patches: prompt!.patches,
        ids: [...prompt!.promptIds, ...r.tokens],
        promptLength: prompt!.promptIds.length,
        advantage: 0,
        behaviour: r.logprobs,
      }));
    };
    const maxGap = (a: number[][], rows: Row[]): number => Math.max(...rows.flatMap((r, b) => r.behaviour.map((x, k) => Math.abs(x - (a[b]![k] as number)))));

    const rows0 = await sample();
    expect(maxGap(await trainerLogprobs(params, rows0), rows0)).toBeLessThan(1e-4);

    // New weights: the engine must follow them after sync (and not before).
    const moved: HostParams = {};
    const rng = new Rng(11);
    for (const [k, v] of Object.entries(params)) moved[k] = v.map((x) => x + 0.05 * (rng.next() - 0.5));
    await engine.sync(moved);
    const rows1 = await sample();
    expect(maxGap(await trainerLogprobs(moved, rows1), rows1)).toBeLessThan(1e-4);
    expect(maxGap(await trainerLogprobs(params, rows1), rows1)).toBeGreaterThan(1e-3);
    await engine.dispose();
  }, 120_000);

  it('a pool filter restricts the prompts of each step, but for its mix share from the whole pool', async () => {
    const { config, tokenizer } = await loadWeights(init);
    const opts = { game: 'snake', seed: 1, trainSize: 64, evalN: 4, evalSeed: 1000 } as const;
    const ids = (pool: PromptPool): string[] => Array.from({ length: 20 }, (_, step) => pool.forStep(step, 4).map((p) => p.id)).flat();
    const focusIds = new Set(['snake/train/3', 'snake/train/10']);
    const focus = { filter: 'greedy-wrong', scanned: 16, indices: [3, 10] } as const;

    const only = new PromptPool(config, tokenizer as Tokenizer, { ...opts, filterMix: 0 });
    only.setFocus({ ...focus, indices: [...focus.indices] });
    expect(new Set(ids(only))).toEqual(focusIds);

    const mixed = new PromptPool(config, tokenizer as Tokenizer, { ...opts, filterMix: 0.5 });
    mixed.setFocus({ ...focus, indices: [...focus.indices] });
    const drawn = ids(mixed);
    const inFocus = drawn.filter((id) => focusIds.has(id)).length;
    expect(inFocus).toBeGreaterThan(20);
    expect(inFocus).toBeLessThan(drawn.length);
    expect(ids(mixed)).toEqual(drawn); // still a pure function of (seed, step)

    expect(() => only.setFocus({ ...focus, indices: [64] })).toThrow(/not in this run's pool/);
    expect(() => only.setFocus({ ...focus, indices: [] })).toThrow(/kept none of the 16 prompts/);
  }, 60_000);

  const rlOptions = (out: string, over: Partial<RlRunOptions> = {}): RlRunOptions => ({
    ...DEFAULT_RL,
    game: 'snake',
    init,
    out,
    steps: 3,
    prompts: 2,
    groupSize: 3,
    maxNewTokens: 8,
    lr: 5e-3,
    minLr: 5e-3,
    microBatch: 4,
    trainSize: 16,
    evalN: 2,
    evalSeed: 1000,
    evalEvery: 2,
    saveEvery: 1,
    ppoEpochs: 2,
    klCoef: 0.05,
    ...over,
  });
  const withoutTimes = async (dir: string, file: string): Promise<unknown[]> =>
    (await readFile(join(dir, file), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => {
        const row = JSON.parse(l) as Record<string, unknown>;
        for (const k of ['rollout_ms', 'train_ms', 'step_ms', 'tokens_per_second', 'seconds']) delete row[k];
        return row;
      });

  it('logs engine-named metrics and every rollout, and resume continues the same run', async () => {
    const whole = await tempDir();
    const res = await runRl(rlOptions(whole));
    expect(res.steps).toBe(3);
    const metrics = (await withoutTimes(whole, 'metrics.jsonl')) as Record<string, number | string>[];
    const train = metrics.filter((m) => m['kind'] === 'train');
    expect(train.map((m) => m['step'])).toEqual([0, 1, 2]);
    for (const key of [
      'reward',
      'reward_std',
      'rewards/accuracy/mean',
      'rewards/format/mean',
      'accuracy',
      'format_rate',
      'frac_reward_zero_std',
      'completions/mean_length',
      'lr',
    ]) {
      expect(train[0]).toHaveProperty([key]);
    }
    expect(metrics.filter((m) => m['kind'] === 'eval').map((m) => m['step'])).toEqual([0, 2, 3]);
    const rollouts = await withoutTimes(whole, 'rollouts.jsonl');
    expect(rollouts).toHaveLength(3 * 2 * 3);
    expect(rollouts[0]).toMatchObject({ step: 0, input: expect.any(String), output: expect.any(String), score: expect.any(Number) });

    // Interrupted after step 1 (two steps done), then resumed: same weights, metrics and rollouts.
    const split = await tempDir();
    await runRl(rlOptions(split), { stopAfter: 1 });
    expect((await loadCheckpoint(split)).state.step).toBe(2);
    await runRl(rlOptions(split, { steps: 0 }), {}, split);
    const a = await loadCheckpoint(whole);
    const b = await loadCheckpoint(split);
    expect(b.state.step).toBe(3);
    for (const [k, v] of Object.entries(a.params)) expect(b.params[k]).toEqual(v);
    expect(b.optimizer.t).toBe(a.optimizer.t);
    expect(await withoutTimes(split, 'metrics.jsonl')).toEqual(metrics);
    expect(await withoutTimes(split, 'rollouts.jsonl')).toEqual(rollouts);
  }, 300_000);

  it('the greedy-wrong filter scans before step 1, saves its pool, and a resume reuses it', async () => {
    const filtered = { poolFilter: 'greedy-wrong', filterScan: 5, filterMix: 0, evalEvery: 0, steps: 2 } as const;
    const whole = await tempDir();
    const scanned: number[] = [];
    await runRl(rlOptions(whole, filtered), { onScanProgress: (done) => scanned.push(done) });
    expect(scanned).toEqual([1, 2, 3, 4, 5]);
    const pool = JSON.parse(await readFile(join(whole, 'pool.json'), 'utf8')) as { filter: string; scanned: number; indices: number[] };
    expect(pool).toMatchObject({ filter: 'greedy-wrong', scanned: 5 });
    // An 8-token budget cannot hold a whole answer: every scanned prompt is answered wrong and kept.
    expect(pool.indices).toHaveLength(5);
    const rollouts = (await withoutTimes(whole, 'rollouts.jsonl')) as { prompt_id: string }[];
    const kept = new Set(pool.indices.map((i) => `snake/train/${i}`));
    expect(rollouts.every((r) => kept.has(r.prompt_id))).toBe(true);

    const split = await tempDir();
    await runRl(rlOptions(split, filtered), { stopAfter: 0 });
    await runRl(rlOptions(split, { steps: 0 }), { onScanProgress: () => expect.unreachable('a resume must not rescan') }, split);
    expect(await withoutTimes(split, 'rollouts.jsonl')).toEqual(rollouts);
    await rm(join(split, 'pool.json'));
    await expect(runRl(rlOptions(split, { steps: 3 }), {}, split)).rejects.toThrow(/pool filter result .*pool\.json cannot be read/);
  }, 300_000);

  it('a full-trace budget larger than the room after the longest prompt is clipped to that room, not refused', async () => {
    const { config, params, tokenizer } = await loadWeights(init);
    // 256 new tokens (npm run bench:train:browser's default) after ~200 prompt tokens and 100 patches exceed maxSeqLen 512.
    const options = { ...DEFAULT_RL, game: 'snake', trainSize: 8, evalN: 4, prompts: 1, groupSize: 2, maxNewTokens: 256 } as const;
    const trainer = await RlTrainer.create({ config, tokenizer: tokenizer as Tokenizer, params, reference: params, options });
    try {
      expect(trainer.seqLength).toBe(config.maxSeqLen - 100);
      const { groups } = await trainer.runStep();
      expect(groups[0]!.samples).toHaveLength(2);
    } finally {
      await trainer.dispose();
    }
  }, 120_000);

  it('an answer-only step samples one move per sample, scores the best move alone and reports no format', async () => {
    const { config, params, tokenizer } = await loadWeights(init);
    const options = { ...DEFAULT_RL, game: 'snake', trainSize: 8, evalN: 4, prompts: 2, groupSize: 4, microBatch: 8, answerOnly: true } as const;
    const trainer = await RlTrainer.create({ config, tokenizer: tokenizer as Tokenizer, params, reference: params, options });
    try {
      const { metrics, groups } = await trainer.runStep();
      expect(groups).toHaveLength(2);
      for (const sample of groups.flatMap((g) => g.samples)) {
        expect(sample.text).toMatch(/<best_answer>(UP|DOWN|LEFT|RIGHT)<\/best_answer>$/);
        expect([0, 1]).toContain(sample.reward.overall);
      }
      expect(metrics['completions/mean_length']).toBe(1);
      expect(metrics).not.toHaveProperty('format_rate');
      expect(metrics).not.toHaveProperty('rewards/format/mean');
    } finally {
      await trainer.dispose();
    }
  }, 120_000);

  it('an exact answer-only step scores all four moves, trains only the top block when asked, and the next evaluation sees the new weights', async () => {
    const { config, params, tokenizer } = await loadWeights(init);
    const start = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Float32Array.from(v)]));
    const options = {
      ...DEFAULT_RL,
      game: 'snake',
      trainSize: 8,
      evalN: 4,
      prompts: 3,
      microBatch: 2,
      answerOnly: true,
      answerGradient: 'exact',
      trainable: 'top',
      lr: 1e-2,
      minLr: 1e-2,
    } as const;
    const trainer = await RlTrainer.create({ config, tokenizer: tokenizer as Tokenizer, params, reference: start, options });
    try {
      const before = await trainer.evaluate();
      const { metrics, groups } = await trainer.runStep();
      expect(groups).toHaveLength(3);
      for (const g of groups) {
        expect(g.samples.map((x) => x.pieces[0])).toEqual(['UP', 'DOWN', 'LEFT', 'RIGHT']);
        const probs = g.samples.map((x) => Math.exp(x.logprobs[0] as number));
        expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
        // The advantages average 0 under the policy's own probabilities.
        expect(g.samples.reduce((s, x, k) => s + (probs[k] as number) * x.advantage, 0)).toBeCloseTo(0, 4);
      }
      // The reward is the expected reward of the four moves under the policy.
      const expectedReward = groups.reduce((s, g) => s + g.samples.reduce((t, x) => t + Math.exp(x.logprobs[0] as number) * x.reward.overall, 0), 0) / 3;
      expect(metrics.reward).toBeCloseTo(expectedReward, 4);
      expect(metrics).not.toHaveProperty('format_rate');
      const top = `blocks.${config.nLayer - 1}.`;
      const changed = Object.keys(start).filter((k) => trainer.params[k]!.some((v, i) => v !== start[k]![i]));
      expect(changed.length).toBeGreaterThan(0);
      expect(changed.every((k) => k.startsWith(top) || k.startsWith('ln_f.') || k.startsWith('lm_head.'))).toBe(true);
      // The engine got the weights before evaluating: greedy answers from the new weights, not the start's.
      const after = await trainer.evaluate();
      const fresh = await RlTrainer.create({ config, tokenizer: tokenizer as Tokenizer, params: trainer.params, reference: start, options });
      try {
        expect(after.right).toBe((await fresh.evaluate()).right);
      } finally {
        await fresh.dispose();
      }
      expect(before.n).toBe(after.n);
    } finally {
      await trainer.dispose();
    }
  }, 120_000);

  it('the scan keeps exactly the prompts the shipped SFT model answers wrong greedily', async () => {
    const sft = await loadWeights('models/vigal-nano-snake-sft');
    const options = { ...DEFAULT_RL, game: 'snake', trainSize: 64, evalN: 4, poolFilter: 'greedy-wrong', filterScan: 10 } as const;
    const trainer = await RlTrainer.create({ config: sft.config, tokenizer: sft.tokenizer as Tokenizer, params: sft.params, reference: sft.params, options });
    try {
      const focus = await trainer.scanPool();
      expect(focus.scanned).toBe(10);
      const scanned = trainer.pool.scanIndices(10);
      const wrong: number[] = [];
      for (const i of scanned) {
        const { rollouts } = await trainer.engine.collect([trainer.pool.prompt(i)], { groupSize: 1, temperature: 0, maxNewTokens: 160, seed: 0 });
        if (rollouts[0]!.reward.accuracy < 1) wrong.push(i);
      }
      expect(focus.indices).toEqual(wrong);
      // A model right about two thirds of the time: the scan keeps some prompts and drops others.
      expect(wrong.length).toBeGreaterThan(0);
      expect(wrong.length).toBeLessThan(10);
    } finally {
      await trainer.dispose();
    }
  }, 120_000);
});

describe('merging equal samples of a prompt', () => {
  it('sums the advantages of equal responses in a group and keeps different ones apart', async () => {
    const { mergeEqualRows } = await import('./rl');
    const patches = new Float32Array(12);
    const row = (tokens: number[], advantage: number): Row => ({
      patches,
      ids: [1, 2, ...tokens],
      promptLength: 2,
      advantage,
      behaviour: tokens.map(() => -1),
    });
    const rollouts = [
      { group: 0, tokens: [5] },
      { group: 0, tokens: [6] },
      { group: 0, tokens: [5] },
      { group: 1, tokens: [5] },
      { group: 1, tokens: [5] },
    ];
    const rows = [row([5], 0.5), row([6], -1), row([5], 0.5), row([5], 0.25), row([5], -0.25)];
    const merged = mergeEqualRows(rollouts, rows);
    expect(merged.map((r) => [r.ids.at(-1), r.advantage])).toEqual([
      [5, 1],
      [6, -1],
      [5, 0],
    ]);
    expect(rows[0]!.advantage).toBe(0.5); // inputs untouched
  });
});
