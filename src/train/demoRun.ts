/**
 * A time-boxed run of an RL preset, as a visitor sees it: the clock starts before the weights load, the
 * held-out set is evaluated before the first step and every `evalEvery` steps, and stepping stops when
 * another step and the closing evaluation would not fit in `seconds`. DOM- and fs-free: `npm run
 * bench:demo` runs it in Node (scripts/bench-demo.ts) and in Chromium (src/bench/trainDemo.ts).
 */
import type { ModelConfig } from '../model/config';
import type { Tokenizer } from '../model/tokenizer';
import type { LoadOptions } from '../runtime/model';
import type { EvalReport } from '../rl/evaluate';
import { DEFAULT_RL, RlTrainer, type RlOptions } from './rl';
import type { HostParams } from './model';
import type { RlPreset } from './rlPresets';

export interface DemoSummary {
  /** Seconds from the start (loading included) to the end of the last evaluation. */
  seconds: number;
  steps: number;
  /** Mean training reward of the first and the last `rewardWindow` steps. */
  reward_start: number;
  reward_end: number;
  /** Greedy held-out accuracy before the first step and at the end. */
  heldout_start: number;
  heldout_end: number;
  heldout_n: number;
  /** A random move's accuracy on the held-out set, when the evaluation gives it. */
  heldout_random?: number;
  /** Every evaluation: steps done, seconds since the start, accuracy. */
  curve: { step: number; seconds: number; accuracy: number }[];
  /** Median step time (ms) after the first (which includes jax-js's compilation). */
  step_ms_median: number;
}

/** The trainer's options for a preset (the rest: DEFAULT_RL). */
export function presetOptions(p: RlPreset, seed = 1): RlOptions {
  return {
    ...DEFAULT_RL,
    game: 'snake',
    steps: p.steps,
    prompts: p.prompts,
    groupSize: p.group,
    temperature: p.temperature,
    lr: p.lr,
    minLr: p.lr,
    answerOnly: p.answerOnly,
    answerGradient: p.answerGradient,
    entropyCoef: p.entropyCoef,
    trainable: p.trainable,
    microBatch: p.microBatch,
    seed,
    evalN: Math.max(DEFAULT_RL.evalN, p.evalN),
  };
}

export interface DemoStart {
  /** Loads the start weights (timed: part of what a visitor waits for). */
  load(): Promise<{ config: ModelConfig; tokenizer: Tokenizer; params: HostParams; reference: HostParams }>;
  preset: RlPreset;
  seconds: number;
  loadOptions?: LoadOptions;
  /** Steps whose rewards make reward_start / reward_end (default 5). */
  rewardWindow?: number;
  log?(line: string): void;
}

export async function runDemo(d: DemoStart): Promise<DemoSummary> {
  const t0 = performance.now();
  const since = (): number => (performance.now() - t0) / 1000;
  const w = await d.load();
  const options = presetOptions(d.preset);
  const trainer = await RlTrainer.create({ config: w.config, tokenizer: w.tokenizer, params: w.params, reference: w.reference, options, ...(d.loadOptions ? { loadOptions: d.loadOptions } : {}) });
  const curve: DemoSummary['curve'] = [];
  const rewards: number[] = [];
  const stepMs: number[] = [];
  let first: EvalReport | null = null;
  let evalSeconds = 0;
  const evaluate = async (): Promise<void> => {
    const e0 = since();
    const r = await trainer.evaluate(d.preset.evalN, options.evalSeed);
    evalSeconds = since() - e0;
    first ??= r;
    curve.push({ step: trainer.step, seconds: +since().toFixed(1), accuracy: r.accuracy });
    d.log?.(`held-out @${trainer.step} (${since().toFixed(0)} s): ${r.accuracy.toFixed(3)}`);
  };
  try {
    await evaluate();
    while (!trainer.done) {
      // Stop when one more step (as long as the slowest after the first) and an evaluation would not fit.
      const stepGuess = (stepMs.length > 1 ? Math.max(...stepMs.slice(1)) : stepMs[0] ?? 0) / 1000;
      const evalAfter = (trainer.step + 1) % d.preset.evalEvery === 0;
      if (since() + stepGuess + evalSeconds * (evalAfter ? 2 : 1) > d.seconds) break;
      const r = await trainer.runStep();
      rewards.push(r.metrics.reward ?? 0);
      stepMs.push(r.metrics.step_ms ?? 0);
      d.log?.(`step ${trainer.step} (${since().toFixed(0)} s): reward ${(r.metrics.reward ?? 0).toFixed(3)}, ${Math.round(r.metrics.step_ms ?? 0)} ms`);
      if (trainer.step % d.preset.evalEvery === 0) await evaluate();
    }
    if (curve.at(-1)?.step !== trainer.step) await evaluate();
  } finally {
    await trainer.dispose();
  }
  const k = d.rewardWindow ?? 5;
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const sorted = stepMs.slice(1).sort((a, b) => a - b);
  const start = first as EvalReport | null;
  return {
    seconds: +since().toFixed(1),
    steps: trainer.step,
    reward_start: +mean(rewards.slice(0, k)).toFixed(3),
    reward_end: +mean(rewards.slice(-k)).toFixed(3),
    heldout_start: curve[0]?.accuracy ?? 0,
    heldout_end: curve.at(-1)?.accuracy ?? 0,
    heldout_n: d.preset.evalN,
    ...(start?.random_accuracy !== undefined ? { heldout_random: +start.random_accuracy.toFixed(3) } : {}),
    curve,
    step_ms_median: Math.round(sorted[Math.floor(sorted.length / 2)] ?? stepMs[0] ?? 0),
  };
}
