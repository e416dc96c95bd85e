/**
 * `npm run bench:train:browser`: the RL trainer's speed in Chromium (the system browser, headless),
 * printed as JSON: step time (rollouts + update) and rollout tokens/s, on jax-js WebGPU (Chromium's
 * software adapter here: SwiftShader) and on WASM. The page is bench.html?train=rl (src/bench/trainRl.ts),
 * served by Vite's dev server (no build needed). Measured on the 2-core dev machine (Chromium 156):
 *   WASM,   2 prompts x 4 samples, <= 256 new tokens: 6.8 s per step (1.9 s rollouts at ~625 tok/s, 4.9 s update)
 *   WebGPU (SwiftShader), 1 prompt x 4, 128 tokens:   142 s per step (116 s rollouts at 4.4 tok/s, 26 s update)
 * so the software adapter needs ~10 minutes at the defaults: `--backends wasm`, or `--prompts 1 --tokens 128`.
 * Options: --backends webgpu,wasm  --steps N (default 3; the first includes compilation)  --prompts P (2)
 *          --group G (4)  --tokens MAX_NEW (256)  --kl COEF (0.01: every sample enters the update)  --model NAME  --port N (4190)  --timeout SECONDS (1200)
 */
import { parseArgs } from 'node:util';
import { chromium, type Browser } from '@playwright/test';
import { createServer } from 'vite';
import { DEFAULT_MODEL } from '../src/model/files';
import { closeOnSignal } from './closeOnSignal';
import { chromiumLaunchOptions } from './chromium';

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'webgpu,wasm' },
    steps: { type: 'string', default: '3' },
    prompts: { type: 'string', default: '2' },
    group: { type: 'string', default: '4' },
    tokens: { type: 'string', default: '256' },
    kl: { type: 'string', default: '0.01' },
    model: { type: 'string', default: DEFAULT_MODEL },
    port: { type: 'string', default: '4190' },
    timeout: { type: 'string', default: '1200' },
  },
});

const port = Number(values.port);
const server = await createServer({ root: new URL('..', import.meta.url).pathname, logLevel: 'warn', server: { port, strictPort: true, host: '127.0.0.1' } });
let browser: Browser | null = null;
closeOnSignal('bench:train:browser', async () => {
  await browser?.close();
  await server.close();
});
await server.listen();
const results: Record<string, unknown> = {};
try {
  browser = await chromium.launch(chromiumLaunchOptions({ webgpu: true }));
  for (const backend of (values.backends as string).split(',')) {
    const page = await browser.newPage();
    page.on('console', (m) => m.type() === 'error' && process.stderr.write(`[${backend}] ${m.text()}\n`));
    const q = new URLSearchParams({
      train: 'rl',
      backend,
      steps: values.steps as string,
      prompts: values.prompts as string,
      group: values.group as string,
      tokens: values.tokens as string,
      kl: values.kl as string,
      model: values.model as string,
    });
    process.stderr.write(`bench-train-browser: ${backend} (${q})...\n`);
    await page.goto(`http://127.0.0.1:${port}/bench.html?${q}`);
    await page.waitForFunction(() => document.getElementById('result')?.textContent !== 'running…', null, { timeout: Number(values.timeout) * 1000 });
    results[backend] = JSON.parse((await page.textContent('#result')) ?? '{}');
    await page.close();
  }
} finally {
  await browser?.close();
  await server.close();
}
console.log(JSON.stringify({ browser: 'chromium', ...results }, null, 2));
process.exit(0);
