/**
 * One determinism test over every game (Gymnasium's habit): the same seed and actions give the same
 * states, labels, prompts, images and rewards. The raster hashes are golden: a change to a game's
 * look or to the rasteriser shows up here and must be deliberate (update the literals, say why).
 */
import { describe, expect, it } from 'vitest';
import { SnakeEnv, playSnakeGame, SNAKE_BOTS, snakeLabels, snakePrompt, snakeScene, scoreSnake } from './snake';
import { RotationEnv, rotationPrompt, rotationQuestion, rotationScenes, scoreRotation } from './rotation';
import { rasterHash, rasterize } from '../render/raster';

interface Trace {
  prompts: string[];
  truths: unknown[];
  hashes: string[];
  rewards: number[];
}

const GAMES: Record<string, (seed: number) => Trace> = {
  snake(seed) {
    const game = playSnakeGame([SNAKE_BOTS.lookahead, SNAKE_BOTS.greedy], seed);
    const trace: Trace = { prompts: [], truths: [], hashes: [], rewards: [] };
    for (const state of game.states.slice(0, 12)) {
      const labels = snakeLabels(state);
      trace.truths.push(labels);
      trace.prompts.push(snakePrompt(state, { variant: 'full' }), snakePrompt(state, { variant: 'compact' }));
      trace.hashes.push(rasterHash(rasterize(snakeScene(state, { size: 80, axes: false }))));
      const best = labels.best[0] ?? '';
      const response = `<think>t</think><best_answer>${best}</best_answer><worst_answer>${labels.worst.join(', ') || 'None'}</worst_answer>`;
      trace.rewards.push(scoreSnake(response, labels).overall);
    }
    return trace;
  },
  rotation(seed) {
    const env = new RotationEnv();
    const { state } = env.reset(seed);
    const step = env.step({ response: `<think>t</think><answer>${state.answer}</answer>` });
    return {
      prompts: [rotationPrompt(state, { variant: 'full' })],
      truths: [state.answer, state.baseRollDeg],
      hashes: rotationScenes(state, 64).map((s) => rasterHash(rasterize(s))),
      rewards: [step.reward, scoreRotation('<answer>180</answer>', state.answer).overall],
    };
  },
};

describe.each(Object.keys(GAMES))('%s', (name) => {
  const run = GAMES[name]!;
  it('same seed, same everything; another seed, another game', () => {
    const a = run(7);
    expect(run(7)).toEqual(a);
    expect(run(8).hashes).not.toEqual(a.hashes);
  });
});

describe('golden rasters of game scenes', () => {
  it('snake: the reset board of seed 1 at 80 px without axes and 320 px with axes', () => {
    const state = new SnakeEnv().reset(1).state;
    expect(rasterHash(rasterize(snakeScene(state, { size: 80, axes: false })))).toBe('1e9ece4e16e36644');
    expect(rasterHash(rasterize(snakeScene(state, { size: 320, axes: true })))).toBe('7a63cf64ff346bc1');
  });
  it('rotation: the four images of seed 1 at 96 px', () => {
    const hashes = rotationScenes(rotationQuestion(1), 96).map((s) => rasterHash(rasterize(s)));
    expect(hashes).toEqual(['18413e224a1d6233', '7387e9205c114829', 'a75d376cfe821379', '1f851bb0b332827c']);
  });
});
