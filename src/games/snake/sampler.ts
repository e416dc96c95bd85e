/**
 * Training states from real play: bots play seeded games and states are drawn from their trajectories
 * (ViGaL drew from a PPO agent's games), with the point-of-view snake's length kept in a range
 * (ViGaL's difficulty control, lengths 1-5 by default; docs/games.md, Training states and bots).
 */

import { Rng, deriveSeed } from '../../util/rng';
import { SNAKE_BOTS, type SnakeBot, type SnakeBotName } from './bots';
import { SnakeEnv, type SnakeResult } from './env';
import { snakeLabels } from './labels';
import type { Move, SnakeOptions, SnakeState } from './types';

export interface SnakeGameRecord {
  /** Every state from the reset to the final one, inclusive. */
  states: SnakeState[];
  /** moves[i] led from states[i] to states[i + 1]. */
  moves: Record<number, Move>[];
  result: SnakeResult;
}

/**
 * Plays one game, `bots[i]` steering snake i + 1. The env and each bot get their own stream derived
 * from `seed`, so a bot that draws more or fewer numbers never shifts the apples.
 */
export function playSnakeGame(
  bots: readonly SnakeBot[],
  seed: number,
  opts: Partial<SnakeOptions> = {},
): SnakeGameRecord {
  const env = new SnakeEnv(opts);
  if (bots.length !== env.options.numSnakes) {
    throw new Error(`playSnakeGame: ${env.options.numSnakes} snakes need ${env.options.numSnakes} bots, got ${bots.length}`);
  }
  const rngs = bots.map((_, i) => new Rng(deriveSeed(seed, i + 1)));
  let state = env.reset(seed).state;
  const states = [state];
  const moves: Record<number, Move>[] = [];
  for (;;) {
    const round = chooseMoves(state, bots, rngs);
    const step = env.step(round);
    moves.push(round);
    states.push(step.state);
    state = step.state;
    if (step.info.result) return { states, moves, result: step.info.result };
  }
}

function chooseMoves(state: SnakeState, bots: readonly SnakeBot[], rngs: readonly Rng[]): Record<number, Move> {
  const moves: Record<number, Move> = {};
  state.snakes.forEach((s, i) => {
    if (s.alive) moves[s.id] = bots[i]!(state, s.id, rngs[i]!);
  });
  return moves;
}

export interface SampleSnakeOptions extends Partial<SnakeOptions> {
  /** Shortest length of the point-of-view snake (default 1). */
  minLength?: number;
  /** Longest length of the point-of-view snake (default 5). */
  maxLength?: number;
  /** Who plays snakes 1 and 2 (default lookahead vs greedy: sensible play, varied positions; alone, lookahead). */
  bots?: readonly [SnakeBotName, SnakeBotName] | readonly [SnakeBotName];
  /** Chance that an eligible state is kept; below 1 it spreads samples over more games (default 0.3). */
  keepRate?: number;
  /**
   * Chance that a state where every move is worst is kept (default 0.05). Such a state has an empty
   * best label and all four moves as worst, a legal but degenerate question; kept rarely so that the
   * model meets the "leave best empty" case without it crowding out ordinary decisions.
   */
  trappedRate?: number;
}

/**
 * `count` distinct non-terminal states, deterministic for `seed`, each with `you` an alive snake whose
 * length is in [minLength, maxLength] (the other snake's length is not limited).
 */
export function sampleSnakeStates(seed: number, count: number, opts: SampleSnakeOptions = {}): SnakeState[] {
  const { minLength = 1, maxLength = 5, keepRate = 0.3, trappedRate = 0.05, bots: botNames, ...snakeOpts } = opts;
  const bots = botNames ?? (opts.numSnakes === 1 ? (['lookahead'] as const) : (['lookahead', 'greedy'] as const));
  if (opts.numSnakes !== undefined && bots.length !== opts.numSnakes) {
    throw new Error(`sampleSnakeStates: numSnakes=${opts.numSnakes} needs ${opts.numSnakes} bots, got ${bots.join(', ')}`);
  }
  if (!Number.isInteger(count) || count < 0) throw new Error(`sampleSnakeStates: count must be an integer >= 0, got ${count}`);
  if (!Number.isInteger(minLength) || !Number.isInteger(maxLength) || minLength < 1 || maxLength < minLength) {
    throw new Error(`sampleSnakeStates: need integers 1 <= minLength <= maxLength, got ${minLength} and ${maxLength}`);
  }
  if (!(keepRate > 0 && keepRate <= 1)) throw new Error(`sampleSnakeStates: keepRate must be in (0, 1], got ${keepRate}`);
  const players = bots.map((name) => {
    const bot = SNAKE_BOTS[name];
    if (!bot) throw new Error(`sampleSnakeStates: unknown bot ${String(name)}; bots are ${Object.keys(SNAKE_BOTS).join(', ')}`);
    return bot;
  });

  const pick = new Rng(seed);
  const seen = new Set<string>();
  const out: SnakeState[] = [];
  // Generous: a game yields about ten states at the defaults, so this only trips on impossible asks.
  const maxGames = 100 + count * 20;
  for (let g = 0; out.length < count; g++) {
    if (g >= maxGames) {
      throw new Error(
        `sampleSnakeStates: ${maxGames} games gave only ${out.length} of ${count} states with lengths ${minLength}-${maxLength}; widen the range`,
      );
    }
    const gameSeed = deriveSeed(seed, g);
    const env = new SnakeEnv({ ...snakeOpts, numSnakes: players.length as 1 | 2 });
    const rngs = players.map((_, i) => new Rng(deriveSeed(gameSeed, i + 1)));
    let state = env.reset(gameSeed).state;
    while (out.length < count) {
      const eligible = state.snakes.filter((s) => s.alive && s.body.length >= minLength && s.body.length <= maxLength);
      // Lengths never shrink: once every snake is too long this game has nothing more to give.
      if (state.snakes.every((s) => !s.alive || s.body.length > maxLength)) break;
      if (eligible.length > 0 && pick.next() < keepRate) {
        const candidate: SnakeState = { ...state, you: pick.pick(eligible).id };
        const key = snakeStateKey(candidate);
        const trapped = snakeLabels(candidate).worst.length === 4;
        if (!seen.has(key) && (!trapped || pick.next() < trappedRate)) {
          seen.add(key);
          out.push(candidate);
        }
      }
      const step = env.step(chooseMoves(state, players, rngs));
      if (step.terminated || step.truncated) break;
      state = step.state;
    }
  }
  return out;
}

/**
 * A canonical string of everything the model is shown (board, apples as a set, snakes, `you`), for
 * duplicate detection. Round and scores are left out: they change neither the image nor the labels.
 */
export function snakeStateKey(state: SnakeState): string {
  const apples = state.apples
    .map((p) => p[1] * state.width + p[0])
    .sort((a, b) => a - b)
    .join(',');
  const snakes = [...state.snakes]
    .sort((a, b) => a.id - b.id)
    .map((s) => `${s.id}${s.alive ? '' : '+dead'}:${s.lastMove ?? '-'}:${s.body.map((p) => `${p[0]}.${p[1]}`).join(',')}`)
    .join('|');
  return `${state.width}x${state.height};you=${state.you};apples=${apples};${snakes}`;
}
