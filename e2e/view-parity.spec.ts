/**
 * The Konva view a person sees and the raster a model sees are drawn from one Scene; this checks they
 * agree on a real position (the page's canvas screenshot against the PNG the rasteriser makes in Node).
 */
import { expect, test } from '@playwright/test';
import { createSnakePlayStore } from '../src/store/snakePlay';
import { parseLink, type SnakeLink } from '../src/store/url';
import { snakeScene } from '../src/games/snake';
import { rotationQuestion, rotationScenes } from '../src/games/rotation';
import { rasterize } from '../src/render/raster';
import { decodePng } from '../src/render/png';
import type { Raster } from '../src/render/raster';

function compare(a: Raster, b: Raster): { meanAbs: number; farFraction: number } {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let sum = 0;
  let far = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    let pixel = 0;
    for (let c = 0; c < 3; c++) {
      const d = Math.abs((a.data[i + c] ?? 0) - (b.data[i + c] ?? 0));
      sum += d;
      pixel = Math.max(pixel, d);
    }
    if (pixel > 64) far++;
  }
  return { meanAbs: sum / ((a.data.length / 4) * 3), farFraction: far / (a.data.length / 4) };
}

test('Snake: Konva view equals the raster of the same state', async ({ page }) => {
  const search = '?game=snake&seed=21&bot=greedy&moves=UULLDR';
  const store = createSnakePlayStore(parseLink(search) as SnakeLink);
  store.getState().load(parseLink(search) as SnakeLink);
  expect(store.getState().state.round).toBeGreaterThan(2);

  await page.goto(`/${search}&mode=play`);
  await expect(page.getByTestId('round')).toHaveText(new RegExp(`Round ${store.getState().state.round} /`));
  const shot = decodePng(await page.getByTestId('snake-board').locator('canvas').screenshot());
  const raster = rasterize(snakeScene(store.getState().state, { size: 440, axes: true }));
  const { meanAbs, farFraction } = compare(shot, raster);
  // Canvas anti-aliases edges, the raster does not: allow a thin seam of differing edge pixels.
  expect(meanAbs).toBeLessThan(3);
  expect(farFraction).toBeLessThan(0.02);
});

test('Rotation: Konva view equals the raster of the same question', async ({ page }) => {
  await page.goto('/?mode=play&game=rotation&seed=9');
  const shot = decodePng(await page.getByTestId('rotation-image-3').locator('canvas').screenshot());
  const scenes = rotationScenes(rotationQuestion(9, { classes: ['counter clockwise 90', '180'], example: true }), 240);
  const { meanAbs, farFraction } = compare(shot, rasterize(scenes[2]!));
  expect(meanAbs).toBeLessThan(4);
  expect(farFraction).toBeLessThan(0.03);
});
