/**
 * `npm run bench:demo`: Train mode's demo preset (answer-only RL, src/train/rlPresets.ts) time-boxed
 * to --seconds (default 180, loading and compilation included), in Node (jax-js WASM on the main
 * thread, ORT WASM) and in Chromium (headless system browser, jax-js WASM and ORT WASM, the page
 * bench.html?train=demo of a production build served by `vite preview`, as users get it; the dev
 * server's pre-bundled onnxruntime-web could not fetch its .wasm here). Prints one JSON line per runtime: seconds,
 * reward_start, reward_end (mean of the first and last 5 steps), heldout_start, heldout_end (greedy
 * accuracy on the held-out states, never trained on), steps, the held-out curve and the median step.
 * Options: --runtimes node,chromium  --seconds S (180)  --port N (4191)  --dist DIR (serve this build
 *          instead of building into dist-bench-demo/)
 * Everything it starts (the dev server, the browser) is closed before it exits, error or not.
 */
import { parseArgs } from 'node:util';
import { chromiumLaunchOptions } from './chromium';

const { values } = parseArgs({
  options: {
    runtimes: { type: 'string', default: 'node,chromium' },
    seconds: { type: 'string', default: '180' },
    port: { type: 'string', default: '4191' },
    dist: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, got ${values.seconds}`);
const runtimes = (values.runtimes as string).split(',');
for (const r of runtimes) if (r !== 'node' && r !== 'chromium') throw new Error(`--runtimes: unknown runtime '${r}' (node, chromium)`);
const pick = (s: Record<string, unknown>): Record<string, unknown> => {
  const { log: _log, userAgent: _ua, ...rest } = s;
  return rest;
};

if (runtimes.includes('node')) {
  const { runDemo } = await import('../src/train/demoRun');
  const { RL_PRESETS } = await import('../src/train/rlPresets');
  const { loadWeights } = await import('../src/train/checkpoint.node.ts');
  const preset = RL_PRESETS.demo!;
  const summary = await runDemo({
    preset,
    seconds,
    load: async () => {
      const w = await loadWeights(new URL(`../models/${preset.model}`, import.meta.url).pathname);
      if (!w.tokenizer) throw new Error(`models/${preset.model} has no tokenizer.json`);
      const reference = Object.fromEntries(Object.entries(w.params).map(([k, v]) => [k, new Float32Array(v)]));
      return { config: w.config, tokenizer: w.tokenizer, params: w.params, reference };
    },
    log: (line) => process.stderr.write(`[node] ${line}\n`),
  });
  console.log(JSON.stringify({ runtime: 'node', ...summary }));
}

if (runtimes.includes('chromium')) {
  const { chromium } = await import('@playwright/test');
  const { build, preview } = await import('vite');
  const port = Number(values.port);
  const root = new URL('..', import.meta.url).pathname;
  const outDir = values.dist ?? 'dist-bench-demo';
  if (values.dist === undefined) await build({ root, logLevel: 'warn', build: { outDir } });
  const server = await preview({ root, logLevel: 'warn', build: { outDir }, preview: { port, strictPort: true, host: '127.0.0.1' } });
  let browser: Awaited<ReturnType<typeof chromium.launch>> | null = null;
  try {
    browser = await chromium.launch(chromiumLaunchOptions({ webgpu: false }));
    const page = await browser.newPage();
    page.on('console', (m) => process.stderr.write(`[chromium] ${m.text()}\n`));
    await page.goto(`http://127.0.0.1:${port}/bench.html?train=demo&seconds=${seconds}`);
    // The page stops stepping by itself within --seconds; the margin covers the closing evaluation.
    await page.waitForFunction(() => document.getElementById('result')?.textContent !== 'running…', null, { timeout: (seconds + 600) * 1000 });
    const result = JSON.parse((await page.textContent('#result')) ?? '{}') as Record<string, unknown>;
    if (typeof result.error === 'string') throw new Error(`chromium: ${result.error}`);
    console.log(JSON.stringify(pick(result)));
  } finally {
    await browser?.close();
    await server.close();
  }
}
process.exit(0);
