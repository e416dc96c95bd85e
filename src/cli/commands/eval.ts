/**
 * `vigal eval <game> --policy P --n N --seed S`: a policy's answers on N held-out states (accuracy, format
 * rate, mean reward; Snake also best/worst-move accuracy), and for Snake `--games G` head-to-head games
 * against a bot. Human-readable lines on stderr; with `--json` the last stdout line is one JSON object.
 */
import type { Command } from 'commander';
import { BOT_NAMES } from '../../games/snake';
import { evaluatePolicy, playMatches, type MatchReport } from '../../rl/evaluate';
import { UsageError, parseChoice, parseIntOption } from '../io';
import { POLICY_HELP, resolvePolicy } from '../policies';
import { progressBar } from '../progress';

interface EvalArgs {
  policy: string;
  n: string;
  seed: string;
  games: string;
  opponent: string;
  temperature: string;
  maxTokens?: string;
  json?: boolean;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

export function register(program: Command): void {
  program
    .command('eval')
    .argument('<game>', 'snake or rotation')
    .description('evaluate a policy on held-out states (and, for Snake, in games against a bot)')
    .option('--policy <p>', POLICY_HELP, 'nano')
    .option('--n <n>', 'held-out states to answer', '200')
    .option('--seed <s>', 'seed of the held-out set (the same seed gives the same states)', '1000')
    .option('--games <g>', 'Snake: head-to-head games against --opponent (0 to skip)', '0')
    .option('--opponent <bot>', `Snake: the bot played against (${BOT_NAMES.join(', ')})`, 'greedy')
    .option('--temperature <t>', 'sampling temperature for model policies (0 = greedy)', '0')
    .option('--max-tokens <n>', 'longest answer of a model policy in tokens (default: nano as many as fit, openai 2048)')
    .option('--json', 'print the report as one JSON object on the last stdout line')
    .action(async (gameRaw: string, args: EvalArgs) => {
      const game = parseChoice('eval: game', gameRaw, ['snake', 'rotation'] as const);
      const n = parseIntOption('--n', args.n, 1, 1_000_000);
      const seed = parseIntOption('--seed', args.seed, 0, 0xffffffff);
      const games = parseIntOption('--games', args.games, 0, 100_000);
      const opponent = parseChoice('--opponent', args.opponent, BOT_NAMES);
      const temperature = Number(args.temperature);
      if (!(temperature >= 0 && temperature <= 5)) throw new UsageError(`--temperature must be a number in [0, 5], got '${args.temperature}'`);
      const maxNewTokens = args.maxTokens === undefined ? undefined : parseIntOption('--max-tokens', args.maxTokens, 1, 1_000_000);
      const policy = await resolvePolicy(args.policy, { temperature, seed, maxNewTokens });
      try {
        if (!policy.games.includes(game)) throw new UsageError(`policy '${policy.id}' does not play ${game} (it plays ${policy.games.join(', ')})`);
        const bar = progressBar(`eval ${game}`);
        const report = await evaluatePolicy(policy, game, n, seed, (d, t) => bar.update(d, t));
        bar.stop();
        let match: MatchReport | undefined;
        if (game === 'snake' && games > 0) {
          const gbar = progressBar(`games vs ${opponent}`);
          match = await playMatches(policy, opponent, games, seed, (d, t) => gbar.update(d, t));
          gbar.stop();
        }
        const lines = [
          `${policy.id} on ${report.n} held-out ${game} states (seed ${seed}):`,
          `  accuracy ${pct(report.accuracy)}  format ${pct(report.format_rate)}  mean reward ${report.mean_reward.toFixed(3)}`,
          ...(report.best_accuracy !== undefined ? [`  best-move accuracy ${pct(report.best_accuracy)}  worst-move accuracy ${pct(report.worst_accuracy ?? 0)}`] : []),
          ...(match ? [`  vs ${opponent} bot over ${match.games} games: ${match.wins} won, ${match.ties} tied, ${match.losses} lost (win rate ${pct(match.win_rate)})`] : []),
        ];
        process.stderr.write(lines.join('\n') + '\n');
        const out = { ...report, ...(match ? { match } : {}) };
        process.stdout.write((args.json ? JSON.stringify(out) : JSON.stringify(out, null, 2)) + '\n');
      } finally {
        policy.dispose?.();
      }
    });
}
