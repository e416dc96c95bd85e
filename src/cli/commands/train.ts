/**
 * `vigal train sft`: supervised warm start of the nano model on the games' solver traces, with a
 * progress bar on stderr, metrics as JSON lines in <out>/metrics.jsonl, checkpoints in <out>/ and
 * `--resume DIR` to continue a run exactly. The last stdout line is a JSON summary.
 *
 * jax-js builds its WASM backend when first imported, so this module imports the trainer only inside
 * the action, after the worker-thread shim is installed (src/train/node-threads.node.ts).
 */
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { availableParallelism } from 'node:os';
import type { ModelConfig } from '../../model/config';
import type { EvalMetrics, GreedyEvalContext, SftData, SftGame, SftOptions, TrainMetrics } from '../../train/sft.node.ts';
import { enableWasmThreads } from '../../train/node-threads.node.ts';
import { parseChoice, parseIntOption, UsageError, writeJsonLine, quoted } from '../io';
import { registerRl } from './trainRl';

interface SftArgs {
  game: string;
  data?: string;
  steps?: string;
  batch: string;
  accum: string;
  lr: string;
  minLr?: string;
  warmup: string;
  weightDecay: string;
  gradClip: string;
  evalEvery: string;
  evalSize: string;
  trainSize: string;
  seed: string;
  out?: string;
  resume?: string;
  init?: string;
  dModel?: string;
  nLayer?: string;
  nHead?: string;
  dFf?: string;
  maxSeqLen?: string;
  name?: string;
  threads?: string;
  greedyEval: string;
  greedyEvery: string;
  progress: boolean;
}

export function register(program: Command): void {
  const train = program.command('train').description('train the nano model (jax-js, WASM in Node)');
  train
    .command('sft')
    .description('supervised warm start on solver traces; checkpoints (safetensors + optimizer state) in --out')
    .option('--game <g>', 'snake, rotation or joint (one model for both games, on the curriculum data)', 'snake')
    .option(
      '--data <d>',
      "training data: standard (lengths 1-5; Rotation's default classes) or curriculum (Snake lengths 1-25+ near walls and enemy heads, Rotation's three class sets; never a registered held-out state)",
    )
    .option('--steps <n>', "optimizer steps in the whole run (default 1000; on --resume, the saved run's)")
    .option('--batch <n>', 'sequences per micro-batch', '16')
    .option('--accum <n>', 'micro-batches per optimizer step (gradient accumulation)', '1')
    .option('--lr <x>', 'peak learning rate', '1e-3')
    .option('--min-lr <x>', 'learning rate at the end of the cosine decay (default lr / 10)')
    .option('--warmup <n>', 'linear warm-up steps', '50')
    .option('--weight-decay <x>', 'AdamW decoupled weight decay (matrices only)', '0.1')
    .option('--grad-clip <x>', 'max global gradient norm (0 = off)', '1.0')
    .option('--eval-every <n>', 'evaluate on the held-out set and checkpoint every n steps', '100')
    .option('--eval-size <n>', 'held-out examples', '128')
    .option('--train-size <n>', 'distinct training examples', '10000')
    .option('--seed <n>', 'seed for data, initialisation and batch order', '1')
    .option('--out <dir>', 'output folder (checkpoint, metrics.jsonl)')
    .option('--init <dir>', 'start from the weights, config and tokenizer in this folder with a fresh optimizer and schedule (a second phase)')
    .option('--resume <dir>', 'continue the run saved in this folder (its options are reused; --steps may extend it)')
    .option('--d-model <n>', 'model width')
    .option('--n-layer <n>', 'transformer blocks')
    .option('--n-head <n>', 'attention heads')
    .option('--d-ff <n>', 'MLP hidden width')
    .option('--max-seq-len <n>', 'longest sequence, image patches included')
    .option('--name <s>', 'model name for config.json and model cards')
    .option('--greedy-eval <n>', 'greedy-decode n held-out examples through the ORT runtime and score them with the game reward (0 = off)', '0')
    .option('--greedy-every <n>', 'run the greedy evaluation every n steps (a multiple of --eval-every) and at the end', '0')
    .option('--threads <n>', `WASM kernel threads (default ${availableParallelism()}, the cores available)`)
    .option('--no-progress', 'no progress bar (log lines on stderr instead)')
    .action(async (args: SftArgs, cmd: Command) => {
      const opts = parseSftArgs(args);
      if (args.resume !== undefined) {
        // A resumed run keeps its own options (exact continuation); say which flags are not used.
        const kept = new Set(['resume', 'out', 'steps', 'threads', 'progress', 'greedyEval', 'greedyEvery']);
        const ignored = Object.keys(cmd.opts()).filter((k) => !kept.has(k) && cmd.getOptionValueSource(k) === 'cli');
        if (ignored.length > 0) process.stderr.write(`train sft: --resume reuses the saved run's options; ignoring ${ignored.map(flag).join(', ')}\n`);
      }
      const threads = args.threads === undefined ? availableParallelism() : parseIntOption('--threads', args.threads, 1, 64);
      // Before the trainer (and with it jax-js) is loaded: see the header.
      const used = await enableWasmThreads(threads);
      const { runSft } = await import('../../train/sft.node.ts');
      const greedyN = parseIntOption('--greedy-eval', args.greedyEval, 0, 100_000);
      // 0: at every checkpoint.
      const greedyEvery = parseIntOption('--greedy-every', args.greedyEvery, 0);

      const bar = new SingleBar({
        stream: process.stderr,
        format: 'sft {bar} {value}/{total} | loss {loss} | eval {evalLoss} acc {evalAcc} exact {exact} | {tps} tok/s | ETA {eta_formatted}',
        hideCursor: false,
        etaBuffer: 20,
        noTTYOutput: false,
      });
      const useBar = args.progress && process.stderr.isTTY === true;
      let last: TrainMetrics | null = null;
      let lastEval: EvalMetrics | null = null;
      const fmt = (x: number | undefined, d = 3): string => (x === undefined ? '-' : x.toFixed(d));
      const payload = () => ({
        loss: fmt(last?.loss),
        evalLoss: fmt(lastEval?.loss),
        evalAcc: fmt(lastEval?.tokenAcc),
        exact: fmt(lastEval?.exact, 2),
        tps: last ? Math.round(last.tokPerSec) : '-',
      });
      const note = (line: string): void => {
        if (useBar) bar.update(payload());
        process.stderr.write((useBar ? '\n' : '') + line + '\n');
      };
      const result = await runSft(
        opts,
        {
          onStart: (info) => {
            const run = info.options; // on --resume, the saved run's options
            note(
              `sft ${run.game}: ${info.params} parameters (d=${info.config.dModel}, ${info.config.nLayer} layers, ${info.config.nHead} heads), ` +
                `sequence ${info.shapes.Np} patches + ${info.shapes.T} tokens, batch ${run.batch} x ${run.accum}, lr ${run.lr}, ${used} thread(s)` +
                (info.resumed ? `, resuming at step ${info.startStep}` : ''),
            );
            if (useBar) bar.start(info.steps, info.startStep, payload());
          },
          onStep: (m) => {
            last = m;
            if (useBar) bar.update(m.step + 1, payload());
            else if ((m.step + 1) % 10 === 0)
              note(`step ${m.step + 1}: loss ${fmt(m.loss)} lr ${m.lr.toExponential(2)} ${Math.round(m.ms)} ms ${Math.round(m.tokPerSec)} tok/s`);
          },
          onEval: (m) => {
            lastEval = m;
            note(
              `eval @${m.step}: loss ${fmt(m.loss)} token acc ${fmt(m.tokenAcc)} exact ${fmt(m.exact)} answer ${fmt(m.answerAcc)} (${m.n} held-out, ${Math.round(m.ms)} ms)`,
            );
          },
          log: note,
          ...(greedyN > 0 ? { greedyEval: greedyEvaluator(greedyN, greedyEvery), onGreedy: (m) => note(`greedy @${m.step}: ${JSON.stringify(m)}`) } : {}),
        },
        args.resume,
      );
      if (useBar) bar.stop();
      await writeJsonLine(process.stdout, {
        out: result.state.options.out,
        steps: result.state.step,
        skipped: result.state.skipped,
        wallSeconds: Math.round(result.state.wallSeconds),
        lastTrain: result.state.lastTrain ?? null,
        lastEval: result.state.lastEval ?? null,
      });
    });
  registerRl(train);
}

/**
 * Greedy decoding of the first n held-out examples with the checkpoint just saved, through the same
 * path the app uses (ONNX graph from model/onnx, ORT runtime with KV cache, [BOS] prompt [\n] ids),
 * scored by each game's reward. One ORT thread: the trainer's jax-js workers hold the other cores.
 */
export function greedyEvaluator(n: number, every = 0): (ctx: GreedyEvalContext) => Promise<Record<string, number> | null> {
  return async (ctx) => {
    if (every > 0 && ctx.step % every !== 0 && !ctx.final) return null;
    const { buildNanoGraph } = await import('../../model/onnx/nano');
    const { NanoModel } = await import('../../runtime/model');
    const { generate } = await import('../../runtime/generate');
    const { patchify } = await import('../../model/patchify');
    const { promptIds } = await import('../../train/data');
    const t0 = performance.now();
    const model = await NanoModel.create(
      { config: ctx.config, tokenizer: ctx.tokenizer, model: buildNanoGraph(ctx.config, ctx.params, { quant: 'fp32' }) },
      { numThreads: 1, log: () => {} },
    );
    const count = Math.min(n, ctx.evalSize);
    let accuracy = 0;
    let format = 0;
    let reward = 0;
    let tokens = 0;
    try {
      for (let i = 0; i < count; i++) {
        const ex = ctx.evalExample(i);
        if (!ex.score) throw new Error('greedy eval: the data source gives no reward function for its examples');
        const patches = ctx.config.inputMode === 'text' ? new Float32Array(0) : patchify(ctx.config, ex.images);
        const r = await generate(model, { inputIds: promptIds(ctx.tokenizer, ex.prompt), patches });
        const v = ex.score(r.texts[0] ?? '');
        accuracy += v.accuracy;
        format += v.format > 0 ? 1 : 0;
        reward += v.overall;
        tokens += r.tokens[0]?.length ?? 0;
      }
    } finally {
      await model.dispose();
    }
    const seconds = (performance.now() - t0) / 1000;
    return { n: count, accuracy: accuracy / count, format_rate: format / count, mean_reward: reward / count, tokens_per_s: tokens / seconds, seconds };
  };
}

/** camelCase option key -> its --kebab-case flag, for messages. */
const flag = (key: string): string => '--' + key.replace(/[A-Z]/g, (ch) => '-' + ch.toLowerCase());

function parseFloatOption(name: string, raw: string, min: number): number {
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min) throw new UsageError(`${name} must be a number >= ${min}, got ${quoted(raw)}`);
  return v;
}

/** Kept here (not imported from the trainer): the trainer loads jax-js, which must wait for enableWasmThreads. */
const SFT_GAME_CHOICES: readonly SftGame[] = ['snake', 'rotation', 'joint'];
const SFT_DATA_CHOICES: readonly SftData[] = ['standard', 'curriculum'];

function parseSftArgs(a: SftArgs): SftOptions {
  const game = parseChoice('--game', a.game, SFT_GAME_CHOICES);
  const data = a.data === undefined ? undefined : parseChoice('--data', a.data, SFT_DATA_CHOICES);
  if (game === 'joint' && data === 'standard') throw new UsageError('--game joint trains on the curriculum data; leave out --data or give --data curriculum');
  const out = a.out ?? a.resume;
  if (out === undefined) throw new UsageError('train sft needs --out DIR (or --resume DIR)');
  if (a.resume !== undefined && a.out !== undefined && a.out !== a.resume) {
    throw new UsageError('--resume continues in its own folder; leave out --out or give the same folder');
  }
  if (a.init !== undefined && a.resume !== undefined) throw new UsageError('--init starts a new phase and --resume continues one; give one of them');
  const lr = parseFloatOption('--lr', a.lr, 0);
  const model: Partial<ModelConfig> = {};
  if (a.dModel !== undefined) model.dModel = parseIntOption('--d-model', a.dModel, 8, 4096);
  if (a.nLayer !== undefined) model.nLayer = parseIntOption('--n-layer', a.nLayer, 1, 64);
  if (a.nHead !== undefined) model.nHead = parseIntOption('--n-head', a.nHead, 1, 64);
  if (a.dFf !== undefined) model.dFF = parseIntOption('--d-ff', a.dFf, 8, 16384);
  if (a.maxSeqLen !== undefined) model.maxSeqLen = parseIntOption('--max-seq-len', a.maxSeqLen, 8, 8192);
  if (a.name !== undefined) model.name = a.name;
  return {
    game,
    // 0 on a resume without --steps: keep the saved run's length.
    steps: a.steps === undefined ? (a.resume !== undefined ? 0 : 1000) : parseIntOption('--steps', a.steps, 1),
    batch: parseIntOption('--batch', a.batch, 1, 4096),
    accum: parseIntOption('--accum', a.accum, 1, 4096),
    lr,
    minLr: a.minLr === undefined ? lr / 10 : parseFloatOption('--min-lr', a.minLr, 0),
    warmup: parseIntOption('--warmup', a.warmup, 0),
    weightDecay: parseFloatOption('--weight-decay', a.weightDecay, 0),
    gradClip: parseFloatOption('--grad-clip', a.gradClip, 0),
    evalEvery: parseIntOption('--eval-every', a.evalEvery, 1),
    evalSize: parseIntOption('--eval-size', a.evalSize, 1),
    trainSize: parseIntOption('--train-size', a.trainSize, 1),
    seed: parseIntOption('--seed', a.seed, 0, 0xffffffff),
    out,
    model,
    ...(data !== undefined ? { data } : {}),
    ...(a.init !== undefined ? { init: a.init } : {}),
  };
}
