/** The typed messages between the page and the local-VLM worker (transformers.js). */
import type { VlmDtype, VlmModule } from '../model/vlm/layout';
import type { LocalVlmSampling } from '../policy/localvlm';
import type { VlmDevice, VlmInfo } from '../runtime/transformers';
import type { FromPolicyWorker, LoadReply, ToPolicyWorker } from './policyChannel';

/** Where the folder is: served by this app under /models/, or files from a directory picker. */
export type LocalVlmWorkerSource = { kind: 'url'; base: string } | { kind: 'files'; name: string; files: [string, Blob][] };

export type ToLocalVlmWorker =
  | {
      type: 'load';
      source: LocalVlmWorkerSource;
      device: VlmDevice;
      allowSoftwareAdapter: boolean;
      dtypes: Partial<Record<VlmModule, VlmDtype>>;
      sampling: LocalVlmSampling;
      wasmUrl: string;
    }
  | ToPolicyWorker;

export interface LoadedLocalVlm {
  info: VlmInfo;
  description: string;
}

export type FromLocalVlmWorker = LoadReply<LoadedLocalVlm> | FromPolicyWorker;
