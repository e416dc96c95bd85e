/**
 * Policy names on the command line: `nano` (the default checkpoint in models/), `nano:PATH` (a model
 * folder), `bot:NAME` or just `NAME` for the rule-based bots, and `openai:MODEL@BASE_URL` for a model
 * behind an OpenAI-compatible server (the key comes from the environment, never from the command line,
 * where other users of the machine could read it in the process list), and `local:PATH[@DTYPE]` for a
 * SmolVLM/Qwen2-VL export in a local folder run by transformers.js on onnxruntime-node (docs/local-vlm.md).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_BOT_NAMES as BOT_NAMES } from '../games/registry';
import { DEFAULT_MODEL, MODEL_FILES } from '../model/files';
import { BotPolicy } from '../policy/bots';
import { NanoPolicy, type NanoSampling } from '../policy/nano';
import { OpenAIPolicy } from '../policy/openai';
import { LocalVlmPolicy } from '../policy/localvlm';
import { parseDtypeSpec, type VlmDtype, type VlmModule } from '../model/vlm/layout';
import { loadLocalVlm } from '../runtime/transformers';
import type { Policy } from '../policy/types';
import { parsePolicySpec, PolicySpecError, tryParsePolicySpec, type PolicySpec } from '../policy/spec';
import { loadNanoModel, type NanoModel } from '../runtime/model';
import { UsageError } from './io';

/** The project's models/ folder (shipped checkpoints). */
export const MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

/** Where the OpenAI policy's key is read from, first set wins. */
export const API_KEY_ENV = ['VIGAL_API_KEY', 'OPENAI_API_KEY'] as const;
/** The base URL when `openai:MODEL` names none. */
export const BASE_URL_ENV = ['VIGAL_BASE_URL', 'OPENAI_BASE_URL'] as const;

export const POLICY_HELP =
  `nano (models/${DEFAULT_MODEL}), nano:PATH (a model folder or a name under models/), bot:NAME or NAME (${BOT_NAMES.join(', ')}), ` +
  `openai:MODEL@BASE_URL (an OpenAI-compatible server, e.g. openai:ViGaL-7B@http://127.0.0.1:8000/v1; key from ${API_KEY_ENV.join(' or ')}), ` +
  `local:PATH[@DTYPE] (a SmolVLM/Qwen2-VL transformers.js export in a folder or under models/, e.g. local:models/SmolVLM-256M-Instruct@q4)`;

export interface PolicySettings extends NanoSampling {
  /** OpenAI policies: longest answer in tokens. */
  maxTokens?: number;
}

export async function resolvePolicy(spec: string, sampling: PolicySettings = {}): Promise<Policy> {
  const parsed = parseCliSpec(spec);
  switch (parsed.kind) {
    case 'bot':
      return new BotPolicy(parsed.bot, sampling.seed ?? 0);
    case 'nano': {
      const folder = nanoFolder(spec);
      // A trainer checkpoint (weights, no ONNX yet) is evaluated as is: the graph is built in memory.
      if (!existsSync(join(folder, MODEL_FILES.onnx)) && existsSync(join(folder, MODEL_FILES.safetensors))) {
        return new NanoPolicy(await checkpointModel(folder), sampling);
      }
      return new NanoPolicy(await loadNanoModel(folder, { executionProviders: ['wasm'] }), sampling);
    }
    case 'openai':
      return openaiPolicy(spec, parsed, sampling);
    case 'local':
      return localPolicy(spec, sampling);
    default:
      throw new UsageError(`unknown policy '${spec}'; use ${POLICY_HELP}`);
  }
}

/** A spec as the command line takes it (bare bot names too); a bad one is a usage error. */
function parseCliSpec(spec: string): PolicySpec {
  try {
    return parsePolicySpec(spec, { bareBotNames: true });
  } catch (e) {
    if (!(e instanceof PolicySpecError)) throw e;
    throw new UsageError(/^unknown policy/.test(e.message) ? `unknown policy '${spec}'; use ${POLICY_HELP}` : e.message);
  }
}

/** A nano model from a trainer checkpoint folder (config.json, tokenizer.json, model.safetensors). */
async function checkpointModel(folder: string): Promise<NanoModel> {
  const { loadWeights } = await import('../train/checkpoint.node.ts');
  const { buildNanoGraph } = await import('../model/onnx/nano');
  const w = await loadWeights(folder);
  if (w.tokenizer === null) throw new UsageError(`checkpoint ${folder} has no ${MODEL_FILES.tokenizer}`);
  // A checkpoint keeps its start model's config name; named after its folder it can be compared with
  // that start model (`eval --policies nano:models/X-sft,nano:out/run`) instead of clashing with it.
  const config = { ...w.config, name: basename(resolve(folder)) };
  const model = buildNanoGraph(config, w.params, { quant: 'fp32' });
  return loadNanoModel(
    { config, tokenizer: w.tokenizer, model, modelName: `${folder} (built from ${MODEL_FILES.safetensors})` },
    { executionProviders: ['wasm'] },
  );
}

/** The model folder a `nano` or `nano:PATH` spec names (a path, or a name under models/). */
export function nanoFolder(spec: string): string {
  const parsed = tryParsePolicySpec(spec);
  if (parsed?.kind !== 'nano') throw new UsageError(`model '${spec}' must be nano or nano:PATH (a model folder or a name under models/)`);
  const named = parsed.model ?? DEFAULT_MODEL;
  const folder = existsSync(named) ? resolve(named) : resolve(MODELS_DIR, named);
  if (!existsSync(folder)) throw new UsageError(`'${spec}': no model folder at ${named} or ${folder}`);
  return folder;
}

/** `openai:MODEL@BASE_URL`, or `openai:MODEL` with the URL from the environment. */
function openaiPolicy(
  spec: string,
  parsed: Extract<PolicySpec, { kind: 'openai' }>,
  sampling: PolicySettings,
  env: NodeJS.ProcessEnv = process.env,
): OpenAIPolicy {
  const model = parsed.model;
  if (!model) throw new UsageError(`policy '${spec}' names no model; write openai:MODEL@BASE_URL, e.g. openai:ViGaL-7B@http://127.0.0.1:8000/v1`);
  const baseURL = parsed.baseURL ?? BASE_URL_ENV.map((k) => env[k]).find(Boolean);
  if (!baseURL) {
    throw new UsageError(
      `policy '${spec}' names no server; write openai:${model}@BASE_URL (e.g. http://127.0.0.1:8000/v1) or set ${BASE_URL_ENV.join(' or ')}`,
    );
  }
  const apiKey = API_KEY_ENV.map((k) => env[k]).find(Boolean);
  try {
    return new OpenAIPolicy({
      baseURL,
      model,
      apiKey,
      temperature: sampling.temperature,
      topP: sampling.topP,
      seed: sampling.seed,
      maxTokens: sampling.maxTokens ?? sampling.maxNewTokens,
      log: (m) => process.stderr.write(`vigal: ${m}\n`),
    });
  } catch (e) {
    throw new UsageError(`policy '${spec}': ${(e as Error).message}`);
  }
}

/** `local:PATH[@DTYPE]`: DTYPE is one dtype for every module (q4) or per module (decoder_model_merged=q4,vision_encoder=fp32). */
export function parseLocalSpec(spec: string): { folder: string; dtypes: Partial<Record<VlmModule, VlmDtype>> } {
  const parsed = parseCliSpec(spec);
  if (parsed.kind !== 'local' || parsed.path === null) {
    throw new UsageError(`policy '${spec}' names no folder; write local:PATH (a SmolVLM/Qwen2-VL export), e.g. local:models/SmolVLM-256M-Instruct`);
  }
  const path = parsed.path;
  let dtypes: Partial<Record<VlmModule, VlmDtype>> = {};
  if (parsed.dtype !== null) {
    try {
      dtypes = parseDtypeSpec(parsed.dtype);
    } catch (e) {
      throw new UsageError(`policy '${spec}': ${(e as Error).message}`);
    }
  }
  const folder = existsSync(path) ? resolve(path) : resolve(MODELS_DIR, path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`'${spec}': no model folder at ${path} or ${folder}`);
  return { folder, dtypes };
}

async function localPolicy(spec: string, sampling: PolicySettings): Promise<LocalVlmPolicy> {
  const { folder, dtypes } = parseLocalSpec(spec);
  const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).map((f) => f.split('\\').join('/'));
  let config: unknown = null;
  if (existsSync(join(folder, 'config.json'))) {
    try {
      config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as unknown;
    } catch (e) {
      throw new UsageError(`'${spec}': ${folder}/config.json is not valid JSON: ${(e as Error).message}`);
    }
  }
  // A bad folder (missing file, unsupported architecture, corrupt ONNX) is the user's input: exit 2, no stack.
  const vlm = await loadLocalVlm({ source: { kind: 'path', dir: folder, name: basename(folder), files, config }, dtypes }).catch((e: unknown) => {
    throw new UsageError(`policy '${spec}': ${(e as Error).message}`);
  });
  return new LocalVlmPolicy(vlm, { temperature: sampling.temperature, topP: sampling.topP, maxNewTokens: sampling.maxTokens ?? sampling.maxNewTokens });
}
