/**
 * Train mode's demo, as a visitor meets it: the default settings are the demo preset (answer-only RL
 * from the shipped model, src/train/rlPresets.ts); pressing Start trains in the worker (WASM, as on a
 * machine without a hardware GPU). The page draws the held-out curve with its start level and a random
 * move's level, adds a held-out point every five steps and a reward point every step, and Stop keeps
 * them. Whether the curve rises, and how fast, is the demo's benchmark (`npm run bench:demo`), not this
 * test: on a loaded 2-core machine the same minutes hold a different number of steps.
 */
import { expect, test } from '@playwright/test';

test('the demo preset: Start draws the held-out curve from its start level, adds points as it trains, and Stop keeps them', async ({ page }) => {
  test.setTimeout(420_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/?mode=train');
  await expect(page.getByRole('checkbox', { name: 'Answer only (demo)' })).toBeChecked();
  await expect(page.getByTestId('train-teaches')).toContainText('best Snake move');
  // WebGPU here is Chromium's software adapter (far slower than WASM): the demo runs on WASM.
  await page.getByText('Advanced').click();
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('wasm');
  await page.getByRole('button', { name: 'Start' }).click();

  // The start level appears with the first evaluation (before step 1), with a random move's level.
  const start = page.getByTestId('level-start');
  await expect(start).toBeVisible({ timeout: 180_000 });
  const startLevel = Number(await start.getAttribute('data-value'));
  expect(startLevel).toBeGreaterThan(0);
  expect(startLevel).toBeLessThan(1);
  const random = Number(await page.getByTestId('level-random').getAttribute('data-value'));
  // A random move is right on about a third of Snake states (1.4 best moves of 4, on average).
  expect(random).toBeGreaterThan(0.2);
  expect(random).toBeLessThan(0.5);
  await expect(page.getByTestId('chart-value-eval/accuracy')).toHaveText(startLevel.toFixed(3));

  // Training: a reward point per step, and after five steps the second held-out point.
  const heldOut = page.getByTestId('chart-eval/accuracy');
  await expect(heldOut).toHaveAttribute('data-points', '2', { timeout: 240_000 });
  const rewardPoints = Number(await page.getByTestId('chart-reward').getAttribute('data-points'));
  expect(rewardPoints).toBeGreaterThanOrEqual(5);
  const latest = Number(await page.getByTestId('chart-value-eval/accuracy').textContent());
  expect(latest).toBeGreaterThanOrEqual(0);
  expect(latest).toBeLessThanOrEqual(1);
  // The held-out set has 60 states: every value is a whole number of them.
  expect(Math.abs(latest * 60 - Math.round(latest * 60))).toBeLessThan(1e-6);

  // E2E_DEMO_SHOT=docs/train-demo.png: keep a picture of the curves for the README.
  if (process.env.E2E_DEMO_SHOT) await page.getByRole('region', { name: 'Curves' }).screenshot({ path: process.env.E2E_DEMO_SHOT });
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'stopped', { timeout: 120_000 });
  await expect(heldOut).not.toHaveAttribute('data-points', '0');
  await expect(page.getByTestId('level-start')).toHaveAttribute('data-value', String(startLevel));
  await expect(page.getByTestId('train-error')).toHaveCount(0);
  expect(errors).toEqual([]);
});
