/**
 * How a prompt becomes model inputs: the one layout the trainer learns and the runtime feeds.
 *
 *   [patches of every image] [BOS] prompt-ids [\n] | response-ids [EOS]
 *
 * `promptIds` is everything fed before generation; the model writes the response and [EOS].
 * With `inputMode: 'text'` no image is fed (the modality-gap ablation); with 'image' the prompt text is
 * expected to carry no coordinates (the caller picks such a prompt).
 */
import type { ModelConfig } from './config';
import { patchify, type RgbaImage } from './patchify';
import type { Tokenizer } from './tokenizer';

export function promptIds(tok: Tokenizer, prompt: string): number[] {
  return [tok.bosId, ...tok.encode(prompt), tok.id('\n')];
}

export function responseIds(tok: Tokenizer, response: string): number[] {
  return [...tok.encode(response), tok.eosId];
}

export interface ModelPrompt {
  /** Text ids fed before generating. */
  inputIds: number[];
  /** [P, patchDim] flattened; empty in text-only mode. */
  patches: Float32Array;
}

export function encodePrompt(config: ModelConfig, tok: Tokenizer, prompt: string, images: readonly RgbaImage[]): ModelPrompt {
  return {
    inputIds: promptIds(tok, prompt),
    patches: config.inputMode === 'text' ? new Float32Array(0) : patchify(config, images),
  };
}
