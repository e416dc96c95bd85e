/**
 * `vigal train rl --init models/<sft> --out DIR`: GRPO or RLOO on the game's verifiable reward.
 * Rollouts on the ORT runtime, updates in jax-js, fresh weights synced to the rollout session after
 * every update (src/train/rl.ts). Progress bar on stderr, metrics and every rollout as JSON lines in
 * DIR, checkpoints in DIR, `--resume DIR` continues exactly; the last stdout line is a JSON summary.
 */
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { availableParallelism } from 'node:os';
import { ADVANTAGE_ESTIMATORS } from '../../rl/advantages';
import type { RlRunOptions } from '../../train/rlRun.node.ts';
import { enableWasmThreads } from '../../train/node-threads.node.ts';
import { parseChoice, parseIntOption, UsageError, writeJsonLine, quoted } from '../io';
import { RL_PRESETS } from '../../train/rlPresets';
import { isTraceGame, TRACE_GAME_IDS, type TraceGameId } from '../../train/traces/games';

interface RlArgs {
  init?: string;
  out?: string;
  resume?: string;
  game?: string;
  algo: string;
  steps?: string;
  prompts: string;
  group: string;
  temperature: string;
  maxNewTokens: string;
  lr: string;
  minLr?: string;
  warmup: string;
  clip: string;
  clipHigh?: string;
  klCoef: string;
  ppoEpochs: string;
  microBatch: string;
  trainSize: string;
  seed: string;
  evalEvery: string;
  evalN: string;
  evalSeed: string;
  saveEvery: string;
  poolFilter: string;
  filterScan: string;
  filterMix: string;
  answerOnly: boolean;
  answerGradient: string;
  entropyCoef: string;
  trainable: string;
  jointPool: boolean;
  preset?: string;
  threads?: string;
  progress: boolean;
}

export function registerRl(train: Command): void {
  train
    .command('rl')
    .description('RL (GRPO / RLOO) from an SFT model on the game reward; checkpoints, metrics.jsonl and rollouts.jsonl in --out')
    .option('--init <dir>', 'the model folder to start from (e.g. models/vigal-nano-snake-sft); also the KL reference')
    .option('--out <dir>', 'output folder')
    .option('--resume <dir>', 'continue the run saved in this folder (its options are reused; --steps may extend it)')
    .option('--game <g>', "snake or rotation (default: the model's game)")
    .option('--algo <a>', `advantage estimator: ${ADVANTAGE_ESTIMATORS.join(' or ')} (ViGaL: rloo)`, 'rloo')
    .option('--steps <n>', "RL steps (default 100; on --resume, the saved run's)")
    .option('--prompts <n>', 'prompts per step', '8')
    .option('--group <n>', 'samples per prompt (group size)', '6')
    .option('--temperature <t>', 'sampling temperature of the rollouts', '1.0')
    .option('--max-new-tokens <n>', 'longest response sampled (the Snake solver traces are at most ~152 tokens)', '160')
    .option('--lr <x>', 'learning rate', '2e-5')
    .option('--min-lr <x>', 'learning rate at the end of the cosine (default: --lr, constant)')
    .option('--warmup <n>', 'linear warm-up steps', '0')
    .option('--clip <x>', 'PPO clip range (ratio within 1 +- clip)', '0.2')
    .option('--clip-high <x>', 'upper clip range if different (DAPO clip-higher)')
    .option('--kl-coef <x>', 'weight of the k3 KL penalty toward --init (ViGaL: 0)', '0')
    .option('--ppo-epochs <n>', 'updates per batch of rollouts (1 = on-policy)', '1')
    .option('--micro-batch <n>', 'sequences per forward/backward (memory only)', '8')
    .option('--train-size <n>', 'distinct training prompts (disjoint from the held-out set)', '20000')
    .option('--seed <n>', 'seed of prompts and sampling', '1')
    .option('--eval-every <n>', 'greedy held-out evaluation every n steps (0: only at the end)', '10')
    .option('--eval-n <n>', 'held-out states per evaluation', '100')
    .option('--eval-seed <n>', 'seed of the held-out set (vigal eval uses 1000)', '1000')
    .option('--save-every <n>', 'checkpoint every n steps (and at the end)', '5')
    .option(
      '--pool-filter <f>',
      'which training prompts steps draw from: none, or greedy-wrong (those the --init model answers wrong greedily, scanned before step 1)',
      'none',
    )
    .option('--filter-scan <n>', 'training prompts the pool filter scans', '1000')
    .option('--filter-mix <x>', "share of each step's prompts still drawn from the whole pool when filtering", '0.25')
    .option('--answer-only', "Snake answer-only RL: force '<think></think><best_answer>' and sample only the move (reward: a best move)", false)
    .option(
      '--answer-gradient <g>',
      'answer-only: exact (score all four moves, weigh them by their probability) or sampled (--group draws per prompt)',
      'sampled',
    )
    .option('--entropy-coef <x>', 'answer-only, exact: weight of the entropy bonus over the four moves', '0')
    .option('--trainable <t>', 'which parameters the update changes: all, or top (the last block, the final norm, the output layer)', 'all')
    .option(
      '--joint-pool',
      "draw prompts from both games (a joint model, e.g. vigal train sft --game joint): the Snake length curriculum and Rotation's three class sets; --game picks the held-out evaluation",
      false,
    )
    .option('--preset <name>', `start from a named setting (${Object.keys(RL_PRESETS).join(', ')}); flags given explicitly override it`)
    .option('--threads <n>', `WASM kernel threads for the trainer (default ${availableParallelism()})`)
    .option('--no-progress', 'no progress bar (log lines on stderr instead)')
    .action(async (given: RlArgs, cmd: Command) => {
      const args = applyPreset(given, cmd);
      const opts = await parseRlArgs(args);
      const threads = args.threads === undefined ? availableParallelism() : parseIntOption('--threads', args.threads, 1, 64);
      // jax-js must load after the worker-thread shim (see train.ts).
      await enableWasmThreads(threads);
      const { runRl } = await import('../../train/rlRun.node.ts');
      const useBar = args.progress && process.stderr.isTTY === true;
      const bar = new SingleBar({
        stream: process.stderr,
        format: 'rl {bar} {value}/{total} | reward {reward} acc {acc} | zero-std {zero} | held-out {heldOut} | {tps} tok/s | ETA {eta_formatted}',
        hideCursor: false,
        etaBuffer: 10,
      });
      const fmt = (x: number | undefined, d = 3): string => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));
      const shown = { reward: '-', acc: '-', zero: '-', heldOut: '-', tps: '-' };
      const note = (line: string): void => {
        if (useBar) bar.update(shown);
        process.stderr.write((useBar ? '\n' : '') + line + '\n');
      };
      const controller = new AbortController();
      process.once('SIGINT', () => {
        note('interrupted: the last checkpoint stays; continue with --resume');
        controller.abort();
      });
      const result = await runRl(
        opts,
        {
          signal: controller.signal,
          onStart: (info) => {
            note(
              `rl ${opts.game} (${opts.algo}): from ${opts.init}, ${opts.prompts} prompts x ${opts.group} samples per step, lr ${opts.lr}, ` +
                `rollouts on ${info.provider}, ${info.poolSize} training prompts` +
                (info.resumed ? `, resuming at step ${info.startStep}` : ''),
            );
            if (useBar) bar.start(info.steps, info.startStep, shown);
          },
          onStep: (r) => {
            const m = r.metrics;
            Object.assign(shown, {
              reward: fmt(m.reward),
              acc: fmt(m.accuracy, 2),
              zero: fmt(m.frac_reward_zero_std, 2),
              tps: Math.round(m.tokens_per_second ?? 0),
            });
            if (useBar) bar.update(m.step + 1, shown);
            else
              note(
                `step ${m.step + 1}: reward ${fmt(m.reward)} accuracy ${fmt(m.accuracy)} zero-std ${fmt(m.frac_reward_zero_std, 2)} kl ${fmt(m.kl, 5)} entropy ${fmt(m.entropy, 4)} ${Math.round(m.step_ms ?? 0)} ms`,
              );
          },
          onEval: (step, r) => {
            shown.heldOut = fmt(r.accuracy, 3);
            note(
              `held-out @${step}: accuracy ${fmt(r.accuracy)} format ${fmt(r.format_rate)} mean reward ${fmt(r.mean_reward)} (${r.n} states, seed ${r.seed})`,
            );
          },
          log: note,
          onScanProgress: (done, total) => {
            if (done % 100 === 0 || done === total) note(`pool filter: ${done}/${total} prompts scanned`);
          },
        },
        args.resume,
      ).catch((e: unknown) => {
        if (controller.signal.aborted) return null;
        throw e;
      });
      if (useBar) bar.stop();
      if (result)
        await writeJsonLine(process.stdout, { out: opts.out, steps: result.steps, wallSeconds: Math.round(result.wallSeconds), lastEval: result.lastEval });
      else process.exitCode = 130;
    });
}

/**
 * A preset's values replace the options left at their defaults (a flag given on the command line wins).
 * The values are the flags' strings, so they go through the same parsing and checks.
 */
function applyPreset(args: RlArgs, cmd: Command): RlArgs {
  if (args.preset === undefined) return args;
  const preset = RL_PRESETS[args.preset];
  if (!preset) throw new UsageError(`--preset must be one of ${Object.keys(RL_PRESETS).join(', ')}, got ${quoted(args.preset)}`);
  if (args.resume !== undefined) throw new UsageError("--preset starts a run; --resume reuses the saved run's options");
  const values: Partial<RlArgs> = {
    init: `models/${preset.model}`,
    prompts: String(preset.prompts),
    group: String(preset.group),
    temperature: String(preset.temperature),
    lr: String(preset.lr),
    steps: String(preset.steps),
    answerOnly: preset.answerOnly,
    answerGradient: preset.answerGradient,
    entropyCoef: String(preset.entropyCoef),
    trainable: preset.trainable,
    microBatch: String(preset.microBatch),
    evalN: String(preset.evalN),
    evalEvery: String(preset.evalEvery),
  };
  const out: RlArgs = { ...args };
  for (const key of Object.keys(values) as (keyof RlArgs)[]) {
    if (cmd.getOptionValueSource(key) === 'cli') continue;
    Object.assign(out, { [key]: values[key] });
  }
  return out;
}

function parseFloatOption(name: string, raw: string, min: number, max = Infinity): number {
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || v > max) throw new UsageError(`${name} must be a number in [${min}, ${max}], got ${quoted(raw)}`);
  return v;
}

async function parseRlArgs(a: RlArgs): Promise<RlRunOptions & { group: number }> {
  const { DEFAULT_RL, POOL_FILTERS, ANSWER_GRADIENTS, TRAINABLE, checkRlOptions } = await import('../../train/rl');
  if (a.resume === undefined && a.init === undefined) throw new UsageError('train rl needs --init MODEL_DIR (an SFT model folder), or --resume DIR');
  if (a.resume !== undefined && a.init !== undefined) throw new UsageError('--init starts a run and --resume continues one; give one of them');
  const out = a.out ?? a.resume;
  if (out === undefined) throw new UsageError('train rl needs --out DIR');
  if (a.resume !== undefined && a.out !== undefined && a.out !== a.resume)
    throw new UsageError('--resume continues in its own folder; leave out --out or give the same folder');
  let game = a.game === undefined ? undefined : parseChoice('--game', a.game, TRACE_GAME_IDS);
  if (a.init !== undefined && game === undefined) {
    const { readFile } = await import('node:fs/promises');
    const raw = await readFile(`${a.init}/config.json`, 'utf8').catch(() => {
      throw new UsageError(`--init ${a.init}: no config.json there (expected a model folder such as models/vigal-nano-snake-sft)`);
    });
    const games = (JSON.parse(raw) as { games?: string[] }).games ?? [];
    game = isTraceGame(games[0] ?? '') ? (games[0] as TraceGameId) : 'snake';
  }
  const lr = parseFloatOption('--lr', a.lr, 1e-12, 1);
  const clip = parseFloatOption('--clip', a.clip, 1e-6, 0.99);
  const group = parseIntOption('--group', a.group, 2, 64);
  const opts = {
    ...DEFAULT_RL,
    game: game ?? 'snake',
    algo: parseChoice('--algo', a.algo, ADVANTAGE_ESTIMATORS),
    steps: a.steps === undefined ? (a.resume !== undefined ? 0 : 100) : parseIntOption('--steps', a.steps, 1),
    prompts: parseIntOption('--prompts', a.prompts, 1, 4096),
    groupSize: group,
    group,
    temperature: parseFloatOption('--temperature', a.temperature, 1e-3, 5),
    maxNewTokens: parseIntOption('--max-new-tokens', a.maxNewTokens, 1, 8192),
    lr,
    minLr: a.minLr === undefined ? lr : parseFloatOption('--min-lr', a.minLr, 0, lr),
    warmup: parseIntOption('--warmup', a.warmup, 0),
    clipLow: clip,
    clipHigh: a.clipHigh === undefined ? clip : parseFloatOption('--clip-high', a.clipHigh, 1e-6, 10),
    klCoef: parseFloatOption('--kl-coef', a.klCoef, 0, 100),
    ppoEpochs: parseIntOption('--ppo-epochs', a.ppoEpochs, 1, 8),
    microBatch: parseIntOption('--micro-batch', a.microBatch, 1, 1024),
    trainSize: parseIntOption('--train-size', a.trainSize, 1),
    seed: parseIntOption('--seed', a.seed, 0, 0xffffffff),
    evalN: parseIntOption('--eval-n', a.evalN, 1, 100_000),
    evalSeed: parseIntOption('--eval-seed', a.evalSeed, 0, 0xffffffff),
    init: a.init ?? '',
    out,
    evalEvery: parseIntOption('--eval-every', a.evalEvery, 0),
    saveEvery: parseIntOption('--save-every', a.saveEvery, 1),
    poolFilter: parseChoice('--pool-filter', a.poolFilter, POOL_FILTERS),
    filterScan: parseIntOption('--filter-scan', a.filterScan, 1),
    filterMix: parseFloatOption('--filter-mix', a.filterMix, 0, 1),
    answerOnly: a.answerOnly,
    answerGradient: parseChoice('--answer-gradient', a.answerGradient, ANSWER_GRADIENTS),
    entropyCoef: parseFloatOption('--entropy-coef', a.entropyCoef, 0, 9.99),
    trainable: parseChoice('--trainable', a.trainable, TRAINABLE),
    ...(a.jointPool ? { jointPool: true } : {}),
  };
  if (a.resume === undefined) {
    try {
      checkRlOptions(opts);
    } catch (e) {
      throw new UsageError(`train rl: ${(e as Error).message}`);
    }
  }
  return opts;
}
