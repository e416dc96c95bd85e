import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scoreSnake, type Move } from '../games/snake';
import { Rng } from '../util/rng';
import { loadCheckpoint } from './checkpoint.node.ts';
import type { SftExample } from './data';
import { compile, initParams, paramsToDevice, toDevice } from './model';
import { adamwStep, DEFAULT_OPTIM, initOptimState } from './optim';
import { runSft, type SftOptions, type SourceFactory } from './sft.node.ts';
import { randomBatch, TINY } from './testkit';

const dirs: string[] = [];
const tempDir = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), 'vigal-sft-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/**
 * A toy game in the Snake answer format: one 4x4 image (2x2 patches) whose brightest quadrant is the
 * answer. Short texts keep a tiny model's steps in the tens of milliseconds.
 */
const MOVES = ['UP', 'DOWN', 'LEFT', 'RIGHT'];
function toyExample(seed: number): SftExample {
  const rng = new Rng(seed);
  const k = rng.int(4);
  const data = new Uint8ClampedArray(4 * 4 * 4).map(() => rng.int(100));
  const [qx, qy] = [(k % 2) * 2, Math.floor(k / 2) * 2];
  for (let y = qy; y < qy + 2; y++) for (let x = qx; x < qx + 2; x++) data.fill(250, (y * 4 + x) * 4, (y * 4 + x) * 4 + 4);
  const img = { width: 4, height: 4, data };
  const move = MOVES[k] as string;
  return {
    images: [img],
    prompt: 'Which move?',
    response: `<think>bright ${k}</think><best_answer>${move}</best_answer><worst_answer>None</worst_answer>`,
    score: (response) => scoreSnake(response, { best: [move as Move], worst: [] }),
  };
}
const toySource: SourceFactory = (_config, o) => ({
  game: 'toy',
  trainSize: o.trainSize,
  evalSize: o.evalSize,
  train: (i) => toyExample(o.seed * 1000 + i),
  evalExample: (i) => toyExample(999_999 - i),
});

const tinyOptions = (out: string, over: Partial<SftOptions> = {}): SftOptions => ({
  game: 'snake',
  steps: 6,
  batch: 4,
  accum: 2,
  lr: 3e-3,
  minLr: 3e-4,
  warmup: 2,
  weightDecay: 0.1,
  gradClip: 1,
  evalEvery: 3,
  evalSize: 6,
  trainSize: 40,
  seed: 5,
  out,
  model: { imageSize: 4, patchSize: 2, dModel: 16, nLayer: 1, nHead: 2, dFF: 32, maxSeqLen: 64, vocabSize: 256 },
  ...over,
});

/** Metrics without wall-clock fields, for run-to-run comparison. */
async function metricsOf(dir: string): Promise<unknown[]> {
  const text = await readFile(join(dir, 'metrics.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((l) => {
      const { ms: _ms, tokPerSec: _t, ...rest } = JSON.parse(l) as Record<string, unknown>;
      return rest;
    });
}

describe('SFT', () => {
  it('one AdamW step lowers the loss on a fixed batch', async () => {
    const host = initParams(TINY, new Rng(1));
    const hb = randomBatch(TINY, new Rng(2), 4, 8);
    const { lossAndGrad } = compile(TINY);
    const lossOf = async (): Promise<[number, Record<string, Float32Array>]> => {
      const [l, g] = lossAndGrad(paramsToDevice(TINY, host), toDevice(TINY, hb));
      const grads: Record<string, Float32Array> = {};
      for (const [k, v] of Object.entries(g)) grads[k] = (await v.data()) as Float32Array;
      return [((await l.data()) as Float32Array)[0] as number, grads];
    };
    const [before, grads] = await lossOf();
    const report = adamwStep(host, grads, initOptimState(host), 1e-2, DEFAULT_OPTIM, before);
    expect(report.applied).toBe(true);
    const [after] = await lossOf();
    // ln(11) = 2.40 at init (near-uniform logits); one step of lr 1e-2 must bring it clearly down.
    expect(before).toBeGreaterThan(2.2);
    expect(after).toBeLessThan(before - 0.01);
  });

  it('trains a toy task: loss falls, metrics and checkpoint are written', async () => {
    const out = await tempDir();
    const evals: number[] = [];
    const res = await runSft(tinyOptions(out, { steps: 12, evalEvery: 6, lr: 2e-2, minLr: 2e-3 }), { onEval: (m) => evals.push(m.loss) }, undefined, toySource);
    expect(res.state.step).toBe(12);
    expect(evals).toHaveLength(3); // steps 0, 6, 12
    expect(evals[2]).toBeLessThan((evals[0] as number) * 0.8);
    const m = await metricsOf(out);
    expect(m.filter((x) => (x as { kind: string }).kind === 'train')).toHaveLength(12);
    const ck = await loadCheckpoint(out);
    expect(ck.state.step).toBe(12);
    expect(ck.config.vocabSize).toBe(ck.tokenizer.vocabSize);
    expect(ck.params['lm_head.weight']).toEqual(res.params['lm_head.weight']);
    expect(res.lastEval?.tokenAcc).toBeGreaterThan(0);
  });

  it('resume gives exactly the uninterrupted run (weights, optimizer state and metrics)', async () => {
    const straight = await tempDir();
    const full = await runSft(tinyOptions(straight), {}, undefined, toySource);

    const broken = await tempDir();
    // Interrupted during step 4 (after the step-3 checkpoint): steps 3 and 4 are lost and redone.
    await runSft(tinyOptions(broken), { stopAfter: 4 }, undefined, toySource);
    const saved = await loadCheckpoint(broken);
    expect(saved.state.step).toBe(3);
    const resumed = await runSft(tinyOptions(broken, { steps: 6 }), {}, broken, toySource);

    expect(resumed.state.step).toBe(6);
    for (const [name, p] of Object.entries(full.params)) expect(resumed.params[name], name).toEqual(p);
    expect(resumed.optimizer.t).toBe(full.optimizer.t);
    expect(resumed.optimizer.v['blocks.0.mlp.fc.weight']).toEqual(full.optimizer.v['blocks.0.mlp.fc.weight']);
    expect(await metricsOf(broken)).toEqual(await metricsOf(straight));
  });

  it('calls the greedy-eval hook after each checkpoint and logs its numbers', async () => {
    const out = await tempDir();
    const seen: [number, number, number][] = [];
    await runSft(
      tinyOptions(out),
      {
        greedyEval: async (ctx) => {
          const ex = ctx.evalExample(0);
          seen.push([ctx.step, ctx.evalSize, ex.score?.(ex.response).overall ?? -1]);
          return { accuracy: 0.5 };
        },
      },
      undefined,
      toySource,
    );
    // Checkpoints at steps 3 and 6 (not 0); the solver response scores 1.1 against its own truth.
    expect(seen).toEqual([
      [3, 6, 1.1],
      [6, 6, 1.1],
    ]);
    const greedy = (await metricsOf(out)).filter((m) => (m as { kind: string }).kind === 'greedy');
    expect(greedy).toEqual([
      { kind: 'greedy', step: 3, accuracy: 0.5 },
      { kind: 'greedy', step: 6, accuracy: 0.5 },
    ]);
  });

  it('runs on the real games end to end (Snake and Rotation sources, tiny model)', async () => {
    for (const game of ['snake', 'rotation'] as const) {
      const out = await tempDir();
      const res = await runSft(
        tinyOptions(out, {
          game,
          steps: 1,
          batch: 2,
          accum: 1,
          evalEvery: 1,
          evalSize: 2,
          trainSize: 8,
          model: { dModel: 16, nLayer: 1, nHead: 2, dFF: 32 },
        }),
      );
      expect(res.state.step).toBe(1);
      expect(res.lastEval?.n).toBe(2);
      // Snake: one 80 px board = 100 patches; Rotation: 4 images of 40 px = 4 x 25 patches.
      expect(res.state.options.shapes.Np).toBe(100);
      expect(res.config.games).toEqual([game]);
    }
  });

  it('--init starts a second phase from saved weights with a fresh optimizer', async () => {
    const first = await tempDir();
    const a = await runSft(tinyOptions(first, { steps: 3 }), {}, undefined, toySource);
    const second = await tempDir();
    let start: Float32Array | null = null;
    const b = await runSft(
      tinyOptions(second, { steps: 2, seed: 9, init: first, model: { dModel: 999 } }),
      { beforeUpdate: (step, _g, _l, params) => void (step === 0 && (start = Float32Array.from(params['lm_head.weight'] as Float32Array))) },
      undefined,
      toySource,
    );
    expect(start).toEqual(a.params['lm_head.weight']);
    expect(b.config).toEqual(a.config); // the saved config wins over `model`
    expect(b.tokenizer.vocab).toEqual(a.tokenizer.vocab);
    expect(b.optimizer.t).toBe(2);
  });

  it('the NaN/inf guard skips a poisoned update, says so, and training goes on', async () => {
    const out = await tempDir();
    const notes: string[] = [];
    const snapshots: Float32Array[] = [];
    const res = await runSft(
      tinyOptions(out, { steps: 3, evalEvery: 3 }),
      {
        beforeUpdate: (step, grads, _loss, params) => {
          snapshots.push(Float32Array.from(params['lm_head.weight'] as Float32Array));
          if (step === 1) (grads['lm_head.weight'] as Float32Array)[7] = NaN;
        },
        log: (l) => notes.push(l),
      },
      undefined,
      toySource,
    );
    expect(res.state.skipped).toBe(1);
    expect(notes.join('\n')).toMatch(/step 1: non-finite update skipped: gradient norm is NaN \(first bad tensor: lm_head\.weight\[7\] = NaN\)/);
    // Before step 1 and before step 2 the weights are the same: the poisoned update was not applied...
    expect(snapshots[2]).toEqual(snapshots[1]);
    // ...while the healthy steps 0 and 2 did change them.
    expect(snapshots[1]).not.toEqual(snapshots[0]);
    expect(res.params['lm_head.weight']).not.toEqual(snapshots[2]);
    const m = (await metricsOf(out)) as { kind: string; skipped?: boolean }[];
    expect(m.filter((x) => x.kind === 'train').map((x) => x.skipped)).toEqual([false, true, false]);
    // Adam's t counts applied updates only.
    expect(res.optimizer.t).toBe(2);
  });
});
