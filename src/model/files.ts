import { UserError } from '../util/userError';

/** A model folder or model file that cannot be used (missing, corrupt, or not matching its config): the user's to fix. */
export class ModelFileError extends UserError {
  override name = 'ModelFileError';
}

/** The files of a model folder (models/<name>/), written by export.ts and read by the runtime. */
export const MODEL_FILES = {
  config: 'config.json',
  tokenizer: 'tokenizer.json',
  onnx: 'model.onnx',
  onnxQ4: 'model_q4.onnx',
  safetensors: 'model.safetensors',
  card: 'README.md',
} as const;

/** The checkpoint the app and `vigal eval --policy nano` use when none is named (a folder of models/). */
export const DEFAULT_MODEL = 'vigal-nano-snake-rl';

/** Where RL starts by default (Train mode, bench:train): the supervised warm start the default came from. */
export const DEFAULT_RL_INIT = 'vigal-nano-snake-sft';
