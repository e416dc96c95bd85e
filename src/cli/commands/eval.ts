/**
 * `vigal eval <game>`: policies' answers on N held-out states (accuracy, format rate, mean reward; Snake
 * also best/worst-move accuracy, Rotation a confusion matrix) and, for Snake, head-to-head games.
 *
 *   --policies a,b,c  the evaluation suite (rl/suite.ts): every policy on the same held-out set, then a
 *                     round robin of `--games` games per pairing and seat (default 10, ViGaL's protocol)
 *                     and Elo over them. Tables on stderr; stdout one EvaluationRecord JSON line, which
 *                     `--jsonl FILE` also appends to FILE for the app to import.
 *   --policy P        one policy, as before: `--games G` games against the `--opponent` bot; the report
 *                     on stdout (one line with `--json`); `--jsonl FILE` appends it as an EvaluationRecord.
 *   --min-length N    Snake: the long-snake held-out set instead (own snake length >= N, its own stream);
 *   --classes SET     Rotation: the class set asked (default, three, clockwise);
 *   --grid N          Jigsaw: the grid of the puzzles (2, ViGaL-style default, or 3). See rl/heldOutSets.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { BOT_NAMES } from '../../games/snake';
import type { Policy } from '../../policy/types';
import { RECORD_VERSION, type ObservationMode } from '../../records/types';
import { evaluatePolicy, playMatches, type MatchReport } from '../../rl/evaluate';
import { LONG_SNAKE_MAX, LONG_SNAKE_MIN, ROTATION_CLASS_SET_NAMES, gamesOffering, heldOutSetLabel, type HeldOutSet } from '../../rl/heldOutSets';
import { GAMES_PER_PAIRING, eloOfMatches, prepared, runSuite, type SuiteOptions } from '../../rl/suite';
import { UsageError, parseChoice, parseIntOption, quoted } from '../io';
import { POLICY_HELP, resolvePolicy, type PolicySettings } from '../policies';
import { progressBar } from '../progress';
import { appendRecord, formatRecord } from './eval-format';
import { GAME_IDS, gameOf, type GameId } from '../../games/registry';

interface EvalArgs {
  policy?: string;
  policies?: string;
  n: string;
  seed: string;
  games?: string;
  opponent?: string;
  temperature: string;
  samples: string;
  maxTokens?: string;
  json?: boolean;
  jsonl?: string;
  observation: string;
  minLength?: string;
  classes?: string;
  grid?: string;
}

export const OBSERVATION_MODES: readonly ObservationMode[] = ['image+text', 'image', 'text'];

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

export function register(program: Command): void {
  program
    .command('eval')
    .argument('<game>', GAME_IDS.join(' or '))
    .description('evaluate policies on held-out states (and, for Snake, in head-to-head games)')
    .option('--policies <list>', `the suite: comma-separated policies, each ${POLICY_HELP}`)
    .option('--policy <p>', 'one policy (same names as --policies; default nano)')
    .option('--n <n>', 'held-out states to answer', '200')
    .option('--seed <s>', 'seed of the held-out set and the games (the same seed gives the same states and games)', '1000')
    .option(
      '--games <g>',
      `Snake: with --policies games per pairing and seat (default ${GAMES_PER_PAIRING}); with --policy games against --opponent (default 0); 0 skips`,
    )
    .option('--opponent <bot>', `Snake, with --policy: the bot played against (${BOT_NAMES.join(', ')}; default greedy)`)
    .option(
      '--min-length <n>',
      `Snake: the long-snake held-out set, states whose own snake has length >= n (${LONG_SNAKE_MIN}-${LONG_SNAKE_MAX}; drawn apart from the default set)`,
    )
    .option('--classes <set>', `Rotation: the class set asked (${ROTATION_CLASS_SET_NAMES.join(', ')}; default default, ViGaL's two classes)`)
    .option('--grid <n>', 'Jigsaw: the puzzles cut into an n x n grid (2 or 3; default 2)')
    .option('--observation <mode>', `what policies are shown: ${OBSERVATION_MODES.join(', ')} (the modality-gap ablation; bots read the state)`, 'image+text')
    .option('--temperature <t>', 'sampling temperature for model policies (0 = greedy)', '0')
    .option('--samples <k>', 'with --policy and --temperature > 0: answers per held-out state; the rates are over all of them (avg@K)', '1')
    .option('--max-tokens <n>', 'longest answer of a model policy in tokens (default: nano as many as fit, openai 2048)')
    .option('--json', 'print the result as one JSON line on stdout')
    .option('--jsonl <file>', 'append the evaluation as an EvaluationRecord line to this file (the app imports it)')
    .action(async (gameRaw: string, args: EvalArgs) => {
      const game = parseChoice('eval: game', gameRaw, GAME_IDS);
      const n = parseIntOption('--n', args.n, 1, 1_000_000);
      const seed = parseIntOption('--seed', args.seed, 0, 0xffffffff);
      const settings = modelSettings(args, seed);
      const observationMode = parseChoice('--observation', args.observation, OBSERVATION_MODES);
      const set = parseHeldOutSet(game, args);
      if (args.policies !== undefined) {
        if (args.policy !== undefined) throw new UsageError('give --policies a,b,c or --policy P, not both');
        if (args.samples !== '1') throw new UsageError('--samples goes with --policy (the suite answers each state once)');
        if (args.opponent !== undefined)
          throw new UsageError('--opponent goes with --policy; with --policies every listed policy plays every other (list a bot, e.g. bot:greedy)');
        const games = parseIntOption('--games', args.games ?? String(GAMES_PER_PAIRING), 0, 100_000);
        await runSuiteCommand(game, parsePolicyList(args.policies), n, seed, games, observationMode, settings, args, set);
        return;
      }
      const samples = parseIntOption('--samples', args.samples, 1, 1000);
      if (samples > 1 && settings.temperature === 0) throw new UsageError('--samples > 1 needs --temperature > 0 (greedy answers repeat exactly)');
      const games = parseIntOption('--games', args.games ?? '0', 0, 100_000);
      const opponent = parseChoice('--opponent', args.opponent ?? 'greedy', BOT_NAMES);
      const loaded = await resolvePolicy(args.policy ?? 'nano', settings);
      const policy = prepared(loaded, observationMode);
      try {
        if (!policy.games.includes(game)) throw new UsageError(`policy '${policy.id}' does not play ${game} (it plays ${policy.games.join(', ')})`);
        const bar = progressBar(`eval ${game}`);
        const report = await evaluatePolicy(policy, game, n, seed, (d, t) => bar.update(d, t), samples, set);
        bar.stop();
        let match: MatchReport | undefined;
        // Head-to-head games are an env game's (Snake against a bot).
        if (gameOf(game).kind === 'env' && games > 0) {
          const gbar = progressBar(`games vs ${opponent}`);
          match = await playMatches(policy, opponent, games, seed, (d, t) => gbar.update(d, t));
          gbar.stop();
        }
        const lines = [
          `${policy.id} on ${report.n} held-out ${game} states (seed ${seed}${heldOutSetLabel(set)}${samples > 1 ? `, ${samples} answers each at temperature ${settings.temperature}` : ''}):`,
          `  accuracy ${pct(report.accuracy)}  format ${pct(report.format_rate)}  mean reward ${report.mean_reward.toFixed(3)}`,
          ...(report.best_accuracy !== undefined
            ? [`  best-move accuracy ${pct(report.best_accuracy)}  worst-move accuracy ${pct(report.worst_accuracy ?? 0)}`]
            : []),
          ...(match
            ? [`  vs ${opponent} bot over ${match.games} games: ${match.wins} won, ${match.ties} tied, ${match.losses} lost (win rate ${pct(match.win_rate)})`]
            : []),
        ];
        process.stderr.write(lines.join('\n') + '\n');
        const out = { ...report, ...(match ? { match } : {}) };
        process.stdout.write((args.json ? JSON.stringify(out) : JSON.stringify(out, null, 2)) + '\n');
        if (args.jsonl) {
          // In the record the bot is named as a policy ('bot:greedy'), as the suite names it.
          const matches = match ? [{ ...match, opponent: `bot:${opponent}` }] : [];
          appendRecord(args.jsonl, {
            type: 'evaluation',
            version: RECORD_VERSION,
            id: randomUUID(),
            createdAt: Date.now(),
            game,
            n: report.n,
            seed,
            observationMode,
            reports: [report],
            matches,
            ...(matches.length ? { elo: eloOfMatches(matches) } : {}),
          });
        }
      } finally {
        loaded.dispose?.();
      }
    });
}

/** `--min-length` (Snake), `--classes` (Rotation) and `--grid` (Jigsaw): which held-out set; each is a usage error for the other games. */
export function parseHeldOutSet(game: GameId, args: { minLength?: string; classes?: string; grid?: string }): HeldOutSet {
  const variants = gameOf(game).heldOutVariants;
  if (args.minLength !== undefined && !variants.minLength)
    throw new UsageError(`--min-length is the own snake's length: it applies to ${gamesOffering('minLength')} only`);
  if (args.classes !== undefined && !variants.classes) throw new UsageError(`--classes picks a class set: it applies to ${gamesOffering('classes')} only`);
  if (args.grid !== undefined && !variants.grid) throw new UsageError(`--grid picks the puzzle grid: it applies to ${gamesOffering('grid')} only`);
  if (args.minLength !== undefined && variants.minLength)
    return { minLength: parseIntOption('--min-length', args.minLength, variants.minLength.min, variants.minLength.max) };
  if (args.classes !== undefined && variants.classes) return { classes: parseChoice('--classes', args.classes, variants.classes) as HeldOutSet['classes'] };
  if (args.grid !== undefined && variants.grid) return { grid: Number(parseChoice('--grid', args.grid, variants.grid.map(String))) };
  return {};
}

/** Sampling and length settings shared by every model policy of a run (bots take the seed). */
export function modelSettings(args: { temperature: string; maxTokens?: string }, seed: number): PolicySettings {
  const temperature = Number(args.temperature);
  if (!(temperature >= 0 && temperature <= 5)) throw new UsageError(`--temperature must be a number in [0, 5], got ${quoted(args.temperature)}`);
  const maxNewTokens = args.maxTokens === undefined ? undefined : parseIntOption('--max-tokens', args.maxTokens, 1, 1_000_000);
  return { temperature, seed, maxNewTokens };
}

/** 'a, b,c' -> ['a', 'b', 'c']; empty entries and repeats are usage errors. */
export function parsePolicyList(raw: string): string[] {
  const specs = raw.split(',').map((s) => s.trim());
  if (specs.length === 0 || specs.some((s) => s === '')) throw new UsageError(`--policies must be a comma-separated list of policies, got ${quoted(raw)}`);
  const dup = specs.find((s, i) => specs.indexOf(s) !== i);
  if (dup !== undefined) throw new UsageError(`--policies lists '${dup}' twice`);
  return specs;
}

/** Loads every policy (all or none: a failure disposes those already loaded). */
export async function resolvePolicies(specs: string[], settings: PolicySettings): Promise<Policy[]> {
  const policies: Policy[] = [];
  try {
    for (const spec of specs) policies.push(await resolvePolicy(spec, settings));
  } catch (e) {
    for (const p of policies) p.dispose?.();
    throw e;
  }
  const ids = policies.map((p) => p.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup !== undefined) {
    for (const p of policies) p.dispose?.();
    throw new UsageError(`two of the listed policies are the same policy '${dup}'`);
  }
  return policies;
}

async function runSuiteCommand(
  game: GameId,
  specs: string[],
  n: number,
  seed: number,
  games: number,
  observationMode: ObservationMode,
  settings: PolicySettings,
  args: EvalArgs,
  set: HeldOutSet,
): Promise<void> {
  await runSuiteReport(
    specs,
    settings,
    { game, n, seed, gamesPerPairing: games, observationMode, set },
    {
      ...(args.jsonl ? { jsonl: args.jsonl } : {}),
      notPlayed: (list) => `${list}; not ${game}`,
      beforeRun: () => {
        if (gameOf(game).kind === 'question' && args.games !== undefined && games > 0)
          process.stderr.write(`vigal: --games applies to Snake only; ${gameOf(game).title} has no head-to-head games\n`);
      },
    },
  );
}

/**
 * The suite as `eval --policies` and `match` run it: resolve the policies, check they play the game,
 * run with a progress bar per phase, then the table on stderr, the record on stdout and, with `jsonl`,
 * appended to that file.
 */
export async function runSuiteReport(
  specs: string[],
  settings: PolicySettings,
  suite: Omit<SuiteOptions, 'onProgress'>,
  o: { jsonl?: string; notPlayed(list: string): string; beforeRun?(): void },
): Promise<void> {
  const policies = await resolvePolicies(specs, settings);
  try {
    const wrong = policies.filter((p) => !p.games.includes(suite.game));
    if (wrong.length) throw new UsageError(o.notPlayed(wrong.map((p) => `'${p.id}' plays ${p.games.join(', ')}`).join('; ')));
    o.beforeRun?.();
    let bar: ReturnType<typeof progressBar> | null = null;
    let label = '';
    const record = await runSuite(policies, {
      ...suite,
      onProgress: (p) => {
        const next = p.phase === 'held-out' ? `${p.policy} held-out` : `${p.policy} vs ${p.opponent}`;
        if (next !== label) {
          bar?.stop();
          bar = progressBar(next);
          label = next;
        }
        bar?.update(p.done, p.total);
      },
    });
    (bar as ReturnType<typeof progressBar> | null)?.stop();
    process.stderr.write(formatRecord(record) + '\n');
    process.stdout.write(JSON.stringify(record) + '\n');
    if (o.jsonl) appendRecord(o.jsonl, record);
  } finally {
    for (const p of policies) p.dispose?.();
  }
}
