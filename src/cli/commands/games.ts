/**
 * `vigal games [id]`: the registered games (games/registry.ts), as a table or, with `--json`, one JSON
 * line: what each is, its kind, prompt variants, held-out variants, bots and export data source. Every
 * other command that takes a game accepts exactly these ids.
 */
import type { Command } from 'commander';
import { PROMPT_VARIANTS } from '../../games/game';
import { GAME_IDS, gameOf, questionGame, type GameId } from '../../games/registry';
import { parseChoice, writeJsonLine } from '../io';

/** One game as plain data (the `--json` form). */
export function describeGame(id: GameId): Record<string, unknown> {
  const g = gameOf(id);
  const q = questionGame(id);
  return {
    id,
    title: g.title,
    kind: g.kind,
    description: g.blurb,
    promptVariants: PROMPT_VARIANTS,
    heldOutVariants: g.heldOutVariants,
    bots: Object.keys(g.bots),
    ...(q ? { settings: q.settings.default } : {}),
    dataSource: g.dataSource,
    imageSize: g.defaultImageSize,
  };
}

export function register(program: Command): void {
  program
    .command('games')
    .argument('[game]', 'one game only')
    .description('list the registered games (id, kind, what the player does); --json for one JSON line')
    .option('--json', 'print one JSON line: a list of {id, title, kind, description, ...}')
    .action(async (gameRaw: string | undefined, args: { json?: boolean }) => {
      const ids = gameRaw === undefined ? GAME_IDS : [parseChoice('games: game', gameRaw, GAME_IDS)];
      if (args.json) {
        await writeJsonLine(process.stdout, ids.map(describeGame));
        return;
      }
      const rows = [['id', 'kind', 'what the player does'], ...ids.map((id) => [id, gameOf(id).kind, gameOf(id).blurb])];
      const widths = [0, 1].map((c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
      for (const r of rows) process.stdout.write(r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c] ?? 0) : cell)).join('  ') + '\n');
    });
}
