/**
 * Watch mode with the local VLM player: real transformers.js and real onnxruntime-web in Chromium, loading
 * a tiny random SmolVLM-layout model that this test writes with the project's ONNX writer, served under
 * /models/ (git-ignored models/dev-*) or picked with the directory picker. The page may not make a
 * single request off 127.0.0.1: every request is recorded and anything else is aborted and fails the test.
 * The model's answers are noise: the test checks that it loads, streams into the trace panel, and that
 * the step is scored without breaking the game.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { tinyVlmFiles } from '../src/model/vlm/tiny';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const APP = `http://127.0.0.1:${process.env.E2E_PORT ?? 4173}`;
const SERVED = `dev-localvlm-e2e-${process.pid}`;
const servedDir = join(ROOT, 'models', SERVED);
let tmp = '';

function writeFolder(dir: string, files: Map<string, Uint8Array>): void {
  for (const [rel, bytes] of files) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), bytes);
  }
}

test.beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'vigal-e2e-localvlm-'));
  const files = tinyVlmFiles({ seed: 5 });
  writeFolder(servedDir, files);
  writeFolder(join(tmp, 'picked-tiny-vlm'), files);
  // A truncated decoder: what an interrupted copy leaves behind.
  const corrupt = new Map(files);
  corrupt.set('onnx/decoder_model_merged.onnx', (files.get('onnx/decoder_model_merged.onnx') as Uint8Array).slice(0, 4000));
  corrupt.delete('onnx/decoder_model_merged_q4.onnx');
  writeFolder(join(tmp, 'corrupt-vlm'), corrupt);
  writeFolder(join(tmp, 'bert-folder'), new Map([['config.json', new TextEncoder().encode('{"model_type":"bert","architectures":["BertModel"]}')]]));
});

test.afterAll(() => {
  rmSync(servedDir, { recursive: true, force: true });
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Records every request of the context (page and workers); aborts and reports any off 127.0.0.1. */
async function guardNetwork(context: BrowserContext): Promise<{ urls: string[]; offsite: string[] }> {
  const seen = { urls: [] as string[], offsite: [] as string[] };
  const local = (url: string) => url.startsWith(`${APP}/`) || url === APP || url.startsWith('blob:') || url.startsWith('data:');
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (local(url)) return route.continue();
    seen.offsite.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (r) => {
    seen.urls.push(r.url());
    if (!local(r.url())) seen.offsite.push(r.url());
  });
  return seen;
}

/** Opens Watch mode with a bot, then the local-VLM form (a picked folder not chosen yet: nothing loads). */
async function openLocalForm(page: Page, opts: { device: 'webgpu' | 'wasm'; maxTokens: number }): Promise<void> {
  await page.goto('/?mode=watch&game=snake&seed=3&player=bot:greedy');
  await page.getByRole('combobox', { name: 'Player' }).selectOption('local-picked');
  const form = page.getByRole('form', { name: 'Local VLM' });
  await form.getByRole('combobox', { name: 'Device' }).selectOption(opts.device);
  await form.getByLabel('Max tokens').fill(String(opts.maxTokens));
  await form.getByRole('button', { name: 'Apply and reload' }).click();
  await expect(page.getByTestId('backend')).toHaveText('—');
}

/**
 * One step played and scored; the game moved on and nothing broke. Returns the speed line. `waitMs`
 * bounds the first token: headless Chromium's WebGPU adapter is SwiftShader (a CPU), where the ~2,200-token
 * prefill of the full Snake prompt takes about a minute on this project's 2-core machines.
 */
async function expectScoredStep(page: Page, waitMs = 60_000): Promise<string> {
  await expect(page.getByTestId('trace')).not.toContainText('Press Play', { timeout: waitMs });
  await expect(page.getByTestId('step-reward')).toHaveText(/^\d\.\d = format 0\.\d \+ accuracy \d\.\d$/, { timeout: waitMs });
  await expect(page.getByTestId('step-speed')).toContainText('tokens/s');
  await expect(page.getByTestId('watch-round')).not.toHaveText('Round 0', { timeout: 60_000 });
  await expect(page.getByTestId('watch-error')).toHaveCount(0);
  // ViGaL's interface, not the nano model's compact one: the full prompt and the 320 px board.
  await expect(page.getByTestId('watch-prompt')).toContainText('You control a snake in a game of Snake');
  await expect(page.getByRole('img', { name: 'Player input image 1' })).toHaveAttribute('width', '320');
  const speed = (await page.getByTestId('step-speed').textContent()) ?? '';
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible({ timeout: 60_000 });
  return speed;
}

test.describe('Watch mode with a local VLM (transformers.js)', () => {
  test('a folder served under /models/ loads on WebGPU (or WASM), streams its trace and is scored, all from 127.0.0.1', async ({ page, context }) => {
    test.setTimeout(420_000);
    const net = await guardNetwork(context);
    await openLocalForm(page, { device: 'webgpu', maxTokens: 8 });
    expect(net.urls.filter((u) => /transformers|localvlm/i.test(u))).toEqual([]); // lazily loaded: nothing yet

    const t0 = Date.now();
    await page.getByRole('combobox', { name: 'Player' }).selectOption(`local:${SERVED}`);
    await expect(page.getByTestId('backend')).toContainText(`${SERVED} · `, { timeout: 90_000 });
    const loadMs = Date.now() - t0;
    const backend = (await page.getByTestId('backend').textContent()) ?? '';
    expect(backend).toMatch(/transformers\.js$/);
    expect(backend).toMatch(/WebGPU|WASM/);
    // The tiny folder has fp32 everywhere and a q4 decoder: auto picks q4 for the decoder.
    expect(backend).toContain('decoder q4');
    const speed = await expectScoredStep(page, backend.includes('WebGPU') ? 180_000 : 60_000);
    expect(page.url()).toContain(`player=local%3A${SERVED}`);

    console.log(`local VLM (served): ${backend}; load ${loadMs} ms (worker start, transformers.js chunk, 3 ONNX sessions); ${speed}`);
    expect(net.offsite).toEqual([]);
    expect(net.urls.some((u) => /\.wasm$/.test(u))).toBe(true); // ORT's wasm came from this app
  });

  test('a folder picked with the directory picker runs on WASM with a per-module dtype', async ({ page, context }) => {
    const net = await guardNetwork(context);
    await openLocalForm(page, { device: 'wasm', maxTokens: 16 });
    const form = page.getByRole('form', { name: 'Local VLM' });
    await form.getByRole('combobox', { name: 'Decoder dtype' }).selectOption('fp32');
    await form.getByRole('button', { name: 'Apply and reload' }).click();
    const t0 = Date.now();
    await form.getByLabel('Model folder').setInputFiles(join(tmp, 'picked-tiny-vlm'));
    await expect(page.getByTestId('backend')).toHaveText('picked-tiny-vlm · fp32 · WASM · transformers.js', { timeout: 90_000 });
    const loadMs = Date.now() - t0;
    const speed = await expectScoredStep(page);
    console.log(`local VLM (picked, WASM, fp32): load ${loadMs} ms; ${speed}`);
    expect(net.offsite).toEqual([]);
  });

  const BAD: { folder: string; message: RegExp }[] = [
    { folder: 'corrupt-vlm', message: /model folder 'corrupt-vlm': an ONNX file could not be read \(corrupt or truncated\?\)/ },
    {
      folder: 'bert-folder',
      message: /model_type 'bert' \(BertModel\) is not supported by the local VLM player; supported: idefics3, smolvlm, qwen2_vl, qwen2_5_vl/,
    },
  ];
  for (const bad of BAD) {
    test(`a bad folder (${bad.folder}) is explained and the game is untouched`, async ({ page, context }) => {
      const net = await guardNetwork(context);
      await openLocalForm(page, { device: 'wasm', maxTokens: 8 });
      await page.getByRole('form', { name: 'Local VLM' }).getByLabel('Model folder').setInputFiles(join(tmp, bad.folder));
      await expect(page.getByTestId('model-error')).toHaveText(bad.message, { timeout: 60_000 });
      await expect(page.getByTestId('watch-round')).toHaveText('Round 0');
      await expect(page.getByTestId('watch-tally')).toContainText('0 steps');
      expect(net.offsite).toEqual([]);
    });
  }
});
