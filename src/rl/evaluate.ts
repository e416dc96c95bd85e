/**
 * Held-out evaluation of any policy: answer quality on seeded states (accuracy, format rate, mean
 * reward; for Snake also best-move and worst-move accuracy separately) and, for Snake, head-to-head games
 * against a bot. Pure over the Policy interface, so the CLI, the app and tests get the same numbers.
 */
import {
  SNAKE_BOTS,
  SnakeEnv,
  judgeSnakeAnswer,
  parseSnakeAnswer,
  sampleSnakeStates,
  scoreSnake,
  snakeLabels,
  type Move,
  type SnakeBotName,
} from '../games/snake';
import { LONG_SNAKE_CAP, LONG_SNAKE_MAX, LONG_SNAKE_MIN, heldOutSetFields, type HeldOutSet } from './heldOutSets';
import { ROTATION_CLASS_SETS, rotationQuestion, scoreRotation } from '../games/rotation';
import type { Policy, Position } from '../policy/types';
import { Rng, deriveSeed } from '../util/rng';
import { streamSeed } from '../util/streams';
import type { EvalReport, MatchReport } from '../records/types';

// The report shapes are part of the saved-record contract (records/types.ts), which stores them.
export type { EvalReport, MatchReport } from '../records/types';

/**
 * The held-out states of (game, n, seed) and, optionally, a harder set (rl/heldOutSets.ts): Snake states
 * whose own snake has length >= `minLength`, drawn from a stream of their own ('heldOutLong'); Rotation
 * questions over another class set (the same question seeds, so the same objects and poses, asked with
 * other options).
 */
export function heldOutPositions(game: 'snake' | 'rotation', n: number, seed: number, set: HeldOutSet = {}): Position[] {
  if (game === 'snake') {
    if (set.classes !== undefined) throw new Error("heldOutPositions: class sets are Rotation's; Snake has none");
    if (set.minLength === undefined) return sampleSnakeStates(streamSeed(seed, 'heldOut'), n).map((state) => ({ game, state }));
    const minLength = set.minLength;
    if (!Number.isInteger(minLength) || minLength < LONG_SNAKE_MIN || minLength > LONG_SNAKE_MAX) {
      throw new Error(`heldOutPositions: minLength must be an integer in [${LONG_SNAKE_MIN}, ${LONG_SNAKE_MAX}], got ${minLength}`);
    }
    return sampleSnakeStates(streamSeed(seed, 'heldOutLong'), n, { minLength, maxLength: LONG_SNAKE_CAP }).map((state) => ({ game, state }));
  }
  if (set.minLength !== undefined) throw new Error("heldOutPositions: minLength is Snake's own-length filter; Rotation has none");
  const classes = [...ROTATION_CLASS_SETS[set.classes ?? 'default']];
  return heldOutRotationSeeds(n, seed).map((questionSeed) => ({ game, state: rotationQuestion(questionSeed, { classes }) }));
}

/** The question seeds of the Rotation held-out set (cheap: no question is drawn), for excluding them from training. */
export function heldOutRotationSeeds(n: number, seed: number): number[] {
  const base = streamSeed(seed, 'heldOut');
  return Array.from({ length: n }, (_, i) => deriveSeed(base, i));
}

export async function evaluatePolicy(
  policy: Policy,
  game: 'snake' | 'rotation',
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
    best = 0,
    worst = 0,
    tokens = 0,
    tokenSteps = 0;
  const rightPerState = new Array<number>(positions.length).fill(0);
  const confusion: Record<string, Record<string, number>> = {};
  for (const [i, position] of answers.entries()) {
    const result = await policy.act(policy.observe(position));
    if (result.timings.newTokens !== undefined) {
      tokens += result.timings.newTokens;
      tokenSteps++;
    }
    let right: boolean;
    if (position.game === 'snake') {
      const truth = snakeLabels(position.state);
      const v = scoreSnake(result.text, truth);
      right = v.accuracy > 0;
      fmt += v.format > 0 ? 1 : 0;
      reward += v.overall;
      const { bestRight, worstRight } = judgeSnakeAnswer(v, truth);
      best += bestRight ? 1 : 0;
      worst += worstRight ? 1 : 0;
    } else {
      const v = scoreRotation(result.text, position.state.answer);
      right = v.accuracy > 0;
      fmt += v.format > 0 ? 1 : 0;
      reward += v.overall;
      const said = v.answerText !== null && position.state.classes.includes(v.answerText) ? v.answerText : '(other)';
      const row = (confusion[position.state.answer] ??= {});
      row[said] = (row[said] ?? 0) + 1;
    }
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
    ...(game === 'snake' ? { best_accuracy: best / k, worst_accuracy: worst / k } : { confusion }),
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
