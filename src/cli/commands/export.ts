/**
 * `vigal export`: ViGaL's tasks as a dataset for a cluster RL engine (verl, EasyR1, OpenRLHF, TRL), with
 * the matching reward file beside it. Prints the manifest summary as JSON on stdout; a progress bar goes
 * to stderr when stderr is a terminal.
 */
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { ROTATION_CLASS_SETS } from '../../games/rotation';
import { defaultWorkers, EXPORT_GAMES, exportDataset, MIX_GAMES, type ExportGame } from '../../data/export.node.ts';
import type { BuildOptions, QuestionBuild, RotationClassSet } from '../../data/build.node.ts';
import { gameOf, questionGame, type GameId } from '../../games/registry';
import { ENGINES, type Engine } from '../../data/writers.node.ts';
import { parseChoice, parseIntOption, settingFlags, UsageError, quoted } from '../io';

interface ExportArgs {
  engine: string;
  game: string;
  n: string;
  seed: string;
  valFraction: string;
  out: string;
  snakeMinLength: string;
  snakeMaxLength: string;
  board: string;
  rotationClasses: string;
  imageSize?: string;
  example: boolean;
  prompt: string;
  workers?: string;
  rowGroup: string;
  imageRoot?: string;
  progress: boolean;
  set?: string[];
}

/** `2` and `3` as the issue names them, or the class set names of the game. */
const CLASS_SET_ALIASES: Record<string, RotationClassSet> = { '2': 'default', '3': 'three' };

function parseClassSet(raw: string): RotationClassSet {
  const alias = CLASS_SET_ALIASES[raw];
  if (alias) return alias;
  if (Object.hasOwn(ROTATION_CLASS_SETS, raw)) return raw as RotationClassSet;
  throw new UsageError(`--rotation-classes must be one of 2, 3, ${Object.keys(ROTATION_CLASS_SETS).join(', ')}; got ${quoted(raw)}`);
}

function parseFraction(name: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw new UsageError(`${name} must be a number in [0, 1), e.g. 0.05; got ${quoted(raw)}`);
  }
  return value;
}

export function register(program: Command): void {
  program
    .command('export')
    .description('write a training dataset for a cluster RL engine (parquet or jsonl + PNGs), its manifest and the matching Python reward')
    .requiredOption('--engine <name>', `target engine: ${ENGINES.join(', ')}`)
    .requiredOption('--game <name>', `${EXPORT_GAMES.join(', ')} (mix alternates Snake and Rotation)`)
    .requiredOption('--n <count>', 'samples in all, train + validation (ViGaL: 36000 per game)')
    .requiredOption('--out <dir>', 'export directory (created; must be new or empty)')
    .option('--seed <n>', 'seed: the same seed and options give byte-identical files', '0')
    .option('--val-fraction <f>', 'fraction of samples held out for validation, in [0, 1)', '0.05')
    .option('--snake-min-length <n>', 'Snake: shortest length of your snake (ViGaL: 1)', '1')
    .option('--snake-max-length <n>', 'Snake: longest length of your snake (ViGaL: 5)', '5')
    .option('--board <n>', 'Snake: board width and height (ViGaL: 10)', '10')
    .option('--rotation-classes <set>', "Rotation classes: 2 (ViGaL: 'counter clockwise 90', '180'), 3 (adds 'clockwise 90'), or clockwise", '2')
    .option('--image-size <px>', "image side in pixels (default: 320 for Snake, 512 for Rotation as ViGaL, each other game's export size)")
    .option('--no-example', 'Rotation: drop the in-context example pair (2 images instead of 4)')
    .option('--set <key=value...>', "another question game's setting as its URL parameter names it (Jigsaw: grid=3); `vigal games --json` lists them")
    .option('--prompt <variant>', "prompt variant: 'full' (ViGaL's interface) or 'compact'", 'full')
    .option('--workers <k>', 'worker threads building samples (0: in-process)')
    .option('--row-group <rows>', 'parquet rows per row group (memory bound)', '512')
    .option('--image-root <abs-dir>', 'OpenRLHF: directory the image paths start with on the cluster (default: the export directory)')
    .option('--no-progress', 'no progress bar on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  vigal export --engine verl --game snake --n 36000 --seed 1 --out data/snake-verl\n' +
        '  vigal export --engine easyr1 --game mix --n 72000 --rotation-classes 2 --image-size 512 --out data/mix-easyr1',
    )
    .action(async (args: ExportArgs) => {
      const engine = parseChoice<Engine>('--engine', args.engine, ENGINES);
      const game = parseChoice<ExportGame>('--game', args.game, EXPORT_GAMES);
      const n = parseIntOption('--n', args.n, 1, 10_000_000);
      const seed = parseIntOption('--seed', args.seed, 0, 0xffffffff);
      const valFraction = parseFraction('--val-fraction', args.valFraction);
      const board = parseIntOption('--board', args.board, 3, 100);
      const minLength = parseIntOption('--snake-min-length', args.snakeMinLength, 1, board * board);
      const maxLength = parseIntOption('--snake-max-length', args.snakeMaxLength, minLength, board * board);
      const classSet = parseClassSet(args.rotationClasses);
      const imageSize = args.imageSize === undefined ? undefined : parseIntOption('--image-size', args.imageSize, 32, 4096);
      const promptVariant = parseChoice('--prompt', args.prompt, ['full', 'compact'] as const);
      const workers = args.workers === undefined ? defaultWorkers() : parseIntOption('--workers', args.workers, 0, 64);
      const rowGroupSize = parseIntOption('--row-group', args.rowGroup, 1, 1_000_000);
      if (args.imageRoot !== undefined && !args.imageRoot.startsWith('/'))
        throw new UsageError(`--image-root must be an absolute path; got ${quoted(args.imageRoot)}`);

      const build: BuildOptions = {
        seed,
        promptVariant,
        snake: { board, minLength, maxLength, imageSize: imageSize ?? 320 },
        rotation: { classSet, example: args.example, imageSize: imageSize ?? 512, supersample: 2 },
      };
      // Every other question game in the export: the settings --set names and its own export size, recorded in the manifest.
      const questions: Partial<Record<GameId, QuestionBuild>> = {};
      for (const id of game === 'mix' ? MIX_GAMES : [game]) {
        const q = questionGame(id);
        if (q === null || Object.hasOwn(build, id)) continue;
        const settings = q.settings.parse(settingFlags(args.set, q.settings.choices)) as Record<string, unknown>;
        questions[id] = { ...settings, imageSize: imageSize ?? gameOf(id).exportRender.imageSize, supersample: 1 };
      }
      if (Object.keys(questions).length > 0) build.questions = questions;

      const bar =
        args.progress && process.stderr.isTTY
          ? new SingleBar({ stream: process.stderr, format: 'export {bar} {percentage}% | {value}/{total} samples | {eta_formatted} left', hideCursor: true })
          : null;
      bar?.start(n, 0);
      // Ctrl-C or a kill: stop between samples and remove the staging directory before exiting.
      const abort = new AbortController();
      const onSignal = (): void => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const manifest = await exportDataset({
          engine,
          game,
          n,
          valFraction,
          out: args.out,
          workers,
          rowGroupSize,
          ...(args.imageRoot !== undefined ? { imageRoot: args.imageRoot } : {}),
          build,
          onProgress: (done) => bar?.update(done),
          signal: abort.signal,
        });
        bar?.stop();
        process.stdout.write(
          JSON.stringify({
            out: args.out,
            engine: manifest.engine,
            game: manifest.game,
            counts: manifest.counts,
            files: manifest.files.map((f) => f.path),
            ...(manifest.images ? { imageFiles: manifest.images.count } : {}),
            contentHash: manifest.contentHash,
          }) + '\n',
        );
      } catch (err) {
        bar?.stop();
        if (abort.signal.aborted) {
          process.stderr.write('vigal export: interrupted; nothing was written to ' + args.out + '\n');
          process.exitCode = 130;
          return;
        }
        throw err; // an ExportError is a UserError: main prints its message alone, exit 2
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
