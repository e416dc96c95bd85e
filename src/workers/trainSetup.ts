/**
 * Browser set-up of an RL run, shared by the training worker and the benchmark page:
 *   - `pickTrainBackend`: jax-js on WebGPU when the browser has an adapter, else WASM, and why;
 *   - `fetchStartWeights`: a model folder's config.json, tokenizer.json and model.safetensors over HTTP;
 *   - `rlOptions`: the app's few settings over the trainer's defaults.
 * DOM-free (runs in a worker); never imports node:fs (train/checkpoint.node.ts, rlRun.node.ts and sft.node.ts do).
 */
import { defaultDevice, init } from '@jax-js/jax';
import { validateConfig, type ModelConfig } from '../model/config';
import { paramsFromSafetensors } from '../model/export';
import { MODEL_FILES } from '../model/files';
import { Tokenizer } from '../model/tokenizer';
import { probeWebGpu, webgpuUnavailableReason } from '../runtime/adapter';
import type { HostParams } from '../train/model';
import { DEFAULT_RL, type RlOptions } from '../train/rl';
import { RL_PRESETS, type RlPreset } from '../train/rlPresets';
import type { TrainBackend, TrainSettings } from './trainProtocol';
import { answerOnlyGame } from '../train/traces/games';

export interface BackendChoice {
  device: 'webgpu' | 'wasm';
  /** Why jax-js does not run on WebGPU (null when it does). */
  reason: string | null;
  /** The WebGPU adapter in use, e.g. 'google swiftshader (software)'; null on WASM. */
  adapter: string | null;
}

/**
 * Initialises jax-js on WebGPU when asked and possible, else on WASM, and makes that the default device
 * for every array created afterwards. Call once per worker, before any array exists.
 */
export async function pickTrainBackend(requested: TrainBackend): Promise<BackendChoice> {
  let reason: string | null = requested === 'wasm' ? 'WASM was chosen in the settings' : await webgpuUnavailableReason();
  if (reason === null) {
    const ready = await init('webgpu').catch((e: Error) => {
      reason = `jax-js could not start WebGPU: ${e.message}`;
      return [] as string[];
    });
    if (ready.includes('webgpu')) {
      defaultDevice('webgpu');
      return { device: 'webgpu', reason: null, adapter: await describeAdapter() };
    }
    reason ??= 'jax-js could not open a WebGPU device on this adapter (see the console)';
  }
  await init('wasm');
  defaultDevice('wasm');
  return { device: 'wasm', reason, adapter: null };
}

/** Vendor and architecture of the adapter, marked '(software)' for a CPU fallback such as SwiftShader. */
async function describeAdapter(): Promise<string | null> {
  const probe = await probeWebGpu();
  if (!probe.available) return null;
  return probe.adapter.software ? `${probe.adapter.name} (software)` : probe.adapter.name;
}

export interface StartWeights {
  config: ModelConfig;
  tokenizer: Tokenizer;
  params: HostParams;
}

/** Fetches a served model folder ('/models/<name>/'); errors name the file and the fix. */
export async function fetchStartWeights(folderUrl: string, fetchFn: typeof fetch = fetch): Promise<StartWeights> {
  const base = folderUrl.endsWith('/') ? folderUrl : `${folderUrl}/`;
  const get = async (file: string): Promise<Response> => {
    const url = base + file;
    let res: Response;
    try {
      res = await fetchFn(url);
    } catch (e) {
      throw new Error(`could not fetch ${url}: ${(e as Error).message}`);
    }
    if (!res.ok || (res.headers.get('content-type') ?? '').includes('text/html')) {
      throw new Error(
        `the model folder ${base} has no ${file} (HTTP ${res.status}); training needs ${MODEL_FILES.config}, ${MODEL_FILES.tokenizer} and ${MODEL_FILES.safetensors} (written by \`vigal export-model\`)`,
      );
    }
    return res;
  };
  const [configText, tokenizerText, weights] = await Promise.all([
    get(MODEL_FILES.config).then((r) => r.text()),
    get(MODEL_FILES.tokenizer).then((r) => r.text()),
    get(MODEL_FILES.safetensors).then((r) => r.arrayBuffer()),
  ]);
  const config = validateConfig(JSON.parse(configText));
  const tokenizer = Tokenizer.fromJSON(tokenizerText);
  if (tokenizer.vocabSize > config.vocabSize) {
    throw new Error(`${base}${MODEL_FILES.tokenizer} has ${tokenizer.vocabSize} tokens but config.json says vocabSize ${config.vocabSize}`);
  }
  const params = Object.fromEntries(paramsFromSafetensors(config, new Uint8Array(weights)));
  return { config, tokenizer, params };
}

/** The trainer's options from the app's settings (everything else: the CLI's defaults). */
export function rlOptions(s: TrainSettings): RlOptions {
  return {
    ...DEFAULT_RL,
    game: s.game,
    algo: s.algo,
    steps: s.steps,
    prompts: s.prompts,
    groupSize: s.groupSize,
    lr: s.lr,
    minLr: s.lr,
    maxNewTokens: s.maxNewTokens,
    temperature: s.temperature,
    klCoef: s.klCoef,
    seed: s.seed,
    // The pool leaves out at least the states `vigal eval` uses, and every state this run evaluates on.
    evalN: Math.max(DEFAULT_RL.evalN, s.evalN),
    // Answer-only rows merge to at most four per prompt (rl.ts mergeEqualRows): a smaller shape.
    microBatch: Math.max(1, Math.min(s.answerOnly ? (RL_PRESETS.demo as RlPreset).microBatch : DEFAULT_RL.microBatch, s.prompts * s.groupSize)),
    poolFilter: s.focusScan > 0 ? 'greedy-wrong' : 'none',
    filterScan: Math.max(1, s.focusScan),
    answerOnly: s.answerOnly && answerOnlyGame(s.game),
    answerGradient: s.answerOnly && answerOnlyGame(s.game) ? s.answerGradient : 'sampled',
    // The demo's entropy bonus goes with its exact gradient (the only place it applies).
    entropyCoef: s.answerOnly && s.answerGradient === 'exact' ? (RL_PRESETS.demo as RlPreset).entropyCoef : 0,
    trainable: s.trainable,
  };
}

/** A fresh copy of the weights (the reference policy must not follow the trained ones). */
export function copyParams(p: HostParams): HostParams {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, new Float32Array(v)]));
}
