/**
 * RL on the games' verifiable rewards (GRPO or RLOO), the loop verl runs, at toy scale and in one file:
 *
 *   prompts (seeded by step) -> rollouts on the ORT engine (G samples each, behaviour log-probs)
 *   -> rewards from the game verifier -> advantages (group baseline) -> PPO clipped update(s) in jax-js
 *   -> fresh weights pushed to the rollout engine -> metrics
 *
 * DOM- and fs-free: the CLI (`vigal train rl`) and the browser's training worker drive the same
 * `RlTrainer`, one `step()` at a time, and own checkpoint storage (files or IndexedDB).
 *
 * Metric names follow TRL/verl where they have one: reward, reward_std, rewards/<part>/mean,
 * frac_reward_zero_std, kl, entropy, clip_ratio, completions/mean_length, ...
 */
import { numpy as np, tree } from '@jax-js/jax';
import type { ModelConfig } from '../model/config';
import { patchDim } from '../model/config';
import type { Tokenizer } from '../model/tokenizer';
import type { LoadOptions } from '../runtime/model';
import { suppressedTokenIds } from '../runtime/generate';
import { computeAdvantages, fracRewardZeroStd, type AdvantageEstimator } from '../rl/advantages';
import { heldOutPositions, evaluatePolicy, type EvalReport } from '../rl/evaluate';
import { RolloutEngine, type RlPrompt, type Rollout } from '../rl/rollout';
import { prepared } from '../rl/suite';
import { NanoPolicy, nanoObservation } from '../policy/nano';
import { MOVES, parseSnakeAnswer, type Move, type SnakeState } from '../games/snake';
import type { RewardParts } from '../games/types';
import { encodePrompt } from '../model/inputs';
import {
  ANSWER_SCAFFOLD,
  answerText,
  argmax,
  bestMoveReward,
  logSoftmax,
  moveLogitMask,
  moveLogits,
  moveTokenIds,
  randomMoveAccuracy,
  sampleIndex,
  scaffoldIds,
} from '../rl/answerOnly';
import { Rng } from '../util/rng';
import { streamSeed } from '../util/streams';
import { encodeExample, type SftSource } from './data';
import { paramsToDevice, toDevice, treeToHost, type HostBatch, type HostParams } from './model';
import { adamwStep, DEFAULT_OPTIM, GradAccumulator, initOptimState, learningRate, type OptimConfig, type OptimState } from './optim';
import { compilePolicy, type PolicyAux, type PolicyBatch } from './policyLoss';
import { jointSource } from './traces/curriculum';
import { compileAnswerLoss, trainableNames } from './answerLoss';
import { gameOf } from '../games/registry';
import { answerOnlyGame, traceGame, type TraceGameId } from './traces/games';

/** The games with solver traces (train/traces/games.ts). */
export type RlGame = TraceGameId;

export interface RlOptions {
  game: RlGame;
  algo: AdvantageEstimator;
  /** Optimizer steps (each: one batch of rollouts, `ppoEpochs` updates on it). */
  steps: number;
  /** Prompts per step; each gets `groupSize` samples. */
  prompts: number;
  groupSize: number;
  temperature: number;
  maxNewTokens: number;
  lr: number;
  minLr: number;
  warmup: number;
  weightDecay: number;
  gradClip: number;
  clipLow: number;
  clipHigh: number;
  /** Weight of the k3 KL penalty toward the initial model (ViGaL: 0, no KL term). */
  klCoef: number;
  /** Updates per batch of rollouts (PPO epochs); 1 is on-policy (the ratio is 1 and nothing clips). */
  ppoEpochs: number;
  /** Sequences per forward/backward (memory, not math: the loss is a token mean over the whole step). */
  microBatch: number;
  /** Distinct training prompts (disjoint from the held-out evaluation set). */
  trainSize: number;
  seed: number;
  /** The held-out set `vigal eval` uses (same n/seed give the same states). */
  evalN: number;
  evalSeed: number;
  /**
   * Which training prompts a step draws from. 'greedy-wrong': before the first step, the initial model
   * answers the first `filterScan` pool prompts greedily and the steps draw from those it got wrong
   * (offline difficulty filtering). RL only moves greedy answers where some sample beats the greedy one,
   * and on prompts greedy already solves most groups have no reward spread: this spends the rollouts
   * where the update can change what the model answers.
   */
  poolFilter: PoolFilter;
  /** Pool prompts the filter scans (greedy answers of the initial model). */
  filterScan: number;
  /** With a filter: the share of each step's prompts still drawn from the whole pool. */
  filterMix: number;
  /**
   * Answer-only RL (Snake; rl/answerOnly.ts): the scaffold `<think></think><best_answer>` is forced and
   * each sample is one move token, rewarded 1 when it is a best move. `maxNewTokens` is not used.
   */
  answerOnly: boolean;
  /**
   * Answer-only runs: 'sampled' draws `groupSize` moves per prompt and weighs them by RLOO/GRPO advantages;
   * 'exact' scores all four moves and weighs each by its probability (train/answerLoss.ts), the
   * expectation of the sampled update without its noise.
   */
  answerGradient: AnswerGradient;
  /** Answer-only, exact: weight of the entropy bonus over the four moves. */
  entropyCoef: number;
  /** The parameters the update changes: 'all', or 'top' (the last block, the final norm, the output layer). */
  trainable: Trainable;
  /**
   * Draw the prompts from both games (issue 16's joint model: traces/curriculum.ts's jointSource, the
   * length curriculum and three class sets, registered held-out sets excluded); `game` still names the
   * held-out evaluation. Absent: the game's own pool, as before.
   */
  jointPool?: boolean;
}

export const ANSWER_GRADIENTS = ['sampled', 'exact'] as const;
export type AnswerGradient = (typeof ANSWER_GRADIENTS)[number];
export const TRAINABLE = ['all', 'top'] as const;
export type Trainable = (typeof TRAINABLE)[number];

export const POOL_FILTERS = ['none', 'greedy-wrong'] as const;
export type PoolFilter = (typeof POOL_FILTERS)[number];

export const DEFAULT_RL: Omit<RlOptions, 'game'> = {
  algo: 'rloo',
  steps: 100,
  prompts: 8,
  groupSize: 6,
  temperature: 1.0,
  maxNewTokens: 160,
  lr: 2e-5,
  minLr: 2e-5,
  warmup: 0,
  weightDecay: 0,
  gradClip: 1.0,
  clipLow: 0.2,
  clipHigh: 0.2,
  klCoef: 0,
  ppoEpochs: 1,
  microBatch: 16,
  trainSize: 20000,
  seed: 1,
  evalN: 200,
  evalSeed: 1000,
  poolFilter: 'none',
  filterScan: 1000,
  filterMix: 0.25,
  answerOnly: false,
  answerGradient: 'sampled',
  entropyCoef: 0,
  trainable: 'all',
};

export type RlMetrics = { step: number } & Record<string, number>;

/** One sample as the Train view shows it: trace, reward parts, advantage, per-token log-probs. */
export interface RlSampleView {
  text: string;
  reward: { format: number; accuracy: number; overall: number };
  advantage: number;
  /** Token strings and behaviour log-probs, aligned (for heat maps). */
  pieces: string[];
  logprobs: number[];
  stopReason: string;
}

export interface RlGroupView {
  promptId: string;
  prompt: string;
  samples: RlSampleView[];
}

export interface RlStepResult {
  metrics: RlMetrics;
  groups: RlGroupView[];
  /** Why the update was skipped (non-finite loss/gradient), or null. */
  skipped: string | null;
}

export interface RlStart {
  config: ModelConfig;
  tokenizer: Tokenizer;
  /** Current weights (the -sft model at step 0, the checkpoint's on resume). */
  params: HostParams;
  /** The reference policy (the initial model): KL is measured against it. */
  reference: HostParams;
  options: RlOptions;
  /** Resume: optimizer state and the next step. */
  optimizer?: OptimState;
  step?: number;
  skipped?: number;
  /** Where rollouts run (default: the runtime's defaults). */
  loadOptions?: LoadOptions;
}

/** Numbers a run must satisfy; throws an Error naming the option (the CLI turns it into a usage error). */
export function checkRlOptions(o: RlOptions): void {
  const need = (ok: boolean, msg: string): void => {
    if (!ok) throw new Error(msg);
  };
  need(Number.isInteger(o.steps) && o.steps >= 1, `steps must be a positive integer, got ${o.steps}`);
  need(Number.isInteger(o.prompts) && o.prompts >= 1, `prompts must be a positive integer, got ${o.prompts}`);
  need(Number.isInteger(o.groupSize) && o.groupSize >= 2, `group size must be an integer >= 2 (the baseline needs other samples), got ${o.groupSize}`);
  need(o.temperature > 0 && o.temperature <= 5, `temperature must be in (0, 5] (RL samples; 0 would be greedy), got ${o.temperature}`);
  need(Number.isInteger(o.maxNewTokens) && o.maxNewTokens >= 1, `max new tokens must be a positive integer, got ${o.maxNewTokens}`);
  need(o.lr > 0 && o.lr < 1, `learning rate must be in (0, 1), got ${o.lr}`);
  need(o.minLr >= 0 && o.minLr <= o.lr, `min learning rate must be in [0, lr], got ${o.minLr}`);
  need(o.clipLow > 0 && o.clipLow < 1 && o.clipHigh > 0, `clip range must be positive (low < 1), got ${o.clipLow}/${o.clipHigh}`);
  need(o.klCoef >= 0, `KL coefficient must be >= 0, got ${o.klCoef}`);
  need(Number.isInteger(o.ppoEpochs) && o.ppoEpochs >= 1 && o.ppoEpochs <= 8, `PPO epochs must be an integer in [1, 8], got ${o.ppoEpochs}`);
  need(Number.isInteger(o.microBatch) && o.microBatch >= 1, `micro-batch must be a positive integer, got ${o.microBatch}`);
  need(Number.isInteger(o.trainSize) && o.trainSize >= o.prompts, `train size must be an integer >= prompts per step, got ${o.trainSize}`);
  need((POOL_FILTERS as readonly string[]).includes(o.poolFilter), `pool filter must be one of ${POOL_FILTERS.join(', ')}, got ${o.poolFilter}`);
  need(Number.isInteger(o.filterScan) && o.filterScan >= 1, `filter scan must be a positive integer, got ${o.filterScan}`);
  need(o.filterMix >= 0 && o.filterMix <= 1, `filter mix must be in [0, 1], got ${o.filterMix}`);
  need(!o.answerOnly || answerOnlyGame(o.game), `answer-only RL is Snake's best move; it does not apply to ${o.game}`);
  need(
    (ANSWER_GRADIENTS as readonly string[]).includes(o.answerGradient),
    `answer gradient must be one of ${ANSWER_GRADIENTS.join(', ')}, got ${o.answerGradient}`,
  );
  need(o.answerGradient === 'sampled' || o.answerOnly, 'the exact answer gradient scores the four moves of answer-only RL; turn answer-only on');
  need(o.entropyCoef >= 0 && o.entropyCoef < 10, `entropy coefficient must be in [0, 10), got ${o.entropyCoef}`);
  need((TRAINABLE as readonly string[]).includes(o.trainable), `trainable must be one of ${TRAINABLE.join(', ')}, got ${o.trainable}`);
  need(!(o.answerOnly && o.jointPool), 'answer-only RL samples Snake moves; it does not take the joint pool');
}

/** The result of a pool filter's scan, saved with the run (`<out>/pool.json`) so a resume reuses it. */
export interface PoolFocus {
  filter: PoolFilter;
  /** Pool prompts scanned. */
  scanned: number;
  /** Training indices the steps draw from (besides the `filterMix` share from the whole pool). */
  indices: number[];
}

/**
 * The prompt pool of a run: the SFT sources' training items (same seeds, so the states are the kind the
 * model was warm-started on), minus any state (Snake: snakeStateKey) or question (Rotation: its seed,
 * which determines it; drawing 20,000 questions to compare them would take minutes) that is also in the
 * held-out set.
 */
export class PromptPool {
  private readonly source: SftSource;
  private readonly keep: number[];
  private focus: PoolFocus | null = null;
  private lengths: number[] | null = null;
  /** Answer-only: the forced scaffold's ids, appended to every prompt; else empty. */
  private readonly scaffold: number[];

  constructor(
    readonly config: ModelConfig,
    readonly tokenizer: Tokenizer,
    readonly o: Pick<RlOptions, 'game' | 'seed' | 'trainSize' | 'evalN' | 'evalSeed'> & Partial<Pick<RlOptions, 'filterMix' | 'answerOnly' | 'jointPool'>>,
  ) {
    this.scaffold = o.answerOnly ? scaffoldIds(tokenizer) : [];
    const seed = streamSeed(o.seed, 'rlPool');
    // The run's own held-out set (any seed) out by its exclusion keys; a joint pool has the registered sets out already.
    const heldOut = new Set(heldOutPositions(o.game, o.evalN, o.evalSeed).flatMap((p) => gameOf(o.game).exclusionKeys(p.state)));
    if (o.jointPool) {
      const src = jointSource(config, { seed, trainSize: o.trainSize, evalSize: 2 });
      this.keep = Array.from({ length: o.trainSize }, (_, i) => i).filter((i) => src.locate('train', i).game !== o.game || !heldOut.has(src.trainKey(i)));
      this.source = src;
    } else {
      const { source, keep } = traceGame(o.game).pool(config, { seed, trainSize: o.trainSize, evalSize: 1 }, heldOut);
      this.keep = keep;
      this.source = source;
    }
  }

  get size(): number {
    return this.keep.length;
  }

  /** The training indices a filter scans: the first n of the pool. */
  scanIndices(n: number): number[] {
    return this.keep.slice(0, n);
  }

  /** Restricts the steps to a filter's prompts (plus the `filterMix` share from the whole pool). */
  setFocus(focus: PoolFocus): void {
    const inPool = new Set(this.keep);
    const outside = focus.indices.find((i) => !inPool.has(i));
    if (outside !== undefined) throw new Error(`pool filter: training index ${outside} is not in this run's pool (train size ${this.o.trainSize})`);
    if (focus.indices.length === 0) throw new Error(`pool filter '${focus.filter}' kept none of the ${focus.scanned} prompts scanned: nothing to train on`);
    this.focus = focus;
  }

  /**
   * The 99th-percentile prompt length in tokens (Snake: over every prompt, from text; Rotation: its
   * prompts differ only in labels, the first 256 are representative). Sequences are sized by it; the
   * rare longer prompt gets a shorter response budget (RlTrainer.seqLength).
   */
  promptLengthP99(): number {
    return this.promptLengthQuantile(0.99);
  }

  /** The longest prompt in tokens (answer-only runs size sequences by it: a response is one token). */
  promptLengthMax(): number {
    return this.promptLengthQuantile(1);
  }

  private promptLengthQuantile(q: number): number {
    const lengths = this.sortedLengths();
    return lengths[Math.min(lengths.length - 1, Math.floor(q * lengths.length))] as number;
  }

  private sortedLengths(): number[] {
    if (this.lengths !== null) return this.lengths;
    // A joint pool: the first 1,024, both games (a Rotation question's prompt costs a drawn question).
    const scanned = this.o.jointPool ? 1024 : traceGame(this.o.game).lengthScan;
    const scan = scanned === null ? this.keep : this.keep.slice(0, scanned);
    const lengths = scan.map((i) => {
      const prompt = this.source.text ? this.source.text('train', i).prompt : this.source.train(i).prompt;
      return this.tokenizer.encode(prompt).length + 2 + this.scaffold.length; // + BOS and the newline (and a forced scaffold)
    });
    lengths.sort((a, b) => a - b);
    this.lengths = lengths;
    return lengths;
  }

  /** Image patches per prompt (the same for every prompt of a game). */
  imagePatches(): number {
    const ex = this.source.train(this.keep[0] as number);
    return encodeExample(this.config, this.tokenizer, ex).patches.length / patchDim(this.config);
  }

  /** The prompts of a step: a pure function of (seed, step), so a resumed run sees the same ones. */
  forStep(step: number, count: number): RlPrompt[] {
    const rng = new Rng(streamSeed(this.o.seed, 'rlStepPrompts', step));
    const focus = this.focus;
    const mix = this.o.filterMix ?? 0;
    return Array.from({ length: count }, () => {
      const from = focus !== null && rng.next() >= mix ? focus.indices : this.keep;
      return this.prompt(from[rng.int(from.length)] as number);
    });
  }

  /** The training prompt at `index` of the source. */
  prompt(index: number): RlPrompt {
    const ex = this.source.train(index);
    const enc = encodeExample(this.config, this.tokenizer, ex);
    const id = `${this.o.jointPool ? 'joint' : this.o.game}/train/${index}`;
    if (this.o.answerOnly) {
      const state = (this.source as { trainStates?: SnakeState[] }).trainStates?.[index];
      if (!state) throw new Error(`answer-only RL needs Snake states; ${this.o.game} has none`);
      return {
        id,
        patches: enc.patches,
        promptIds: [...enc.prompt, ...this.scaffold],
        prompt: ex.prompt + '\n' + ANSWER_SCAFFOLD,
        score: answerOnlyScore(state),
      };
    }
    const score = ex.score;
    if (!score) throw new Error(`${this.o.game} source has no verifier for its examples`);
    return { id, patches: enc.patches, promptIds: enc.prompt, prompt: ex.prompt, score };
  }
}

/** One sequence of the update: prompt + sampled response, with its advantage and behaviour log-probs. */
export interface Row {
  patches: Float32Array;
  ids: number[];
  promptLength: number;
  advantage: number;
  behaviour: number[];
}

/** Text lengths are rounded up to this (a fixed shape per run: jit compiles once). */
const T_BUCKET = 16;

/** The exact answer gradient's eps under the reward spread (train/answerLoss.ts): rewards are 0 or 1. */
const EXACT_SPREAD_EPS = 0.05;

export class RlTrainer {
  readonly fns: ReturnType<typeof compilePolicy>;
  readonly optim: OptimConfig;
  private device: Record<string, np.Array>;
  private readonly refDevice: Record<string, np.Array>;
  /**
   * Text positions of every training sequence (prompt + response, padded): one shape for the whole
   * run, since every new shape costs a jit compile and, on WASM, the buffers of several shapes fragment
   * the 4 GiB heap until an allocation fails. Sized for the 99th-percentile prompt plus maxNewTokens; a
   * longer prompt gets the response budget that is left.
   */
  readonly seqLength: number;
  /** -1e9 on the ids generation suppresses (runtime/generate.ts), 0 elsewhere. */
  private readonly logitMask: Float32Array;
  /** Answer-only: the four move ids (canonical order); else empty. */
  private readonly moveIds: number[];
  /** The parameters the update changes (options.trainable); the rest stay as loaded. */
  private readonly trainNames: string[];
  /** Answer-only with the exact gradient: the compiled loss over the four moves; else null. */
  private readonly answerFns: ReturnType<typeof compileAnswerLoss> | null;
  /** True when the weights changed since the rollout engine last got them (the exact path syncs lazily). */
  private engineStale = false;
  private wallMs = 0;

  private constructor(
    readonly config: ModelConfig,
    readonly tokenizer: Tokenizer,
    public params: HostParams,
    readonly options: RlOptions,
    public optimizer: OptimState,
    public stepIndex: number,
    public skipped: number,
    readonly engine: RolloutEngine,
    readonly pool: PromptPool,
    reference: HostParams,
  ) {
    this.optim = {
      ...DEFAULT_OPTIM,
      lr: options.lr,
      minLr: options.minLr,
      warmupSteps: options.warmup,
      decaySteps: options.steps,
      weightDecay: options.weightDecay,
      gradClip: options.gradClip,
    };
    this.fns = compilePolicy(config, { clipLow: options.clipLow, clipHigh: options.clipHigh, temperature: options.temperature });
    this.trainNames = trainableNames(config, Object.keys(params), options.trainable);
    this.answerFns =
      options.answerOnly && options.answerGradient === 'exact'
        ? compileAnswerLoss(config, { temperature: options.temperature, eps: EXACT_SPREAD_EPS, entropyCoef: options.entropyCoef })
        : null;
    this.device = paramsToDevice(config, params);
    this.refDevice = paramsToDevice(config, reference);
    const imagePatches = pool.imagePatches();
    const p99 = options.answerOnly ? pool.promptLengthMax() : pool.promptLengthP99();
    const responseBudget = options.answerOnly ? 1 : options.maxNewTokens;
    this.seqLength = Math.min(config.maxSeqLen - imagePatches, Math.ceil((p99 + responseBudget) / T_BUCKET) * T_BUCKET);
    // Answer-only needs its one move token after the longest prompt; a trace's budget is clipped to the room
    // left (the rollouts stop at seqLength), but below 8 tokens no trace could be written at all.
    const room = this.seqLength - p99;
    if (options.answerOnly ? room < responseBudget : room < 8) {
      throw new Error(`RL: prompts of ${p99} tokens and ${imagePatches} image patches leave no room for a response within maxSeqLen ${config.maxSeqLen}`);
    }
    if (options.answerOnly) {
      this.moveIds = moveTokenIds(tokenizer);
      this.logitMask = moveLogitMask(tokenizer, config.vocabSize);
    } else {
      this.moveIds = [];
      this.logitMask = new Float32Array(config.vocabSize);
      for (const id of suppressedTokenIds(tokenizer, config.vocabSize)) this.logitMask[id] = -1e9;
    }
  }

  static async create(s: RlStart): Promise<RlTrainer> {
    checkRlOptions(s.options);
    if (!s.config.games.includes(s.options.game) || (s.options.jointPool && !(s.config.games.includes('snake') && s.config.games.includes('rotation')))) {
      throw new Error(
        `the model ${s.config.name} plays ${s.config.games.join(', ')}, not ${s.options.jointPool ? 'snake and rotation (the joint pool)' : s.options.game}`,
      );
    }
    const engine = await RolloutEngine.create(s.config, s.tokenizer, s.params, s.loadOptions);
    const pool = new PromptPool(s.config, s.tokenizer, s.options);
    return new RlTrainer(
      s.config,
      s.tokenizer,
      s.params,
      s.options,
      s.optimizer ?? initOptimState(s.params),
      s.step ?? 0,
      s.skipped ?? 0,
      engine,
      pool,
      s.reference,
    );
  }

  /** Steps completed. */
  get step(): number {
    return this.stepIndex;
  }

  get done(): boolean {
    return this.stepIndex >= this.options.steps;
  }

  /** Wall-clock seconds spent in `step()` by this process. */
  get wallSeconds(): number {
    return this.wallMs / 1000;
  }

  /** One RL step: rollouts, rewards, advantages, update(s), weight sync. */
  async runStep(signal?: AbortSignal): Promise<RlStepResult> {
    if (this.answerFns) return this.exactAnswerStep(this.answerFns, signal);
    const o = this.options;
    const t0 = performance.now();
    const step = this.stepIndex;

    // ---- 1. rollouts on the engine ----------------------------------------------------------------
    const prompts = this.pool.forStep(step, o.prompts);
    const collected = o.answerOnly
      ? await this.collectAnswers(prompts, streamSeed(o.seed, 'rlStepSampling', step), signal)
      : await this.engine.collect(prompts, {
          groupSize: o.groupSize,
          temperature: o.temperature,
          maxNewTokens: o.maxNewTokens,
          maxLength: this.seqLength,
          seed: streamSeed(o.seed, 'rlStepSampling', step),
          ...(signal ? { signal } : {}),
        });
    const rollouts = collected.rollouts;

    // ---- 2. rewards and advantages ------------------------------------------------------------------
    const rewards = rollouts.map((r) => r.reward.overall);
    const advantages = computeAdvantages(o.algo, rewards, o.groupSize);

    // ---- 3. the update --------------------------------------------------------------------------------
    const tTrain = performance.now();
    const rows: Row[] = rollouts.map((r, i) => {
      const prompt = prompts[r.group] as RlPrompt;
      return {
        patches: prompt.patches,
        ids: [...prompt.promptIds, ...r.tokens],
        promptLength: prompt.promptIds.length,
        advantage: advantages[i] as number,
        behaviour: r.logprobs,
      };
    });
    const responseTokens = rows.reduce((s, r) => s + (r.ids.length - r.promptLength), 0);
    // On-policy without a KL term the loss is linear in the advantage (the ratio is 1, nothing clips),
    // so equal samples of a prompt make one row with their advantages summed: the same gradient for
    // fewer sequences (answer-only groups hold at most four distinct answers).
    const merged = o.ppoEpochs === 1 && o.klCoef === 0 ? mergeEqualRows(rollouts, rows) : rows;
    const update = await this.update(merged, step, responseTokens);
    if (update.applied) await this.engine.sync(this.params);
    else this.skipped++;
    const trainMs = performance.now() - tTrain;

    // ---- 4. metrics -----------------------------------------------------------------------------------
    this.stepIndex++;
    const stepMs = performance.now() - t0;
    this.wallMs += stepMs;
    const metrics = rolloutMetrics(rollouts, rewards, o.groupSize);
    // Answer-only runs force the scaffold: there is no format to score, so no format figures to chart.
    if (o.answerOnly) for (const key of ['rewards/format/mean', 'rewards/format/std', 'format_rate']) delete metrics[key];
    Object.assign(metrics, update.metrics, {
      step,
      lr: update.lr,
      tokens_per_second: collected.tokens / (collected.ms / 1000),
      rollout_ms: collected.ms,
      train_ms: trainMs,
      step_ms: stepMs,
    });
    return { metrics: metrics as RlMetrics, groups: this.groupViews(prompts, rollouts, advantages), skipped: update.skipReason };
  }

  /** Greedy answers on the held-out set, through the (synced) rollout engine; `signal` stops it. */
  async evaluate(
    n = this.options.evalN,
    seed = this.options.evalSeed,
    onProgress?: (done: number, total: number) => void,
    signal?: AbortSignal,
  ): Promise<EvalReport> {
    await this.syncEngine();
    if (this.options.answerOnly) return this.evaluateAnswers(n, seed, onProgress, signal);
    const policy = prepared(new NanoPolicy(this.engine.currentModel), 'image+text', signal);
    return evaluatePolicy(policy, this.options.game, n, seed, onProgress);
  }

  /**
   * Runs the run's pool filter with the current (initial) weights: greedy answers on the first
   * `filterScan` pool prompts, keeping those not fully right, and focuses the pool on them (returned
   * so a run can save it). Call before the first step.
   */
  async scanPool(onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<PoolFocus> {
    await this.syncEngine();
    const o = this.options;
    const indices = this.pool.scanIndices(o.filterScan);
    const kept: number[] = [];
    for (const [k, index] of indices.entries()) {
      const prompt = this.pool.prompt(index);
      if (o.answerOnly) {
        if (signal?.aborted) throw new DOMException('scan aborted', 'AbortError');
        const logits = await moveLogits(this.engine.currentModel, prompt.promptIds, prompt.patches, this.moveIds);
        if (prompt.score(answerText(MOVES[argmax(logits)] as Move)).accuracy < 1) kept.push(index);
        onProgress?.(k + 1, indices.length);
        continue;
      }
      const { rollouts } = await this.engine.collect([prompt], {
        groupSize: 1,
        temperature: 0,
        maxNewTokens: o.maxNewTokens,
        maxLength: this.seqLength,
        seed: 0,
        ...(signal ? { signal } : {}),
      });
      if ((rollouts[0]?.reward.accuracy ?? 0) < 1) kept.push(index);
      onProgress?.(k + 1, indices.length);
    }
    const focus: PoolFocus = { filter: o.poolFilter, scanned: indices.length, indices: kept };
    this.pool.setFocus(focus);
    return focus;
  }

  /**
   * Answer-only rollouts: one forward per prompt gives the softmax over the four moves; the group's
   * samples are draws from it (behaviour log-probs at the run's temperature).
   */
  private async collectAnswers(prompts: readonly RlPrompt[], seed: number, signal?: AbortSignal): Promise<{ rollouts: Rollout[]; tokens: number; ms: number }> {
    const t0 = performance.now();
    const o = this.options;
    const rng = new Rng(seed);
    const rollouts: Rollout[] = [];
    for (const [g, prompt] of prompts.entries()) {
      if (signal?.aborted) throw new DOMException('rollouts aborted', 'AbortError');
      const logp = logSoftmax(await moveLogits(this.engine.currentModel, prompt.promptIds, prompt.patches, this.moveIds), o.temperature);
      for (let i = 0; i < o.groupSize; i++) {
        const k = sampleIndex(logp, rng);
        const move = MOVES[k] as Move;
        const text = answerText(move);
        rollouts.push({
          group: g,
          sample: i,
          tokens: [this.moveIds[k] as number],
          text,
          logprobs: [logp[k] as number],
          stopReason: 'stop_token',
          reward: prompt.score(text),
        });
      }
    }
    return { rollouts, tokens: rollouts.length, ms: performance.now() - t0 };
  }

  /** Answer-only held-out evaluation: the greedy (most likely) move on each held-out state. */
  private async evaluateAnswers(n: number, seed: number, onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<EvalReport> {
    const started = Date.now();
    const model = this.engine.currentModel;
    const scaffold = scaffoldIds(this.tokenizer);
    const positions = heldOutPositions('snake', n, seed);
    let right = 0;
    const perState: string[] = [];
    for (const [i, position] of positions.entries()) {
      if (signal?.aborted) throw new DOMException('evaluation aborted', 'AbortError');
      const obs = nanoObservation(position, this.config.imageSize);
      const { inputIds, patches } = encodePrompt(this.config, this.tokenizer, obs.prompt, obs.images);
      const logits = await moveLogits(model, [...inputIds, ...scaffold], patches, this.moveIds);
      const ok = bestMoveReward(position.state as SnakeState, MOVES[argmax(logits)] as Move);
      right += ok;
      perState.push(String(ok));
      onProgress?.(i + 1, positions.length);
    }
    const accuracy = right / Math.max(1, positions.length);
    return {
      game: 'snake',
      policy: `nano:${this.config.name} (answer-only)`,
      n: positions.length,
      seed,
      accuracy,
      format_rate: 1,
      mean_reward: accuracy,
      best_accuracy: accuracy,
      mean_new_tokens: 1,
      random_accuracy: randomMoveAccuracy(positions.map((p) => p.state as SnakeState)),
      seconds: (Date.now() - started) / 1000,
      right: perState.join(''),
    };
  }

  /** Pushes the current weights to the rollout engine if a step changed them since the last push. */
  private async syncEngine(): Promise<void> {
    if (!this.engineStale) return;
    await this.engine.sync(this.params);
    this.engineStale = false;
  }

  /**
   * One answer-only step with the exact gradient (train/answerLoss.ts): each prompt's four moves are
   * scored, the loss weighs them by the policy's own probabilities, and the group shown for a prompt is
   * its four moves with their probability, reward and advantage. No rollouts are sampled, so the
   * rollout engine only needs the new weights before the next evaluation.
   */
  private async exactAnswerStep(lossAndGrad: ReturnType<typeof compileAnswerLoss>, signal?: AbortSignal): Promise<RlStepResult> {
    const o = this.options;
    const c = this.config;
    const t0 = performance.now();
    const step = this.stepIndex;
    const prompts = this.pool.forStep(step, o.prompts);
    // Each move scored once: the loss reads the rewards, the groups shown read the reward parts.
    const parts = prompts.map((p) => MOVES.map((m) => p.score(answerText(m))));
    const rewards = parts.map((row) => row.map((r) => r.overall));
    const Np = (prompts[0]?.patches.length ?? 0) / patchDim(c);
    const T = this.seqLength;
    const micro = chunk(
      prompts.map((p, i) => ({ p, i })),
      o.microBatch,
    );
    const moveSelect = new Float32Array(c.vocabSize * MOVES.length);
    this.moveIds.forEach((id, k) => (moveSelect[id * MOVES.length + k] = 1));
    const probs: number[][] = [];
    const advantages: number[][] = [];
    const acc = new GradAccumulator();
    const trainSet = new Set(this.trainNames);
    for (const rows of micro) {
      if (signal?.aborted) throw new DOMException('step aborted', 'AbortError');
      const B = o.microBatch;
      const host = buildHostBatch(
        c,
        rows.map(({ p }) => ({ patches: p.patches, ids: p.promptIds, promptLength: p.promptIds.length, advantage: 0, behaviour: [] })),
        B,
        T,
        Np,
        this.tokenizer.padId,
        1,
      );
      const last = new Float32Array(B * T);
      const r = new Float32Array(B * MOVES.length);
      const weights = new Float32Array(B);
      rows.forEach(({ p, i }, b) => {
        last[b * T + p.promptIds.length - 1] = 1;
        r.set(rewards[i] as number[], b * MOVES.length);
        // The accumulator averages micro-batches: each row is 1 / prompts of the whole step after it.
        weights[b] = micro.length / prompts.length;
      });
      const { patches, inputIds, targets, weights: unused } = toDevice(c, host);
      targets.dispose();
      unused.dispose();
      const trainable: Record<string, np.Array> = {};
      const frozen: Record<string, np.Array> = {};
      for (const [name, a] of Object.entries(this.device)) (trainSet.has(name) ? trainable : frozen)[name] = a.ref;
      const [[lossArr, aux], gradArr] = lossAndGrad(trainable, frozen, {
        patches,
        inputIds,
        last: np.array(last, { shape: [B, T] }),
        rewards: np.array(r, { shape: [B, MOVES.length] }),
        rowWeights: np.array(weights, { shape: [B] }),
        moveSelect: np.array(moveSelect, { shape: [c.vocabSize, MOVES.length] }),
      });
      const grads = await treeToHost(gradArr);
      const loss = ((await lossArr.data()) as Float32Array)[0] as number;
      const pi = (await aux.probs.data()) as Float32Array;
      const adv = (await aux.advantages.data()) as Float32Array;
      rows.forEach((_, b) => {
        probs.push(Array.from(pi.slice(b * MOVES.length, (b + 1) * MOVES.length)));
        advantages.push(Array.from(adv.slice(b * MOVES.length, (b + 1) * MOVES.length)));
      });
      acc.add(grads, loss);
    }
    const mean = acc.mean();
    const lr = learningRate(step, this.optim);
    const subset = Object.fromEntries(this.trainNames.map((n) => [n, this.params[n] as Float32Array]));
    const report = adamwStep(subset, mean.grads, this.optimizer, lr, this.optim, mean.loss);
    if (report.applied) {
      tree.dispose(this.device);
      this.device = paramsToDevice(c, this.params);
      this.engineStale = true;
    } else {
      this.skipped++;
    }
    this.stepIndex++;
    const stepMs = performance.now() - t0;
    this.wallMs += stepMs;
    return {
      metrics: {
        ...exactAnswerMetrics(probs, rewards),
        step,
        lr,
        pg_loss: mean.loss,
        grad_norm: report.gradNorm,
        train_ms: stepMs,
        step_ms: stepMs,
      } as RlMetrics,
      groups: prompts.map((p, g) => ({
        promptId: p.id,
        prompt: p.prompt,
        samples: MOVES.map((move, k) => {
          return {
            text: answerText(move),
            reward: parts[g]?.[k] as RewardParts,
            advantage: advantages[g]?.[k] ?? 0,
            pieces: [move],
            logprobs: [Math.log(Math.max(1e-30, probs[g]?.[k] ?? 0))],
            stopReason: 'stop_token',
          };
        }),
      })),
      skipped: report.applied ? null : (report.skipReason ?? 'update skipped'),
    };
  }

  /** Drops device arrays and the rollout session. */
  async dispose(): Promise<void> {
    tree.dispose(this.device);
    tree.dispose(this.refDevice);
    await this.engine.dispose();
  }

  // ---------------------------------------------------------------------------------------------------

  /** `responseTokens`: response tokens of the whole step (the loss is their mean; rows may be merged). */
  private async update(
    rows: Row[],
    step: number,
    responseTokens: number,
  ): Promise<{ applied: boolean; skipReason: string | null; lr: number; metrics: Record<string, number> }> {
    const o = this.options;
    const c = this.config;
    const lr = learningRate(step, this.optim);
    // Rows with advantage 0 add exactly nothing to the gradient when there is no KL term: skip them.
    const active = o.klCoef > 0 ? rows : rows.filter((r) => r.advantage !== 0);
    const metrics: Record<string, number> = { active_samples: active.length };
    if (active.length === 0) {
      return {
        applied: false,
        skipReason: 'every group had equal rewards (no signal); weights unchanged',
        lr,
        metrics: { ...metrics, pg_loss: 0, grad_norm: 0 },
      };
    }
    const Np = active[0]?.patches.length ? active[0].patches.length / patchDim(c) : 0;
    const T = this.seqLength;
    const longest = Math.max(...active.map((r) => r.ids.length));
    if (longest > T) throw new Error(`RL: a sequence of ${longest} tokens exceeds the run's text length ${T} (longest prompt + --max-new-tokens)`);
    const micro = chunk(active, o.microBatch);
    // Token mean over the WHOLE step (all rows), times the number of micro-batches because the
    // accumulator averages over them.
    const weightScale = micro.length / responseTokens;

    const oldLogp: Float32Array[] = [];
    const refLogp: (Float32Array | null)[] = [];
    const sums = { entropy: 0, gap: 0, gapMax: 0, kl: 0, klTokens: 0, clipped: 0, clipTokens: 0, tokens: 0 };
    let lastLoss = 0;
    let report: ReturnType<typeof adamwStep> | null = null;
    for (let epoch = 0; epoch < o.ppoEpochs; epoch++) {
      const acc = new GradAccumulator();
      for (const [m, rowsOfMicro] of micro.entries()) {
        const host = buildHostBatch(c, rowsOfMicro, o.microBatch, T, Np, this.tokenizer.padId, weightScale);
        if (epoch === 0) {
          // Reference log-probs: every micro-batch with a KL term, else the first one only (a KL estimate).
          const wantRef = o.klCoef > 0 || m === 0;
          refLogp[m] = wantRef ? await this.logprobs(this.refDevice, host) : null;
        }
        const batch = toPolicyBatch(c, host, {
          oldLogp: epoch === 0 ? host.behaviour : (oldLogp[m] as Float32Array),
          selfOld: epoch === 0 ? 1 : 0,
          refLogp: refLogp[m] ?? host.behaviour,
          klCoef: o.klCoef,
          logitMask: this.logitMask,
        });
        const [[lossArr, aux], gradArr] = this.fns.lossAndGrad(tree.ref(this.device), batch);
        const grads = await treeToHost(gradArr);
        const loss = ((await lossArr.data()) as Float32Array)[0] as number;
        const a = await auxToHost(aux);
        acc.add(grads, loss);
        if (epoch === 0) oldLogp[m] = a.logp;
        // Per-token statistics over response positions.
        for (let i = 0; i < host.mask.length; i++) {
          if (host.mask[i] === 0) continue;
          const ent = a.entropy[i] as number;
          if (epoch === 0) {
            sums.tokens++;
            sums.entropy += ent;
            const gap = Math.abs((a.logp[i] as number) - (host.behaviour[i] as number));
            sums.gap += gap;
            sums.gapMax = Math.max(sums.gapMax, gap);
            if (refLogp[m]) {
              sums.kl += a.kl[i] as number;
              sums.klTokens++;
            }
          }
          sums.clipped += a.clipped[i] as number;
          sums.clipTokens++;
        }
      }
      const mean = acc.mean();
      lastLoss = mean.loss;
      // A run that trains part of the model applies the gradient of that part only.
      const names = this.trainNames.length === Object.keys(this.params).length ? null : this.trainNames;
      const pick = (t: HostParams): HostParams => (names ? Object.fromEntries(names.map((n) => [n, t[n] as Float32Array])) : t);
      report = adamwStep(pick(this.params), pick(mean.grads), this.optimizer, lr, this.optim, mean.loss);
      if (!report.applied)
        return {
          applied: false,
          skipReason: report.skipReason ?? 'update skipped',
          lr,
          metrics: { ...metrics, pg_loss: lastLoss, grad_norm: report.gradNorm },
        };
      tree.dispose(this.device);
      this.device = paramsToDevice(c, this.params);
    }
    return {
      applied: true,
      skipReason: null,
      lr,
      metrics: {
        ...metrics,
        pg_loss: lastLoss,
        grad_norm: report?.gradNorm ?? 0,
        entropy: sums.entropy / Math.max(1, sums.tokens),
        kl: sums.klTokens > 0 ? sums.kl / sums.klTokens : 0,
        clip_ratio: sums.clipped / Math.max(1, sums.clipTokens),
        logprob_gap_mean: sums.gap / Math.max(1, sums.tokens),
        logprob_gap_max: sums.gapMax,
      },
    };
  }

  private async logprobs(device: Record<string, np.Array>, host: HostPolicyBatch): Promise<Float32Array> {
    const c = this.config;
    const { patches, inputIds: ids, targets, weights } = toDevice(c, host);
    weights.dispose();
    const mask = np.array(this.logitMask, { shape: [c.vocabSize] });
    return (await this.fns.logprobs(tree.ref(device), patches, ids, targets, mask).data()) as Float32Array;
  }

  private groupViews(prompts: RlPrompt[], rollouts: Rollout[], advantages: Float64Array): RlGroupView[] {
    return prompts.map((p, g) => ({
      promptId: p.id,
      prompt: p.prompt,
      samples: rollouts.flatMap((r, i) =>
        r.group !== g
          ? []
          : [
              {
                text: r.text,
                reward: r.reward,
                advantage: advantages[i] as number,
                pieces: r.tokens.map((t) => this.tokenizer.decode([t])),
                logprobs: r.logprobs,
                stopReason: r.stopReason,
              },
            ],
      ),
    }));
  }
}

// ---------------------------------------------------------------------------------------------------
// Host-side batches and metrics
// ---------------------------------------------------------------------------------------------------

/** The SFT batch (model.ts) plus what the policy loss reads. */
export interface HostPolicyBatch extends HostBatch {
  advantages: Float32Array; // [B, T]
  behaviour: Float32Array; // [B, T] rollout log-probs at response positions, 0 elsewhere
  /** 1 at response positions (rows past the real ones are all 0). */
  mask: Uint8Array;
}

/**
 * Rows -> one fixed-shape micro-batch. Position j predicts ids[j + 1]; response token k (at index
 * promptLength + k) is predicted at position promptLength + k - 1. Missing rows are padding, weight 0.
 */
export function buildHostBatch(c: ModelConfig, rows: readonly Row[], B: number, T: number, Np: number, padId: number, weightScale: number): HostPolicyBatch {
  const pd = patchDim(c);
  const b: HostPolicyBatch = {
    B,
    T,
    Np,
    patches: new Float32Array(B * Np * pd),
    inputIds: new Int32Array(B * T).fill(padId),
    targets: new Int32Array(B * T).fill(padId),
    weights: new Float32Array(B * T),
    advantages: new Float32Array(B * T),
    behaviour: new Float32Array(B * T),
    mask: new Uint8Array(B * T),
  };
  rows.forEach((r, i) => {
    if (r.patches.length !== Np * pd) throw new Error(`RL batch: row ${i} has ${r.patches.length / pd} patches, expected ${Np}`);
    if (r.ids.length > T) throw new Error(`RL batch: row ${i} has ${r.ids.length} tokens, more than T = ${T}`);
    b.patches.set(r.patches, i * Np * pd);
    b.inputIds.set(r.ids, i * T);
    for (let j = 0; j + 1 < r.ids.length; j++) {
      b.targets[i * T + j] = r.ids[j + 1] as number;
      const k = j + 1 - r.promptLength; // response token index
      if (k >= 0) {
        b.weights[i * T + j] = weightScale;
        b.advantages[i * T + j] = r.advantage;
        b.behaviour[i * T + j] = r.behaviour[k] ?? 0;
        b.mask[i * T + j] = 1;
      }
    }
  });
  return b;
}

export function toPolicyBatch(
  c: ModelConfig,
  h: HostPolicyBatch,
  x: { oldLogp: Float32Array; selfOld: number; refLogp: Float32Array; klCoef: number; logitMask: Float32Array },
): PolicyBatch {
  const shape = [h.B, h.T];
  return {
    ...toDevice(c, h),
    advantages: np.array(h.advantages, { shape }),
    oldLogp: np.array(x.oldLogp, { shape }),
    selfOld: np.array(new Float32Array([x.selfOld]), { shape: [] }),
    refLogp: np.array(x.refLogp, { shape }),
    klCoef: np.array(new Float32Array([x.klCoef]), { shape: [] }),
    logitMask: np.array(x.logitMask, { shape: [c.vocabSize] }),
  };
}

async function auxToHost(aux: PolicyAux): Promise<{ logp: Float32Array; entropy: Float32Array; clipped: Float32Array; kl: Float32Array }> {
  return {
    logp: (await aux.logp.data()) as Float32Array,
    entropy: (await aux.entropy.data()) as Float32Array,
    clipped: (await aux.clipped.data()) as Float32Array,
    kl: (await aux.kl.data()) as Float32Array,
  };
}

/** Reward and completion statistics of one step's rollouts. */
export function rolloutMetrics(rollouts: readonly Rollout[], rewards: readonly number[], groupSize: number): Record<string, number> {
  const n = Math.max(1, rollouts.length);
  const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const std = (xs: readonly number[]): number => {
    const m = mean(xs);
    return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / Math.max(1, xs.length));
  };
  const format = rollouts.map((r) => r.reward.format);
  const accuracy = rollouts.map((r) => r.reward.accuracy);
  const lengths = rollouts.map((r) => r.tokens.length);
  return {
    reward: mean(rewards),
    reward_std: std(rewards),
    'rewards/format/mean': mean(format),
    'rewards/format/std': std(format),
    'rewards/accuracy/mean': mean(accuracy),
    'rewards/accuracy/std': std(accuracy),
    accuracy: accuracy.filter((a) => a > 0).length / n,
    format_rate: format.filter((f) => f > 0).length / n,
    frac_reward_zero_std: fracRewardZeroStd(rewards, groupSize),
    'completions/mean_length': mean(lengths),
    'completions/max_length': Math.max(0, ...lengths),
    'completions/clipped_ratio': rollouts.filter((r) => r.stopReason === 'max_new_tokens' || r.stopReason === 'max_length').length / n,
  };
}

/**
 * Metrics of an exact answer-only step, by the names the sampled path uses: `reward` is the expected
 * reward under the policy (what a sampled group's mean estimates), `accuracy` the share of prompts whose
 * most likely move is rewarded, `entropy` the four moves' entropy in nats.
 */
export function exactAnswerMetrics(probs: readonly number[][], rewards: readonly number[][]): Record<string, number> {
  const n = Math.max(1, probs.length);
  const expected = probs.map((pi, g) => pi.reduce((s, p, k) => s + p * ((rewards[g] as number[])[k] as number), 0));
  const meanReward = expected.reduce((a, b) => a + b, 0) / n;
  const greedyRight = probs.filter((pi, g) => ((rewards[g] as number[])[argmax(pi)] as number) > 0).length;
  const entropy = probs.reduce((s, pi) => s - pi.reduce((h, p) => h + (p > 0 ? p * Math.log(p) : 0), 0), 0) / n;
  const spreadless = rewards.filter((r) => r.every((x) => x === r[0])).length;
  return {
    reward: meanReward,
    reward_std: Math.sqrt(expected.reduce((s, e) => s + (e - meanReward) ** 2, 0) / n),
    'rewards/accuracy/mean': meanReward,
    accuracy: greedyRight / n,
    entropy,
    frac_reward_zero_std: spreadless / n,
    active_samples: (probs.length - spreadless) * MOVES.length,
  };
}

/** Answer-only reward: the best-move half of the Snake verifier (the scaffold is forced, so no format part). */
function answerOnlyScore(state: SnakeState): (response: string) => RewardParts {
  return (response) => {
    const accuracy = bestMoveReward(state, parseSnakeAnswer(response).bestMove as Move | null);
    return { format: 0, accuracy, overall: accuracy };
  };
}

/**
 * Rows of the same prompt (group) with the same response, as one row whose advantage is their sum; the
 * order of first appearance is kept. Only for updates linear in the advantage (see runStep).
 */
export function mergeEqualRows(rollouts: readonly Pick<Rollout, 'group' | 'tokens'>[], rows: readonly Row[]): Row[] {
  const byKey = new Map<string, Row>();
  rows.forEach((row, i) => {
    const r = rollouts[i] as Pick<Rollout, 'group' | 'tokens'>;
    const key = `${r.group}:${r.tokens.join(',')}`;
    const seen = byKey.get(key);
    if (seen) seen.advantage += row.advantage;
    else byKey.set(key, { ...row });
  });
  // Sums of advantages that cancel leave float dust: below 1e-9 it is no signal.
  return [...byKey.values()].map((r) => (Math.abs(r.advantage) < 1e-9 ? { ...r, advantage: 0 } : r));
}

function chunk<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
