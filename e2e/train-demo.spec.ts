/**
 * Train mode's demo, as a visitor meets it: the default settings are the demo preset (answer-only RL
 * from the shipped model, src/train/rlPresets.ts); pressing Start trains in the worker (WASM, as on a
 * machine without a hardware GPU) and the held-out curve, measured on states never trained on, climbs
 * at least two points above the start level the chart draws in. Read from what the page shows: the
 * chart's latest value and its 'start' level.
 */
import { expect, test } from '@playwright/test';

test('the demo preset: Start, and the held-out curve rises two points above its start', async ({ page }) => {
  test.setTimeout(1_500_000);
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
  await expect(start).toBeVisible({ timeout: 300_000 });
  const startLevel = Number(await start.getAttribute('data-value'));
  expect(startLevel).toBeGreaterThanOrEqual(0);
  await expect(page.getByTestId('level-random')).toHaveAttribute('data-value', /^0\.\d+/);
  await expect(page.getByTestId('chart-value-eval/accuracy')).toHaveText(startLevel.toFixed(3));

  // Then the curve: each later evaluation adds a point; wait for one 0.02 above the start.
  const best = async (): Promise<number> => {
    const now = Number(await page.getByTestId('chart-value-eval/accuracy').textContent());
    seen = Math.max(seen, now);
    return seen - startLevel;
  };
  let seen = startLevel;
  await expect.poll(best, { timeout: 1_380_000, intervals: [5_000] }).toBeGreaterThanOrEqual(0.02);
  await expect(page.getByTestId('chart-eval/accuracy')).not.toHaveAttribute('data-points', '1');
  // E2E_DEMO_SHOT=docs/train-demo.png: keep a picture of the curves for the README.
  if (process.env.E2E_DEMO_SHOT) await page.getByRole('region', { name: 'Curves' }).screenshot({ path: process.env.E2E_DEMO_SHOT });
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'stopped', { timeout: 300_000 });
  await expect(page.getByTestId('train-error')).toHaveCount(0);
  expect(errors).toEqual([]);
});
