/**
 * bench.html?train=rl: RL step time and rollout tokens/s of the browser trainer (the same code the Train
 * view's worker runs: trainSetup.ts + RlTrainer), on this page's thread.
 *   ?train=rl&backend=webgpu|wasm&steps=N&prompts=P&group=G&tokens=MAX_NEW&kl=COEF&model=NAME&answerOnly=1
 * The first step includes jax-js's compilation of the loss for its shape: it is reported apart.
 */
import { DEFAULT_MODEL } from '../model/files';
import { RlTrainer, type RlMetrics } from '../train/rl';
import { copyParams, fetchStartWeights, pickTrainBackend, rlOptions } from '../workers/trainSetup';
import type { TrainSettings } from '../workers/trainProtocol';
import { isTraceGame, type TraceGameId } from '../train/traces/games';

export async function benchTrainRl(params: URLSearchParams): Promise<unknown> {
  const num = (k: string, d: number): number => (params.get(k) !== null ? Number(params.get(k)) : d);
  const backend = params.get('backend') === 'wasm' ? 'wasm' : 'auto';
  const settings: TrainSettings = {
    model: params.get('model') ?? DEFAULT_MODEL,
    game: isTraceGame(params.get('game') ?? '') ? (params.get('game') as TraceGameId) : 'snake',
    algo: params.get('algo') === 'grpo' ? 'grpo' : 'rloo',
    steps: num('steps', 3),
    prompts: num('prompts', 2),
    groupSize: num('group', 4),
    lr: 2e-5,
    maxNewTokens: num('tokens', 256),
    temperature: 1,
    // A KL term puts every sample into the update; without one a step whose groups all tie (common
    // at short lengths) skips it and times rollouts only.
    klCoef: num('kl', 0.01),
    seed: num('seed', 1),
    backend,
    focusScan: 0,
    // Timed here: steps only (held-out evaluation is `vigal eval`'s and the Train view's business).
    evalEvery: 0,
    evalN: 0,
    answerOnly: params.get('answerOnly') === '1',
    answerGradient: params.get('answerGradient') === 'exact' ? 'exact' : 'sampled',
    trainable: params.get('trainable') === 'top' ? 'top' : 'all',
  };
  const t0 = performance.now();
  const device = await pickTrainBackend(backend);
  const start = await fetchStartWeights(`/models/${settings.model}/`);
  const trainer = await RlTrainer.create({
    config: start.config,
    tokenizer: start.tokenizer,
    params: start.params,
    reference: copyParams(start.params),
    options: rlOptions(settings),
    loadOptions: { executionProviders: backend === 'wasm' ? ['wasm'] : ['webgpu', 'wasm'] },
  });
  const setupMs = performance.now() - t0;
  const rows: RlMetrics[] = [];
  try {
    while (!trainer.done) rows.push((await trainer.runStep()).metrics);
  } finally {
    await trainer.dispose();
  }
  const pick = (m: RlMetrics) => ({
    step_ms: Math.round(m.step_ms ?? 0),
    rollout_ms: Math.round(m.rollout_ms ?? 0),
    train_ms: Math.round(m.train_ms ?? 0),
    rollout_tokens_per_s: +(m.tokens_per_second ?? 0).toFixed(1),
    rollout_tokens: Math.round(((m.tokens_per_second ?? 0) * (m.rollout_ms ?? 0)) / 1000),
    mean_length: +(m['completions/mean_length'] ?? 0).toFixed(1),
    active_samples: m.active_samples ?? 0,
  });
  const steady = rows.slice(1);
  const mean = (k: keyof ReturnType<typeof pick>): number =>
    +(steady.map(pick).reduce((s, r) => s + (r[k] as number), 0) / Math.max(1, steady.length)).toFixed(1);
  return {
    userAgent: navigator.userAgent,
    crossOriginIsolated: globalThis.crossOriginIsolated,
    model: settings.model,
    settings: {
      steps: settings.steps,
      prompts: settings.prompts,
      groupSize: settings.groupSize,
      maxNewTokens: settings.maxNewTokens,
      algo: settings.algo,
      klCoef: settings.klCoef,
    },
    trainer: { device: device.device, fallbackReason: device.reason, adapter: device.adapter },
    rollout: trainer.engine.provider,
    setupMs: Math.round(setupMs),
    firstStep: rows[0] ? pick(rows[0]) : null,
    steady: steady.length
      ? {
          steps: steady.length,
          step_ms: mean('step_ms'),
          rollout_ms: mean('rollout_ms'),
          train_ms: mean('train_ms'),
          rollout_tokens_per_s: mean('rollout_tokens_per_s'),
        }
      : null,
    steps: rows.map(pick),
  };
}
