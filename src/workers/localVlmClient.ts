/**
 * The page's side of the local-VLM worker, as a Policy: observations are built here (the full ViGaL
 * interface), transformers.js runs in the worker. A crashed worker fails every pending step with a clear
 * message and the policy refuses further work until reloaded; nothing in the game is lost.
 */
// ORT's WASM binary as this app serves it (the same asset the nano runtime's bundle references), so
// transformers.js never reaches for its default CDN copy.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import type { VlmDtype, VlmModule } from '../model/vlm/layout';
import { localPolicyId, localVlmObservation, type LocalVlmSampling } from '../policy/localvlm';
import type { ActOptions, Observation, Policy, PolicyResult, Position } from '../policy/types';
import type { VlmDevice, VlmInfo } from '../runtime/transformers';
import type { FromLocalVlmWorker, LocalVlmWorkerSource, ToLocalVlmWorker } from './localVlmProtocol';

interface Pending {
  resolve: (r: PolicyResult) => void;
  reject: (e: Error) => void;
  opts: ActOptions;
}

export interface LocalVlmLoadSettings {
  device: VlmDevice;
  dtypes: Partial<Record<VlmModule, VlmDtype>>;
  sampling: LocalVlmSampling;
}

export class WorkerLocalVlmPolicy implements Policy {
  readonly kind = 'local' as const;
  readonly id: string;
  readonly label: string;
  readonly games = ['snake', 'rotation'] as const;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private crashed: string | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly info: VlmInfo,
    readonly description: string,
  ) {
    this.id = localPolicyId(info.name);
    this.label = `${info.name} (local)`;
    worker.onmessage = (e: MessageEvent<FromLocalVlmWorker>) => this.receive(e.data);
    worker.onerror = (e) => this.fail(`the local VLM worker crashed: ${e.message || 'unknown error'}; reload the model to continue`);
    worker.onmessageerror = () => this.fail('the local VLM worker sent a message that could not be read');
  }

  /** Starts a worker and loads the folder (served under /models/, or picked files). */
  static load(source: LocalVlmWorkerSource, settings: LocalVlmLoadSettings): Promise<WorkerLocalVlmPolicy> {
    const worker = new Worker(new URL('./localvlm.worker.ts', import.meta.url), { type: 'module', name: 'local-vlm' });
    return new Promise((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<FromLocalVlmWorker>) => {
        const msg = e.data;
        if (msg.type === 'loaded') resolve(new WorkerLocalVlmPolicy(worker, msg.info, msg.description));
        else if (msg.type === 'load-error') {
          worker.terminate();
          reject(new Error(msg.message));
        }
      };
      worker.onerror = (e) => {
        worker.terminate();
        reject(new Error(`the local VLM worker failed to start: ${e.message || 'unknown error'}`));
      };
      const load: ToLocalVlmWorker = { type: 'load', source, ...settings, wasmUrl: new URL(ortWasmUrl, location.href).href };
      worker.postMessage(load);
    });
  }

  observe(position: Position): Observation {
    return localVlmObservation(position);
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

  private send(msg: ToLocalVlmWorker): void {
    this.worker.postMessage(msg);
  }

  private receive(msg: FromLocalVlmWorker): void {
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
    else if (msg.type === 'error') p.reject(msg.name === 'AbortError' ? new DOMException(msg.message, 'AbortError') : new Error(msg.message));
  }

  private fail(reason: string): void {
    this.crashed = reason;
    for (const p of this.pending.values()) p.reject(new Error(reason));
    this.pending.clear();
  }
}
