/**
 * bench.html?train=demo&seconds=S: the Train view's demo preset (train/rlPresets.ts) run for S seconds
 * (default 180) on jax-js WASM and ORT WASM, the way Train mode runs it, on this page's thread; the
 * clock includes fetching the weights and jax-js's compilation. Prints runDemo's summary.
 */
import { runDemo } from '../train/demoRun';
import { RL_PRESETS } from '../train/rlPresets';
import { copyParams, fetchStartWeights, pickTrainBackend } from '../workers/trainSetup';

export async function benchTrainDemo(params: URLSearchParams): Promise<unknown> {
  const preset = RL_PRESETS[params.get('preset') ?? 'demo'];
  if (!preset) throw new Error(`no RL preset ${params.get('preset')}; known: ${Object.keys(RL_PRESETS).join(', ')}`);
  const seconds = Number(params.get('seconds') ?? 180);
  const lines: string[] = [];
  const summary = await runDemo({
    preset,
    seconds,
    load: async () => {
      await pickTrainBackend('wasm');
      const w = await fetchStartWeights(`/models/${preset.model}/`);
      return { ...w, reference: copyParams(w.params) };
    },
    loadOptions: { executionProviders: ['wasm'] },
    log: (line) => {
      lines.push(line);
      console.log(line);
    },
  });
  return { runtime: 'chromium-wasm', userAgent: navigator.userAgent, ...summary, log: lines };
}
