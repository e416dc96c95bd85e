/**
 * Supervised warm start of the nano model on the games' solver traces (nanoGPT's train.py, for
 * jax-js): one loop whose phases come in order every step:
 *
 *   schedule -> evaluate + checkpoint (every evalEvery) -> forward/backward x accum -> clip + guarded
 *   AdamW step -> log
 *
 * Loss on response tokens only (data.ts). Batches are a pure function of (seed, step), the schedule of
 * the step and the update is deterministic, so `resume` continues exactly as if never interrupted
 * (checkpoint.node.ts). Evaluation is teacher-forced on a held-out set: loss, response-token accuracy and
 * the share of examples whose every response token is the model's argmax ("exact": greedy decoding
 * would then reproduce the solver's response, reward 1.1, so it is a lower bound on greedy accuracy).
 * Generation-based evaluation belongs to the ORT runtime with its KV cache (`vigal eval`).
 *
 * Metrics go to `<out>/metrics.jsonl`, one JSON object a line: {"kind":"train",...} every step,
 * {"kind":"eval",...} at each evaluation and, when a `greedyEval` hook is given, {"kind":"greedy",...}
 * after each checkpoint.
 */
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tree, type numpy as np } from '@jax-js/jax';
import { DEFAULT_CONFIG, validateConfig, type ModelConfig } from '../model/config';
import { numPatches } from '../model/patchify';
import { parameterCount } from '../model/params';
import { buildVocabulary, type Tokenizer } from '../model/tokenizer';
import { Rng } from '../util/rng';
import { loadCheckpoint, loadWeights, saveCheckpoint, type TrainerState } from './checkpoint.node.ts';
import { EncodedSource, makeBatch, type SftExample, type SftSource } from './data';
import { compile, initParams, paramsToDevice, toDevice, treeToHost, type HostParams } from './model';
import { adamwStep, DEFAULT_OPTIM, GradAccumulator, initOptimState, learningRate, type OptimConfig, type OptimState } from './optim';
import { jointSource } from './traces/curriculum';
import { TRACE_GAME_IDS, traceGame, type TraceGameId } from './traces/games';
import { streamSeed } from '../util/streams';

/** 'joint': one model for both games (issue 16), trained on traces/curriculum.ts's jointSource. */
/** The games with solver traces (train/traces/games.ts), or both at once. */
export type SftGame = TraceGameId | 'joint';
export const SFT_GAMES: readonly SftGame[] = [...TRACE_GAME_IDS, 'joint'];
/**
 * Which training data: 'standard' (snakeSource: lengths 1-5; rotationSource: the default classes) or
 * 'curriculum' (issue 16: the Snake length curriculum, Rotation over three class sets; a joint run
 * always uses it).
 */
export type SftData = 'standard' | 'curriculum';
export const SFT_DATA: readonly SftData[] = ['standard', 'curriculum'];

export interface SftOptions {
  game: SftGame;
  /** Optimizer steps in the whole run (a resumed run counts from its start). */
  steps: number;
  /** Micro-batch size (sequences per forward/backward). */
  batch: number;
  /** Micro-batches per optimizer step (effective batch = batch x accum). */
  accum: number;
  lr: number;
  minLr: number;
  warmup: number;
  weightDecay: number;
  gradClip: number;
  /** Evaluate (and checkpoint) every this many steps, at step 0 and at the end. */
  evalEvery: number;
  /** Held-out examples (rounded up to whole batches; the padding rows carry no weight). */
  evalSize: number;
  /** Distinct training examples (Snake: states drawn from bot games; Rotation: question seeds). */
  trainSize: number;
  /** Training data (absent: 'standard', as runs before it was an option). */
  data?: SftData;
  seed: number;
  out: string;
  /** Model shape overrides on top of the game's default config. */
  model: Partial<ModelConfig>;
  /**
   * Start from the weights, config and tokenizer saved in this folder (a finished SFT run or an exported
   * model) with a fresh optimizer and schedule: a second phase, not a resume. `model` is then ignored.
   */
  init?: string;
}

/**
 * The game's default model config: Snake one 80 px board (8 px cells = 8 px patches), Rotation 4 x 40 px
 * (100 patches + up to ~153 text tokens: 272 leaves room). Joint: Snake's 80 px board, and Rotation's
 * four views tiled 2 x 2 into one 80 px raster (imageGrid 2: the same 40 px views, 100 patches as for
 * Snake); the curriculum's longest Snake texts (own and enemy length 25+) take ~640 tokens: 768.
 */
export function gameConfig(game: SftGame, overrides: Partial<ModelConfig> = {}): ModelConfig {
  const base: Partial<ModelConfig> =
    game === 'joint'
      ? { name: 'vigal-nano-joint-sft', games: ['snake', 'rotation'], imageSize: 80, patchSize: 8, maxImages: 4, imageGrid: 2, maxSeqLen: 768 }
      : { ...traceGame(game).config, games: [...(traceGame(game).config.games ?? [game])] };
  return validateConfig({ ...DEFAULT_CONFIG, ...base, ...overrides });
}

/** Sizes fixed for the whole run (jit compiles once per shape). */
export interface SftShapes {
  /** Image patches per sequence. */
  Np: number;
  /** Text tokens per sequence (prompt + response + EOS, padded). */
  T: number;
}

interface SftRunState {
  shapes: SftShapes;
}

export type SftTrainerState = TrainerState<SftOptions & SftRunState>;

export interface TrainMetrics {
  kind: 'train';
  step: number;
  loss: number;
  lr: number;
  gradNorm: number;
  clipScale: number;
  skipped: boolean;
  /** Wall time of this step (all micro-batches and the update). */
  ms: number;
  /** Sequence positions (patches + text, padding included) processed per second. */
  tokPerSec: number;
}

export interface EvalMetrics {
  kind: 'eval';
  step: number;
  loss: number;
  /** Share of response tokens whose argmax is the target (teacher-forced). */
  tokenAcc: number;
  /** Share of examples with every response token right (lower bound on greedy-decode accuracy). */
  exact: number;
  /** Share of examples whose answer tags (everything after </think>) are all right, given the trace. */
  answerAcc: number;
  n: number;
  ms: number;
}

/** What a generation-based evaluation gets: the checkpoint just saved and the held-out examples. */
export interface GreedyEvalContext {
  step: number;
  /** True at the run's last step. */
  final: boolean;
  config: ModelConfig;
  tokenizer: Tokenizer;
  params: Readonly<HostParams>;
  evalSize: number;
  evalExample(index: number): SftExample;
}

/** A generation-based evaluation's numbers, logged as {"kind":"greedy","step":...,...}. */
export type GreedyMetrics = { kind: 'greedy'; step: number } & Record<string, number | string>;

export interface SftHooks {
  onStart?(info: { startStep: number; steps: number; config: ModelConfig; params: number; shapes: SftShapes; resumed: boolean; options: SftOptions }): void;
  onStep?(m: TrainMetrics): void;
  onEval?(m: EvalMetrics): void;
  /** Human-readable notes: skipped updates, checkpoints. */
  log?(line: string): void;
  /** Test seam: sees the parameters and may modify the averaged gradient before the guarded update. */
  beforeUpdate?(step: number, grads: HostParams, loss: number, params: Readonly<HostParams>): void;
  /**
   * Generation-based evaluation after each checkpoint (e.g. greedy decoding through the ORT runtime,
   * which has the KV cache jax-js lacks; the CLI supplies it). Returns the numbers to log, or null.
   */
  greedyEval?(ctx: GreedyEvalContext): Promise<Record<string, number> | null>;
  onGreedy?(m: GreedyMetrics): void;
  /** Stop after this step completes (simulates an interruption; the last checkpoint stays). */
  stopAfter?: number;
}

export interface SftResult {
  config: ModelConfig;
  tokenizer: Tokenizer;
  params: HostParams;
  optimizer: OptimState;
  state: SftTrainerState;
  lastEval: EvalMetrics | null;
}

/** The data source for a game, from the run's options (deterministic: resume rebuilds the same one). */
export type SourceFactory = (config: ModelConfig, opts: SftOptions) => SftSource;

export const gameSource: SourceFactory = (config, o) => {
  const sizes = { seed: o.seed, trainSize: o.trainSize, evalSize: o.evalSize };
  if (o.game === 'joint') return jointSource(config, sizes);
  const game = traceGame(o.game);
  return o.data === 'curriculum' ? game.curriculum(config, sizes) : game.source(config, sizes);
};

/** Examples the vocabulary is built from (prompts and responses of the first training examples). */
const VOCAB_CORPUS_EXAMPLES = 2000;

/**
 * Runs (or resumes) supervised training. With `resumeDir`, the run's options come from its checkpoint
 * (`steps` may be raised to extend it) and metrics continue in the checkpoint folder's metrics.jsonl.
 */
export async function runSft(input: SftOptions, hooks: SftHooks = {}, resumeDir?: string, makeSource: SourceFactory = gameSource): Promise<SftResult> {
  const t0 = performance.now();
  // ---- 1. set-up: options, data, tokenizer, shapes, parameters, optimizer -------------------------
  let opts: SftOptions;
  let config: ModelConfig;
  let tokenizer: Tokenizer;
  let params: HostParams;
  let optimizer: OptimState;
  let shapes: SftShapes;
  let startStep = 0;
  let skipped = 0;
  let wallBefore = 0;
  let source: SftSource;
  let savedOptim: OptimConfig | null = null;
  if (resumeDir !== undefined) {
    const ck = await loadCheckpoint<SftOptions & SftRunState>(resumeDir);
    const { shapes: savedShapes, ...savedOpts } = ck.state.options;
    // steps 0 keeps the saved run's length; a larger value extends it (the cosine keeps its original end).
    if (input.steps > 0 && input.steps < ck.state.step) {
      throw new Error(`resume: --steps ${input.steps} is below the checkpoint's step ${ck.state.step}`);
    }
    opts = { ...savedOpts, steps: input.steps > 0 ? input.steps : savedOpts.steps, out: resumeDir };
    ({ config, tokenizer, params, optimizer } = ck);
    shapes = savedShapes;
    startStep = ck.state.step;
    skipped = ck.state.skipped;
    wallBefore = ck.state.wallSeconds;
    savedOptim = ck.state.optim;
    source = makeSource(config, opts);
    await trimMetrics(join(opts.out, 'metrics.jsonl'), startStep);
  } else {
    opts = input;
    checkOptions(opts);
    if (opts.init !== undefined) {
      const start = await loadWeights(opts.init);
      if (start.tokenizer === null) throw new Error(`--init ${opts.init}: tokenizer.json is missing; the run needs the model's tokenizer`);
      ({ config, params } = start);
      tokenizer = start.tokenizer;
      source = makeSource(config, opts);
    } else {
      const shapeConfig = gameConfig(opts.game, opts.model);
      source = makeSource(shapeConfig, opts);
      const corpus: string[] = [];
      for (let i = 0; i < Math.min(source.trainSize, VOCAB_CORPUS_EXAMPLES); i++) {
        const ex = source.text ? source.text('train', i) : source.train(i);
        corpus.push(ex.prompt, ex.response);
      }
      tokenizer = buildVocabulary(corpus, { maxSize: shapeConfig.vocabSize, includeDefaults: true });
      config = validateConfig({ ...shapeConfig, vocabSize: tokenizer.vocabSize });
      params = initParams(config, new Rng(streamSeed(opts.seed, 'sftInit')));
    }
    shapes = measureShapes(config, tokenizer, source);
    optimizer = initOptimState(params);
    await mkdir(opts.out, { recursive: true });
    await writeFile(join(opts.out, 'metrics.jsonl'), '');
  }
  const optim: OptimConfig = savedOptim ?? {
    ...DEFAULT_OPTIM,
    lr: opts.lr,
    minLr: opts.minLr,
    warmupSteps: opts.warmup,
    decaySteps: opts.steps,
    weightDecay: opts.weightDecay,
    gradClip: opts.gradClip,
  };
  const data = new EncodedSource(config, tokenizer, source);
  const fns = compile(config);
  const metricsPath = join(opts.out, 'metrics.jsonl');
  const writeMetric = (m: TrainMetrics | EvalMetrics | GreedyMetrics): Promise<void> => appendFile(metricsPath, JSON.stringify(m) + '\n');
  hooks.onStart?.({ startStep, steps: opts.steps, config, params: parameterCount(config), shapes, resumed: resumeDir !== undefined, options: opts });

  let lastTrain: TrainMetrics | null = null;
  let lastEval: EvalMetrics | null = null;
  const state = (step: number): SftTrainerState => ({
    format: 'vigal-trainer-state',
    version: 1,
    step,
    options: { ...opts, shapes },
    optim,
    skipped,
    wallSeconds: wallBefore + (performance.now() - t0) / 1000,
    ...(lastTrain ? { lastTrain: numbersOf(lastTrain) } : {}),
    ...(lastEval ? { lastEval: numbersOf(lastEval) } : {}),
    savedAt: new Date().toISOString(),
  });
  const checkpoint = async (step: number): Promise<void> => {
    await saveCheckpoint(opts.out, { config, tokenizer, params, optimizer, state: state(step) });
    hooks.log?.(`checkpoint: step ${step} saved to ${opts.out}`);
  };

  let device = paramsToDevice(config, params);
  try {
    for (let step = startStep; step <= opts.steps; step++) {
      // ---- 2. evaluate and checkpoint (not again at a resumed start: that eval is already logged) ----
      const isLast = step === opts.steps;
      if ((step % opts.evalEvery === 0 || isLast) && !(step === startStep && resumeDir !== undefined)) {
        lastEval = await evaluate(config, tokenizer, data, opts, shapes, fns.evaluate, device, step);
        await writeMetric(lastEval);
        hooks.onEval?.(lastEval);
        if (step > 0) {
          await checkpoint(step);
          const greedy = await hooks.greedyEval?.({
            step,
            final: isLast,
            config,
            tokenizer,
            params,
            evalSize: source.evalSize,
            evalExample: (i) => source.evalExample(i),
          });
          if (greedy) {
            const m: GreedyMetrics = { kind: 'greedy', step, ...greedy };
            await writeMetric(m);
            hooks.onGreedy?.(m);
          }
        }
      }
      if (isLast) break;

      // ---- 3. schedule, forward/backward with accumulation ----------------------------------------
      const ts = performance.now();
      const lr = learningRate(step, optim);
      const acc = new GradAccumulator();
      for (let micro = 0; micro < opts.accum; micro++) {
        const idx = data.trainBatchIndices(opts.seed, step, micro, opts.accum, opts.batch);
        const hb = makeBatch(
          config,
          idx.map((i) => data.train(i)),
          opts.batch,
          shapes.T,
          tokenizer.padId,
        );
        const [lossArr, gradArr] = fns.lossAndGrad(tree.ref(device), toDevice(config, hb));
        const grads = await treeToHost(gradArr);
        const loss = ((await lossArr.data()) as Float32Array)[0] as number;
        acc.add(grads, loss);
      }
      const { grads, loss } = acc.mean();
      hooks.beforeUpdate?.(step, grads, loss, params);

      // ---- 4. clip and the guarded AdamW update ----------------------------------------------------
      const report = adamwStep(params, grads, optimizer, lr, optim, loss);
      if (report.applied) {
        tree.dispose(device);
        device = paramsToDevice(config, params);
      } else {
        skipped++;
        hooks.log?.(`step ${step}: ${report.skipReason}`);
      }

      // ---- 5. log ----------------------------------------------------------------------------------
      const ms = performance.now() - ts;
      lastTrain = {
        kind: 'train',
        step,
        loss,
        lr,
        gradNorm: report.gradNorm,
        clipScale: report.clipScale,
        skipped: !report.applied,
        ms,
        tokPerSec: (opts.batch * opts.accum * (shapes.Np + shapes.T)) / (ms / 1000),
      };
      await writeMetric(lastTrain);
      hooks.onStep?.(lastTrain);
      if (hooks.stopAfter !== undefined && step >= hooks.stopAfter) {
        return { config, tokenizer, params, optimizer, state: state(step + 1), lastEval };
      }
    }
  } finally {
    tree.dispose(device);
  }
  return { config, tokenizer, params, optimizer, state: state(opts.steps), lastEval };
}

/** Held-out evaluation, teacher-forced, in batches of the training micro-batch size. */
async function evaluate(
  config: ModelConfig,
  tok: Tokenizer,
  data: EncodedSource,
  opts: SftOptions,
  shapes: SftShapes,
  evalFn: ReturnType<typeof compile>['evaluate'],
  device: Record<string, np.Array>,
  step: number,
): Promise<EvalMetrics> {
  const ts = performance.now();
  const thinkEnd = tok.id('</think>');
  const n = data.source.evalSize;
  let lossSum = 0;
  let lossWeight = 0;
  let hits = 0;
  let total = 0;
  let exact = 0;
  let answers = 0;
  for (let start = 0; start < n; start += opts.batch) {
    const examples = [];
    for (let i = start; i < Math.min(n, start + opts.batch); i++) examples.push(data.evalExample(i));
    const hb = makeBatch(config, examples, opts.batch, shapes.T, tok.padId);
    const [lossArr, predArr] = evalFn(tree.ref(device), toDevice(config, hb));
    const responseTokens = examples.reduce((sum, e) => sum + e.response.length, 0);
    lossSum += (((await lossArr.data()) as Float32Array)[0] as number) * responseTokens;
    lossWeight += responseTokens;
    const pred = (await predArr.data()) as Int32Array;
    examples.forEach((e, b) => {
      const row = b * hb.T;
      let allRight = true;
      let answerRight = true;
      // Response positions: prompt.length - 1 .. prompt.length + response.length - 2 predict the response.
      const first = e.prompt.length - 1;
      const thinkEndAt = e.response.indexOf(thinkEnd); // answer tags follow </think>
      for (let k = 0; k < e.response.length; k++) {
        const ok = pred[row + first + k] === e.response[k];
        hits += ok ? 1 : 0;
        total++;
        if (!ok) {
          allRight = false;
          if (thinkEndAt >= 0 && k > thinkEndAt) answerRight = false;
        }
      }
      exact += allRight ? 1 : 0;
      answers += answerRight ? 1 : 0;
    });
  }
  return {
    kind: 'eval',
    step,
    loss: lossSum / lossWeight,
    tokenAcc: hits / total,
    exact: exact / n,
    answerAcc: answers / n,
    n,
    ms: performance.now() - ts,
  };
}

/** Examples scanned for the longest text when the source has no cheap `text` accessor. */
const SHAPE_SCAN_LIMIT = 3000;

/**
 * Fixed shapes for the run: Np from the config and the images per example, T the longest text
 * (BOS + prompt + newline + response + EOS) among training and held-out examples, rounded up to a
 * multiple of 8. Sources with a cheap `text` accessor are scanned whole; others up to
 * SHAPE_SCAN_LIMIT training examples (a longer one later fails `makeBatch` with a clear message).
 */
export function measureShapes(config: ModelConfig, tok: Tokenizer, source: SftSource): SftShapes {
  const Np = config.inputMode === 'text' ? 0 : numPatches(config, source.train(0).images.length);
  const textOf = (split: 'train' | 'eval', i: number): { prompt: string; response: string } =>
    source.text ? source.text(split, i) : split === 'train' ? source.train(i) : source.evalExample(i);
  const len = (t: { prompt: string; response: string }): number => 1 + tok.encode(t.prompt).length + 1 + tok.encode(t.response).length + 1;
  let longest = 0;
  const nTrain = source.text ? source.trainSize : Math.min(source.trainSize, SHAPE_SCAN_LIMIT);
  for (let i = 0; i < nTrain; i++) longest = Math.max(longest, len(textOf('train', i)));
  for (let i = 0; i < source.evalSize; i++) longest = Math.max(longest, len(textOf('eval', i)));
  const T = Math.ceil(longest / 8) * 8;
  if (Np + T > config.maxSeqLen) {
    throw new Error(
      `SFT: the longest example needs ${Np} patches + ${longest} tokens = ${Np + longest} positions, above maxSeqLen ${config.maxSeqLen}; raise it (--max-seq-len ${Np + T})`,
    );
  }
  return { Np, T };
}

function checkOptions(o: SftOptions): void {
  const positive: (keyof SftOptions)[] = ['steps', 'batch', 'accum', 'evalEvery', 'evalSize', 'trainSize'];
  for (const k of positive) {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new Error(`SFT option ${k} must be a positive integer, got ${String(v)}`);
  }
  if (!(o.lr > 0) || !(o.minLr >= 0) || o.minLr > o.lr) throw new Error(`SFT: need lr > 0 and 0 <= minLr <= lr, got lr ${o.lr}, minLr ${o.minLr}`);
  if (!Number.isInteger(o.warmup) || o.warmup < 0) throw new Error(`SFT option warmup must be an integer >= 0, got ${o.warmup}`);
  if (!SFT_GAMES.includes(o.game)) throw new Error(`SFT: game must be one of ${SFT_GAMES.join(', ')}, got '${String(o.game)}'`);
  if (o.data !== undefined && !SFT_DATA.includes(o.data)) throw new Error(`SFT: data must be one of ${SFT_DATA.join(', ')}, got '${String(o.data)}'`);
}

/** On resume, drops metrics the resumed run will write again: train steps >= step, evals after step. */
async function trimMetrics(path: string, step: number): Promise<void> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return;
  }
  const keep = text.split('\n').filter((line) => {
    if (line.trim() === '') return false;
    try {
      const m = JSON.parse(line) as { kind?: string; step?: number };
      return m.kind === 'train' ? (m.step ?? 0) < step : (m.step ?? 0) <= step;
    } catch {
      return false;
    }
  });
  await writeFile(path, keep.map((l) => l + '\n').join(''));
}

function numbersOf(m: TrainMetrics | EvalMetrics): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(m)) if (typeof v === 'number') out[k] = v;
  return out;
}
