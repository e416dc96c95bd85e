/**
 * `npm run bench:infer`: nano-model inference speed, printed as JSON.
 *   Node (onnxruntime-web WASM): fp32 and 4-bit, with and without the KV cache.
 *   Chromium (system browser, via a built bench.html): WebGPU (software adapter here) and WASM, fp32 and 4-bit.
 *   Model file sizes.
 * Options: --model NAME (default the app's model), --no-browser, --tokens N.
 */
import { spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { DEFAULT_MODEL, MODEL_FILES } from '../src/model/files';
import { benchmarkModel } from '../src/runtime/bench';
import { loadNanoModel } from '../src/runtime/model';
import { benchPrompt } from '../src/bench/prompt';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: DEFAULT_MODEL },
    browser: { type: 'boolean', default: true },
    'no-browser': { type: 'boolean', default: false },
    tokens: { type: 'string', default: '64' },
  },
});
const name = values.model as string;
const folder = join(import.meta.dirname, '..', 'models', name);
const tokens = Number(values.tokens);

const node = [];
for (const quant of ['fp32', 'q4'] as const) {
  const model = await loadNanoModel(folder, { quant, executionProviders: ['wasm'] });
  node.push(...(await benchmarkModel(model, { ...benchPrompt(model), newTokens: tokens, runs: 3 })));
  await model.dispose();
}

const sizes = Object.fromEntries(
  [MODEL_FILES.onnx, MODEL_FILES.onnxQ4, MODEL_FILES.safetensors].map((f) => [f, statSync(join(folder, f)).size]),
);

let browser: unknown = 'skipped (--no-browser)';
if (!values['no-browser']) {
  const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('vite build failed');
  const port = 4179;
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 2500));
    const b = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
    });
    const page = await b.newPage();
    const results = [];
    // The software WebGPU adapter does a few tokens a second: fewer tokens, cache only.
    for (const [runtime, quant, n, nocache] of [['wasm', 'q4', tokens, 1], ['wasm', 'fp32', tokens, 1], ['webgpu', 'q4', 16, 0], ['webgpu', 'fp32', 16, 0]] as const) {
      await page.goto(`http://127.0.0.1:${port}/bench.html?model=${name}&runtime=${runtime}&quant=${quant}&tokens=${n}&runs=1&nocache=${nocache}`);
      await page.waitForFunction(() => document.getElementById('result')?.textContent !== 'running…', null, { timeout: 600_000 });
      results.push(JSON.parse((await page.textContent('#result')) ?? '{}') as unknown);
    }
    await b.close();
    browser = results;
  } finally {
    server.kill();
  }
}

console.log(JSON.stringify({ model: name, node: process.version, nodeWasm: node, fileBytes: sizes, chromium: browser }, null, 2));
