/** The typed messages between the page and the model worker. */
import type { ModelConfig } from '../model/config';
import type { ExecutionProvider } from '../runtime/ort';
import type { Quant } from '../model/onnx/nano';
import type { NanoSampling } from '../policy/nano';
import type { FromPolicyWorker, LoadReply, ToPolicyWorker } from './policyChannel';

export type ToModelWorker =
  /** `bytes` (a model held in memory, e.g. a checkpoint the Train view just saved) wins over `folderUrl`. */
  | {
      type: 'load';
      folderUrl: string;
      bytes?: NanoModelBytes;
      executionProviders: ExecutionProvider[];
      allowSoftwareAdapter: boolean;
      quant?: Quant;
      sampling: NanoSampling;
    }
  | ToPolicyWorker;

/** A model folder's files in memory: config.json and tokenizer.json texts, one ONNX file's bytes. */
export interface NanoModelBytes {
  config: string;
  tokenizer: string;
  model: Uint8Array;
  /** For messages, e.g. 'vigal-nano-snake-rl-step4/model.onnx'. */
  modelName: string;
}

export interface LoadedModel {
  config: ModelConfig;
  provider: ExecutionProvider;
  /** Why WebGPU was not used, when it was not. */
  fallbackReason: string | null;
  description: string;
  quant: Quant;
}

export type FromModelWorker = LoadReply<LoadedModel> | FromPolicyWorker;
