/**
 * `vigal sample <snake|rotation>`: seeded task samples as JSON lines (state, ground truth, prompt), and
 * with `--out DIR` their images as PNG files named in each record.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { sampleSnakeStates, snakeLabels, snakePrompt, snakeScene } from '../../games/snake';
import { ROTATION_CLASS_SETS, rotationPrompt, rotationQuestion, rotationScenes } from '../../games/rotation';
import { rasterize } from '../../render/raster';
import { encodePng } from '../../render/png';
import type { Scene } from '../../render/scene';
import { deriveSeed } from '../../util/rng';
import { parseChoice, parseIntOption, writeJsonLine } from '../io';

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
}

export function register(program: Command): void {
  program
    .command('sample')
    .argument('<game>', 'snake or rotation')
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
    .action(async (gameRaw: string, args: SampleArgs) => {
      const game = parseChoice('sample: game', gameRaw, ['snake', 'rotation'] as const);
      const seed = parseIntOption('--seed', args.seed, 0, 0xffffffff);
      const count = parseIntOption('--count', args.count, 1, 10_000_000);
      const variant = parseChoice('--variant', args.variant, ['full', 'compact'] as const);
      const size = args.size === undefined ? (game === 'snake' ? 320 : 256) : parseIntOption('--size', args.size, 16, 2048);
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

      if (game === 'snake') {
        const board = parseIntOption('--board', args.board, 4, 64);
        const minLength = parseIntOption('--min-length', args.minLength, 1, board * board);
        const maxLength = parseIntOption('--max-length', args.maxLength, minLength, board * board);
        const states = sampleSnakeStates(seed, count, { minLength, maxLength, width: board, height: board });
        for (const [index, state] of states.entries()) {
          const images = await writeImages(`snake-${seed}-${String(index).padStart(6, '0')}`, [snakeScene(state, { size, axes: true })]);
          await writeJsonLine(process.stdout, {
            game,
            seed,
            index,
            state,
            labels: snakeLabels(state),
            prompt: snakePrompt(state, { variant }),
            images,
          });
        }
        return;
      }
      const classSet = parseChoice('--classes', args.classes, Object.keys(ROTATION_CLASS_SETS) as (keyof typeof ROTATION_CLASS_SETS)[]);
      const classes = [...ROTATION_CLASS_SETS[classSet]];
      for (let index = 0; index < count; index++) {
        const question = rotationQuestion(deriveSeed(seed, index), { classes, example: args.example });
        const images = await writeImages(`rotation-${seed}-${String(index).padStart(6, '0')}`, rotationScenes(question, size));
        await writeJsonLine(process.stdout, {
          game,
          seed,
          index,
          state: question,
          answer: question.answer,
          prompt: rotationPrompt(question, { variant }),
          images,
        });
      }
    });
}
