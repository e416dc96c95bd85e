/**
 * config.imageGrid: Rotation's views tiled into one raster (the joint model's input), and the contract
 * that matters for a model trained on it: the trainer's examples and the runtime's observations give the
 * same patches and prompt for the same position, for both games.
 */
import { describe, expect, it } from 'vitest';
import type { RotationQuestion } from '../games/rotation';
import type { SnakeState } from '../games/snake';
import { encodePrompt } from './inputs';
import { nanoObservation } from '../policy/nano';
import { heldOutPositions } from '../rl/evaluate';
import { gameConfig } from '../train/sft.node.ts';
import { rotationExample } from '../train/traces/rotation';
import { snakeExample } from '../train/traces/snake';
import { defaultTokenizer } from './tokenizer';
import { patchesPerImage, validateConfig, type ModelConfig } from './config';
import { composeImages, numPatches, patchify } from './patchify';
import { TEST_CONFIG } from './testkit';

/** A flat RGBA image of one colour. */
function flat(size: number, rgb: [number, number, number]) {
  const data = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) data.set([...rgb, 255], 4 * i);
  return { width: size, height: size, data };
}

describe('imageGrid', () => {
  const grid: ModelConfig = { ...TEST_CONFIG, imageSize: 32, patchSize: 8, maxImages: 4, imageGrid: 2 }; // cells of 16 px

  it('tiles 2..4 images row-major into one raster, box-filtering each to its cell; one image still fills the raster', () => {
    const colours: [number, number, number][] = [
      [10, 20, 30],
      [40, 50, 60],
      [70, 80, 90],
      [100, 110, 120],
    ];
    const [raster, more] = composeImages(
      grid,
      colours.map((c) => flat(32, c)),
    );
    expect(more).toBeUndefined();
    expect([raster!.width, raster!.height]).toEqual([32, 32]);
    const at = (x: number, y: number) => Array.from(raster!.data).slice((y * 32 + x) * 4, (y * 32 + x) * 4 + 3);
    expect(at(0, 0)).toEqual(colours[0]);
    expect(at(31, 0)).toEqual(colours[1]);
    expect(at(0, 31)).toEqual(colours[2]);
    expect(at(31, 31)).toEqual(colours[3]);
    expect(
      patchify(
        grid,
        colours.map((c) => flat(32, c)),
      ).length,
    ).toBe(patchify(grid, [flat(32, [0, 0, 0])]).length);
    expect(numPatches(grid, 4)).toBe(patchesPerImage(grid));
    // Two views: the bottom row of cells stays black.
    const [two] = composeImages(grid, [flat(16, [9, 9, 9]), flat(16, [9, 9, 9])]);
    expect(Array.from(two!.data).slice(31 * 32 * 4, 31 * 32 * 4 + 4)).toEqual([0, 0, 0, 255]);
    // A single image is not tiled: Snake's board keeps the whole raster.
    expect(composeImages(grid, [flat(32, [1, 2, 3])])[0]!.data).toEqual(flat(32, [1, 2, 3]).data);
  });

  it('rounds a box-filtered cell to whole values, as the bytes a GPU trainer is given', () => {
    // A 2x2 block of 0, 1, 1, 1 averages to 0.75: stored as 1.
    const img = flat(32, [1, 1, 1]);
    img.data.set([0, 0, 0, 255], 0);
    const [raster] = composeImages(grid, [img, img]);
    expect(raster!.data[0]).toBe(1);
  });

  it('refuses a view that is not a multiple of its cell, and bad grids in a config', () => {
    expect(() => composeImages(grid, [flat(24, [0, 0, 0]), flat(24, [0, 0, 0])])).toThrow(/grid cell .* needs RGBA 16x16/);
    expect(() => validateConfig({ ...grid, imageGrid: 3 })).toThrow(/imageGrid must be an integer >= 1/);
    expect(() => validateConfig({ ...grid, imageGrid: 0 })).toThrow(/imageGrid/);
    expect(validateConfig({ ...TEST_CONFIG }).imageGrid).toBeUndefined();
  });
});

describe('the joint config: the trainer sees what the runtime feeds', () => {
  const config = gameConfig('joint');
  const tok = defaultTokenizer();

  it('Rotation (four views, one raster) and Snake (the board): same patches and prompt from the SFT example and the policy observation', () => {
    const [rot] = heldOutPositions('rotation', 1, 5, { classes: 'three' });
    const [snake] = heldOutPositions('snake', 1, 5, { minLength: 8 });
    const pairs = [
      [rotationExample(config, rot!.state as RotationQuestion), nanoObservation(rot!, config.imageSize)],
      [snakeExample(config, snake!.state as SnakeState), nanoObservation(snake!, config.imageSize)],
    ] as const;
    for (const [example, obs] of pairs) {
      const trained = encodePrompt(config, tok, example.prompt, example.images);
      const fed = encodePrompt(config, tok, obs.prompt, obs.images);
      expect(fed.inputIds).toEqual(trained.inputIds);
      expect(fed.patches).toEqual(trained.patches);
      expect(fed.patches.length).toBe(numPatches(config, 1) * 8 * 8 * 3);
    }
    expect(pairs[0][0].images).toHaveLength(4);
  });
});
