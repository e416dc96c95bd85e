import { describe, expect, it } from 'vitest';
import { cropRaster, rasterHash, rasterize, type Raster } from '../../render/raster';
import { MIN_TILE_DIFFERENCE, minTileDifference } from './picture';
import {
  DEFAULT_JIGSAW_OPTIONS,
  JigsawEnv,
  answerOf,
  arrangedScene,
  isPermutation,
  jigsawQuestion,
  jigsawQuestionKey,
  jigsawScene,
  jigsawScenes,
  jigsawSolvedScene,
  type JigsawGrid,
  type JigsawQuestion,
} from './task';

/** The tile at position p (reading order) of a raster cut into grid x grid tiles. */
function tileOf(r: Raster, grid: number, p: number): Raster {
  const t = r.width / grid;
  return cropRaster(r, (p % grid) * t, Math.floor(p / grid) * t, t, t);
}

/** Puts the shuffled raster's tiles where the answer says: restored position p takes shuffled tile answer[p]. */
function restore(shuffled: Raster, grid: number, answer: readonly number[]): Raster {
  const t = shuffled.width / grid;
  const out = new Uint8ClampedArray(shuffled.data.length);
  answer.forEach((tile, p) => {
    const src = tileOf(shuffled, grid, tile - 1);
    const x0 = (p % grid) * t;
    const y0 = Math.floor(p / grid) * t;
    for (let y = 0; y < t; y++) out.set(src.data.subarray(y * t * 4, (y + 1) * t * 4), ((y0 + y) * shuffled.width + x0) * 4);
  });
  return { width: shuffled.width, height: shuffled.height, data: out };
}

const GRIDS: JigsawGrid[] = [2, 3];

describe('jigsawQuestion', () => {
  it('is deterministic: same seed, same question, same scene and pixels', () => {
    for (const grid of GRIDS) {
      for (const seed of [0, 1, 99, 123456789]) {
        const a = jigsawQuestion(seed, { grid });
        const b = jigsawQuestion(seed, { grid });
        expect(b).toEqual(a);
        expect(jigsawScene(b, 96)).toEqual(jigsawScene(a, 96));
        expect(rasterHash(rasterize(jigsawScene(b, 96)))).toBe(rasterHash(rasterize(jigsawScene(a, 96))));
      }
    }
    expect(jigsawQuestion(1)).not.toEqual(jigsawQuestion(2));
  });

  it('is plain JSON and redraws the same from its JSON', () => {
    const q = jigsawQuestion(7, { grid: 3 });
    const back = JSON.parse(JSON.stringify(q)) as JigsawQuestion;
    expect(back).toEqual(q);
    expect(jigsawScene(back, 72)).toEqual(jigsawScene(q, 72));
  });

  it('never shuffles to the identity, and the answer is the inverse of the shuffle, 1-based', () => {
    for (const grid of GRIDS) {
      const n = grid * grid;
      for (let seed = 0; seed < 200; seed++) {
        const q = jigsawQuestion(seed, { grid });
        expect(q.grid).toBe(grid);
        expect(q.shown.some((p, s) => p !== s)).toBe(true);
        expect(isPermutation(q.answer, n)).toBe(true);
        q.answer.forEach((tile, p) => expect(q.shown[tile - 1]).toBe(p));
      }
    }
    expect(answerOf([1, 3, 0, 2])).toEqual([3, 1, 4, 2]);
  });

  it('draws every tile distinct (by the generator’s measure) over many seeds', () => {
    for (const grid of GRIDS) {
      for (let seed = 0; seed < 60; seed++) expect(minTileDifference(jigsawQuestion(seed, { grid }).picture, grid)).toBeGreaterThanOrEqual(MIN_TILE_DIFFERENCE);
    }
  });

  it('rejects bad options with the reason', () => {
    expect(() => jigsawQuestion(1, { grid: 4 as JigsawGrid })).toThrow(/grid must be 2 or 3/);
    expect(() => jigsawQuestion(1, { grid: 3, imageSize: 320 })).toThrow(/multiple of the grid \(3\)/);
    expect(() => jigsawScene(jigsawQuestion(1, { grid: 3 }), 100)).toThrow(/multiple of the grid/);
    expect(DEFAULT_JIGSAW_OPTIONS).toEqual({ grid: 2, imageSize: 240 });
  });

  it('keys questions by picture, grid and shuffle, not by seed', () => {
    const q = jigsawQuestion(3);
    expect(jigsawQuestionKey({ ...q, seed: 999 })).toBe(jigsawQuestionKey(q));
    expect(jigsawQuestionKey({ ...q, shown: [...q.shown].reverse() })).not.toBe(jigsawQuestionKey(q));
    const keys = new Set(Array.from({ length: 100 }, (_, s) => jigsawQuestionKey(jigsawQuestion(s))));
    expect(keys.size).toBe(100);
  });
});

describe('the shuffled image', () => {
  it('is restored exactly by the answer: every tile’s pixels equal the picture’s (2 x 2 and 3 x 3, several sizes, supersampled too)', () => {
    for (const grid of GRIDS) {
      for (const size of [72, 96, 240]) {
        for (let seed = 0; seed < 6; seed++) {
          const q = jigsawQuestion(seed, { grid });
          const ss = seed % 2 === 0 ? 1 : 2;
          const shuffled = rasterize(jigsawScene(q, size), { supersample: ss });
          const solved = rasterize(jigsawSolvedScene(q, size), { supersample: ss });
          expect(rasterHash(restore(shuffled, grid, q.answer))).toBe(rasterHash(solved));
          // Tile by tile: shuffled tile s is the picture's tile shown[s].
          q.shown.forEach((p, s) => expect(rasterHash(tileOf(shuffled, grid, s))).toBe(rasterHash(tileOf(solved, grid, p))));
          // The shuffle changed the image (tiles are distinct, the shuffle is not the identity).
          expect(rasterHash(shuffled)).not.toBe(rasterHash(solved));
        }
      }
    }
  });

  it('has pixel-distinct tiles', () => {
    for (const grid of GRIDS) {
      for (let seed = 0; seed < 20; seed++) {
        const r = rasterize(jigsawScene(jigsawQuestion(seed, { grid }), 96));
        const hashes = new Set(Array.from({ length: grid * grid }, (_, p) => rasterHash(tileOf(r, grid, p))));
        expect(hashes.size).toBe(grid * grid);
      }
    }
  });

  it('arrangedScene draws an arrangement: the answer gives the solved picture, the identity the shuffled one', () => {
    const q = jigsawQuestion(5, { grid: 3 });
    expect(arrangedScene(q, q.answer, 72)).toEqual(jigsawSolvedScene(q, 72));
    expect(arrangedScene(q, [1, 2, 3, 4, 5, 6, 7, 8, 9], 72)).toEqual(jigsawScene(q, 72));
    expect(() => arrangedScene(q, [1, 1, 3, 4, 5, 6, 7, 8, 9], 72)).toThrow(/not a permutation/);
  });

  it('uses only pixel-aligned rects, inside the image', () => {
    const s = jigsawScene(jigsawQuestion(2, { grid: 3 }), 96);
    expect(jigsawScenes(jigsawQuestion(2, { grid: 3 }), 96)).toEqual([s]);
    for (const item of s.items) {
      expect(item.kind).toBe('rect');
      if (item.kind !== 'rect') continue;
      for (const v of [item.x, item.y, item.w, item.h]) expect(Number.isInteger(v)).toBe(true);
      expect(item.x + item.w).toBeLessThanOrEqual(96);
      expect(item.y + item.h).toBeLessThanOrEqual(96);
    }
  });

  it('golden rasters: seed 1 at 96 px, 2 x 2 and 3 x 3 (a change to the look must be deliberate)', () => {
    const hashes = GRIDS.map((grid) => rasterHash(rasterize(jigsawScene(jigsawQuestion(1, { grid }), 96))));
    expect(hashes).toEqual(['29be78578fa72235', 'a6e3d02b05da40b5']);
  });
});

describe('JigsawEnv', () => {
  it('follows the reset/step contract of a one-step episode', () => {
    const env = new JigsawEnv({ grid: 3, imageSize: 72 });
    expect(() => env.step([1])).toThrow(/reset/);
    const { state, info } = env.reset(5);
    expect(state).toEqual(jigsawQuestion(5, { grid: 3 }));
    expect(info).toEqual({ seed: 5, grid: 3 });
    expect(env.step(state.answer)).toEqual({ state, reward: 1, terminated: true, truncated: false, info: { correct: true, answer: state.answer, inPlace: 9 } });
    expect(() => env.step(state.answer)).toThrow(/terminated/);
    expect(env.render()).toEqual([jigsawScene(state, 72)]);
  });

  it('scores a wrong permutation 0 (reporting tiles in place), a response with the reward', () => {
    const env = new JigsawEnv();
    const { state } = env.reset(8);
    const swapped = [...state.answer];
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    expect(env.step({ permutation: swapped })).toMatchObject({ reward: 0, info: { correct: false, inPlace: 2 } });
    env.reset(8);
    expect(env.step([1, 1, 1, 1])).toMatchObject({ reward: 0, info: { correct: false, inPlace: 0 } });
    env.reset(8);
    const good = env.step(`<think> match edges </think>\n<answer> [${state.answer.join(', ')}] </answer>`);
    expect(good.reward).toBe(1.1);
    expect(good.info).toMatchObject({ correct: true, inPlace: 4, verdict: { format: 0.1, accuracy: 1 } });
    env.reset(8);
    expect(env.step({ response: `[${state.answer.join(', ')}]` }).reward).toBe(0);
  });
});
