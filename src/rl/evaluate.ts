/**
 * Held-out evaluation of any policy: answer quality on seeded states (accuracy, format rate, mean
 * reward; for Snake also best-move and worst-move accuracy separately) and, for Snake, head-to-head games
 * against a bot. Pure over the Policy interface, so the CLI, the app and tests get the same numbers.
 */
import { SNAKE_BOTS, SnakeEnv, parseSnakeAnswer, type Move, type SnakeBotName } from '../games/snake';
import { gamesOffering, heldOutSetFields, type HeldOutSet } from './heldOutSets';
import type { Policy, Position } from '../policy/types';
import { Rng, deriveSeed } from '../util/rng';
import type { EvalReport, MatchReport } from '../records/types';
import { gameOf, type GameId } from '../games/registry';

// The report shapes are part of the saved-record contract (records/types.ts), which stores them.
export type { EvalReport, MatchReport } from '../records/types';

/**
 * The held-out states of (game, n, seed) and, optionally, a harder set (rl/heldOutSets.ts): Snake states
 * whose own snake has length >= `minLength`, drawn from a stream of their own ('heldOutLong'); Rotation
 * questions over another class set (the same question seeds, so the same objects and poses, asked with
 * other options). Each game draws its own (games/game.ts, `heldOut`).
 */
export function heldOutPositions(game: GameId, n: number, seed: number, set: HeldOutSet = {}): Position[] {
  const spec = gameOf(game);
  for (const [variant, value] of Object.entries(set)) {
    if (value === undefined || variant in spec.heldOutVariants) continue;
    throw new Error(`heldOutPositions: ${variant} is a held-out variant of ${gamesOffering(variant)}; ${spec.title} has none`);
  }
  return spec.heldOut(n, seed, set).map((state) => ({ game, state }) as Position);
}

/** The question seeds of the Rotation held-out set (cheap: no question is drawn), for excluding them from training. */
export { heldOutRotationSeeds } from '../games/rotation/game';

export async function evaluatePolicy(
  policy: Policy,
  game: GameId,
  n: number,
  seed: number,
  onProgress?: (done: number, total: number) => void,
  samples = 1,
  set: HeldOutSet = {},
): Promise<EvalReport> {
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`evaluatePolicy: samples must be a positive integer, got ${samples}`);
  const started = Date.now();
  const positions = heldOutPositions(game, n, seed, set);
  // Each state is answered `samples` times (a sampling policy's mean accuracy, avg@K); answers in order.
  const answers = positions.flatMap((position) => Array.from({ length: samples }, () => position));
  let acc = 0,
    fmt = 0,
    reward = 0,
    tokens = 0,
    tokenSteps = 0;
  const rightPerState = new Array<number>(positions.length).fill(0);
  const spec = gameOf(game);
  // The game's own figures (Snake: best/worst accuracy; Rotation: a confusion matrix).
  const tally = spec.tally?.();
  for (const [i, position] of answers.entries()) {
    const result = await policy.act(policy.observe(position));
    if (result.timings.newTokens !== undefined) {
      tokens += result.timings.newTokens;
      tokenSteps++;
    }
    const truth = spec.truth(position.state);
    const v = spec.score(result.text, truth);
    const right = v.accuracy > 0;
    fmt += v.format > 0 ? 1 : 0;
    reward += v.overall;
    tally?.add(v, truth, position.state);
    if (right) {
      acc++;
      const state = Math.floor(i / samples);
      rightPerState[state] = (rightPerState[state] ?? 0) + 1;
    }
    onProgress?.(i + 1, answers.length);
  }
  const k = Math.max(1, answers.length);
  return {
    game,
    policy: policy.id,
    n: positions.length,
    seed,
    ...(samples > 1 ? { samples } : {}),
    ...heldOutSetFields(set),
    accuracy: acc / k,
    format_rate: fmt / k,
    mean_reward: reward / k,
    ...tally?.fields(k),
    ...(tokenSteps ? { mean_new_tokens: tokens / tokenSteps } : {}),
    seconds: (Date.now() - started) / 1000,
    ...(samples <= 9 ? { right: rightPerState.join('') } : {}),
  };
}

/**
 * Head-to-head Snake games: the policy steers snake 1, the bot snake 2; game g uses seed + g, so the
 * same games are played by every policy compared.
 */
export async function playMatches(
  policy: Policy,
  opponent: SnakeBotName,
  games: number,
  seed: number,
  onProgress?: (done: number, total: number) => void,
): Promise<MatchReport> {
  let wins = 0,
    ties = 0,
    losses = 0,
    score = 0,
    theirs = 0,
    rounds = 0,
    unparsed = 0;
  const outcomes: ('W' | 'T' | 'L')[] = [];
  for (let g = 0; g < games; g++) {
    const gameSeed = (seed + g) >>> 0;
    const env = new SnakeEnv();
    const botRng = new Rng(deriveSeed(gameSeed, 2));
    let state = env.reset(gameSeed).state;
    for (;;) {
      const result = await policy.act(policy.observe({ game: 'snake', state: { ...state, you: 1 } }));
      const me = state.snakes.find((s) => s.id === 1);
      const parsed = parseSnakeAnswer(result.text).bestMove;
      if (parsed === null) unparsed++;
      const moves: Record<number, Move> = { 1: parsed ?? me?.lastMove ?? 'UP' };
      if (state.snakes.find((s) => s.id === 2)?.alive) moves[2] = SNAKE_BOTS[opponent]({ ...state, you: 2 }, 2, botRng);
      const out = env.step(moves);
      state = out.state;
      const r = out.info.result;
      if (r) {
        if (r.winner === 1) wins++;
        else if (r.winner === 2) losses++;
        else ties++;
        outcomes.push(r.winner === 1 ? 'W' : r.winner === 2 ? 'L' : 'T');
        score += r.scores[1] ?? 0;
        theirs += r.scores[2] ?? 0;
        rounds += r.rounds;
        break;
      }
    }
    onProgress?.(g + 1, games);
  }
  const k = Math.max(1, games);
  return {
    policy: policy.id,
    opponent,
    games,
    wins,
    ties,
    losses,
    win_rate: wins / k,
    mean_score: score / k,
    mean_opponent_score: theirs / k,
    mean_rounds: rounds / k,
    unparsed_moves: unparsed,
    outcomes,
    seed,
  };
}
