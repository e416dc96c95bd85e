/**
 * `npm run bench:train`: the jax-js trainer's speed on this machine, printed as JSON.
 *   - the matmul peak of the backend: a jitted [4800, 128] x [128, 512] product (the MLP's shape);
 *   - SFT on the default Snake config: seconds per optimizer step, response-token throughput and
 *     model GFLOP/s (3 x forward FLOPs per step), and that as a share of the measured matmul peak;
 *   - RL (RLOO) from the shipped SFT model: rollout tokens/s on the ORT engine (WASM in Node), trainer
 *     ms per step, whole step time (the first step, which compiles, reported apart).
 * Options: --threads N (WASM worker threads, default 2), --steps N (default 6), --batch B (default 8),
 * --rl-steps N (default 3), --rl-prompts P (default 2; 6 samples each). The browser's numbers (WebGPU,
 * WASM) come from `npm run bench:train:browser`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { enableWasmThreads } from '../src/train/node-threads.node.ts';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '2' },
    steps: { type: 'string', default: '6' },
    batch: { type: 'string', default: '8' },
    'rl-steps': { type: 'string', default: '3' },
    'rl-prompts': { type: 'string', default: '2' },
  },
});
const threads = await enableWasmThreads(Number(values.threads));
// jax-js picks its backend when first imported: only after the thread shim is installed.
const { numpy: np, jit } = await import('@jax-js/jax');
const { forwardFlops } = await import('../src/train/model');
const { runSft, gameConfig } = await import('../src/train/sft.node.ts');

const M = 4800;
const matmul = jit((a: InstanceType<typeof np.Array>, b: InstanceType<typeof np.Array>) => np.matmul(a, b));
const a = np.ones([M, 128]);
const b = np.ones([128, 512]);
await matmul(a.ref, b.ref).data();
const reps = 20;
let t = performance.now();
for (let i = 0; i < reps; i++) await matmul(a.ref, b.ref).data();
const matmulMs = (performance.now() - t) / reps;
const peakGflops = (2 * M * 128 * 512) / (matmulMs / 1000) / 1e9;

const out = mkdtempSync(join(tmpdir(), 'vigal-bench-train-'));
const steps = Number(values.steps);
const batch = Number(values.batch);
try {
  t = performance.now();
  await runSft({
    game: 'snake',
    steps,
    batch,
    accum: 1,
    lr: 1e-3,
    minLr: 1e-4,
    warmup: 2,
    weightDecay: 0.1,
    gradClip: 1,
    evalEvery: 1_000_000,
    evalSize: batch,
    trainSize: 64,
    seed: 1,
    out,
    model: {},
  });
  const wallS = (performance.now() - t) / 1000;
  const rows = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; ms?: number; tokPerSec?: number });
  const train = rows.filter((r) => r.kind === 'train');
  // The first step compiles the jitted graph: time the steady state after it.
  const steady = train.slice(1);
  const msPerStep = steady.reduce((s, r) => s + (r.ms ?? 0), 0) / Math.max(1, steady.length);
  const state = JSON.parse(readFileSync(join(out, 'trainer_state.json'), 'utf8')) as { options: { shapes: { Np: number; T: number } } };
  const { Np, T } = state.options.shapes;
  const config = gameConfig('snake');
  const stepFlops = 3 * forwardFlops(config, batch, Np, T);
  const gflops = stepFlops / (msPerStep / 1000) / 1e9;
  const rl = await benchRl(Number(values['rl-steps']), Number(values['rl-prompts']));
  console.log(
    JSON.stringify(
      {
        node: process.version,
        threads,
        matmul: { shape: `[${M},128]x[128,512]`, ms: +matmulMs.toFixed(2), gflops: +peakGflops.toFixed(1) },
        sft: {
          config: { dModel: config.dModel, nLayer: config.nLayer, patches: Np, textTokens: T, batch },
          stepsTimed: steady.length,
          firstStepMs: Math.round(train[0]?.ms ?? 0),
          msPerStep: Math.round(msPerStep),
          responseTokensPerSec: Math.round(steady.reduce((s, r) => s + (r.tokPerSec ?? 0), 0) / Math.max(1, steady.length)),
          sequencePositionsPerSec: Math.round((batch * (Np + T)) / (msPerStep / 1000)),
          gflopsPerStep: +(stepFlops / 1e9).toFixed(1),
          gflops: +gflops.toFixed(1),
          shareOfMatmulPeak: +(gflops / peakGflops).toFixed(2),
          wallSeconds: +wallS.toFixed(1),
        },
        rl,
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exit(0);

/** RL steps from the shipped SFT model; the first step (jit compile) is reported apart. */
async function benchRl(steps: number, prompts: number): Promise<Record<string, unknown>> {
  const { loadWeights } = await import('../src/train/checkpoint.node.ts');
  const { RlTrainer, DEFAULT_RL } = await import('../src/train/rl');
  const { DEFAULT_RL_INIT } = await import('../src/model/files');
  const init = join('models', DEFAULT_RL_INIT);
  const w = await loadWeights(init);
  if (!w.tokenizer) throw new Error(`${init} has no tokenizer.json`);
  const trainer = await RlTrainer.create({
    config: w.config,
    tokenizer: w.tokenizer,
    params: w.params,
    reference: w.params,
    options: { ...DEFAULT_RL, game: 'snake', steps, prompts, microBatch: 8, trainSize: 2000 },
  });
  const rows: Record<string, number>[] = [];
  try {
    for (let i = 0; i < steps; i++) rows.push((await trainer.runStep()).metrics);
  } finally {
    await trainer.dispose();
  }
  const steady = rows.slice(1);
  const avg = (k: string): number => Math.round(steady.reduce((s, r) => s + (r[k] ?? 0), 0) / Math.max(1, steady.length));
  return {
    init,
    algo: DEFAULT_RL.algo,
    prompts,
    groupSize: DEFAULT_RL.groupSize,
    sequenceTextTokens: trainer.seqLength,
    microBatch: 8,
    stepsTimed: steady.length,
    firstStepMs: Math.round(rows[0]?.['step_ms'] ?? 0),
    stepMs: avg('step_ms'),
    rolloutMs: avg('rollout_ms'),
    trainMs: avg('train_ms'),
    rolloutTokensPerSec: avg('tokens_per_second'),
    meanResponseTokens: avg('completions/mean_length'),
  };
}
