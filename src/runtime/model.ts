/**
 * A loaded nano model: config + tokenizer + one onnxruntime-web session, and `forward()`, the single
 * call the generation loop makes per step. Loading checks every file before ORT sees it (inspect.ts) and
 * reports which execution provider runs, and why WebGPU did not when it did not.
 *
 * Sources:
 *   - bytes: { config, tokenizer, model }            (tests, workers that fetched the files themselves)
 *   - a folder: '/path/models/vigal-nano-snake-sft'   (Node) or a URL '/models/vigal-nano-snake-sft/' (browser)
 *     holding config.json, tokenizer.json and model.onnx / model_q4.onnx (see model/export.ts).
 */
import type * as OrtModule from 'onnxruntime-web';
import { patchDim, validateConfig, type ModelConfig } from '../model/config';
import { Tokenizer } from '../model/tokenizer';
import { configDifferences, inspectNanoOnnx } from '../model/onnx/inspect';
import { pastKeyName, pastValueName, presentKeyName, presentValueName, type Quant } from '../model/onnx/nano';
import { MODEL_FILES, ModelFileError } from '../model/files';
import { EXECUTION_PROVIDERS, createSession, isNode, loadOrt, type ExecutionProvider, type Ort } from './ort';
import { webgpuSkipReason } from './adapter';

type Tensor = OrtModule.Tensor;

export interface ModelBytes {
  /** config.json contents (parsed object or text). */
  config: unknown;
  /** tokenizer.json contents (parsed object or text), or a Tokenizer. */
  tokenizer: unknown;
  /** The ONNX file's bytes. */
  model: Uint8Array;
  /** Where the ONNX bytes came from, for error messages (default 'model.onnx'). */
  modelName?: string;
}

export interface LoadOptions {
  /** Tried in order; default ['webgpu', 'wasm'] in the browser, ['wasm'] in Node. */
  executionProviders?: readonly ExecutionProvider[];
  /** Which ONNX file of a folder to load (default: PREFERRED_QUANT for the provider in the browser, 'fp32' in Node). Ignored for bytes. */
  quant?: Quant;
  /** Run on a software WebGPU adapter (SwiftShader...) too; by default such an adapter is skipped for WASM. */
  allowSoftwareAdapter?: boolean;
  numThreads?: number;
  wasmPaths?: string;
  /** Where fallbacks are reported (default console.warn): they are logged, not hidden. */
  log?: (message: string) => void;
}

/** The KV cache of one sequence batch: present.N.key/value of the last forward, in layer order. */
export interface KvCache {
  /** [2 * nLayer] tensors, key then value per layer, each [B, nHead, length, headSize]. */
  tensors: Tensor[];
  /** Positions cached. */
  length: number;
}

export interface ForwardInputs {
  /** [B, P, patchDim] flattened; P may be 0. */
  patches: Float32Array;
  numPatches: number;
  /** [B, S] flattened. */
  inputIds: ArrayLike<number>;
  batch: number;
  /** The previous step's cache, or null for a fresh sequence. */
  past: KvCache | null;
}

export interface ForwardOutputs {
  /** [B, S, vocab] flattened: text positions only. */
  logits: Float32Array;
  /** The new cache (past + this call's positions). The caller owns it: dispose with `disposeCache`. */
  present: KvCache;
}

export class NanoModel {
  private constructor(
    readonly ort: Ort,
    readonly session: OrtModule.InferenceSession,
    readonly config: ModelConfig,
    readonly tokenizer: Tokenizer,
    readonly quant: Quant,
    /** The execution provider the session runs on. */
    readonly provider: ExecutionProvider,
    /** Why the first requested provider was not used (null when it was). */
    readonly fallbackReason: string | null,
    readonly numThreads: number,
    /** Model file size in bytes. */
    readonly modelBytes: number,
  ) {}

  /**
   * Internal: use `loadNanoModel`. `source` gives the files for a provider (a folder has one ONNX file
   * per quantisation, and the fastest differs by provider); bytes are the same for every provider.
   */
  static async create(source: ModelBytes | ((provider: ExecutionProvider) => Promise<ModelBytes>), opts: LoadOptions = {}): Promise<NanoModel> {
    const log = opts.log ?? ((m: string) => console.warn(m));
    const bytesFor = typeof source === 'function' ? source : async () => source;
    // 1. execution provider: try each requested one in order, recording why one was skipped
    const requested = opts.executionProviders ?? (isNode() ? ['wasm'] : ['webgpu', 'wasm']);
    for (const p of requested) {
      if (!EXECUTION_PROVIDERS.includes(p)) throw new Error(`unknown execution provider ${JSON.stringify(p)}; valid: ${EXECUTION_PROVIDERS.join(', ')}`);
    }
    const reasons: string[] = [];
    const usable: ExecutionProvider[] = [];
    for (const provider of requested) {
      const why = provider === 'webgpu' ? await webgpuSkipReason(opts.allowSoftwareAdapter ?? false) : null;
      if (why) reasons.push(why);
      else usable.push(provider);
    }
    if (usable.length === 0) throw new Error(`could not create an inference session on any of ${requested.join(', ')}: ${reasons.join('; ')}`);
    // Only the providers that will be tried decide which ORT build loads (a skipped WebGPU loads none of its code).
    const { ort, numThreads } = await loadOrt(usable, opts);
    for (const provider of usable) {
      // 2. config, tokenizer and model header, checked against each other (a bad file fails here, not as a fallback)
      const bytes = await bytesFor(provider);
      const { config, tokenizer, info } = checkFiles(bytes);
      try {
        const session = await createSession(ort, bytes.model, {
          executionProviders: [provider],
          graphOptimizationLevel: 'all',
          // ORT logs at 'warning' by default: on WebGPU it warns that shape ops run on the CPU (by design),
          // which the browser console shows as an error with raw colour codes. Errors still surface.
          logSeverityLevel: 3,
          // On WebGPU the cache stays in GPU buffers between steps (only the logits come back).
          ...(provider === 'webgpu' ? { preferredOutputLocation: cacheLocations(config) } : {}),
        });
        const fallbackReason = reasons.length > 0 ? reasons.join('; ') : null;
        if (fallbackReason) log(`nano model on ${provider}, not WebGPU: ${fallbackReason}`);
        return new NanoModel(ort, session, config, tokenizer, info.quant, provider, fallbackReason, numThreads, bytes.model.length);
      } catch (e) {
        reasons.push(`${provider} session failed: ${(e as Error).message}`);
      }
    }
    throw new ModelFileError(`could not create an inference session on any of ${requested.join(', ')}: ${reasons.join('; ')}`);
  }

  /** One forward pass (see nano.ts for the contract). */
  async forward(inputs: ForwardInputs): Promise<ForwardOutputs> {
    const { ort, config: c } = this;
    const B = inputs.batch;
    const S = inputs.inputIds.length / B;
    const P = inputs.numPatches;
    const past = inputs.past?.length ?? 0;
    if (!Number.isInteger(S) || S < 1) throw new Error(`forward: ${inputs.inputIds.length} input ids do not split into batch ${B}`);
    if (inputs.patches.length !== B * P * patchDim(c)) {
      throw new Error(`forward: patches hold ${inputs.patches.length} values, [${B}, ${P}, ${patchDim(c)}] needs ${B * P * patchDim(c)}`);
    }
    if (past + P + S > c.maxSeqLen) throw new Error(`forward: ${past} cached + ${P} patches + ${S} tokens exceed maxSeqLen ${c.maxSeqLen}`);
    const ids = new BigInt64Array(B * S);
    for (let i = 0; i < ids.length; i++) {
      const id = inputs.inputIds[i] as number;
      if (!Number.isInteger(id) || id < 0 || id >= c.vocabSize) throw new Error(`forward: token id ${id} outside [0, ${c.vocabSize})`);
      ids[i] = BigInt(id);
    }
    const hs = c.dModel / c.nHead;
    const feeds: Record<string, Tensor> = {
      patches: new ort.Tensor('float32', inputs.patches, [B, P, patchDim(c)]),
      input_ids: new ort.Tensor('int64', ids, [B, S]),
    };
    for (let i = 0; i < c.nLayer; i++) {
      feeds[pastKeyName(i)] = inputs.past?.tensors[2 * i] ?? new ort.Tensor('float32', new Float32Array(0), [B, c.nHead, 0, hs]);
      feeds[pastValueName(i)] = inputs.past?.tensors[2 * i + 1] ?? new ort.Tensor('float32', new Float32Array(0), [B, c.nHead, 0, hs]);
    }
    const out = await this.session.run(feeds);
    feeds['patches']?.dispose();
    feeds['input_ids']?.dispose();
    const logitsTensor = out['logits'] as Tensor;
    const logits = (await logitsTensor.getData()) as Float32Array;
    logitsTensor.dispose();
    const tensors: Tensor[] = [];
    for (let i = 0; i < c.nLayer; i++) tensors.push(out[presentKeyName(i)] as Tensor, out[presentValueName(i)] as Tensor);
    return { logits, present: { tensors, length: past + P + S } };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }

  /** One line for the UI's provider indicator. */
  describe(): string {
    const threads = this.provider === 'wasm' ? `, ${this.numThreads} thread${this.numThreads === 1 ? '' : 's'}` : '';
    return `${this.config.name} ${this.quant} on ${this.provider}${threads}${this.fallbackReason ? ` (${this.fallbackReason})` : ''}`;
  }
}

/** Releases a cache's tensors (GPU buffers on WebGPU; a no-op for CPU tensors, kept for symmetry). */
export function disposeCache(cache: KvCache | null): void {
  for (const t of cache?.tensors ?? []) t.dispose();
}

function cacheLocations(c: ModelConfig): Record<string, 'gpu-buffer'> {
  const out: Record<string, 'gpu-buffer'> = {};
  for (let i = 0; i < c.nLayer; i++) out[presentKeyName(i)] = out[presentValueName(i)] = 'gpu-buffer';
  return out;
}

/** config.json, tokenizer.json and the ONNX header, checked against each other. */
function checkFiles(bytes: ModelBytes): { config: ModelConfig; tokenizer: Tokenizer; info: ReturnType<typeof inspectNanoOnnx> } {
  const config = withFile('config.json', () => validateConfig(typeof bytes.config === 'string' ? JSON.parse(bytes.config) : bytes.config));
  const tokenizer = bytes.tokenizer instanceof Tokenizer ? bytes.tokenizer : asModelFileError(() => Tokenizer.fromJSON(bytes.tokenizer));
  if (tokenizer.vocabSize > config.vocabSize) {
    throw new ModelFileError(`config/tokenizer mismatch: tokenizer.json has ${tokenizer.vocabSize} tokens but config.json vocabSize is ${config.vocabSize}`);
  }
  const info = inspectNanoOnnx(bytes.model, bytes.modelName ?? 'model.onnx');
  const diff = configDifferences(config, info.config);
  if (diff.length > 0) {
    throw new ModelFileError(
      `config/model mismatch: config.json and ${info.file} disagree on ${diff.join(', ')} (config.json vs model). ` +
        'Use the config.json exported with this model.',
    );
  }
  return { config, tokenizer, info };
}

/** Runs a check of one model file; its failure is the file's fault, reported with the file's name. */
function withFile<T>(file: string, body: () => T): T {
  try {
    return body();
  } catch (e) {
    throw new ModelFileError(`${file}: ${(e as Error).message}`);
  }
}

/** Like withFile, for checks whose messages already name the file. */
function asModelFileError<T>(body: () => T): T {
  try {
    return body();
  } catch (e) {
    throw e instanceof ModelFileError ? e : new ModelFileError((e as Error).message);
  }
}

/**
 * The ONNX file each provider loads from a folder when no quant is asked for, by measured decode speed
 * (`npm run bench:infer`, Chromium on a 2-core machine, KV cache): on WASM the fp32 file decodes 2.6x
 * faster than the 4-bit one (579 vs 222 tokens/s: ORT's WASM MatMulNBits kernel loses to its fp32 GEMM at
 * this model's size); on WebGPU the 4-bit file is kept (4x fewer weight bytes to read per token, the
 * usual win on a GPU, and a 4x smaller download). Node (CLI, server, tests) loads fp32 whatever the
 * provider: the trainer's exact numbers.
 */
export const PREFERRED_QUANT: Readonly<Record<ExecutionProvider, Quant>> = { wasm: 'fp32', webgpu: 'q4' };

/**
 * Loads a nano model from bytes or from a folder/URL (see header). `quant` picks model.onnx ('fp32') or
 * model_q4.onnx ('q4') from a folder; without it each provider gets its PREFERRED_QUANT file.
 */
export async function loadNanoModel(source: ModelBytes | string, opts: LoadOptions = {}): Promise<NanoModel> {
  if (typeof source !== 'string') return NanoModel.create(source, opts);
  const read = folderReader(source);
  // config and tokenizer once; the ONNX file for the provider being tried (fetched at most once per file)
  const texts = Promise.all([read(MODEL_FILES.config), read(MODEL_FILES.tokenizer)]).then((bs) => bs.map((b) => new TextDecoder().decode(b)));
  texts.catch(() => undefined); // awaited below; this only keeps a load that fails earlier from leaving it unhandled
  const onnx = new Map<Quant, Promise<Uint8Array>>();
  return NanoModel.create(async (provider) => {
    const quant: Quant = opts.quant ?? (isNode() ? 'fp32' : PREFERRED_QUANT[provider]);
    const file = quant === 'q4' ? MODEL_FILES.onnxQ4 : MODEL_FILES.onnx;
    if (!onnx.has(quant)) onnx.set(quant, read(file));
    const [[config, tokenizer], model] = await Promise.all([texts, onnx.get(quant) as Promise<Uint8Array>]);
    return { config, tokenizer, model, modelName: joinName(source, file) };
  }, opts);
}

const joinName = (folder: string, file: string): string => (folder.endsWith('/') ? folder + file : `${folder}/${file}`);

/** A file reader for a folder path (Node) or URL (fetch), whose errors name the folder, file and fix. */
function folderReader(folder: string): (file: string) => Promise<Uint8Array> {
  const expected = Object.values(MODEL_FILES).join(', ');
  const hint = `expected ${expected} (write them with \`vigal export-model\`)`;
  const isUrl = /^(https?|file|blob):/.test(folder) || !isNode();
  if (isUrl) {
    return async (file) => {
      const url = folder.endsWith('/') ? folder + file : `${folder}/${file}`;
      let res: Response;
      try {
        res = await fetch(url);
      } catch (e) {
        throw new ModelFileError(`could not fetch ${url}: ${(e as Error).message}`);
      }
      if (!res.ok) throw new ModelFileError(`model folder ${folder} has no ${file} (HTTP ${res.status} for ${url}); ${hint}`);
      // A dev server answers a missing file with index.html: catch that before ORT parses HTML as ONNX.
      if ((res.headers.get('content-type') ?? '').includes('text/html')) {
        throw new ModelFileError(`model folder ${folder} has no ${file} (${url} returned an HTML page); ${hint}`);
      }
      return new Uint8Array(await res.arrayBuffer());
    };
  }
  return async (file) => {
    // A variable specifier keeps bundlers from pulling node:fs into the browser build.
    const fsName = 'node:fs/promises';
    const pathName = 'node:path';
    const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
    const path = (await import(/* @vite-ignore */ pathName)) as typeof import('node:path');
    const full = path.join(folder, file);
    try {
      return new Uint8Array(await fs.readFile(full));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        const folderExists = await fs.stat(folder).then(
          () => true,
          () => false,
        );
        throw new ModelFileError(folderExists ? `model folder ${folder} has no ${file}; ${hint}` : `model folder ${folder} does not exist; ${hint}`);
      }
      throw new ModelFileError(`could not read ${full}: ${(e as Error).message}`);
    }
  };
}
