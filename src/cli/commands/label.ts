/** `vigal label snake`: state JSON lines in, `{"best":[...],"worst":[...]}` lines out, in input order. */
import type { Command } from 'commander';
import { gameOf, gamesOfKind, isGameId } from '../../games/registry';
import { UsageError, readJsonLines, writeJsonLine, quoted } from '../io';

export function register(program: Command): void {
  program
    .command('label')
    .argument('<game>', "only 'snake' has move labels")
    .description('read Snake state JSON lines on stdin and print the ViGaL labels of each (best and worst moves)')
    .addHelpText(
      'after',
      '\nExample:\n  echo \'{"width":10,"height":10,"apples":[[3,4]],"snakes":[{"id":1,"body":[[5,5]],"lastMove":null,"alive":true,"score":0}],"you":1,"round":0}\' | vigal label snake\n\nA line that is not a valid state prints {"error": "..."} in its place (so outputs stay aligned with inputs) and the exit status is 1.',
    )
    .action(async (game: string) => {
      // An env game's states come from outside (play, datasets); a question's truth is its answer, drawn with it.
      const envGames = gamesOfKind('env');
      if (!isGameId(game) || gameOf(game).kind !== 'env') {
        throw new UsageError(
          `label: game must be ${envGames.map((g) => `'${g}'`).join(' or ')} (a question game has a single answer, see 'vigal sample ${game}'); got ${quoted(game)}`,
        );
      }
      const spec = gameOf(game);
      let failures = 0;
      for await (const { line, value, error } of readJsonLines(process.stdin)) {
        let out: unknown;
        if (error) out = { error };
        else {
          try {
            out = spec.truth(spec.parseState(value));
          } catch (err) {
            out = { error: `line ${line}: ${(err as Error).message}` };
          }
        }
        if ('error' in (out as object)) {
          failures++;
          process.stderr.write(`vigal label: ${(out as { error: string }).error}\n`);
        }
        await writeJsonLine(process.stdout, out);
      }
      if (failures > 0) process.exitCode = 1;
    });
}
