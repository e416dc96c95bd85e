/**
 * Watch mode with the shipped nano model, on both runtimes the browser offers here: WASM, and WebGPU
 * through Chromium's software adapter (slow: a few tokens a second, hence the long timeouts).
 */
import { expect, test } from '@playwright/test';

test.describe('Watch mode', () => {
  test('the nano model plays Snake on WASM: the trace streams and each step gets its reward', async ({ page }) => {
    await page.goto('/?mode=watch&runtime=wasm&seed=3');
    await expect(page.getByTestId('backend')).toContainText('WASM', { timeout: 60_000 });
    await expect(page.getByTestId('trace')).toContainText('<think>', { timeout: 60_000 });
    await expect(page.getByTestId('step-reward')).toHaveText(/^\d\.\d = format 0\.\d \+ accuracy \d\.\d$/, { timeout: 90_000 });
    await expect(page.getByTestId('step-speed')).toContainText('tokens/s');
    // It keeps playing: more steps arrive, the board's round advances.
    await expect(page.getByTestId('watch-round')).not.toHaveText('Round 0', { timeout: 60_000 });
    await page.keyboard.press(' ');
    await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible({ timeout: 60_000 });
  });

  test('the nano model runs on WebGPU when the browser has it', async ({ page }) => {
    test.setTimeout(300_000);
    await page.goto('/?mode=watch&seed=5');
    await expect(page.getByTestId('backend')).toContainText('WebGPU', { timeout: 90_000 });
    await expect(page.getByTestId('fallback')).toHaveCount(0);
    // Text appears token by token while the step is still running.
    await expect(page.getByTestId('trace')).toContainText('<think>', { timeout: 120_000 });
    await expect(page.getByTestId('step-reward')).toContainText('format', { timeout: 240_000 });
  });

  test('a missing model is explained, and a bot can be watched instead', async ({ page }) => {
    await page.goto('/?mode=watch&player=nano:no-such-model');
    await expect(page.getByTestId('model-error')).toContainText('no-such-model', { timeout: 30_000 });
    await page.getByRole('combobox', { name: 'Player' }).selectOption('bot:lookahead');
    await expect(page.getByTestId('backend')).toContainText('bot');
    await expect(page.getByTestId('step-reward')).toContainText('format 0.1', { timeout: 30_000 });
  });
});
