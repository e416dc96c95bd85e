import { describe, expect, it } from 'vitest';
import * as snake from './index';

/** Everything a trainer or the UI derives from one seed, as plain data. */
function pipeline(seed: number) {
  return snake.sampleSnakeStates(seed, 20).map((state) => {
    const labels = snake.snakeLabels(state);
    const answer = `<think>ok</think><best_answer>${labels.best[0] ?? ''}</best_answer><worst_answer>${labels.worst.join(', ') || 'None'}</worst_answer>`;
    return {
      state,
      labels,
      prompt: snake.snakePrompt(state),
      compact: snake.snakePrompt(state, { variant: 'compact' }),
      scene: snake.snakeScene(state, { size: 80, axes: false }),
      reward: snake.scoreSnake(answer, labels),
    };
  });
}

describe('snake public API', () => {
  it('same seed, same states, labels, prompts, scenes and rewards', () => {
    const a = pipeline(31);
    expect(pipeline(31)).toEqual(a);
    // The labels' own answer always earns the full reward.
    for (const x of a) expect(x.reward.overall).toBe(1.1);
  });

  it('exports the pieces other layers use', () => {
    expect(typeof snake.SnakeEnv).toBe('function');
    expect(snake.BOT_NAMES).toEqual(['random', 'greedy', 'lookahead']);
    expect(Object.keys(snake.SNAKE_BOTS)).toEqual(['random', 'greedy', 'lookahead']);
    expect(snake.SNAKE_ANSWER_FORMAT).toContain('<best_answer>');
  });
});
