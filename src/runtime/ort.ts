/**
 * Which onnxruntime-web build to load, and with which settings. The import is switchable so Node tests
 * never load WebGPU code:
 *   Node                 'onnxruntime-web'        (its "node" export: the WASM build)
 *   browser, WASM only   'onnxruntime-web/wasm'
 *   browser, WebGPU      'onnxruntime-web/webgpu' (WebGPU EP plus the WASM EP for fallback)
 * `ort.env.wasm` must be set before the first session; later changes are ignored by ORT, so the first
 * `loadOrt` call's settings win (and are reported).
 */
import type * as OrtModule from 'onnxruntime-web';
import { webGlobals } from '../util/web';

export type Ort = typeof OrtModule;
export type ExecutionProvider = 'webgpu' | 'wasm';
export const EXECUTION_PROVIDERS: readonly ExecutionProvider[] = ['webgpu', 'wasm'];

export const isNode = (): boolean =>
  // eslint-disable-next-line no-restricted-globals -- the environment check itself: reads process only where it exists
  typeof process !== 'undefined' && typeof process.versions === 'object' && typeof process.versions.node === 'string';

export interface OrtOptions {
  /**
   * WASM threads. Default: 1 in Node (ORT's Node build runs its threads as worker_threads; on this
   * project's 2-core machines the second thread measured no faster for a model this small), and
   * min(4, cores / 2) in a cross-origin-isolated browser (threads need SharedArrayBuffer).
   */
  numThreads?: number;
  /** Where the browser loads ort-wasm-*.wasm/.mjs from (e.g. a local folder under public/). */
  wasmPaths?: string;
}

let loaded: { flavor: 'node' | 'wasm' | 'webgpu'; ort: Ort; numThreads: number } | null = null;

/** Loads (once) the ORT build that can run `providers`, and configures its WASM backend. */
export async function loadOrt(providers: readonly ExecutionProvider[], opts: OrtOptions = {}): Promise<{ ort: Ort; numThreads: number }> {
  const flavor: 'node' | 'wasm' | 'webgpu' = isNode() ? 'node' : providers.includes('webgpu') ? 'webgpu' : 'wasm';
  if (loaded && (loaded.flavor === flavor || (loaded.flavor === 'webgpu' && flavor === 'wasm'))) {
    return { ort: loaded.ort, numThreads: loaded.numThreads };
  }
  let ort: Ort;
  // Literal specifiers for the browser builds, so the bundler sees (and splits) each; only the taken branch
  // is fetched. The Node build's specifier is a variable the bundler skips: as a literal it pulled ORT's
  // default browser bundle and its 28 MB JSEP .wasm into the build, which the app never loads.
  if (flavor === 'node') {
    const nodeBuild = 'onnxruntime-web';
    ort = (await import(/* @vite-ignore */ nodeBuild)) as Ort;
  } else if (flavor === 'webgpu') ort = await import('onnxruntime-web/webgpu');
  else ort = await import('onnxruntime-web/wasm');
  // ORT's own warnings (e.g. shape ops placed on the CPU by design) would read as errors in the console.
  ort.env.logLevel = 'error';
  const numThreads = opts.numThreads ?? defaultThreads();
  ort.env.wasm.numThreads = numThreads;
  if (opts.wasmPaths !== undefined) ort.env.wasm.wasmPaths = opts.wasmPaths;
  loaded = { flavor, ort, numThreads };
  return { ort, numThreads };
}

/**
 * `ort.InferenceSession.create`, minus one side effect in Node: ORT's threaded Emscripten module sets
 * `global.Worker = worker_threads.Worker` when its WASM starts. jax-js (the trainer, possibly in the same
 * process: RL rollouts + updates) reads `typeof Worker` to decide whether its kernels import shared
 * memory, while its memory was created unshared earlier, so every later jax-js kernel fails with
 * "LinkError: memory import 0 has no maximum limit". With one ORT thread nothing in ORT needs the
 * global afterwards, so it is put back as it was.
 */
export async function createSession(ort: Ort, model: Uint8Array, options: OrtModule.InferenceSession.SessionOptions = {}): Promise<OrtModule.InferenceSession> {
  const g = globalThis as { Worker?: unknown };
  const had = Object.prototype.hasOwnProperty.call(g, 'Worker');
  const before = g.Worker;
  try {
    return await ort.InferenceSession.create(model, options);
  } finally {
    if (isNode() && ort.env.wasm.numThreads === 1 && g.Worker !== before) {
      if (had) g.Worker = before;
      else Reflect.deleteProperty(g, 'Worker');
    }
  }
}

function defaultThreads(): number {
  if (isNode()) return 1;
  const isolated = typeof webGlobals.crossOriginIsolated === 'boolean' && webGlobals.crossOriginIsolated;
  const cores = webGlobals.navigator !== undefined ? webGlobals.navigator.hardwareConcurrency || 2 : 2;
  return isolated ? Math.max(1, Math.min(4, Math.floor(cores / 2))) : 1;
}
