import { describe, expect, it } from 'vitest';
import type { SnakeState } from '../games/snake';
import { rotationQuestion } from '../games/rotation';
import { FULL_OBSERVATION, observe, withObservationMode } from './observe';

const STATE: SnakeState = {
  width: 10,
  height: 10,
  apples: [
    [3, 4],
    [7, 1],
  ],
  snakes: [
    {
      id: 1,
      body: [
        [5, 5],
        [5, 4],
      ],
      lastMove: 'UP',
      alive: true,
      score: 0,
    },
    {
      id: 2,
      body: [
        [1, 8],
        [2, 8],
      ],
      lastMove: 'LEFT',
      alive: true,
      score: 0,
    },
  ],
  you: 1,
  round: 0,
};

describe('observation modes (the modality gap)', () => {
  it("'image+text' is what the policy built; 'text' drops the images and keeps the prompt", () => {
    const obs = observe({ game: 'snake', state: STATE }, FULL_OBSERVATION);
    expect(withObservationMode(obs, 'image+text')).toBe(obs);
    const text = withObservationMode(obs, 'text');
    expect(text.images).toEqual([]);
    expect(text.prompt).toBe(obs.prompt);
  });

  it.each(['full', 'compact'] as const)("'image' (%s prompt) keeps rules and answer format but no coordinate of the position", (variant) => {
    const obs = observe({ game: 'snake', state: STATE }, { variant, imageSize: 80, axes: variant === 'full' });
    const img = withObservationMode(obs, 'image');
    expect(img.images).toBe(obs.images);
    for (const p of ['(3, 4)', '(3,4)', '(5, 5)', '(5,5)', '(1, 8)', '(1,8)', '(2, 8)', '(7, 1)']) expect(img.prompt).not.toContain(p);
    expect(img.prompt).not.toMatch(/last move/i);
    expect(img.prompt).toContain('<best_answer>');
    expect(img.prompt).toContain('<worst_answer>');
    expect(img.prompt.length).toBeLessThan(obs.prompt.length);
    if (variant === 'full') expect(img.prompt).toContain('(0, 0) is the bottom-left cell'); // the convention stays
  });

  it("Rotation's prompt states no position: 'image' leaves it as is", () => {
    const obs = observe({ game: 'rotation', state: rotationQuestion(3) }, FULL_OBSERVATION);
    expect(withObservationMode(obs, 'image').prompt).toBe(obs.prompt);
  });
});
