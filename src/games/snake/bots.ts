/**
 * Scripted Snake players: opponents for play, and the source of realistic training states (ViGaL
 * sampled its states from games of a PPO agent; docs/games.md, Training states and bots).
 *
 *   random     uniformly random among the moves that are not worst (any move when all are).
 *   greedy     follows the labels: a random best move (any move when there is none).
 *   lookahead  a short search over both snakes' simultaneous moves, scored by reachable space,
 *              territory and apple distance.
 *
 * The lookahead plans on its own small model of the rules (static tails, no apple respawn), which is
 * an approximation for planning only; env.ts stays the one authority on what happens.
 */

import type { Rng } from '../../util/rng';
import { snakeLabels } from './labels';
import { DELTAS, MOVES, type Move, type SnakeState } from './types';

export type SnakeBot = (state: SnakeState, you: number, rng: Rng) => Move;
export type SnakeBotName = 'random' | 'greedy' | 'lookahead';
export const BOT_NAMES: readonly SnakeBotName[] = ['random', 'greedy', 'lookahead'];

export const randomBot: SnakeBot = (state, you, rng) => {
  const { worst } = snakeLabels(state, you);
  const safe = MOVES.filter((m) => !worst.includes(m));
  return rng.pick(safe.length > 0 ? safe : MOVES);
};

export const greedyBot: SnakeBot = (state, you, rng) => {
  const { best } = snakeLabels(state, you);
  return rng.pick(best.length > 0 ? best : MOVES);
};

// ---- lookahead -----------------------------------------------------------------------------------

/**
 * Plies of simultaneous moves searched by the registered lookahead. Measured against greedy over 100
 * games: depth 1 wins ~88% at ~5 ms a game, depth 2 ~93% at ~20-40 ms a game.
 */
const DEPTH = 2;
const WIN = 1e6;
const LOSS = -1e6;
/** Head-to-head kills both snakes whatever their lengths under these rules: a tie, avoided unless all else dies. */
const TIE = -5e5;
/** Opponent moves are unknown: score a move by a mix of its worst case and its average case. */
const PESSIMISM = 0.5;
const APPLE = 1000;
const TRAPPED = 20000;
const TRAPS_OPPONENT = 4000;
const TERRITORY = 4;
const APPLE_STEP = 10;

/** One position of the planning model: cells are y * w + x, bodies head first. */
interface Sim {
  me: number[];
  opp: number[] | null;
  apples: number[];
  gain: number;
}

interface Board {
  w: number;
  h: number;
  /** Scratch buffers, reused by every evaluation of one decision. */
  freeAt: Int16Array;
  distMe: Int16Array;
  distOpp: Int16Array;
  queue: Int32Array;
}

export const lookaheadBot: SnakeBot = (state, you, rng) => lookahead(state, you, rng, DEPTH);

/** A lookahead bot searching `depth` plies (1 is several times faster, 2 is the registered one). */
export function makeLookaheadBot(depth: number): SnakeBot {
  if (!Number.isInteger(depth) || depth < 1 || depth > 4) {
    throw new Error(`makeLookaheadBot: depth must be an integer in [1, 4], got ${depth}`);
  }
  return (state, you, rng) => lookahead(state, you, rng, depth);
}

function lookahead(state: SnakeState, you: number, rng: Rng, depth: number): Move {
  const me = state.snakes.find((s) => s.id === you);
  if (!me || !me.alive) throw new Error(`lookaheadBot: snake ${you} is not an alive snake of this state`);
  const opp = state.snakes.find((s) => s.id !== you && s.alive) ?? null;
  const { width: w, height: h } = state;
  const size = w * h;
  const board: Board = {
    w,
    h,
    freeAt: new Int16Array(size),
    distMe: new Int16Array(size),
    distOpp: new Int16Array(size),
    queue: new Int32Array(size),
  };
  const root: Sim = {
    me: me.body.map((p) => p[1] * w + p[0]),
    opp: opp ? opp.body.map((p) => p[1] * w + p[0]) : null,
    apples: state.apples.map((p) => p[1] * w + p[0]),
    gain: 0,
  };

  // Never choose a sure death while another move exists, whatever the heuristics say.
  const { worst } = snakeLabels(state, you);
  const candidates = worst.length < MOVES.length ? MOVES.filter((m) => !worst.includes(m)) : MOVES;
  const scored = candidates.map((m) => ({ m, v: moveValue(board, root, m, depth) }));
  let top = -Infinity;
  for (const s of scored) top = Math.max(top, s.v);
  return rng.pick(scored.filter((s) => s.v >= top - 1e-6).map((s) => s.m));
}

export const SNAKE_BOTS: Readonly<Record<SnakeBotName, SnakeBot>> = {
  random: randomBot,
  greedy: greedyBot,
  lookahead: lookaheadBot,
};

/** Value of playing `move` now, against every reply of the opponent. */
function moveValue(b: Board, sim: Sim, move: Move, depth: number): number {
  const mine = target(b, sim.me, move);
  const iDie = mine < 0 || blocked(sim, mine);
  const replies: number[] = [];
  if (sim.opp) {
    for (const m of MOVES) {
      const c = target(b, sim.opp, m);
      if (c >= 0 && !blocked(sim, c)) replies.push(c);
    }
  }
  // An opponent with no safe reply dies this round whatever it plays.
  const theyDie = sim.opp !== null && replies.length === 0;
  if (iDie) return theyDie ? TIE : LOSS;
  if (theyDie) return WIN;
  if (!sim.opp) return after(b, sim, mine, -1, depth);
  let min = Infinity;
  let sum = 0;
  for (const c of replies) {
    const v = mine === c ? TIE : after(b, sim, mine, c, depth);
    min = Math.min(min, v);
    sum += v;
  }
  return PESSIMISM * min + (1 - PESSIMISM) * (sum / replies.length);
}

/** Value after both heads moved (no deaths): search deeper or evaluate. */
function after(b: Board, sim: Sim, mine: number, theirs: number, depth: number): number {
  const next = advance(sim, mine, theirs);
  if (depth <= 1) return evaluate(b, next);
  let best = -Infinity;
  for (const m of MOVES) best = Math.max(best, moveValue(b, next, m, depth - 1));
  // Deeper plies are less certain; a loss two moves out weighs less than one now.
  return best * 0.9 + evaluate(b, next) * 0.1;
}

function advance(sim: Sim, mine: number, theirs: number): Sim {
  let gain = sim.gain;
  let apples = sim.apples;
  const grow = (body: number[], cell: number, sign: number): number[] => {
    const ate = apples.includes(cell);
    if (ate) {
      apples = apples.filter((a) => a !== cell);
      gain += sign;
    }
    const out = [cell, ...body];
    if (!ate) out.pop();
    return out;
  };
  const me = grow(sim.me, mine, 1);
  const opp = sim.opp && theirs >= 0 ? grow(sim.opp, theirs, -1) : sim.opp;
  return { me, opp, apples, gain };
}

/** Heuristic value of a position: apples won, space to live in, territory, distance to food. */
function evaluate(b: Board, sim: Sim): number {
  const { freeAt, distMe, distOpp } = b;
  freeAt.fill(0);
  stamp(freeAt, sim.me);
  if (sim.opp) stamp(freeAt, sim.opp);
  const myArea = bfs(b, sim.me[0]!, distMe);
  const oppArea = sim.opp ? bfs(b, sim.opp[0]!, distOpp) : 0;

  let v = APPLE * sim.gain;
  const myLen = sim.me.length;
  if (myArea < myLen + 2) v -= TRAPPED * (myLen + 2 - myArea);
  if (sim.opp && oppArea < sim.opp.length + 2) v += TRAPS_OPPONENT * (sim.opp.length + 2 - oppArea);

  let territory = 0;
  const size = b.w * b.h;
  for (let c = 0; c < size; c++) {
    const dm = distMe[c]!;
    const dop = sim.opp ? distOpp[c]! : -1;
    if (dm >= 0 && (dop < 0 || dm < dop)) territory++;
    else if (dop >= 0 && (dm < 0 || dop < dm)) territory--;
  }
  v += TERRITORY * territory;

  // Chase the nearest apple this snake reaches first; one the opponent reaches first counts less.
  let appleDist = b.w + b.h;
  for (const a of sim.apples) {
    const dm = distMe[a]!;
    if (dm < 0) continue;
    const dop = sim.opp ? distOpp[a]! : -1;
    const d = dop >= 0 && dop < dm ? dm + (b.w + b.h) / 2 : dm;
    if (d < appleDist) appleDist = d;
  }
  v -= APPLE_STEP * appleDist;
  return v;
}

/** Marks when each body cell frees: the tail after 1 round, the head after `length` rounds. */
function stamp(freeAt: Int16Array, body: number[]): void {
  for (let j = 0; j < body.length; j++) freeAt[body[j]!] = body.length - j;
}

/**
 * Breadth-first distances from a head (-1 = unreachable); a body cell can be entered once it has
 * freed by the time the head gets there. Returns the number of cells reached.
 */
function bfs(b: Board, start: number, dist: Int16Array): number {
  const { w, h, freeAt, queue } = b;
  dist.fill(-1);
  dist[start] = 0;
  let qh = 0;
  let qt = 0;
  queue[qt++] = start;
  while (qh < qt) {
    const c = queue[qh++]!;
    const d = dist[c]! + 1;
    const x = c % w;
    const y = (c / w) | 0;
    for (let k = 0; k < 4; k++) {
      let n: number;
      if (k === 0) n = y + 1 < h ? c + w : -1;
      else if (k === 1) n = y > 0 ? c - w : -1;
      else if (k === 2) n = x > 0 ? c - 1 : -1;
      else n = x + 1 < w ? c + 1 : -1;
      if (n < 0 || dist[n]! >= 0 || d <= freeAt[n]!) continue;
      dist[n] = d;
      queue[qt++] = n;
    }
  }
  return qt - 1;
}

function target(b: Board, body: number[], move: Move): number {
  const c = body[0]!;
  const d = DELTAS[move];
  const x = (c % b.w) + d[0];
  const y = ((c / b.w) | 0) + d[1];
  return x < 0 || x >= b.w || y < 0 || y >= b.h ? -1 : y * b.w + x;
}

/** The static rule: any cell occupied now (every body cell and both heads). */
function blocked(sim: Sim, cell: number): boolean {
  return sim.me.includes(cell) || (sim.opp !== null && sim.opp.includes(cell));
}
