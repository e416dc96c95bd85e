/**
 * Real VLMs (SmolVLM, Qwen2-VL exports) through transformers.js, from a local folder only. The library
 * is imported lazily (its own chunk, loaded when a local VLM is chosen); remote access is off
 * (`allowRemoteModels = false`, model ids are absolute paths, which are never hub ids, and `env.fetch`
 * refuses any URL off this origin); ORT's .wasm comes from this app, never a CDN.
 *
 * Where it runs:
 *   browser (worker)  onnxruntime-web (one copy, shared with the nano runtime): WebGPU, else WASM
 *   Node (CLI)        onnxruntime-node (native CPU build), from the folder on disk
 * Generation follows transformers.js's own loop (KV cache, greedy or sampled); text reaches the caller
 * through `onText` as the tokenizer's streamer releases it.
 */
import type * as Transformers from '@huggingface/transformers';
import type { Raster } from '../render/raster';
import { chooseDtypes, inspectVlmFolder, type VlmDtype, type VlmFolder, type VlmModule } from '../model/vlm/layout';
import { isNode } from './ort';
import { webgpuSkipReason } from './adapter';
import { webGlobals } from '../util/web';

type TF = typeof Transformers;
export type VlmDevice = 'webgpu' | 'wasm' | 'cpu';

/** Where the model folder is. */
export type VlmSource =
  /** A folder on disk (Node), listed by the caller (this module stays free of node: imports for the browser). */
  | { kind: 'path'; dir: string; name: string; files: string[]; config: unknown }
  /** A folder served by this app, e.g. '/models/SmolVLM-256M-Instruct/' (browser). */
  | { kind: 'url'; base: string }
  /** Files from a directory picker, by path relative to the folder (browser). */
  | { kind: 'files'; name: string; files: Map<string, Blob> };

export interface VlmLoadOptions {
  source: VlmSource;
  /** 'webgpu' falls back to 'wasm' (the reason is reported); Node always runs 'cpu'. */
  device?: VlmDevice;
  dtypes?: Partial<Record<VlmModule, VlmDtype>>;
  /** 'webgpu' on a software adapter (SwiftShader...) too; by default such an adapter falls back to WASM. */
  allowSoftwareAdapter?: boolean;
  /** Browser: the URL of ORT's ort-wasm-simd-threaded.asyncify.wasm as this app serves it. */
  wasmUrl?: string;
  numThreads?: number;
}

export interface VlmInfo {
  name: string;
  family: string;
  modelType: string;
  device: VlmDevice;
  dtypes: Record<VlmModule, VlmDtype>;
  /** The dtypes the folder offers per module (for the UI's choice). */
  available: Record<VlmModule, VlmDtype[]>;
  /** Why WebGPU is not used, when it was asked for and is not. */
  fallbackReason: string | null;
  loadMs: number;
}

export interface VlmRequest {
  /** One user turn: the images first (as ViGaL's chat layout places them), then the prompt. */
  prompt: string;
  images: Raster[];
  maxNewTokens: number;
  /** 0 = greedy. */
  temperature: number;
  topP?: number;
}

export interface VlmGeneration {
  text: string;
  newTokens: number;
  totalMs: number;
  timeToFirstTokenMs?: number;
  tokensPerSecond: number;
}

export interface LocalVlm {
  readonly info: VlmInfo;
  generate(req: VlmRequest, opts?: { signal?: AbortSignal; onText?: (text: string) => void }): Promise<VlmGeneration>;
  dispose(): Promise<void>;
}

/** The virtual origin path a picked directory is served under (only inside our env.fetch). */
const PICKED_PREFIX = '/vigal-picked/';

let tfPromise: Promise<TF> | null = null;

/** Imports transformers.js once (lazily: the import is what puts it in a chunk of its own). */
async function importTransformers(): Promise<TF> {
  tfPromise ??= import('@huggingface/transformers').catch((e: unknown) => {
    tfPromise = null;
    const msg = (e as Error).message ?? String(e);
    if (isNode() && /onnxruntime|\.node\b|libonnxruntime/i.test(msg)) {
      throw new Error(
        `transformers.js could not load onnxruntime-node's native binary (${msg}). In Node the local VLM runs on onnxruntime-node; ` +
          'reinstall it (npm ci; the .npmrc skips only its optional CUDA download) or use this model in the browser.',
      );
    }
    throw new Error(`could not load transformers.js: ${msg}`);
  });
  return tfPromise;
}

/** Settings that must hold before the first model: local files only, no caches, ORT wasm from this app. */
function configure(tf: TF, opts: VlmLoadOptions, files: Map<string, Blob> | null): void {
  const env = tf.env;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useBrowserCache = false; // the folder is already local; a cached copy would outlive a regenerated model
  env.useFSCache = false;
  if (isNode()) return;
  const origin = webGlobals.location?.origin ?? '';
  const pageFetch = globalThis.fetch.bind(globalThis);
  env.fetch = async (input: string | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input), origin || undefined);
    if (url.origin !== origin) throw new Error(`refusing to fetch ${url.href}: the local VLM loads only from this app (${origin})`);
    if (files && url.pathname.startsWith(PICKED_PREFIX)) {
      const rel = decodeURIComponent(url.pathname.slice(PICKED_PREFIX.length)).split('/').slice(1).join('/');
      const blob = files.get(rel);
      return blob ? new Response(blob, { status: 200 }) : new Response(`not in the picked folder: ${rel}`, { status: 404 });
    }
    return pageFetch(url, init);
  };
  const wasm = env.backends.onnx.wasm;
  if (wasm) {
    if (opts.wasmUrl) wasm.wasmPaths = { wasm: opts.wasmUrl };
    wasm.numThreads = opts.numThreads ?? defaultThreads();
    wasm.proxy = false;
  }
}

function defaultThreads(): number {
  const isolated = typeof webGlobals.crossOriginIsolated === 'boolean' && webGlobals.crossOriginIsolated;
  const cores = webGlobals.navigator !== undefined ? webGlobals.navigator.hardwareConcurrency || 2 : 2;
  return isolated ? Math.max(1, Math.min(4, Math.floor(cores / 2))) : 1;
}

/** Lists the folder's files (relative paths) and reads its config.json, for the layout check. */
async function listFolder(source: VlmSource): Promise<{ name: string; id: string; files: string[]; config: unknown }> {
  const parseConfig = (text: string, where: string): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new Error(`${where}/config.json is not valid JSON: ${(e as Error).message}`);
    }
  };
  if (source.kind === 'path') return { name: source.name, id: source.dir, files: source.files, config: source.config };
  if (source.kind === 'files') {
    const blob = source.files.get('config.json');
    const config = blob ? parseConfig(await blob.text(), source.name) : null;
    return { name: source.name, id: `${PICKED_PREFIX}${encodeURIComponent(source.name)}`, files: [...source.files.keys()], config };
  }
  // Served under /models/: index.json lists each folder's files (vite.models.ts).
  const base = source.base.endsWith('/') ? source.base : `${source.base}/`;
  const name = decodeURIComponent(base.split('/').filter(Boolean).at(-1) ?? '');
  const root = base.slice(0, base.length - encodeURIComponent(name).length - 1);
  const [index, configRes] = await Promise.all([fetch(`${root}index.json`), fetch(`${base}config.json`)]);
  const entries = index.ok ? ((await index.json()) as { name: string; files: string[] }[]) : [];
  const files = entries.find((e) => e.name === name)?.files ?? [];
  const config = configRes.ok ? parseConfig(await configRes.text(), base) : null;
  return { name, id: base.replace(/\/$/, ''), files, config };
}

export async function loadLocalVlm(opts: VlmLoadOptions): Promise<LocalVlm> {
  const t0 = performance.now();
  // 1. Check the folder before any ONNX is read: a bad layout fails here, naming the missing file.
  const listing = await listFolder(opts.source);
  const folder = inspectVlmFolder(listing.files, listing.config, `model folder '${listing.name}'`);
  // 2. The device: Node runs onnxruntime-node's CPU build; the browser tries WebGPU, else WASM.
  let device: VlmDevice = isNode() ? 'cpu' : opts.device === 'cpu' ? 'wasm' : (opts.device ?? 'webgpu');
  let fallbackReason: string | null = null;
  if (device === 'webgpu') {
    fallbackReason = await webgpuSkipReason(opts.allowSoftwareAdapter ?? false);
    if (fallbackReason) device = 'wasm';
  }
  const tf = await importTransformers();
  configure(tf, opts, opts.source.kind === 'files' ? opts.source.files : null);
  // 3. Processor (tokenizer, image processor, chat template) and the three sessions.
  const load = async (d: VlmDevice) => {
    const dtypes = chooseDtypes(folder, d, opts.dtypes);
    const [processor, model] = await Promise.all([
      tf.AutoProcessor.from_pretrained(listing.id),
      tf.AutoModelForImageTextToText.from_pretrained(listing.id, { device: d, dtype: dtypes }),
    ]);
    return { processor, model, dtypes };
  };
  let loaded: Awaited<ReturnType<typeof load>>;
  try {
    loaded = await load(device);
  } catch (e) {
    if (device !== 'webgpu') throw explainLoadError(e, listing.name);
    fallbackReason = `WebGPU session failed (${(e as Error).message}); using WASM`;
    device = 'wasm';
    try {
      loaded = await load(device);
    } catch (e2) {
      throw explainLoadError(e2, listing.name);
    }
  }
  const info: VlmInfo = {
    name: listing.name,
    family: folder.family.name,
    modelType: folder.modelType,
    device,
    dtypes: loaded.dtypes,
    available: folder.dtypes,
    fallbackReason,
    loadMs: performance.now() - t0,
  };
  return new TransformersVlm(tf, loaded.processor, loaded.model, info, folder);
}

/** transformers.js and ORT errors, with the folder named and a hint where one helps. */
function explainLoadError(e: unknown, name: string): Error {
  const msg = (e as Error).message ?? String(e);
  if (/protobuf|parse|invalid model|ModelProto|Load model/i.test(msg)) {
    return new Error(`model folder '${name}': an ONNX file could not be read (corrupt or truncated?): ${msg}`);
  }
  if (/not found locally|file was not found|404/i.test(msg)) return new Error(`model folder '${name}': a file is missing: ${msg}`);
  return new Error(`model folder '${name}' failed to load: ${msg}`);
}

class TransformersVlm implements LocalVlm {
  constructor(
    private readonly tf: TF,
    private readonly processor: Transformers.Processor,
    private readonly model: Transformers.PreTrainedModel,
    readonly info: VlmInfo,
    private readonly folder: VlmFolder,
  ) {}

  async generate(req: VlmRequest, opts: { signal?: AbortSignal; onText?: (text: string) => void } = {}): Promise<VlmGeneration> {
    const { tf, processor } = this;
    const t0 = performance.now();
    // 1. The chat prompt: the model's own template, one user turn with the images first.
    const messages = [{ role: 'user', content: [...req.images.map(() => ({ type: 'image' })), { type: 'text', text: req.prompt }] }];
    let text: string;
    try {
      text = processor.apply_chat_template(messages as Parameters<Transformers.Processor['apply_chat_template']>[0], { add_generation_prompt: true }) as string;
    } catch (e) {
      throw new Error(`model folder '${this.info.name}': its chat template failed (${(e as Error).message}); tokenizer_config.json needs a chat_template`);
    }
    // 2. Pixels and token ids (RGBA rasters; the image processor converts to RGB).
    const images = req.images.map((r) => new tf.RawImage(new Uint8ClampedArray(r.data), r.width, r.height, 4));
    if (this.folder.family.processorArgs !== 'text-images') throw new Error(`unsupported processor call for ${this.folder.family.name}`);
    // Processor._call takes (text, images, options) for both families; its typings say `input`, so cast.
    const inputs = (await (processor as unknown as (t: string, i: Transformers.RawImage[]) => Promise<Record<string, unknown>>)(text, images)) as Record<
      string,
      unknown
    >;
    // 3. Generate, streaming text as it decodes; an abort interrupts between tokens.
    let first: number | undefined;
    let last = t0;
    let newTokens = 0;
    const streamer = new tf.TextStreamer(processor.tokenizer as Transformers.PreTrainedTokenizer, {
      skip_prompt: true,
      skip_special_tokens: true,
      callback_function: (piece: string) => {
        if (piece) opts.onText?.(piece);
      },
      token_callback_function: () => {
        const now = performance.now();
        first ??= now - t0;
        last = now;
        newTokens++;
      },
    });
    const stop = new tf.InterruptableStoppingCriteria();
    const onAbort = () => stop.interrupt();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let output: unknown;
    try {
      output = await this.model.generate({
        ...inputs,
        max_new_tokens: req.maxNewTokens,
        do_sample: req.temperature > 0,
        ...(req.temperature > 0 ? { temperature: req.temperature, top_p: req.topP ?? 1 } : {}),
        streamer,
        stopping_criteria: stop,
      } as Parameters<Transformers.PreTrainedModel['generate']>[0]);
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
    if (opts.signal?.aborted) throw new DOMException('generation cancelled', 'AbortError');
    // 4. The full answer, decoded once (the streamer's pieces may hold back an unfinished character).
    const ids = output as Transformers.Tensor;
    const promptLength = (inputs.input_ids as Transformers.Tensor).dims.at(-1) ?? 0;
    const answer = processor.batch_decode(ids.slice(null, [promptLength, ids.dims.at(-1) ?? promptLength]), { skip_special_tokens: true })[0] ?? '';
    const totalMs = performance.now() - t0;
    const decodeMs = first !== undefined ? last - t0 - first : 0;
    return {
      text: answer,
      newTokens,
      totalMs,
      ...(first !== undefined ? { timeToFirstTokenMs: first } : {}),
      tokensPerSecond: decodeMs > 0 && newTokens > 1 ? (newTokens - 1) / (decodeMs / 1000) : 0,
    };
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
