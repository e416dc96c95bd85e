/**
 * The page's side of the model worker, as a Policy: observations are built here (cheap, pure), the
 * model runs in the worker. A crashed worker fails every pending step with a clear message and the
 * policy refuses further work until reloaded; nothing in the game is lost.
 */
import type { ModelConfig } from '../model/config';
import type { Quant } from '../model/onnx/nano';
import { nanoObservation, type NanoSampling } from '../policy/nano';
import type { ActOptions, Observation, Policy, PolicyResult, Position } from '../policy/types';
import type { ExecutionProvider } from '../runtime/ort';
import type { FromModelWorker, LoadedModel, NanoModelBytes, ToModelWorker } from './protocol';

interface Pending {
  resolve: (r: PolicyResult) => void;
  reject: (e: Error) => void;
  opts: ActOptions;
}

export interface WorkerLoadOptions {
  executionProviders?: ExecutionProvider[];
  quant?: Quant;
  sampling?: NanoSampling;
}

export class WorkerNanoPolicy implements Policy {
  readonly kind = 'nano' as const;
  readonly id: string;
  readonly label: string;
  readonly games: readonly ('snake' | 'rotation')[];
  readonly config: ModelConfig;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private crashed: string | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly loaded: LoadedModel,
    readonly folderUrl: string,
  ) {
    this.config = loaded.config;
    this.id = `nano:${loaded.config.name}`;
    this.label = loaded.config.name;
    this.games = loaded.config.games;
    worker.onmessage = (e: MessageEvent<FromModelWorker>) => this.receive(e.data);
    worker.onerror = (e) => this.fail(`the model worker crashed: ${e.message || 'unknown error'}; reload the model to continue`);
    worker.onmessageerror = () => this.fail('the model worker sent a message that could not be read');
  }

  /**
   * Starts a worker and loads the model folder at `folderUrl` (config.json, tokenizer.json, ONNX files),
   * or a model held in memory (`bytes`; `folderUrl` then only names it, e.g. 'memory:NAME').
   */
  static load(folderUrl: string, opts: WorkerLoadOptions = {}, bytes?: NanoModelBytes): Promise<WorkerNanoPolicy> {
    const worker = new Worker(new URL('./nano.worker.ts', import.meta.url), { type: 'module', name: 'nano-model' });
    return new Promise((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<FromModelWorker>) => {
        const msg = e.data;
        if (msg.type === 'loaded') resolve(new WorkerNanoPolicy(worker, msg, folderUrl));
        else if (msg.type === 'load-error') {
          worker.terminate();
          reject(new Error(msg.message));
        }
      };
      worker.onerror = (e) => {
        worker.terminate();
        reject(new Error(`the model worker failed to start: ${e.message || 'unknown error'}`));
      };
      const load: ToModelWorker = {
        type: 'load',
        folderUrl,
        ...(bytes ? { bytes } : {}),
        executionProviders: opts.executionProviders ?? ['webgpu', 'wasm'],
        quant: opts.quant,
        sampling: opts.sampling ?? {},
      };
      worker.postMessage(load);
    });
  }

  observe(position: Position): Observation {
    return nanoObservation(position, this.config.imageSize);
  }

  act(obs: Observation, opts: ActOptions = {}): Promise<PolicyResult> {
    if (this.crashed) return Promise.reject(new Error(this.crashed));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) return reject(new DOMException('generation cancelled', 'AbortError'));
      this.pending.set(id, { resolve, reject, opts });
      opts.signal?.addEventListener('abort', () => this.send({ type: 'cancel', id }), { once: true });
      this.send({ type: 'act', id, observation: obs });
    });
  }

  dispose(): void {
    this.fail('the model was unloaded');
    this.worker.terminate();
  }

  private send(msg: ToModelWorker): void {
    this.worker.postMessage(msg);
  }

  private receive(msg: FromModelWorker): void {
    if (!('id' in msg)) return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'token') {
      p.opts.streamer?.put(msg.text);
      return;
    }
    this.pending.delete(msg.id);
    p.opts.streamer?.end();
    if (msg.type === 'result') p.resolve(msg.result);
    else if (msg.type === 'error') {
      const err = msg.name === 'AbortError' ? new DOMException(msg.message, 'AbortError') : new Error(msg.message);
      p.reject(err);
    }
  }

  private fail(reason: string): void {
    this.crashed = reason;
    for (const p of this.pending.values()) p.reject(new Error(reason));
    this.pending.clear();
  }
}
