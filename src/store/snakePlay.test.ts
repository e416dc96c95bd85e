import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSnakePlayStore } from './snakePlay';
import { DEFAULT_SNAKE_OPTIONS } from '../games/snake';
import type { SnakeLink } from './url';

const link = (over: Partial<SnakeLink> = {}): SnakeLink => ({
  game: 'snake', seed: 5, opponent: 'greedy', options: DEFAULT_SNAKE_OPTIONS, moves: [], ...over,
});

describe('Snake play session', () => {
  afterEach(() => vi.useRealTimers());

  it('waits for the first move: a snake that has not moved has no direction to keep', () => {
    const store = createSnakePlayStore(link());
    store.getState().step();
    expect(store.getState().state.round).toBe(0);
  });

  it('turn-based: each key plays exactly one round and is recorded in the link', () => {
    const store = createSnakePlayStore(link());
    store.getState().setTurnBased(true);
    store.getState().press('UP');
    store.getState().press('LEFT');
    const s = store.getState();
    expect(s.result).toBeNull();
    expect(s.state.round).toBe(2);
    expect(s.link.moves).toEqual(['UP', 'LEFT']);
  });

  it('replaying a link lands on the same position (the bot is seeded)', () => {
    const played = createSnakePlayStore(link({ seed: 21 }));
    played.getState().setTurnBased(true);
    for (const m of ['UP', 'UP', 'LEFT', 'LEFT', 'DOWN'] as const) played.getState().press(m);
    const replayed = createSnakePlayStore(link({ seed: 21 }));
    replayed.getState().load(played.getState().link);
    expect(replayed.getState().state).toEqual(played.getState().state);
    expect(replayed.getState().link).toEqual(played.getState().link);
  });

  it('real time: the first key starts the clock and the snake keeps its direction', () => {
    vi.useFakeTimers();
    const store = createSnakePlayStore(link({ opponent: 'none', options: { ...DEFAULT_SNAKE_OPTIONS, numSnakes: 1 } }));
    store.getState().press('UP');
    expect(store.getState().running).toBe(true);
    vi.advanceTimersByTime(1000 / store.getState().speed + 1);
    expect(store.getState().state.round).toBe(1);
    store.getState().setRunning(false);
    vi.advanceTimersByTime(5000);
    expect(store.getState().state.round).toBe(1);
    store.getState().dispose();
  });

  it('stops the clock when the game ends', () => {
    vi.useFakeTimers();
    // Steering into the wall ends a single-player game within the board's height.
    const store = createSnakePlayStore(link({ opponent: 'none', options: { ...DEFAULT_SNAKE_OPTIONS, numSnakes: 1 } }));
    store.getState().press('UP');
    vi.advanceTimersByTime(20_000);
    const s = store.getState();
    expect(s.result).not.toBeNull();
    expect(s.running).toBe(false);
    expect(s.state.round).toBeLessThanOrEqual(DEFAULT_SNAKE_OPTIONS.height);
  });
});
