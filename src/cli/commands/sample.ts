/**
 * `vigal sample <game>`: seeded task samples as JSON lines (state, ground truth, prompt), and
 * with `--out DIR` their images as PNG files named in each record.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { sampleSnakeStates } from '../../games/snake';
import { GAME_IDS, gameOf, questionGame } from '../../games/registry';
import { rasterize } from '../../render/raster';
import { encodePng } from '../../render/png';
import type { Scene } from '../../render/scene';
import { deriveSeed } from '../../util/rng';
import { parseChoice, parseIntOption, settingFlags, writeJsonLine } from '../io';

interface SampleArgs {
  seed: string;
  count: string;
  out?: string;
  variant: string;
  size?: string;
  board: string;
  minLength: string;
  maxLength: string;
  classes: string;
  example: boolean;
  set?: string[];
}

export function register(program: Command): void {
  program
    .command('sample')
    .argument('<game>', GAME_IDS.join(' or '))
    .description('print seeded task samples (state, ground truth, prompt) as JSON lines; --out also writes their images as PNG')
    .requiredOption('--seed <n>', 'base seed (the same seed always gives the same samples)')
    .option('--count <k>', 'number of samples', '1')
    .option('--out <dir>', 'write the images of each sample as PNG files into this folder')
    .option('--variant <v>', "prompt variant: 'full' (ViGaL interface) or 'compact' (nano model)", 'full')
    .option('--size <px>', 'image side in pixels (default: 320 for Snake, 256 for Rotation)')
    .option('--board <n>', 'Snake board width and height', '10')
    .option('--min-length <n>', 'Snake: shortest snake length of a sampled state', '1')
    .option('--max-length <n>', 'Snake: longest snake length of a sampled state', '5')
    .option('--classes <set>', "Rotation class set: 'default' (ViGaL: counter clockwise 90, 180), 'clockwise' or 'three'", 'default')
    .option('--no-example', 'Rotation: drop the in-context example pair (images 1-2)')
    .option('--set <key=value...>', "a question game's setting as its URL parameter names it (Jigsaw: grid=3); `vigal games --json` lists them")
    .action(async (gameRaw: string, args: SampleArgs) => {
      const game = parseChoice('sample: game', gameRaw, GAME_IDS);
      const seed = parseIntOption('--seed', args.seed, 0, 0xffffffff);
      const count = parseIntOption('--count', args.count, 1, 10_000_000);
      const variant = parseChoice('--variant', args.variant, ['full', 'compact'] as const);
      const size = args.size === undefined ? gameOf(game).defaultImageSize : parseIntOption('--size', args.size, 16, 2048);
      if (args.out) await mkdir(args.out, { recursive: true });

      const writeImages = async (stem: string, scenes: Scene[]): Promise<string[]> => {
        if (!args.out) return [];
        const paths: string[] = [];
        for (const [i, scene] of scenes.entries()) {
          const path = join(args.out, scenes.length > 1 ? `${stem}-${i + 1}.png` : `${stem}.png`);
          await writeFile(path, encodePng(rasterize(scene)));
          paths.push(path);
        }
        return paths;
      };

      const spec = gameOf(game);
      const question = questionGame(game);
      if (question === null) {
        // An env game's states come from play: Snake's sampler (bot games, own length in a range).
        const board = parseIntOption('--board', args.board, 4, 64);
        const minLength = parseIntOption('--min-length', args.minLength, 1, board * board);
        const maxLength = parseIntOption('--max-length', args.maxLength, minLength, board * board);
        const states = sampleSnakeStates(seed, count, { minLength, maxLength, width: board, height: board });
        for (const [index, state] of states.entries()) {
          const images = await writeImages(`${game}-${seed}-${String(index).padStart(6, '0')}`, spec.scenes(state, { size, axes: true }));
          await writeJsonLine(process.stdout, { game, seed, index, state, labels: spec.truth(state), prompt: spec.prompt(state, variant), images });
        }
        return;
      }
      // A question game: item i of the seed, under the settings its flags name (Rotation: --classes, --no-example).
      const given: Record<string, string | undefined> = { classes: args.classes, example: args.example ? '1' : '0' };
      for (const [key, choices] of Object.entries(question.settings.choices ?? {})) if (given[key] !== undefined) parseChoice(`--${key}`, given[key], choices);
      const set = settingFlags(args.set, question.settings.choices);
      const settings = question.settings.parse((key) => set(key) ?? given[key] ?? null);
      for (let index = 0; index < count; index++) {
        const state = question.question(deriveSeed(seed, index), settings);
        const images = await writeImages(`${game}-${seed}-${String(index).padStart(6, '0')}`, spec.scenes(state, { size, axes: true }));
        await writeJsonLine(process.stdout, { game, seed, index, state, answer: spec.truth(state), prompt: spec.prompt(state, variant), images });
      }
    });
}
