/**
 * `vigal match --a P --b Q --games G --seed S`: head-to-head Snake between two policies (any of `eval`'s
 * policy names): G games with P in seat 1 (snake 1), then the same G games (same seeds) with the seats
 * swapped, and Elo over all 2G. Tables on stderr; stdout one EvaluationRecord JSON line (no held-out
 * reports, `n` 0), which `--jsonl FILE` also appends to FILE for the app to import.
 */
import type { Command } from 'commander';
import { GAMES_PER_PAIRING } from '../../rl/suite';
import { UsageError, parseChoice, parseIntOption } from '../io';
import { POLICY_HELP } from '../policies';
import { OBSERVATION_MODES, modelSettings, runSuiteReport } from './eval';

interface MatchArgs {
  a?: string;
  b?: string;
  games: string;
  seed: string;
  temperature: string;
  maxTokens?: string;
  jsonl?: string;
  observation: string;
}

export function register(program: Command): void {
  program
    .command('match')
    .description('head-to-head Snake games between two policies, both seats, with Elo')
    .option('--a <policy>', `the first policy: ${POLICY_HELP}`)
    .option('--b <policy>', 'the second policy (same names)')
    .option('--games <g>', `games per seat (ViGaL's protocol: ${GAMES_PER_PAIRING} per pairing)`, String(GAMES_PER_PAIRING))
    .option('--seed <s>', 'game g starts from seed + g', '1000')
    .option('--observation <mode>', `what both are shown: ${OBSERVATION_MODES.join(', ')}`, 'image+text')
    .option('--temperature <t>', 'sampling temperature for model policies (0 = greedy)', '0')
    .option('--max-tokens <n>', 'longest answer of a model policy in tokens')
    .option('--jsonl <file>', 'append the result as an EvaluationRecord line to this file (the app imports it)')
    .action(async (args: MatchArgs) => {
      if (!args.a || !args.b) throw new UsageError('match needs two policies: --a P --b Q (e.g. --a nano --b bot:greedy)');
      const games = parseIntOption('--games', args.games, 1, 100_000);
      const seed = parseIntOption('--seed', args.seed, 0, 0xffffffff);
      const settings = modelSettings(args, seed);
      const observationMode = parseChoice('--observation', args.observation, OBSERVATION_MODES);
      if (args.a.trim() === args.b.trim()) throw new UsageError(`--a and --b are the same policy '${args.a}'; a match needs two`);
      await runSuiteReport(
        [args.a.trim(), args.b.trim()],
        settings,
        { game: 'snake', n: 0, seed, gamesPerPairing: games, observationMode },
        {
          ...(args.jsonl ? { jsonl: args.jsonl } : {}),
          notPlayed: (list) => `${list}; matches are Snake games`,
        },
      );
    });
}
