/** The typed messages between the page and the model worker. */
import type { ModelConfig } from '../model/config';
import type { ExecutionProvider } from '../runtime/ort';
import type { Quant } from '../model/onnx/nano';
import type { NanoSampling } from '../policy/nano';
import type { Observation, PolicyResult } from '../policy/types';

export type ToModelWorker =
  | { type: 'load'; folderUrl: string; executionProviders: ExecutionProvider[]; quant?: Quant; sampling: NanoSampling }
  | { type: 'act'; id: number; observation: Observation }
  | { type: 'cancel'; id: number };

export interface LoadedModel {
  config: ModelConfig;
  provider: ExecutionProvider;
  /** Why WebGPU was not used, when it was not. */
  fallbackReason: string | null;
  description: string;
  quant: Quant;
}

export type FromModelWorker =
  | ({ type: 'loaded' } & LoadedModel)
  | { type: 'load-error'; message: string }
  | { type: 'token'; id: number; text: string }
  | { type: 'result'; id: number; result: PolicyResult }
  | { type: 'error'; id: number; message: string; name: string };
