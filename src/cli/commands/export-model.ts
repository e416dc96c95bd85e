/**
 * `vigal export-model --checkpoint DIR --out models/NAME`: turns a trainer checkpoint into a model folder
 * the app and the CLI load (config.json, tokenizer.json, model.onnx, model_q4.onnx, model.safetensors) and
 * writes its model card with MEASURED numbers: held-out accuracy / format rate / mean reward, best- and
 * worst-move accuracy, Snake win rates against the greedy and lookahead bots, and 4-bit vs fp32 greedy
 * token agreement.
 */
import { readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { validateConfig } from '../../model/config';
import { paramsFromSafetensors, writeModelFolder, type ModelCardInfo } from '../../model/export';
import { MODEL_FILES } from '../../model/files';
import { encodePrompt } from '../../model/inputs';
import { Tokenizer } from '../../model/tokenizer';
import { NanoPolicy, nanoObservation } from '../../policy/nano';
import { evaluatePolicy, heldOutPositions, playMatches } from '../../rl/evaluate';
import { greedyAgreement } from '../../runtime/agreement';
import { loadNanoModel, type NanoModel } from '../../runtime/model';
import { BOT_NAMES, type SnakeBotName } from '../../games/snake';
import { UsageError, parseChoice, parseIntOption } from '../io';
import { progressBar } from '../progress';
import { gameOf, type GameId } from '../../games/registry';

interface ExportModelArgs {
  checkpoint: string;
  out: string;
  name?: string;
  evalN: string;
  evalGames: string;
  evalSeed: string;
  description?: string;
  command?: string;
  compare?: string;
  bots: string;
  notes?: string;
}

/** Parses one checkpoint file; a corrupt file is the user's to fix, reported without a stack trace. */
function checkpointFile<T>(ckpt: string, file: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    const message = (e as Error).message;
    throw new UsageError(`--checkpoint ${ckpt}: ${message.includes(file) ? message : `${file}: ${message}`}`);
  }
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

async function readJson(path: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (e) {
    throw new UsageError(`${what}: cannot read ${path}: ${(e as Error).message}`);
  }
}

export function register(program: Command): void {
  program
    .command('export-model')
    .description('write a model folder (ONNX fp32 + 4-bit, safetensors, tokenizer, config) and its measured model card from a trainer checkpoint')
    .requiredOption('--checkpoint <dir>', 'trainer checkpoint folder (config.json, tokenizer.json, model.safetensors, trainer_state.json)')
    .requiredOption('--out <dir>', 'model folder to write, e.g. models/vigal-nano-snake-sft')
    .option('--name <name>', 'model name recorded in config.json (default: the folder name)')
    .option('--eval-n <n>', 'held-out states measured for the card', '200')
    .option('--eval-games <g>', 'Snake games against each bot for the card (0 to skip)', '20')
    .option('--eval-seed <s>', 'seed of the held-out set and games', '1000')
    .option('--description <text>', 'first paragraph of the model card')
    .option('--command <text>', 'the training command, recorded in the card')
    .option('--compare <dir>', 'also measure this model folder (e.g. the -sft start of an RL run) and put both side by side in the card')
    .option('--bots <list>', 'Snake: the bots played for the card, comma-separated', 'random,greedy,lookahead')
    .option('--notes <file>', 'markdown appended to the card (e.g. longer measurements made with vigal eval)')
    .action(async (args: ExportModelArgs) => {
      const ckpt = resolve(args.checkpoint);
      const out = resolve(args.out);
      const evalN = parseIntOption('--eval-n', args.evalN, 1, 100_000);
      const evalGames = parseIntOption('--eval-games', args.evalGames, 0, 10_000);
      const seed = parseIntOption('--eval-seed', args.evalSeed, 0, 0xffffffff);
      const extraNotes =
        args.notes === undefined
          ? ''
          : await readFile(args.notes, 'utf8').catch((e: Error) => {
              throw new UsageError(`--notes: cannot read ${args.notes}: ${e.message}`);
            });
      const bots = args.bots.split(',').map((b) => parseChoice('--bots', b.trim(), BOT_NAMES));
      if (args.compare !== undefined && !existsSync(join(args.compare, MODEL_FILES.onnx))) {
        throw new UsageError(`--compare ${args.compare} has no ${MODEL_FILES.onnx} (expected a model folder such as models/vigal-nano-snake-sft)`);
      }
      for (const f of [MODEL_FILES.config, MODEL_FILES.tokenizer, MODEL_FILES.safetensors]) {
        if (!existsSync(join(ckpt, f))) throw new UsageError(`--checkpoint ${ckpt} has no ${f}`);
      }
      const configJson = await readJson(join(ckpt, MODEL_FILES.config), 'config');
      const config = checkpointFile(ckpt, MODEL_FILES.config, () => validateConfig({ ...(configJson as object), name: args.name ?? basename(out) }));
      const tokenizerJson = await readFile(join(ckpt, MODEL_FILES.tokenizer), 'utf8');
      const tokenizer = checkpointFile(ckpt, MODEL_FILES.tokenizer, () => Tokenizer.fromJSON(tokenizerJson));
      const weights = new Uint8Array(await readFile(join(ckpt, MODEL_FILES.safetensors)));
      const params = checkpointFile(ckpt, MODEL_FILES.safetensors, () => paramsFromSafetensors(config, weights));
      const state = existsSync(join(ckpt, 'trainer_state.json'))
        ? ((await readJson(join(ckpt, 'trainer_state.json'), 'trainer state')) as { step?: number })
        : {};
      const wallMs = existsSync(join(ckpt, 'metrics.jsonl'))
        ? (await readFile(join(ckpt, 'metrics.jsonl'), 'utf8'))
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as { kind?: string; ms?: number; step_ms?: number })
            .reduce((a, m) => a + (m.kind === 'train' ? (m.ms ?? m.step_ms ?? 0) : 0), 0)
        : 0;

      // Write once without measurements, measure the written files (what users will load), then the card.
      await writeModelFolder(out, { config, params, tokenizer });
      const fp32 = await loadNanoModel(out, { quant: 'fp32', executionProviders: ['wasm'] });
      const q4 = await loadNanoModel(out, { quant: 'q4', executionProviders: ['wasm'] });
      let metrics: Record<string, number | string> = {};
      let baseline: Record<string, number | string> | null = null;
      try {
        metrics = await measure(fp32, config.games, { evalN, evalGames, seed, bots, label: basename(out) });
        for (const game of config.games) {
          const prompts = heldOutPositions(game, Math.min(50, evalN), seed).map((p) => {
            const o = nanoObservation(p, config.imageSize);
            return encodePrompt(config, tokenizer, o.prompt, o.images);
          });
          const agreement = await greedyAgreement(fp32, q4, prompts, 160);
          metrics[`${game}: 4-bit vs fp32 greedy token agreement`] =
            `${pct(agreement.rate)} of ${agreement.positions} positions (${pct(agreement.identicalSequences)} identical answers)`;
        }
        if (args.compare !== undefined) {
          const base = await loadNanoModel(resolve(args.compare), { quant: 'fp32', executionProviders: ['wasm'] });
          try {
            baseline = await measure(base, config.games, { evalN, evalGames, seed, bots, label: basename(args.compare) });
          } finally {
            await base.dispose();
          }
        }
      } finally {
        await fp32.dispose();
        await q4.dispose();
      }
      const sideBySide =
        baseline === null
          ? ''
          : [
              `## ${basename(args.compare as string)} and ${basename(out)} side by side`,
              '',
              `Same held-out states and the same game seeds (seed ${seed}), greedy decoding, fp32, WASM.`,
              '',
              `| metric | ${basename(args.compare as string)} | ${basename(out)} |`,
              '|---|---|---|',
              ...Object.keys(baseline).map((k) => `| ${k} | ${String((baseline as Record<string, number | string>)[k])} | ${String(metrics[k] ?? '-')} |`),
              '',
            ].join('\n');
      const card: ModelCardInfo = {
        description: args.description,
        trainingCommand: args.command,
        steps: state.step,
        wallTime: wallMs ? `${(wallMs / 60000).toFixed(1)} min of training steps on this project's 2-core CPU machine (jax-js, WASM)` : undefined,
        metrics,
        notes:
          `Held-out states: \`vigal eval ${config.games[0]} --policy nano:${basename(out)} --n ${evalN} --seed ${seed}\` reproduces these numbers (greedy decoding, fp32, WASM).` +
          (sideBySide ? `\n\n${sideBySide}` : '') +
          (extraNotes ? `\n\n${extraNotes.trim()}\n` : ''),
      };
      await rm(join(out, MODEL_FILES.card), { force: true });
      const files = await writeModelFolder(out, { config, params, tokenizer, card });
      process.stderr.write(
        Object.entries(metrics)
          .map(([k, v]) => `  ${k}: ${v}`)
          .join('\n') + '\n',
      );
      process.stdout.write(JSON.stringify({ folder: out, files, metrics }) + '\n');
    });
}

interface MeasureOptions {
  evalN: number;
  evalGames: number;
  seed: number;
  bots: readonly SnakeBotName[];
  label: string;
}

/** The card's numbers for one model: held-out answers per game, and Snake games against each bot. */
async function measure(model: NanoModel, games: readonly GameId[], o: MeasureOptions): Promise<Record<string, number | string>> {
  const metrics: Record<string, number | string> = {};
  for (const game of games) {
    const bar = progressBar(`${o.label}: held-out ${game}`);
    const r = await evaluatePolicy(new NanoPolicy(model), game, o.evalN, o.seed, (d, t) => bar.update(d, t));
    bar.stop();
    metrics[`${game}: held-out states`] = r.n;
    metrics[`${game}: accuracy`] = pct(r.accuracy);
    metrics[`${game}: format rate`] = pct(r.format_rate);
    metrics[`${game}: mean reward`] = r.mean_reward.toFixed(3);
    if (r.best_accuracy !== undefined) {
      metrics[`${game}: best-move accuracy`] = pct(r.best_accuracy);
      metrics[`${game}: worst-move accuracy`] = pct(r.worst_accuracy ?? 0);
    }
    // Head-to-head games are an env game's (Snake's bots).
    if (gameOf(game).kind === 'env' && o.evalGames > 0) {
      for (const bot of o.bots) {
        const gbar = progressBar(`${o.label}: games vs ${bot}`);
        const m = await playMatches(new NanoPolicy(model), bot, o.evalGames, o.seed, (d, t) => gbar.update(d, t));
        gbar.stop();
        metrics[`snake: vs ${bot} bot (${m.games} games)`] =
          `${m.wins} won, ${m.ties} tied, ${m.losses} lost (win rate ${pct(m.win_rate)}); apples ${m.mean_score.toFixed(1)} vs ${m.mean_opponent_score.toFixed(1)}; ${m.mean_rounds.toFixed(1)} rounds`;
      }
    }
  }
  return metrics;
}
