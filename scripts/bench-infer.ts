/**
 * `npm run bench:infer`: nano-model inference speed, printed as JSON.
 *   Node (onnxruntime-web WASM): fp32 and 4-bit, with and without the KV cache.
 *   Chromium (system browser, headless, on a production build served by `vite preview`):
 *     raw decode rows: bench.html, WebGPU (software adapter here) and WASM, fp32 and 4-bit;
 *     a Watch row: the app itself in Watch mode, each step's tokens/s as the page received the tokens
 *       (the `vigal:watch-decode` performance measure) next to the worker's own decode speed;
 *     the first visit: bytes transferred from opening `/` until the model's first step is on screen.
 *   Model file sizes.
 * Options: --model NAME (default the app's model), --no-browser, --no-node, --tokens N (64; a Watch step
 *          writes ~140), --runtimes wasm,webgpu
 *          (raw Chromium rows), --watch-steps N (6, the first a warm-up), --port N (4179), --out-dir DIR (dist).
 * The preview server and the browser are closed on every exit path (error, Ctrl-C, SIGTERM).
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from '@playwright/test';
import { preview, type PreviewServer } from 'vite';
import { DEFAULT_MODEL, MODEL_FILES } from '../src/model/files';
import { benchmarkModel } from '../src/runtime/bench';
import { loadNanoModel } from '../src/runtime/model';
import { benchPrompt } from '../src/bench/prompt';
import { closeOnSignal, closingOnSignal } from './closeOnSignal';
import { chromiumLaunchOptions } from './chromium';
import { measureFirstVisit } from './firstVisit';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: DEFAULT_MODEL },
    browser: { type: 'boolean', default: true },
    'no-browser': { type: 'boolean', default: false },
    'no-node': { type: 'boolean', default: false },
    tokens: { type: 'string', default: '64' },
    runtimes: { type: 'string', default: 'wasm,webgpu' },
    'watch-steps': { type: 'string', default: '6' },
    port: { type: 'string', default: '4179' },
    'out-dir': { type: 'string', default: 'dist' },
  },
});
const name = values.model as string;
const root = join(import.meta.dirname, '..');
const folder = join(root, 'models', name);
const tokens = Number(values.tokens);
const watchSteps = Number(values['watch-steps']);
const port = Number(values.port);
const outDir = values['out-dir'] as string;

// Everything this script starts, closed by `cleanup` whichever way it ends.
let server: PreviewServer | null = null;
let browser: Browser | null = null;
async function cleanup(): Promise<void> {
  const [b, s] = [browser, server];
  browser = server = null;
  await b?.close().catch(() => undefined);
  await s?.close().catch(() => undefined);
}
closeOnSignal('bench:infer', cleanup);

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

async function nodeRows(): Promise<unknown[]> {
  const rows = [];
  for (const quant of ['fp32', 'q4'] as const) {
    const model = await loadNanoModel(folder, { quant, executionProviders: ['wasm'] });
    rows.push(...(await benchmarkModel(model, { ...benchPrompt(model), newTokens: tokens, runs: 3 })));
    await model.dispose();
  }
  return rows;
}

/** bench.html: generate() alone, fixed token counts, stop tokens off. */
async function rawRows(page: Page, base: string): Promise<unknown[]> {
  const results = [];
  const runtimes = (values.runtimes as string).split(',').filter(Boolean);
  // The software WebGPU adapter does a few tokens a second: fewer tokens, cache only.
  const plan = [
    ['wasm', 'q4', tokens, 1, 3],
    ['wasm', 'fp32', tokens, 1, 3],
    ['webgpu', 'q4', 16, 0, 1],
    ['webgpu', 'fp32', 16, 0, 1],
  ] as const;
  for (const [runtime, quant, n, nocache, runs] of plan.filter(([r]) => runtimes.includes(r))) {
    await page.goto(`${base}/bench.html?model=${name}&runtime=${runtime}&quant=${quant}&tokens=${n}&runs=${runs}&nocache=${nocache}`);
    await page.waitForFunction(() => document.getElementById('result')?.textContent !== 'running…', null, { timeout: 600_000 });
    results.push(JSON.parse((await page.textContent('#result')) ?? '{}') as unknown);
  }
  return results;
}

interface WatchDecode {
  newTokens: number;
  pageTokensPerSecond: number;
  policyTokensPerSecond: number | null;
}

/**
 * The app in Watch mode on WASM: the decode speed of its first `watchSteps` steps as the page saw it. The
 * first step is the warm-up (kernels, allocations), as the raw rows' untimed run: the medians leave it out.
 */
async function watchRow(page: Page, base: string): Promise<unknown> {
  await page.goto(`${base}/?mode=watch&runtime=wasm&seed=3&player=nano:${name}`);
  await page.waitForFunction((n) => performance.getEntriesByName('vigal:watch-decode').length >= n, watchSteps, { timeout: 600_000, polling: 500 });
  const all = await page.evaluate(() => performance.getEntriesByName('vigal:watch-decode').map((e) => (e as PerformanceMeasure).detail as WatchDecode));
  const steps = all.slice(1);
  const header = (await page.getByTestId('backend').textContent()) ?? '';
  await page
    .getByRole('button', { name: 'Pause', exact: true })
    .click()
    .catch(() => undefined);
  return {
    header,
    steps: steps.length,
    medianNewTokens: median(steps.map((s) => s.newTokens)),
    pageTokensPerSecond: median(steps.map((s) => s.pageTokensPerSecond)),
    workerTokensPerSecond: median(steps.flatMap((s) => (s.policyTokensPerSecond === null ? [] : [s.policyTokensPerSecond]))),
    perStep: all,
  };
}

async function chromiumSection(): Promise<unknown> {
  const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'error', '--outDir', outDir], { stdio: 'inherit', cwd: root });
  if (built.status !== 0) throw new Error('vite build failed');
  server = await preview({ root, logLevel: 'warn', build: { outDir }, preview: { port, strictPort: true, host: '127.0.0.1' } });
  const base = `http://127.0.0.1:${port}`;
  browser = await chromium.launch(chromiumLaunchOptions({ webgpu: true }));
  const firstVisit = await measureFirstVisit(browser, base);
  const page = await browser.newPage();
  const watch = await watchRow(page, base);
  const raw = await rawRows(page, base);
  return { raw, watch, firstVisit };
}

try {
  const node = values['no-node'] ? 'skipped (--no-node)' : await nodeRows();
  const sizes = Object.fromEntries([MODEL_FILES.onnx, MODEL_FILES.onnxQ4, MODEL_FILES.safetensors].map((f) => [f, statSync(join(folder, f)).size]));
  const chromiumResult = values['no-browser'] ? 'skipped (--no-browser)' : await chromiumSection();
  console.log(JSON.stringify({ model: name, node: process.version, nodeWasm: node, fileBytes: sizes, chromium: chromiumResult }, null, 2));
} catch (e) {
  // Interrupted: closing the browser failed the step in flight; the signal handler exits (status 130).
  if (closingOnSignal()) await new Promise(() => {});
  throw e;
} finally {
  await cleanup();
}
