/**
 * `npm run bench:train`: the jax-js trainer's speed on this machine, printed as JSON.
 *   - the matmul peak of the backend: a jitted [4800, 128] x [128, 512] product (the MLP's shape);
 *   - SFT on the default Snake config: seconds per optimizer step, response-token throughput and
 *     model GFLOP/s (3 x forward FLOPs per step), and that as a share of the measured matmul peak.
 * Options: --threads N (WASM worker threads, default 2), --steps N (default 6), --batch B (default 8).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { enableWasmThreads } from '../src/train/node-threads';

const { values } = parseArgs({ options: { threads: { type: 'string', default: '2' }, steps: { type: 'string', default: '6' }, batch: { type: 'string', default: '8' } } });
const threads = await enableWasmThreads(Number(values.threads));
// jax-js picks its backend when first imported: only after the thread shim is installed.
const { numpy: np, jit } = await import('@jax-js/jax');
const { forwardFlops } = await import('../src/train/model');
const { runSft, gameConfig } = await import('../src/train/sft');

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
    game: 'snake', steps, batch, accum: 1, lr: 1e-3, minLr: 1e-4, warmup: 2, weightDecay: 0.1, gradClip: 1,
    evalEvery: 1_000_000, evalSize: batch, trainSize: 64, seed: 1, out, model: {},
  });
  const wallS = (performance.now() - t) / 1000;
  const rows = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; ms?: number; tokPerSec?: number });
  const train = rows.filter((r) => r.kind === 'train');
  // The first step compiles the jitted graph: time the steady state after it.
  const steady = train.slice(1);
  const msPerStep = steady.reduce((s, r) => s + (r.ms ?? 0), 0) / Math.max(1, steady.length);
  const state = JSON.parse(readFileSync(join(out, 'trainer_state.json'), 'utf8')) as { options: { shapes: { Np: number; T: number } } };
  const { Np, T } = state.options.shapes;
  const config = gameConfig('snake');
  const stepFlops = 3 * forwardFlops(config, batch, Np, T);
  const gflops = stepFlops / (msPerStep / 1000) / 1e9;
  console.log(JSON.stringify({
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
  }, null, 2));
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exit(0);
