/**
 * Snake, the ViGaL surrogate game: the rules, all of them, in this one file.
 *
 * Rules (SnakeBench's engine as of February 2025, the one ViGaL built on; docs/games.md):
 *   A `width` x `height` board, origin (0, 0) at the bottom-left. One or two snakes (ids 1, 2) start
 *   with length 1 on random free cells; `apples` apples lie on random free cells. Each round every
 *   alive snake moves at once, resolved in this order:
 *     1. new head = head + move;
 *     2. wall: a new head off the board dies;
 *     3. body: a new head on any cell occupied before the round dies (every body cell, tails included,
 *        and the other snake's current head). With `tailRule: 'moving'` a tail cell does not count
 *        when its snake's move this round does not land on an apple (its tail leaves as the head
 *        enters). That is judged on the moves alone, even if the tail's snake dies this round; it lets
 *        a length-2 snake reverse onto its own tail and two length-1 snakes swap cells, as the later
 *        SnakeBench engine does;
 *     4. head-to-head: snakes whose new heads share a cell die;
 *     5. if anyone died the game ends at once and nothing else of the round is applied: with two
 *        snakes, one dead = the other wins, both dead = a tie; alone, death ends the game;
 *     6. otherwise every snake moves: onto an apple it grows (keeps its tail) and scores 1, and a new
 *        apple appears on a random free cell; else its tail cell is freed;
 *     7. round += 1 (also after a fatal round); at `maxRounds` the higher score wins, equal is a tie.
 *
 * Actions: one Move per alive snake per round, `{ [id]: 'UP' | 'DOWN' | 'LEFT' | 'RIGHT' }`.
 *
 * Observation: the state JSON of docs/games.md (`SnakeState`), a fresh copy on every call. The env has
 *   no point of view: `you` is the first snake after `reset`, or the input's `you` after `fromState`.
 *
 * Reward: per snake, +1 for each apple eaten this round, -1 on death, else 0. (ViGaL's RL reward is a
 *   different thing, the verifier in reward.ts; this one is for bots and game RL.)
 *
 * Episode end: `terminated` when a death ended the game; `truncated` when `maxRounds` was reached
 *   with nobody dying. `info.result` says who won and why once either is true. Stepping afterwards
 *   throws; so do a missing move for an alive snake and a move for a dead or unknown one.
 */

import { Rng } from '../../util/rng';
import {
  DELTAS,
  MOVES,
  isMove,
  parseSnakeState,
  resolveSnakeOptions,
  type Move,
  type SnakeOptions,
  type SnakeState,
} from './types';

export type DeathCause = 'wall' | 'body' | 'head-to-head';

export interface SnakeDeath {
  id: number;
  cause: DeathCause;
}

export interface SnakeResult {
  /** null = tie (or, alone, a death). */
  winner: number | null;
  reason: 'death' | 'max-rounds' | 'all-dead';
  scores: Record<number, number>;
  rounds: number;
}

export interface SnakeStepInfo {
  deaths: SnakeDeath[];
  /** Ids of the snakes that ate an apple this round, in snake order. */
  ate: number[];
  /** Set once the episode is over. */
  result: SnakeResult | null;
}

export interface SnakeStep {
  state: SnakeState;
  rewards: Record<number, number>;
  terminated: boolean;
  truncated: boolean;
  info: SnakeStepInfo;
}

/** Rejection tries before falling back to a scan of the free cells (both uniform over free cells). */
const SPAWN_TRIES = 32;

/** One snake, as the engine keeps it: cells (y * width + x) in a ring buffer, head at `head`. */
interface Body {
  id: number;
  cells: Int32Array;
  head: number;
  len: number;
  lastMove: Move | null;
  alive: boolean;
  score: number;
}

export class SnakeEnv {
  readonly options: SnakeOptions;
  private readonly w: number;
  private readonly h: number;
  private readonly size: number;
  /** 0 = empty, k = snakes[k - 1] occupies the cell. */
  private readonly owner: Int8Array;
  private readonly appleAt: Uint8Array;
  /** Apple cells in state order: an eaten apple leaves the list, its replacement joins the end. */
  private apples: number[] = [];
  private snakes: Body[] = [];
  private round = 0;
  private you = 1;
  private result: SnakeResult | null = null;
  private rng: Rng = new Rng(0);
  private started = false;
  /** Per-round scratch, one slot per snake, reused so that a step allocates only what it returns. */
  private readonly newHead: Int32Array;
  private readonly grows: Uint8Array;
  private readonly causes: (DeathCause | null)[];

  constructor(opts: Partial<SnakeOptions> = {}) {
    this.options = resolveSnakeOptions(opts);
    this.w = this.options.width;
    this.h = this.options.height;
    this.size = this.w * this.h;
    this.owner = new Int8Array(this.size);
    this.appleAt = new Uint8Array(this.size);
    this.newHead = new Int32Array(this.options.numSnakes);
    this.grows = new Uint8Array(this.options.numSnakes);
    this.causes = new Array<DeathCause | null>(this.options.numSnakes).fill(null);
  }

  /** Continue from any state (branching, replay); `opts` may set apples, maxRounds and tailRule. */
  static fromState(state: SnakeState, opts: Partial<SnakeOptions> = {}, seed = 0): SnakeEnv {
    const s = parseSnakeState(state);
    for (const key of ['width', 'height'] as const) {
      if (opts[key] !== undefined && opts[key] !== s[key]) {
        throw new Error(`SnakeEnv.fromState: option ${key}=${opts[key]} contradicts the state's ${key}=${s[key]}`);
      }
    }
    if (opts.numSnakes !== undefined && opts.numSnakes !== s.snakes.length) {
      throw new Error(
        `SnakeEnv.fromState: option numSnakes=${opts.numSnakes} contradicts the state's ${s.snakes.length} snakes`,
      );
    }
    // The state carries its own apple count unless the caller says otherwise.
    const env = new SnakeEnv({
      ...opts,
      width: s.width,
      height: s.height,
      numSnakes: s.snakes.length as 1 | 2,
      apples: opts.apples ?? s.apples.length,
    });
    env.load(s, seed);
    return env;
  }

  /** Starts a new game; all randomness of the episode comes from `seed`. */
  reset(seed: number): { state: SnakeState; info: SnakeStepInfo } {
    this.rng = new Rng(seed);
    this.clear();
    for (let i = 0; i < this.options.numSnakes; i++) {
      const cell = this.randomFreeCell();
      const cells = new Int32Array(this.size);
      cells[0] = cell;
      this.snakes.push({ id: i + 1, cells, head: 0, len: 1, lastMove: null, alive: true, score: 0 });
      this.owner[cell] = i + 1;
    }
    this.refillApples();
    this.you = 1;
    this.started = true;
    return { state: this.getState(), info: { deaths: [], ate: [], result: null } };
  }

  /** Plays one simultaneous round. */
  step(moves: Record<number, Move>): SnakeStep {
    this.checkMoves(moves);
    const { w, h, owner, appleAt, snakes } = this;
    const n = snakes.length;
    const rewards: Record<number, number> = {};
    const deaths: SnakeDeath[] = [];
    const { newHead, grows, causes } = this;
    newHead.fill(-1);
    grows.fill(0);
    causes.fill(null);

    // 1-2. New heads; off the board is death.
    for (let i = 0; i < n; i++) {
      const s = snakes[i]!;
      rewards[s.id] = 0;
      if (!s.alive) continue;
      const cell = s.cells[s.head]!;
      const d = DELTAS[moves[s.id]!];
      const x = (cell % w) + d[0];
      const y = ((cell / w) | 0) + d[1];
      if (x < 0 || x >= w || y < 0 || y >= h) {
        causes[i] = 'wall';
      } else {
        newHead[i] = y * w + x;
        grows[i] = appleAt[y * w + x]!;
      }
    }
    // 3. Body: every cell occupied before the round, less the leaving tails under 'moving'.
    for (let i = 0; i < n; i++) {
      const cell = newHead[i]!;
      if (cell < 0 || causes[i] !== null || !snakes[i]!.alive) continue;
      const o = owner[cell]!;
      if (o === 0) continue;
      const other = snakes[o - 1]!;
      const tailLeaves =
        this.options.tailRule === 'moving' &&
        other.alive &&
        !grows[o - 1] &&
        cell === other.cells[(other.head + other.len - 1) % this.size];
      if (!tailLeaves) causes[i] = 'body';
    }
    // 4. Head-to-head.
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (newHead[i]! >= 0 && newHead[i] === newHead[j] && snakes[i]!.alive && snakes[j]!.alive) {
          causes[i] ??= 'head-to-head';
          causes[j] ??= 'head-to-head';
        }
      }
    }
    // 5. Any death ends the game before anything else of the round happens.
    for (let i = 0; i < n; i++) {
      const cause = causes[i];
      if (cause == null) continue;
      const s = snakes[i]!;
      s.alive = false;
      rewards[s.id] = -1;
      deaths.push({ id: s.id, cause });
    }
    if (deaths.length > 0) {
      this.round += 1;
      const survivors = snakes.filter((s) => s.alive);
      this.result =
        survivors.length === 1 && n > 1
          ? this.makeResult(survivors[0]!.id, 'death')
          : this.makeResult(null, survivors.length === 0 ? 'all-dead' : 'death');
      return { state: this.getState(), rewards, terminated: true, truncated: false, info: { deaths, ate: [], result: this.result } };
    }

    // 6. Move: free every leaving tail first, so that under 'moving' a head may take a freed cell.
    const ate: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = snakes[i]!;
      if (!s.alive || grows[i]) continue;
      owner[s.cells[(s.head + s.len - 1) % this.size]!] = 0;
      s.len -= 1;
    }
    for (let i = 0; i < n; i++) {
      const s = snakes[i]!;
      if (!s.alive) continue;
      const cell = newHead[i]!;
      s.head = (s.head - 1 + this.size) % this.size;
      s.cells[s.head] = cell;
      s.len += 1;
      s.lastMove = moves[s.id]!;
      owner[cell] = i + 1;
      if (grows[i]) {
        s.score += 1;
        rewards[s.id] = 1;
        ate.push(s.id);
        appleAt[cell] = 0;
        this.apples.splice(this.apples.indexOf(cell), 1);
      }
    }
    if (ate.length > 0 || this.apples.length < this.options.apples) this.refillApples();

    // 7. Round limit.
    this.round += 1;
    let truncated = false;
    if (this.round >= this.options.maxRounds) {
      truncated = true;
      this.result = this.makeResult(this.leader(), 'max-rounds');
    }
    return { state: this.getState(), rewards, terminated: false, truncated, info: { deaths, ate, result: this.result } };
  }

  /** A fresh copy of the current state. */
  getState(): SnakeState {
    const w = this.w;
    const apples: [number, number][] = new Array(this.apples.length);
    for (let i = 0; i < this.apples.length; i++) {
      const c = this.apples[i]!;
      apples[i] = [c % w, (c / w) | 0];
    }
    const snakes: SnakeState['snakes'] = new Array(this.snakes.length);
    for (let i = 0; i < this.snakes.length; i++) {
      const s = this.snakes[i]!;
      const body: [number, number][] = new Array(s.len);
      let at = s.head;
      for (let k = 0; k < s.len; k++) {
        const c = s.cells[at]!;
        body[k] = [c % w, (c / w) | 0];
        if (++at === this.size) at = 0;
      }
      snakes[i] = { id: s.id, body, lastMove: s.lastMove, alive: s.alive, score: s.score };
    }
    return { width: this.w, height: this.h, apples, snakes, you: this.you, round: this.round };
  }

  /** True once the episode has ended (or before the first reset). */
  get done(): boolean {
    return !this.started || this.result !== null;
  }

  /** The outcome once the episode is over, else null. */
  get outcome(): SnakeResult | null {
    return this.result;
  }

  // ---- helpers -------------------------------------------------------------------------------------

  private clear(): void {
    this.owner.fill(0);
    this.appleAt.fill(0);
    this.apples = [];
    this.snakes = [];
    this.round = 0;
    this.result = null;
  }

  private load(s: SnakeState, seed: number): void {
    this.rng = new Rng(seed);
    this.clear();
    s.snakes.forEach((k, i) => {
      const cells = new Int32Array(this.size);
      k.body.forEach((p, j) => {
        const cell = p[1] * this.w + p[0];
        cells[j] = cell;
        this.owner[cell] = i + 1;
      });
      this.snakes.push({ id: k.id, cells, head: 0, len: k.body.length, lastMove: k.lastMove, alive: k.alive, score: k.score });
    });
    for (const p of s.apples) this.addApple(p[1] * this.w + p[0]);
    this.round = s.round;
    this.you = s.you;
    this.started = true;
    // A state with a dead snake is the last state of a game; so is one at the round limit.
    const survivors = this.snakes.filter((k) => k.alive);
    if (survivors.length < this.snakes.length) {
      const winner = survivors.length === 1 && this.snakes.length > 1 ? survivors[0]!.id : null;
      this.result = this.makeResult(winner, survivors.length === 0 ? 'all-dead' : 'death');
    } else if (this.round >= this.options.maxRounds) {
      this.result = this.makeResult(this.leader(), 'max-rounds');
    }
  }

  private checkMoves(moves: Record<number, Move>): void {
    if (!this.started) throw new Error('SnakeEnv.step called before reset(seed) or SnakeEnv.fromState');
    if (this.result !== null) {
      throw new Error(
        `SnakeEnv.step called after the episode ended (${this.result.reason} at round ${this.result.rounds}); call reset(seed)`,
      );
    }
    if (typeof moves !== 'object' || moves === null) {
      throw new Error(`SnakeEnv.step needs an object {id: move}, got ${String(moves)}`);
    }
    for (const key in moves) {
      let s: Body | undefined;
      for (const k of this.snakes) if (String(k.id) === key) s = k;
      if (!s) {
        throw new Error(`SnakeEnv.step: no snake with id ${key}; ids are ${this.snakes.map((k) => k.id).join(', ')}`);
      }
      if (!s.alive) throw new Error(`SnakeEnv.step: snake ${key} is dead and cannot move`);
    }
    for (const s of this.snakes) {
      if (!s.alive) continue;
      const m: unknown = moves[s.id];
      if (m === undefined) throw new Error(`SnakeEnv.step: missing move for alive snake ${s.id}`);
      if (!isMove(m)) throw new Error(`SnakeEnv.step: snake ${s.id} move must be one of ${MOVES.join(', ')}, got ${String(m)}`);
    }
  }

  /** Highest score, or null on a tie; alone, the snake itself. */
  private leader(): number | null {
    let best: Body | null = null;
    let tie = false;
    for (const s of this.snakes) {
      if (best === null || s.score > best.score) {
        best = s;
        tie = false;
      } else if (s.score === best.score) {
        tie = true;
      }
    }
    return tie || best === null ? null : best.id;
  }

  private makeResult(winner: number | null, reason: SnakeResult['reason']): SnakeResult {
    const scores: Record<number, number> = {};
    for (const s of this.snakes) scores[s.id] = s.score;
    return { winner, reason, scores, rounds: this.round };
  }

  private addApple(cell: number): void {
    this.appleAt[cell] = 1;
    this.apples.push(cell);
  }

  private refillApples(): void {
    while (this.apples.length < this.options.apples) {
      const cell = this.randomFreeCell();
      if (cell < 0) return;
      this.addApple(cell);
    }
  }

  /** A uniformly random cell holding no snake and no apple, or -1 when there is none. */
  private randomFreeCell(): number {
    let used = this.apples.length;
    for (const s of this.snakes) used += s.len;
    const free = this.size - used;
    if (free <= 0) return -1;
    // Rejection is uniform and cheap while the board is mostly empty, the usual case.
    for (let t = 0; t < SPAWN_TRIES; t++) {
      const cell = this.rng.int(this.size);
      if (this.owner[cell] === 0 && this.appleAt[cell] === 0) return cell;
    }
    let k = this.rng.int(free);
    for (let cell = 0; cell < this.size; cell++) {
      if (this.owner[cell] === 0 && this.appleAt[cell] === 0 && k-- === 0) return cell;
    }
    throw new Error(`SnakeEnv: free-cell count ${free} disagrees with the board (internal invariant)`);
  }
}
