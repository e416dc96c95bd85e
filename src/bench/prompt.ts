/** The benchmark's prompt: a real mid-game Snake position as the nano model sees it. */
import { sampleSnakeStates } from '../games/snake';
import { encodePrompt, type ModelPrompt } from '../model/inputs';
import { nanoObservation } from '../policy/nano';
import type { NanoModel } from '../runtime/model';

export function benchPrompt(model: NanoModel): ModelPrompt {
  const state = sampleSnakeStates(42, 1, { minLength: 3, maxLength: 5 })[0]!;
  const obs = nanoObservation({ game: 'snake', state }, model.config.imageSize);
  return encodePrompt(model.config, model.tokenizer, obs.prompt, obs.images);
}
