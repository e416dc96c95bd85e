/**
 * Training states with a length curriculum (issue 16): states from real games, drawn so that the own
 * snake's length covers 1 to 25 and beyond in buckets, with quotas for the positions a model trained on
 * ViGaL's short snakes misreads: the head on the border (a wall is one move away) and the head beside
 * the enemy's head (a head-to-head is one move away).
 *
 *   buckets   own length 1-5 (ViGaL's range, kept as one bucket), 6-10, 11-15, 16-20, 21+ (to the
 *             board's area); each bucket gets its share of the states (`weights`);
 *   quotas    in every bucket at least `wallShare` of the states have the own head on the border and at
 *             least `enemyShare` have it within two steps (Manhattan) of the enemy head;
 *   games     bots against bots over several pairings (lookahead, greedy, random; `pairings`), game g of
 *             the stream played by pairing g mod the count, each state taken from either seat;
 *   exclude   keys (snakeStateKey) that must never be drawn: the held-out sets (train/traces/
 *             snakeCurriculum.ts passes every standard one), so training and evaluation are disjoint by
 *             construction, not by chance.
 *
 * Deterministic for (seed, count, options): games are played in order from deriveSeed(seed, g) and one
 * `pick` stream decides what is kept, so the same call gives the same states in the same order. The
 * order is the draw order (buckets interleaved as games go), which batches sample uniformly from.
 */
import { Rng, deriveSeed } from '../../util/rng';
import { SNAKE_BOTS, type SnakeBotName } from './bots';
import { SnakeEnv } from './env';
import { snakeLabels } from './labels';
import { snakeStateKey } from './sampler';
import type { Move, SnakeState } from './types';

export interface LengthBucket {
  /** Inclusive own-length range. */
  min: number;
  max: number;
}

/** ViGaL's 1-5 kept whole, then steps of five; the last bucket runs to the board's area. */
export const CURRICULUM_BUCKETS: readonly LengthBucket[] = [
  { min: 1, max: 5 },
  { min: 6, max: 10 },
  { min: 11, max: 15 },
  { min: 16, max: 20 },
  { min: 21, max: 100 },
];

/**
 * Shares of the states per bucket. Short snakes keep the largest share (every game passes through them
 * and the model must not lose ViGaL's range), the rest is spread so that lengths 21+ still get a tenth.
 */
export const CURRICULUM_WEIGHTS: readonly number[] = [0.3, 0.25, 0.2, 0.15, 0.1];

/**
 * Who plays whom. Lookahead survives long (its snakes reach 20+), greedy follows the labels, random dies
 * early and leaves the other snake a long game alone; mixing them varies the positions. Lookahead costs
 * ~20-60 ms a game, greedy and random well under 1 ms, so the cheap pairings come more often.
 */
export const CURRICULUM_PAIRINGS: readonly (readonly [SnakeBotName, SnakeBotName])[] = [
  ['lookahead', 'greedy'],
  ['greedy', 'greedy'],
  ['greedy', 'random'],
  ['lookahead', 'lookahead'],
  ['greedy', 'greedy'],
  ['lookahead', 'random'],
  ['greedy', 'random'],
  ['random', 'greedy'],
];

export interface CurriculumOptions {
  buckets?: readonly LengthBucket[];
  /** One share per bucket (normalised); default CURRICULUM_WEIGHTS. */
  weights?: readonly number[];
  /** Least share of each bucket with the own head on the border (default 0.3). */
  wallShare?: number;
  /** Least share of each bucket with the own head within 2 steps of the enemy head (default 0.15). */
  enemyShare?: number;
  pairings?: readonly (readonly [SnakeBotName, SnakeBotName])[];
  /**
   * Chance that an eligible state of each bucket is kept (default 0.3 for the first bucket, 1 for the
   * rest): short states are plentiful, so taking a third spreads them over more games; long ones are rare.
   */
  keepRates?: readonly number[];
  /** Chance that a state where every move is worst is kept (as the sampler's trappedRate; default 0.05). */
  trappedRate?: number;
  /** Keys never to draw (held-out states). */
  exclude?: ReadonlySet<string>;
}

/** What a curriculum state is, for quotas and reports. */
export interface StateTags {
  bucket: number;
  length: number;
  /** The own head is on the border row or column. */
  nearWall: boolean;
  /** The own head is within 2 steps (Manhattan) of the alive enemy's head. */
  besideEnemyHead: boolean;
}

export function stateTags(state: SnakeState, buckets: readonly LengthBucket[] = CURRICULUM_BUCKETS): StateTags {
  const me = state.snakes.find((s) => s.id === state.you);
  const head = me?.body[0];
  if (!me || !head) throw new Error(`stateTags: no snake ${state.you} with a body`);
  const length = me.body.length;
  const bucket = buckets.findIndex((b) => length >= b.min && length <= b.max);
  const enemy = state.snakes.find((s) => s.id !== state.you && s.alive)?.body[0];
  return {
    bucket,
    length,
    nearWall: head[0] === 0 || head[1] === 0 || head[0] === state.width - 1 || head[1] === state.height - 1,
    besideEnemyHead: enemy !== undefined && Math.abs(enemy[0] - head[0]) + Math.abs(enemy[1] - head[1]) <= 2,
  };
}

/** How many states each bucket gets: largest remainders, so the counts add up to `count` exactly. */
export function bucketCounts(count: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0) || weights.some((w) => !(w >= 0))) throw new Error(`curriculum: weights must be >= 0 with a positive sum, got [${weights.join(', ')}]`);
  const exact = weights.map((w) => (count * w) / total);
  const out = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; out.reduce((a, b) => a + b, 0) < count; k++) out[order[k % order.length]![1]]!++;
  return out;
}

/**
 * `count` distinct non-terminal states with the bucket shares and quotas above (see header). Throws when
 * the games run out before the buckets fill (an impossible ask: e.g. a bucket above the board's area).
 */
export function sampleCurriculumStates(seed: number, count: number, opts: CurriculumOptions = {}): SnakeState[] {
  const buckets = opts.buckets ?? CURRICULUM_BUCKETS;
  const weights = opts.weights ?? CURRICULUM_WEIGHTS;
  const pairings = opts.pairings ?? CURRICULUM_PAIRINGS;
  const wallShare = opts.wallShare ?? 0.3;
  const enemyShare = opts.enemyShare ?? 0.15;
  const keepRates = opts.keepRates ?? buckets.map((_, i) => (i === 0 ? 0.3 : 1));
  const trappedRate = opts.trappedRate ?? 0.05;
  const exclude = opts.exclude ?? new Set<string>();
  if (!Number.isInteger(count) || count < 0) throw new Error(`curriculum: count must be an integer >= 0, got ${count}`);
  if (weights.length !== buckets.length || keepRates.length !== buckets.length) {
    throw new Error(`curriculum: ${buckets.length} buckets need as many weights and keep rates, got ${weights.length} and ${keepRates.length}`);
  }
  if (!(wallShare >= 0 && enemyShare >= 0 && wallShare + enemyShare <= 1)) {
    throw new Error(`curriculum: wallShare and enemyShare must be >= 0 with a sum <= 1, got ${wallShare} and ${enemyShare}`);
  }
  if (pairings.length === 0) throw new Error('curriculum: need at least one pairing of bots');

  const want = bucketCounts(count, weights);
  const quota = want.map((n) => ({ wall: Math.ceil(n * wallShare), enemy: Math.ceil(n * enemyShare) }));
  // Quotas are floors, never more than the bucket: the sum check above keeps ceil rounding in bounds.
  for (const [i, q] of quota.entries()) {
    const over = q.wall + q.enemy - (want[i] as number);
    if (over > 0) q.enemy -= over;
  }
  const filled = want.map(() => ({ n: 0, wall: 0, enemy: 0 }));
  const pick = new Rng(seed);
  const seen = new Set<string>();
  const out: SnakeState[] = [];
  // Long buckets are rare (a state of length 21+ in ~1-3% of a game's states): budget generously.
  const maxGames = 200 + count * 40;
  for (let g = 0; out.length < count; g++) {
    if (g >= maxGames) {
      const short = want.map((n, i) => `${buckets[i]!.min}-${buckets[i]!.max}: ${filled[i]!.n}/${n}`).join(', ');
      throw new Error(`curriculum: ${maxGames} games did not fill the buckets (${short}); lower their weights or the quotas`);
    }
    const gameSeed = deriveSeed(seed, g);
    const names = pairings[g % pairings.length]!;
    const bots = names.map((name) => SNAKE_BOTS[name]);
    const rngs = bots.map((_, i) => new Rng(deriveSeed(gameSeed, i + 1)));
    const env = new SnakeEnv();
    let state = env.reset(gameSeed).state;
    for (;;) {
      for (const s of state.snakes) {
        if (!s.alive || out.length >= count) continue;
        const candidate: SnakeState = { ...state, you: s.id };
        const t = stateTags(candidate, buckets);
        if (t.bucket < 0) continue;
        const f = filled[t.bucket]!;
        const room = (want[t.bucket] as number) - f.n;
        if (room <= 0 || !(pick.next() < (keepRates[t.bucket] as number))) continue;
        // Keep room for the quotas this state does not meet.
        const q = quota[t.bucket]!;
        const owed = Math.max(0, q.wall - f.wall - (t.nearWall ? 1 : 0)) + Math.max(0, q.enemy - f.enemy - (t.besideEnemyHead ? 1 : 0));
        if (room - 1 < owed) continue;
        const key = snakeStateKey(candidate);
        if (seen.has(key) || exclude.has(key)) continue;
        if (snakeLabels(candidate).worst.length === 4 && !(pick.next() < trappedRate)) continue;
        seen.add(key);
        out.push(candidate);
        f.n++;
        if (t.nearWall) f.wall++;
        if (t.besideEnemyHead) f.enemy++;
      }
      if (out.length >= count) break;
      const moves: Record<number, Move> = {};
      state.snakes.forEach((s, i) => {
        if (s.alive) moves[s.id] = bots[i]!(state, s.id, rngs[i]!);
      });
      const step = env.step(moves);
      if (step.terminated || step.truncated) break;
      state = step.state;
    }
  }
  return out;
}
