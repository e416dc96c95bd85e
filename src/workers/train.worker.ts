/// <reference lib="webworker" />
/**
 * The RL training worker: one run per worker. jax-js trains on WebGPU (WASM fallback, reported), the
 * rollout engine samples with onnxruntime-web (WebGPU, WASM fallback), and every step's metrics and
 * groups stream back to the page. A thin shell over train/rl.ts (RlTrainer):
 *
 *   start -> load weights -> [focus scan] -> [eval] -> [step -> post metrics/groups -> [eval] -> pending saves]* -> done | stopped
 *
 * Pause takes effect after the running step; stop aborts the rollouts in flight. Saves wait for the
 * running step to end, so a checkpoint is always the weights after a whole step. The trainer stays
 * alive after done/stop so the final weights can still be saved.
 */
import { paramsToSafetensors } from '../model/export';
import { RlTrainer } from '../train/rl';
import { copyParams, fetchStartWeights, pickTrainBackend, rlOptions } from './trainSetup';
import type { FromTrainWorker, ToTrainWorker, TrainWorkerStatus } from './trainProtocol';

declare const self: DedicatedWorkerGlobalScope;

let trainer: RlTrainer | null = null;
let started = false;
let paused = false;
let stopped = false;
let running = false;
let abort: AbortController | null = null;
let wake: (() => void) | null = null;
/** When 'start' arrived: the charts' elapsed-time axis counts from here (loading included). */
let startedAt = 0;
const elapsed = (): number => (performance.now() - startedAt) / 1000;
const pendingSaves: number[] = [];

const post = (msg: FromTrainWorker, transfer: Transferable[] = []) => self.postMessage(msg, transfer);
const status = (s: TrainWorkerStatus, message?: string) => post({ type: 'status', status: s, step: trainer?.step ?? 0, ...(message ? { message } : {}) });

self.onmessage = (event: MessageEvent<ToTrainWorker>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'start':
      if (started) return post({ type: 'error', message: 'this worker already ran a training run; start a new worker' });
      started = true;
      startedAt = performance.now();
      void start(msg.settings, msg.folderUrl).catch((e: Error) => post({ type: 'error', message: describe(e) }));
      return;
    case 'pause':
      paused = true;
      if (!running && trainer && !stopped && !trainer.done) status('paused');
      return;
    case 'resume':
      paused = false;
      wake?.();
      return;
    case 'stop':
      stopped = true;
      abort?.abort();
      wake?.();
      if (!running) status('stopped');
      return;
    case 'save':
      pendingSaves.push(msg.id);
      if (!running) flushSaves();
      return;
  }
};

async function start(settings: Parameters<typeof rlOptions>[0], folderUrl: string): Promise<void> {
  status('loading', 'choosing the backend');
  const backend = await pickTrainBackend(settings.backend);
  status('loading', `fetching ${folderUrl}`);
  const start = await fetchStartWeights(folderUrl);
  status('loading', `building the trainer (jax-js on ${backend.device}) and the rollout session`);
  trainer = await RlTrainer.create({
    config: start.config,
    tokenizer: start.tokenizer,
    params: start.params,
    reference: copyParams(start.params),
    options: rlOptions(settings),
    loadOptions: {
      executionProviders: settings.backend === 'wasm' ? ['wasm'] : ['webgpu', 'wasm'],
      log: (line) => console.warn(line),
    },
  });
  const rollout = trainer.engine.provider;
  post({
    type: 'backend',
    trainer: backend.device,
    trainerFallback: backend.reason,
    adapter: backend.adapter,
    rollout: rollout.name as 'webgpu' | 'wasm',
    rolloutFallback: rollout.fallbackReason,
    poolSize: trainer.pool.size,
  });
  if (settings.focusScan > 0) await focus(trainer);
  await loop(trainer, settings.evalEvery, settings.evalN);
}

/** The focus scan: the start model's greedy answers; the steps then draw mostly from its mistakes. */
function focus(t: RlTrainer): Promise<void> {
  return stoppable(async (signal) => {
    post({ type: 'scan-progress', done: 0, total: t.options.filterScan });
    const found = await t.scanPool((done, total) => post({ type: 'scan-progress', done, total }), signal);
    post({ type: 'focus', kept: found.indices.length, scanned: found.scanned, mix: t.options.filterMix });
  });
}

/**
 * Runs one stoppable piece of work (a step or an evaluation): `running` while it lasts, its abort
 * controller is what 'stop' aborts, and an abort caused by stop ends it quietly.
 */
async function stoppable(work: (signal: AbortSignal) => Promise<void>): Promise<void> {
  status('running');
  running = true;
  abort = new AbortController();
  try {
    await work(abort.signal);
  } catch (e) {
    if ((e as Error).name !== 'AbortError' || !stopped) throw e;
  } finally {
    running = false;
    abort = null;
  }
}

/** Greedy accuracy on the first `n` held-out states, streamed as progress then a report. */
function evaluate(t: RlTrainer, n: number): Promise<void> {
  const step = t.step;
  return stoppable(async (signal) => {
    post({ type: 'eval-progress', step, done: 0, total: n });
    const report = await t.evaluate(n, t.options.evalSeed, (done, total) => post({ type: 'eval-progress', step, done, total }), signal);
    post({ type: 'eval', step, report, elapsed: elapsed() });
  });
}

async function loop(t: RlTrainer, evalEvery: number, evalN: number): Promise<void> {
  const evalDue = (): boolean => evalEvery > 0 && !stopped && (t.step % evalEvery === 0 || t.done);
  if (evalDue()) await evaluate(t, evalN);
  while (!t.done && !stopped) {
    if (paused) {
      status('paused');
      flushSaves();
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      continue;
    }
    await stoppable(async (signal) => {
      const r = await t.runStep(signal);
      post({ type: 'step', metrics: { ...r.metrics, elapsed_s: elapsed() }, groups: r.groups, skipped: r.skipped });
    });
    if (evalDue()) await evaluate(t, evalN);
    flushSaves();
  }
  status(stopped ? 'stopped' : 'done');
  flushSaves();
}

function flushSaves(): void {
  while (pendingSaves.length > 0) {
    const id = pendingSaves.shift() as number;
    if (!trainer) {
      post({ type: 'error', id, message: 'nothing to save yet: the run has not loaded its weights' });
      continue;
    }
    try {
      const safetensors = paramsToSafetensors(trainer.config, new Map(Object.entries(trainer.params)));
      post(
        {
          type: 'checkpoint',
          id,
          step: trainer.step,
          safetensors,
          config: JSON.stringify(trainer.config, null, 2) + '\n',
          tokenizer: trainer.tokenizer.toString() + '\n',
        },
        [safetensors.buffer],
      );
    } catch (e) {
      post({ type: 'error', id, message: `saving the checkpoint failed: ${describe(e as Error)}` });
    }
  }
}

function describe(e: Error): string {
  return e.message || String(e);
}
