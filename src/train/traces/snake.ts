/**
 * The Snake SFT source: states from real play (bots), the compact prompt, the board image, and the
 * game's own solver trace (games/snake/trace.ts, the game object's `trace`).
 */
import { sampleSnakeStates, scoreSnake, snakeLabels, snakePrompt, snakeScene, snakeStateKey, type SnakeState } from '../../games/snake';
import { snakeTrace } from '../../games/snake/trace';
import type { ModelConfig } from '../../model/config';
import { streamSeed } from '../../util/streams';
import { sceneToImage, type SftExample, type SftSource } from '../data';

export { snakeTrace, type SnakeTrace } from '../../games/snake/trace';

/** One example: the board rasterised without axes at config.imageSize, the compact prompt, the trace. */
export function snakeExample(c: ModelConfig, state: SnakeState): SftExample {
  if (c.inputMode === 'image') {
    throw new Error("snake SFT: inputMode 'image' needs an image-only prompt, which snakePrompt does not offer yet; use 'image+text' or 'text'");
  }
  return {
    images: c.inputMode === 'text' ? [] : [sceneToImage(snakeScene(state, { size: c.imageSize, axes: false }))],
    prompt: snakePrompt(state, { variant: 'compact' }),
    response: snakeTrace(state).response,
    score: (response) => scoreSnake(response, snakeLabels(state)),
  };
}

export interface SnakeSourceOptions {
  seed: number;
  /** Distinct training states (drawn once; batches sample from them). */
  trainSize: number;
  /** Held-out states, none equal to a training state. */
  evalSize: number;
}

/** Training and held-out states from bot games (lengths 1-5, sampler defaults), disjoint by state key. */
export function snakeSource(c: ModelConfig, o: SnakeSourceOptions): SftSource & { trainStates: SnakeState[]; evalStates: SnakeState[] } {
  const trainStates = sampleSnakeStates(o.seed, o.trainSize);
  const seen = new Set(trainStates.map(snakeStateKey));
  // Over-draw from an independent seed, then drop any state that is also a training state.
  const candidates = sampleSnakeStates(streamSeed(o.seed, 'sftHeldOut'), Math.ceil(o.evalSize * 1.2) + 8);
  const evalStates = candidates.filter((s) => !seen.has(snakeStateKey(s))).slice(0, o.evalSize);
  if (evalStates.length < o.evalSize) throw new Error(`snakeSource: only ${evalStates.length} held-out states are new; lower evalSize`);
  return {
    game: 'snake',
    trainSize: trainStates.length,
    evalSize: evalStates.length,
    train: (i) => snakeExample(c, trainStates[i] as SnakeState),
    evalExample: (i) => snakeExample(c, evalStates[i] as SnakeState),
    text: (split, i) => {
      const state = (split === 'train' ? trainStates : evalStates)[i] as SnakeState;
      return { prompt: snakePrompt(state, { variant: 'compact' }), response: snakeTrace(state).response };
    },
    trainStates,
    evalStates,
  };
}
