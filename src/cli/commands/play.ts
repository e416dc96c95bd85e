/**
 * `vigal play snake`: bot-vs-bot (or single-bot) games, headless. Game g uses seed `--seed + g`, so any
 * one game can be reproduced alone. `--record FILE` writes one JSON line per round (the state before the
 * moves and the moves), then a last line with the final state and the result, for replay and for
 * checking against another engine.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Command } from 'commander';
import { BOT_NAMES, SNAKE_BOTS, DEFAULT_SNAKE_OPTIONS, playSnakeGame, type SnakeOptions } from '../../games/snake';
import { UsageError, parseChoice, parseIntOption, writeJsonLine, quoted } from '../io';

interface PlayArgs {
  seed: string;
  bots: string;
  games: string;
  record?: string;
  board: string;
  apples: string;
  maxRounds: string;
  tailRule: string;
}

export function register(program: Command): void {
  program
    .command('play')
    .argument('<game>', "only 'snake' is played between bots")
    .description('play seeded bot-vs-bot Snake games and print each result plus a summary (JSON lines)')
    .requiredOption('--seed <n>', 'seed of the first game; game g uses seed + g')
    .option('--bots <a,b>', `one or two of ${BOT_NAMES.join(', ')} (one bot plays alone)`, 'lookahead,greedy')
    .option('--games <n>', 'number of games', '1')
    .option('--record <file>', 'write every round as a JSON line to this file')
    .option('--board <n>', 'board width and height', String(DEFAULT_SNAKE_OPTIONS.width))
    .option('--apples <n>', 'apples on the board', String(DEFAULT_SNAKE_OPTIONS.apples))
    .option('--max-rounds <n>', 'round limit', String(DEFAULT_SNAKE_OPTIONS.maxRounds))
    .option('--tail-rule <rule>', "collision rule for tails: 'static' (ViGaL) or 'moving'", DEFAULT_SNAKE_OPTIONS.tailRule)
    .action(async (game: string, args: PlayArgs) => {
      if (game !== 'snake') throw new UsageError(`play: game must be 'snake'; got ${quoted(game)}`);
      const seed = parseIntOption('--seed', args.seed, 0, 0xffffffff);
      const games = parseIntOption('--games', args.games, 1, 1_000_000);
      const bots = args.bots.split(',').map((b) => parseChoice('--bots', b.trim(), BOT_NAMES));
      if (bots.length < 1 || bots.length > 2) throw new UsageError(`--bots takes one or two bot names; got ${quoted(args.bots)}`);
      const board = parseIntOption('--board', args.board, 4, 64);
      const options: SnakeOptions = {
        width: board,
        height: board,
        numSnakes: bots.length as 1 | 2,
        apples: parseIntOption('--apples', args.apples, 1, board * board - 2),
        maxRounds: parseIntOption('--max-rounds', args.maxRounds, 1, 1_000_000),
        tailRule: parseChoice('--tail-rule', args.tailRule, ['static', 'moving'] as const),
      };
      const record: WriteStream | null = args.record ? createWriteStream(args.record) : null;
      const wins: Record<string, number> = Object.fromEntries(bots.map((b, i) => [`${i + 1}:${b}`, 0]));
      let ties = 0;
      let totalRounds = 0;
      const totalScores = bots.map(() => 0);

      for (let g = 0; g < games; g++) {
        const gameSeed = (seed + g) >>> 0;
        const { states, moves, result } = playSnakeGame(
          bots.map((b) => SNAKE_BOTS[b]),
          gameSeed,
          options,
        );
        if (record) {
          for (const [i, roundMoves] of moves.entries()) {
            await writeJsonLine(record, { game: g, round: states[i]!.round, state: states[i], moves: roundMoves });
          }
          const final = states[states.length - 1]!;
          await writeJsonLine(record, { game: g, round: final.round, state: final, result });
        }
        const final = states[states.length - 1]!;
        if (result.winner === null) ties++;
        else wins[`${result.winner}:${bots[result.winner - 1]}`]! += 1;
        totalRounds += result.rounds;
        final.snakes.forEach((s) => (totalScores[s.id - 1]! += s.score));
        await writeJsonLine(process.stdout, {
          game: g,
          seed: gameSeed,
          winner: result.winner === null ? null : { id: result.winner, bot: bots[result.winner - 1] },
          reason: result.reason,
          rounds: result.rounds,
          scores: Object.fromEntries(final.snakes.map((s) => [`${s.id}:${bots[s.id - 1]}`, s.score])),
        });
      }
      if (record) await new Promise<void>((resolve, reject) => record.end((err?: Error | null) => (err ? reject(err) : resolve())));
      await writeJsonLine(process.stdout, {
        summary: {
          games,
          wins,
          ties,
          meanRounds: totalRounds / games,
          meanScores: Object.fromEntries(bots.map((b, i) => [`${i + 1}:${b}`, (totalScores[i] ?? 0) / games])),
        },
      });
    });
}
