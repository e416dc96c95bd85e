/**
 * `vigal score <game>`: lines `{"truth": ..., "response": "..."}` in, the reward parts out. The truth is
 * the game's own (Snake `{"best": [...], "worst": [...]}`, Rotation the answer string or
 * `{"answer": "..."}`), or `{"state": <state JSON>}`, labelled here by the game.
 */
import type { Command } from 'commander';
import { GAME_IDS, gameOf, type GameId } from '../../games/registry';
import { parseChoice, readJsonLines, writeJsonLine } from '../io';

/** A truth as the game's own (its `parseTruth`), or `{"state": ...}` labelled here by the game. */
function truthOf(game: GameId, truth: unknown): unknown {
  const spec = gameOf(game);
  if (typeof truth === 'object' && truth !== null && 'state' in truth) return spec.truth(spec.parseState((truth as { state: unknown }).state));
  return spec.parseTruth(truth);
}

export function register(program: Command): void {
  program
    .command('score')
    .argument('<game>', GAME_IDS.join(' or '))
    .description('score model responses with the ViGaL reward: reads {"truth":...,"response":"..."} lines, prints {"format","accuracy","overall"}')
    .addHelpText('after', '\nExample:\n  echo \'{"truth":{"answer":"180"},"response":"<think>..</think><answer>180</answer>"}\' | vigal score rotation')
    .action(async (gameRaw: string) => {
      const game = parseChoice('score: game', gameRaw, GAME_IDS);
      let failures = 0;
      for await (const { line, value, error } of readJsonLines(process.stdin)) {
        let out: unknown;
        try {
          if (error) throw new Error(error);
          if (typeof value !== 'object' || value === null) throw new Error('expected an object {"truth":..., "response": "..."}');
          const { truth, response } = value as { truth?: unknown; response?: unknown };
          if (typeof response !== 'string') throw new Error('"response" must be a string');
          const verdict = gameOf(game).score(response, truthOf(game, truth));
          out = { format: verdict.format, accuracy: verdict.accuracy, overall: verdict.overall };
        } catch (err) {
          failures++;
          const message = (err as Error).message.startsWith('line ') ? (err as Error).message : `line ${line}: ${(err as Error).message}`;
          process.stderr.write(`vigal score: ${message}\n`);
          out = { error: message };
        }
        await writeJsonLine(process.stdout, out);
      }
      if (failures > 0) process.exitCode = 1;
    });
}
