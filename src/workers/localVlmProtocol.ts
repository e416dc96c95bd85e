/** The typed messages between the page and the local-VLM worker (transformers.js). */
import type { VlmDtype, VlmModule } from '../model/vlm/layout';
import type { LocalVlmSampling } from '../policy/localvlm';
import type { Observation, PolicyResult } from '../policy/types';
import type { VlmDevice, VlmInfo } from '../runtime/transformers';

/** Where the folder is: served by this app under /models/, or files from a directory picker. */
export type LocalVlmWorkerSource = { kind: 'url'; base: string } | { kind: 'files'; name: string; files: [string, Blob][] };

export type ToLocalVlmWorker =
  | { type: 'load'; source: LocalVlmWorkerSource; device: VlmDevice; dtypes: Partial<Record<VlmModule, VlmDtype>>; sampling: LocalVlmSampling; wasmUrl: string }
  | { type: 'act'; id: number; observation: Observation }
  | { type: 'cancel'; id: number };

export type FromLocalVlmWorker =
  | { type: 'loaded'; info: VlmInfo; description: string }
  | { type: 'load-error'; message: string }
  | { type: 'token'; id: number; text: string }
  | { type: 'result'; id: number; result: PolicyResult }
  | { type: 'error'; id: number; message: string; name: string };
