/** bench.html: runs the inference benchmark in this browser and prints the rows as JSON. */
import { loadNanoModel } from '../runtime/model';
import { benchmarkModel } from '../runtime/bench';
import { DEFAULT_MODEL } from '../model/files';
import { benchPrompt } from './prompt';

const params = new URLSearchParams(location.search);
const out = document.getElementById('result') as HTMLPreElement;

async function run(): Promise<unknown> {
  const name = params.get('model') ?? DEFAULT_MODEL;
  const runtime = params.get('runtime') === 'wasm' ? 'wasm' : 'webgpu';
  const quant = params.get('quant') === 'fp32' ? 'fp32' : 'q4';
  const model = await loadNanoModel(`/models/${name}/`, { executionProviders: runtime === 'wasm' ? ['wasm'] : ['webgpu', 'wasm'], quant });
  try {
    const rows = await benchmarkModel(model, {
      ...benchPrompt(model),
      newTokens: Number(params.get('tokens') ?? 32),
      runs: Number(params.get('runs') ?? 1),
      cacheModes: params.get('nocache') === '0' ? [true] : [true, false],
    });
    return { userAgent: navigator.userAgent, model: name, requested: runtime, fallbackReason: model.fallbackReason, rows };
  } finally {
    await model.dispose();
  }
}

// ?train=rl: the RL training benchmark (trainRl.ts) instead of inference; ?train=demo: the demo preset
// time-boxed (trainDemo.ts).
const train = params.get('train');
(train === 'rl'
  ? import('./trainRl').then((m) => m.benchTrainRl(params))
  : train === 'demo'
    ? import('./trainDemo').then((m) => m.benchTrainDemo(params))
    : run()
).then(
  (r) => (out.textContent = JSON.stringify(r, null, 2)),
  (e: Error) => (out.textContent = JSON.stringify({ error: e.message })),
);
