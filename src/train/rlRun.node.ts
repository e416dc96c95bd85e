/**
 * An RL run on disk (Node): the `RlTrainer` loop with periodic held-out evaluation, checkpoints that
 * resume exactly, and JSON lines for everything logged:
 *
 *   <out>/metrics.jsonl    {"kind":"train",...} per step, {"kind":"eval",...} per evaluation
 *   <out>/rollouts.jsonl   every sample, verl's rollout-dump fields (input, output, score, step) plus
 *                          reward parts and advantage, so the app's explorer can import a run
 *   <out>/                 the checkpoint (checkpoint.node.ts): weights, optimizer, trainer_state.json
 *
 * Resume: prompts and sampling seeds are functions of (seed, step), the optimizer state is saved, and
 * the reference policy is reloaded from the run's `init` folder.
 */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvalReport } from '../rl/evaluate';
import { loadCheckpoint, loadWeights, saveCheckpoint, type TrainerState } from './checkpoint.node.ts';
import { DEFAULT_RL, RlTrainer, type PoolFocus, type RlMetrics, type RlOptions, type RlStepResult } from './rl';
import type { LoadOptions } from '../runtime/model';

export interface RlRunOptions extends RlOptions {
  /** The model folder the run starts from (and the KL reference). */
  init: string;
  out: string;
  /** Held-out greedy evaluation every n steps (and at the start and end); 0: only at the end. */
  evalEvery: number;
  /** Checkpoint every n steps (and at the end). */
  saveEvery: number;
}

export type RlTrainerState = TrainerState<RlRunOptions>;

export interface RlRunHooks {
  onStart?(info: { startStep: number; steps: number; resumed: boolean; poolSize: number; provider: string }): void;
  onStep?(r: RlStepResult): void;
  onEval?(step: number, report: EvalReport): void;
  onEvalProgress?(done: number, total: number): void;
  /** Progress of the pool filter's scan (before the first step). */
  onScanProgress?(done: number, total: number): void;
  log?(line: string): void;
  /** Stop after this step completes (tests: simulates an interruption). */
  stopAfter?: number;
  signal?: AbortSignal;
  loadOptions?: LoadOptions;
}

export interface RlRunResult {
  steps: number;
  lastEval: EvalReport | null;
  wallSeconds: number;
}

export async function runRl(input: RlRunOptions, hooks: RlRunHooks = {}, resumeDir?: string): Promise<RlRunResult> {
  let opts: RlRunOptions;
  let trainer: RlTrainer;
  let wallBefore = 0;
  let resumed = false;
  if (resumeDir !== undefined) {
    const ck = await loadCheckpoint<RlRunOptions>(resumeDir);
    if (input.steps > 0 && input.steps < ck.state.step) throw new Error(`resume: --steps ${input.steps} is below the checkpoint's step ${ck.state.step}`);
    // Runs saved before the pool filter existed have no filter fields: they drew from the whole pool.
    const unfiltered = { poolFilter: 'none', filterScan: DEFAULT_RL.filterScan, filterMix: DEFAULT_RL.filterMix } as const;
    opts = { ...unfiltered, ...ck.state.options, steps: input.steps > 0 ? input.steps : ck.state.options.steps, out: resumeDir };
    const ref = await loadWeights(opts.init).catch((e: Error) => {
      throw new Error(`resume: the run's reference model ${opts.init} cannot be read (${e.message})`);
    });
    trainer = await RlTrainer.create({
      config: ck.config,
      tokenizer: ck.tokenizer,
      params: ck.params,
      reference: ref.params,
      options: opts,
      optimizer: ck.optimizer,
      step: ck.state.step,
      skipped: ck.state.skipped,
      ...(hooks.loadOptions ? { loadOptions: hooks.loadOptions } : {}),
    });
    wallBefore = ck.state.wallSeconds;
    resumed = true;
    await trimJsonl(join(resumeDir, 'metrics.jsonl'), ck.state.step);
    await trimJsonl(join(resumeDir, 'rollouts.jsonl'), ck.state.step);
  } else {
    opts = input;
    const start = await loadWeights(opts.init);
    if (start.tokenizer === null) throw new Error(`--init ${opts.init}: tokenizer.json is missing; the run needs the model's tokenizer`);
    trainer = await RlTrainer.create({
      config: start.config,
      tokenizer: start.tokenizer,
      params: start.params,
      reference: start.params,
      options: opts,
      ...(hooks.loadOptions ? { loadOptions: hooks.loadOptions } : {}),
    });
    await mkdir(opts.out, { recursive: true });
    await writeFile(join(opts.out, 'metrics.jsonl'), '');
    await writeFile(join(opts.out, 'rollouts.jsonl'), '');
  }
  if (opts.poolFilter !== 'none') {
    try {
      await focusPool(trainer, opts, resumed, hooks);
    } catch (e) {
      await trainer.dispose();
      throw e;
    }
  }
  const metricsPath = join(opts.out, 'metrics.jsonl');
  const rolloutsPath = join(opts.out, 'rollouts.jsonl');
  hooks.onStart?.({ startStep: trainer.step, steps: opts.steps, resumed, poolSize: trainer.pool.size, provider: trainer.engine.provider.name });

  let lastTrain: RlMetrics | null = null;
  let lastEval: EvalReport | null = null;
  const state = (): RlTrainerState => ({
    format: 'vigal-trainer-state',
    version: 1,
    step: trainer.step,
    options: opts,
    optim: trainer.optim,
    skipped: trainer.skipped,
    wallSeconds: wallBefore + trainer.wallSeconds,
    ...(lastTrain ? { lastTrain } : {}),
    ...(lastEval ? { lastEval: evalNumbers(lastEval) } : {}),
    savedAt: new Date().toISOString(),
  });
  const save = async (): Promise<void> => {
    await saveCheckpoint(opts.out, {
      config: trainer.config,
      tokenizer: trainer.tokenizer,
      params: trainer.params,
      optimizer: trainer.optimizer,
      state: state(),
    });
    hooks.log?.(`checkpoint: step ${trainer.step} saved to ${opts.out}`);
  };
  const evaluate = async (): Promise<void> => {
    lastEval = await trainer.evaluate(opts.evalN, opts.evalSeed, hooks.onEvalProgress);
    await appendFile(metricsPath, JSON.stringify({ kind: 'eval', step: trainer.step, ...evalNumbers(lastEval) }) + '\n');
    hooks.onEval?.(trainer.step, lastEval);
  };

  try {
    if (!resumed && opts.evalEvery > 0) await evaluate();
    while (!trainer.done) {
      const result = await trainer.runStep(hooks.signal);
      lastTrain = result.metrics;
      await appendFile(metricsPath, JSON.stringify({ kind: 'train', ...result.metrics }) + '\n');
      await appendFile(rolloutsPath, rolloutLines(result));
      if (result.skipped) hooks.log?.(`step ${result.metrics.step}: ${result.skipped}`);
      hooks.onStep?.(result);
      const step = trainer.step;
      if (trainer.done || (opts.evalEvery > 0 && step % opts.evalEvery === 0)) await evaluate();
      if (trainer.done || step % opts.saveEvery === 0) await save();
      if (hooks.stopAfter !== undefined && step > hooks.stopAfter) {
        if (step % opts.saveEvery !== 0) await save();
        break;
      }
    }
  } finally {
    await trainer.dispose();
  }
  return { steps: trainer.step, lastEval, wallSeconds: wallBefore + trainer.wallSeconds };
}

/** Applies the run's pool filter: scans with the initial weights on a fresh run, reads pool.json on a resume. */
async function focusPool(trainer: RlTrainer, opts: RlRunOptions, resumed: boolean, hooks: RlRunHooks): Promise<void> {
  const poolPath = join(opts.out, 'pool.json');
  let focus: PoolFocus;
  if (resumed) {
    focus = await readPoolFocus(poolPath);
    trainer.pool.setFocus(focus);
  } else {
    hooks.log?.(`pool filter '${opts.poolFilter}': greedy answers of ${opts.init} on ${opts.filterScan} training prompts`);
    focus = await trainer.scanPool(hooks.onScanProgress, hooks.signal);
    await writeFile(poolPath, JSON.stringify(focus) + '\n');
  }
  hooks.log?.(
    `pool filter '${focus.filter}': ${focus.indices.length} of ${focus.scanned} prompts kept; ${Math.round(opts.filterMix * 100)}% of each step's prompts from the whole pool`,
  );
}

async function readPoolFocus(path: string): Promise<PoolFocus> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`resume: the run's pool filter result ${path} cannot be read (${(e as Error).message})`);
  }
  const focus = JSON.parse(text) as Partial<PoolFocus>;
  if (
    !Array.isArray(focus.indices) ||
    !focus.indices.every((i) => Number.isInteger(i)) ||
    typeof focus.scanned !== 'number' ||
    typeof focus.filter !== 'string'
  ) {
    throw new Error(`resume: ${path} is not a pool filter result (expected {filter, scanned, indices})`);
  }
  return focus as PoolFocus;
}

function evalNumbers(r: EvalReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(r)) if (typeof v === 'number') out[k] = v;
  return out;
}

function rolloutLines(r: RlStepResult): string {
  return r.groups
    .flatMap((g) =>
      g.samples.map((s) =>
        JSON.stringify({
          input: g.prompt,
          output: s.text,
          score: s.reward.overall,
          step: r.metrics.step,
          prompt_id: g.promptId,
          reward_format: s.reward.format,
          reward_accuracy: s.reward.accuracy,
          advantage: s.advantage,
        }),
      ),
    )
    .map((line) => line + '\n')
    .join('');
}

/** Drops lines logged at or after `step` (a resumed run rewrites them). */
async function trimJsonl(path: string, step: number): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return;
  }
  const keep = text.split('\n').filter((line) => {
    if (line.trim() === '') return false;
    try {
      const row = JSON.parse(line) as { kind?: string; step?: number };
      // An eval line at `step` was logged after that step's update: it belongs to the kept past.
      return typeof row.step === 'number' && (row.step < step || (row.kind === 'eval' && row.step === step));
    } catch {
      return false;
    }
  });
  await writeFile(path, keep.map((l) => l + '\n').join(''));
}
