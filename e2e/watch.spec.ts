/**
 * Watch mode with the shipped nano model, on both runtimes the browser offers here: WASM, and WebGPU
 * through Chromium's software adapter, which the default runtime skips (a few tokens a second) and the
 * Runtime menu can force (hence the long timeouts there).
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

  test('on a software WebGPU adapter the default runtime plays on WASM at once and says why', async ({ page }) => {
    // Headless Chromium with --enable-unsafe-webgpu offers SwiftShader, a CPU emulation of a GPU: a Watch
    // step there took ~90 s. 'auto' must skip it for WASM (the file WASM decodes fastest: fp32).
    await page.goto('/?mode=watch&seed=5');
    await expect(page.getByTestId('backend')).toHaveText(/· fp32 · WASM$/, { timeout: 60_000 });
    await expect(page.getByTestId('fallback')).toContainText('software emulation');
    await expect(page.getByTestId('fallback')).toContainText('WebGPU, even software');
    await expect(page.getByTestId('step-reward')).toContainText('format', { timeout: 60_000 });
    await expect(page.getByTestId('step-speed')).toContainText('tokens/s');
  });

  test('a clean Watch run logs no console error, on WASM and on WebGPU forced onto the software adapter', async ({ page }) => {
    test.setTimeout(300_000);
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/?mode=watch&seed=3');
    await expect(page.getByTestId('step-reward')).toContainText('format', { timeout: 60_000 });
    await page.keyboard.press(' ');
    // Forcing WebGPU creates a WebGPU session: ORT's node-placement warnings must not reach the console.
    await page.getByRole('combobox', { name: 'Runtime' }).selectOption('webgpu');
    await expect(page).toHaveURL(/runtime=webgpu/);
    await expect(page.getByTestId('backend')).toHaveText(/· q4 · WebGPU$/, { timeout: 90_000 });
    await expect(page.getByTestId('fallback')).toHaveCount(0);
    // It plays as soon as it is loaded; text appears token by token while the step is still running.
    await expect(page.getByTestId('trace')).toContainText('<think>', { timeout: 180_000 });
    expect(errors).toEqual([]);
  });

  test('a missing model is explained, and a bot can be watched instead', async ({ page }) => {
    await page.goto('/?mode=watch&player=nano:no-such-model');
    await expect(page.getByTestId('model-error')).toContainText('no-such-model', { timeout: 30_000 });
    await page.getByRole('combobox', { name: 'Player' }).selectOption('bot:lookahead');
    await expect(page.getByTestId('backend')).toContainText('bot');
    await expect(page.getByTestId('step-reward')).toContainText('format 0.1', { timeout: 30_000 });
  });
});
