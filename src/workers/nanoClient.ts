/**
 * The page's side of the model worker, as a Policy: observations are built here (cheap, pure), the
 * model runs in the worker, and acts travel over a PolicyChannel (which also turns a crashed worker
 * into clear errors for every pending step).
 */
import type { ModelConfig } from '../model/config';
import type { Quant } from '../model/onnx/nano';
import { nanoObservation, type NanoSampling } from '../policy/nano';
import type { ActOptions, Observation, Policy, PolicyResult, Position } from '../policy/types';
import type { ExecutionProvider } from '../runtime/ort';
import { PolicyChannel } from './policyChannel';
import type { LoadedModel, NanoModelBytes, ToModelWorker } from './protocol';
import type { GameId } from '../games/registry';

export interface WorkerLoadOptions {
  executionProviders?: ExecutionProvider[];
  /** Run on a software WebGPU adapter too (skipped for WASM by default). */
  allowSoftwareAdapter?: boolean;
  /** Default: the file the provider runs fastest (runtime/model.ts, PREFERRED_QUANT). */
  quant?: Quant;
  sampling?: NanoSampling;
}

export class WorkerNanoPolicy implements Policy {
  readonly kind = 'nano' as const;
  readonly id: string;
  readonly label: string;
  readonly games: readonly GameId[];
  readonly config: ModelConfig;

  private constructor(
    private readonly channel: PolicyChannel,
    readonly loaded: LoadedModel,
    readonly folderUrl: string,
  ) {
    this.config = loaded.config;
    this.id = `nano:${loaded.config.name}`;
    this.label = loaded.config.name;
    this.games = loaded.config.games;
  }

  /**
   * Starts a worker and loads the model folder at `folderUrl` (config.json, tokenizer.json, ONNX files),
   * or a model held in memory (`bytes`; `folderUrl` then only names it, e.g. 'memory:NAME').
   */
  static async load(folderUrl: string, opts: WorkerLoadOptions = {}, bytes?: NanoModelBytes): Promise<WorkerNanoPolicy> {
    const worker = new Worker(new URL('./nano.worker.ts', import.meta.url), { type: 'module', name: 'nano-model' });
    const load: ToModelWorker = {
      type: 'load',
      folderUrl,
      ...(bytes ? { bytes } : {}),
      executionProviders: opts.executionProviders ?? ['webgpu', 'wasm'],
      allowSoftwareAdapter: opts.allowSoftwareAdapter ?? false,
      quant: opts.quant,
      sampling: opts.sampling ?? {},
    };
    const { loaded, channel } = await PolicyChannel.open<LoadedModel>(worker, load, 'the model worker');
    return new WorkerNanoPolicy(channel, loaded, folderUrl);
  }

  observe(position: Position): Observation {
    return nanoObservation(position, this.config.imageSize);
  }

  act(obs: Observation, opts: ActOptions = {}): Promise<PolicyResult> {
    return this.channel.act(obs, opts);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
