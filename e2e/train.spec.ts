/**
 * Train mode end to end on WebGPU (Chromium's software adapter here): a few RL steps in the worker, the
 * curves fill in (held-out accuracy too, in the WASM test), the latest groups and a trace's token heat show, a checkpoint is saved, survives a
 * reload with the run's curves, and plays in Watch mode.
 *
 * A step of the shipped 0.95M-parameter model takes minutes on the software adapter (rollouts at about
 * 2.5 tokens/s per sample, measured by `npm run bench:train:browser`), so this test trains a tiny model
 * (d 16, one layer) that it writes at start-up into the git-ignored models/dev-train-e2e-<pid> folder:
 * one SFT step on the real Snake data (src/train/sft.node.ts), exported as a model folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { writeModelFolder } from '../src/model/export';
import { loadWeights } from '../src/train/checkpoint.node.ts';
import { runSft } from '../src/train/sft.node.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVED = `dev-train-e2e-${process.pid}`;
const servedDir = join(ROOT, 'models', SERVED);
let tmp = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  tmp = mkdtempSync(join(tmpdir(), 'vigal-e2e-train-'));
  await runSft({
    game: 'snake',
    steps: 1,
    batch: 2,
    accum: 1,
    lr: 1e-3,
    minLr: 1e-4,
    warmup: 0,
    weightDecay: 0,
    gradClip: 1,
    evalEvery: 1_000_000,
    evalSize: 2,
    trainSize: 8,
    seed: 2,
    out: tmp,
    model: { dModel: 16, nLayer: 1, nHead: 2, dFF: 32, maxSeqLen: 512 },
  });
  const { config, params, tokenizer } = await loadWeights(tmp);
  await writeModelFolder(servedDir, { config: { ...config, name: SERVED }, params: new Map(Object.entries(params)), tokenizer: tokenizer! });
});

test.afterAll(() => {
  rmSync(servedDir, { recursive: true, force: true });
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('Train mode runs a few steps on WebGPU, the charts update, and a checkpoint is saved and watched', async ({ page }) => {
  test.setTimeout(600_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/?mode=train');
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toHaveAttribute('aria-pressed', 'true');
  const model = page.getByRole('combobox', { name: 'Start model' });
  await expect(model.locator(`option[value="${SERVED}"]`)).toHaveCount(1, { timeout: 30_000 });
  await model.selectOption(SERVED);
  // Whole traces (the default demo preset samples the move only).
  await page.getByRole('checkbox', { name: 'Answer only (demo)' }).uncheck();
  await page.getByLabel('Group size').fill('2');
  await page.getByLabel('Prompts per step').fill('1');
  await page.getByLabel('Steps').fill('2');
  // Held-out evaluation is covered by the WASM test (greedy answers of full length are slow here).
  await page.getByLabel('Held-out eval interval (0 = off)').fill('0');
  await page.getByText('Advanced').click();
  await page.getByLabel('Max new tokens').fill('12');
  // A KL term makes every sample count, so the update runs even when a group's rewards are all equal.
  await page.getByLabel('KL coefficient').fill('0.01');

  await page.getByRole('button', { name: 'Start' }).click();
  // The rollout session, like every model session, skips the software adapter (SwiftShader here) for WASM.
  await expect(page.getByTestId('train-backend')).toContainText('jax-js WebGPU · rollouts WASM', { timeout: 180_000 });
  await expect(page.getByTestId('train-fallback')).toHaveCount(0);
  await expect(page.getByTestId('train-adapter')).toContainText('WebGPU adapter:');
  // The curves fill in as the steps come (a quick second step can land between two looks: at least one).
  await expect.poll(async () => Number(await page.getByTestId('chart-reward').getAttribute('data-points')), { timeout: 300_000 }).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'done', { timeout: 300_000 });
  await expect(page.getByTestId('train-status')).toContainText('2 of 2 steps done');
  for (const metric of ['reward', 'accuracy', 'format_rate', 'kl', 'entropy', 'completions/mean_length']) {
    await expect(page.getByTestId(`chart-${metric}`)).toHaveAttribute('data-points', '2');
  }
  await expect(page.getByTestId('chart-value-entropy')).toHaveText(/^\d+\.\d{3}$/);
  await expect(page.getByTestId('train-error')).toHaveCount(0);

  // The latest groups: 1 prompt x 2 samples; select one and read its tokens by log-prob, then advantage.
  await expect(page.getByTestId('sample-card')).toHaveCount(2);
  await expect(page.getByTestId('sample-card').first()).toContainText(/A [+−]\d\.\d\d/);
  await page.getByTestId('sample-card').first().click();
  const tokens = page.getByTestId('token-heat').locator('.tok');
  expect(await tokens.count()).toBeGreaterThan(0);
  await expect(tokens.first()).toHaveAttribute('title', /log p -?\d/);
  await page.getByRole('button', { name: 'Advantage' }).click();
  await expect(page.getByRole('button', { name: 'Advantage' })).toHaveAttribute('aria-pressed', 'true');

  // Save: kept in IndexedDB, so a reload shows the run's curves and its checkpoint.
  await page.getByTestId('save-checkpoint').click();
  await expect(page.getByTestId('checkpoint-list')).toContainText('step 2', { timeout: 30_000 });
  await page.reload();
  await expect(page.getByTestId('chart-reward')).toHaveAttribute('data-points', '2', { timeout: 30_000 });
  await expect(page.getByTestId('train-message')).toHaveCount(0);
  await expect(page.getByTestId('checkpoint-list')).toContainText('step 2');

  // Downloads: safetensors and ONNX files of the checkpoint.
  const [st] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Safetensors' }).click()]);
  expect(st.suggestedFilename()).toBe(`${SERVED}-rl-step2.safetensors`);
  const [onnx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'ONNX' }).click()]);
  expect(onnx.suggestedFilename()).toBe(`${SERVED}-rl-step2.onnx`);

  // Watch it: Watch mode plays the checkpoint.
  await page.getByRole('button', { name: 'Watch it' }).click();
  await expect(page.getByRole('button', { name: 'Watch the model' })).toHaveAttribute('aria-pressed', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('backend')).toContainText(`${SERVED}-rl-step2`, { timeout: 120_000 });
  await expect(page.getByTestId('step-reward')).toContainText('format', { timeout: 240_000 });
  expect(errors).toEqual([]);
});

test('WASM only, focused on mistakes: the fallback and the focus scan are said, and Space pauses and resumes, Escape stops, keeping the curves', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.goto('/?mode=train');
  const model = page.getByRole('combobox', { name: 'Start model' });
  await expect(model.locator(`option[value="${SERVED}"]`)).toHaveCount(1, { timeout: 30_000 });
  await model.selectOption(SERVED);
  // Whole traces (the default demo preset samples the move only).
  await page.getByRole('checkbox', { name: 'Answer only (demo)' }).uncheck();
  await page.getByLabel('Group size').fill('2');
  await page.getByLabel('Prompts per step').fill('1');
  await page.getByLabel('Steps').fill('50');
  await page.getByLabel('Held-out eval interval (0 = off)').fill('3');
  await page.getByLabel('Held-out states').fill('2');
  await page.getByLabel('Focus scan (0 = off)').fill('3');
  await page.getByText('Advanced').click();
  await page.getByLabel('Max new tokens').fill('8');
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('wasm');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press(' ');
  await expect(page.getByTestId('train-backend')).toContainText('jax-js WASM · rollouts WASM', { timeout: 120_000 });
  await expect(page.getByTestId('train-fallback')).toContainText('WASM was chosen in the settings');
  // Eight tokens cannot hold an answer: the start model gets all three scanned prompts wrong.
  await expect(page.getByTestId('train-pool')).toContainText('focused: 3 of 3 scanned prompts the start model gets wrong', { timeout: 120_000 });
  await expect(page.getByTestId('chart-reward')).toHaveAttribute('data-points', /^[1-9]/, { timeout: 120_000 });
  await page.keyboard.press(' ');
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'paused', { timeout: 120_000 });
  const pausedAt = Number(await page.getByTestId('chart-reward').getAttribute('data-points'));
  await page.keyboard.press(' ');
  const points = async () => Number(await page.getByTestId('chart-reward').getAttribute('data-points'));
  await expect.poll(points, { timeout: 120_000 }).toBeGreaterThan(pausedAt);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'stopped', { timeout: 120_000 });
  expect(await points()).toBeGreaterThan(pausedAt);
  // The start model was measured on the held-out states before the first step, then every 3 steps.
  const evals = Number(await page.getByTestId('chart-eval/accuracy').getAttribute('data-points'));
  expect(evals).toBeGreaterThanOrEqual(1 + Math.floor((await points()) / 3) - 1);
  await expect(page.getByTestId('chart-eval/accuracy')).toContainText('Held-out accuracy (greedy, 2 states)');
  await expect(page.getByTestId('chart-value-eval/accuracy')).toHaveText(/^(0\.000|0\.500|1\.000)$/);
  await expect(page.getByTestId('train-error')).toHaveCount(0);
});
