/**
 * The page's side of the local-VLM worker, as a Policy: observations are built here (the full ViGaL
 * interface), transformers.js runs in the worker, and acts travel over a PolicyChannel (which also turns
 * a crashed worker into clear errors for every pending step).
 */
// ORT's WASM binary as this app serves it (the same asset the nano runtime's bundle references), so
// transformers.js never reaches for its default CDN copy.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import type { VlmDtype, VlmModule } from '../model/vlm/layout';
import { localPolicyId, localVlmObservation, type LocalVlmSampling } from '../policy/localvlm';
import type { ActOptions, Observation, Policy, PolicyResult, Position } from '../policy/types';
import type { VlmDevice, VlmInfo } from '../runtime/transformers';
import type { LoadedLocalVlm, LocalVlmWorkerSource, ToLocalVlmWorker } from './localVlmProtocol';
import { PolicyChannel } from './policyChannel';
import { GAME_IDS } from '../games/registry';

export interface LocalVlmLoadSettings {
  device: VlmDevice;
  /** 'webgpu' on a software adapter too (by default such an adapter falls back to WASM). */
  allowSoftwareAdapter: boolean;
  dtypes: Partial<Record<VlmModule, VlmDtype>>;
  sampling: LocalVlmSampling;
}

export class WorkerLocalVlmPolicy implements Policy {
  readonly kind = 'local' as const;
  readonly id: string;
  readonly label: string;
  // A VLM reads any game's prompt and images: every registered game.
  readonly games = GAME_IDS;

  private constructor(
    private readonly channel: PolicyChannel,
    readonly info: VlmInfo,
    readonly description: string,
  ) {
    this.id = localPolicyId(info.name);
    this.label = `${info.name} (local)`;
  }

  /** Starts a worker and loads the folder (served under /models/, or picked files). */
  static async load(source: LocalVlmWorkerSource, settings: LocalVlmLoadSettings): Promise<WorkerLocalVlmPolicy> {
    const worker = new Worker(new URL('./localvlm.worker.ts', import.meta.url), { type: 'module', name: 'local-vlm' });
    const load: ToLocalVlmWorker = { type: 'load', source, ...settings, wasmUrl: new URL(ortWasmUrl, location.href).href };
    const { loaded, channel } = await PolicyChannel.open<LoadedLocalVlm>(worker, load, 'the local VLM worker');
    return new WorkerLocalVlmPolicy(channel, loaded.info, loaded.description);
  }

  observe(position: Position): Observation {
    return localVlmObservation(position);
  }

  act(obs: Observation, opts: ActOptions = {}): Promise<PolicyResult> {
    return this.channel.act(obs, opts);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
