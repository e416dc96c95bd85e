/**
 * The evaluation suite: a list of policies on one seeded held-out set, and for Snake a round robin of
 * head-to-head games between them, as one EvaluationRecord (records/types.ts). Pure over the Policy
 * interface, so the CLI (`vigal eval --policies`, `vigal match`), the app's Evaluate mode and the tests
 * get the same numbers from the same seeds.
 *
 * Phases, in this order (the order fixes every random stream and the Elo order):
 *   1. held-out: each policy, in the order given, answers the same `n` states (rl/evaluate.ts);
 *   2. head-to-head (Snake, `gamesPerPairing` > 0): for every pair (i, j), i < j, in list order,
 *      `gamesPerPairing` games with i in seat 1 (snake 1) and j in seat 2, then the same games (same
 *      seeds) with the seats swapped, so neither gains from the spawn or the seat. ViGaL's protocol is
 *      10 games per pairing; each seat assignment plays that many. Policies of kind 'human' answer the
 *      held-out states but sit out the games (hundreds of rounds each; Play mode is for that);
 *   3. Elo over every game, in play order (rl/elo.ts).
 */
import { parseSnakeAnswer, SnakeEnv, type Move, type SnakeState } from '../games/snake';
import { withObservationMode } from '../policy/observe';
import type { ActOptions, Policy } from '../policy/types';
import type { EloRow, EvaluationRecord, ObservationMode } from '../records/types';
import { RECORD_VERSION } from '../records/types';
import { eloRatings, type EloGame } from './elo';
import { evaluatePolicy, type EvalReport, type MatchReport } from './evaluate';
import type { HeldOutSet } from './heldOutSets';
import { gameOf, type GameId } from '../games/registry';

/** ViGaL's head-to-head protocol: 10 games per pairing. */
export const GAMES_PER_PAIRING = 10;

export type SuiteGame = GameId;

export interface SuiteProgress {
  phase: 'held-out' | 'games';
  /** The policy answering (held-out) or in seat 1 (games). */
  policy: string;
  /** Games: the policy in seat 2. */
  opponent?: string;
  /** Steps of this phase item done / total (held-out states, or games); 0 when an item starts. */
  done: number;
  total: number;
  /** Over the whole suite: held-out answers + games. */
  overallDone: number;
  overallTotal: number;
}

export interface SuiteOptions {
  game: SuiteGame;
  /** Held-out states per policy (0: head-to-head only). */
  n: number;
  /** Seed of the held-out set and of the games (game g of every pairing uses seed + g). */
  seed: number;
  /** Snake: games per pairing and seat (0 skips head-to-head). */
  gamesPerPairing?: number;
  /** What every policy is shown (default 'image+text'); see `prepared`. */
  observationMode?: ObservationMode;
  /** A harder held-out set (rl/heldOutSets.ts: long snakes, other Rotation classes); default the standard one. */
  set?: HeldOutSet;
  /** Aborts between (and, for policies that honour it, inside) steps with an AbortError. */
  signal?: AbortSignal;
  onProgress?: (p: SuiteProgress) => void;
  /** Called after each finished report or match with the record so far (the UI shows partial results). */
  onPartial?: (record: EvaluationRecord) => void;
  /** Record identity; defaults to a random UUID and now. */
  id?: string;
  createdAt?: number;
}

/** The ordered seat pairs of the round robin: (i, j) then (j, i) for every i < j, in list order. */
export function roundRobin<T>(players: readonly T[]): [T, T][] {
  const pairs: [T, T][] = [];
  for (let i = 0; i < players.length; i++) {
    for (let j = i + 1; j < players.length; j++) pairs.push([players[i] as T, players[j] as T], [players[j] as T, players[i] as T]);
  }
  return pairs;
}

/** Runs the suite (see header). Policies that do not play the game are an error, named in the message. */
export async function runSuite(policies: readonly Policy[], opts: SuiteOptions): Promise<EvaluationRecord> {
  const { game, n, seed, signal } = opts;
  const ids = policies.map((p) => p.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup !== undefined) throw new Error(`runSuite: policy '${dup}' is listed twice`);
  const wrong = policies.filter((p) => !p.games.includes(game));
  if (wrong.length) throw new Error(`runSuite: ${wrong.map((p) => `'${p.id}' (plays ${p.games.join(', ')})`).join(', ')} cannot play ${game}`);
  // Head-to-head games are an env game's (a question game has no opponent).
  const games = gameOf(game).kind === 'env' ? (opts.gamesPerPairing ?? 0) : 0;
  const observationMode = opts.observationMode ?? 'image+text';
  const players = policies.filter((p) => p.kind !== 'human');
  const pairs = games > 0 ? roundRobin(players) : [];

  const record: EvaluationRecord = {
    type: 'evaluation',
    version: RECORD_VERSION,
    id: opts.id ?? globalThis.crypto.randomUUID(),
    createdAt: opts.createdAt ?? Date.now(),
    game,
    n,
    seed,
    observationMode,
    reports: [],
    matches: [],
  };
  const overallTotal = policies.length * n + pairs.length * games;
  let overallDone = 0;
  const checkAbort = () => {
    if (signal?.aborted) throw new DOMException('the evaluation was stopped', 'AbortError');
  };

  // 1. held-out answers (n = 0: games only, as `vigal match`)
  for (const policy of n > 0 ? policies : []) {
    checkAbort();
    const base = overallDone;
    opts.onProgress?.({ phase: 'held-out', policy: policy.id, done: 0, total: n, overallDone, overallTotal });
    const report: EvalReport = await evaluatePolicy(
      prepared(policy, observationMode, signal),
      game,
      n,
      seed,
      (done, total) => {
        overallDone = base + done;
        opts.onProgress?.({ phase: 'held-out', policy: policy.id, done, total, overallDone, overallTotal });
      },
      1,
      opts.set,
    );
    record.reports.push(report);
    opts.onPartial?.(snapshot(record));
  }

  // 2. head-to-head games
  for (const [a, b] of pairs) {
    checkAbort();
    const base = overallDone;
    opts.onProgress?.({ phase: 'games', policy: a.id, opponent: b.id, done: 0, total: games, overallDone, overallTotal });
    const match = await playHeadToHead(prepared(a, observationMode, signal), prepared(b, observationMode, signal), games, seed, (done, total) => {
      overallDone = base + done;
      opts.onProgress?.({ phase: 'games', policy: a.id, opponent: b.id, done, total, overallDone, overallTotal });
    });
    record.matches.push(match);
    opts.onPartial?.(snapshot(record));
  }

  // 3. Elo
  if (record.matches.length)
    record.elo = eloOfMatches(
      record.matches,
      players.map((p) => p.id),
    );
  return record;
}

/**
 * `games` Snake games, `a` steering snake 1 and `b` snake 2; game g uses seed + g (the seeds playMatches
 * uses, so the games against a bot start from the same boards). A response that names no move keeps the
 * snake's direction (as in playMatches). The report is from a's side.
 */
export async function playHeadToHead(
  a: Policy,
  b: Policy,
  games: number,
  seed: number,
  onProgress?: (done: number, total: number) => void,
): Promise<MatchReport> {
  if (a.id === b.id) throw new Error(`playHeadToHead: '${a.id}' cannot play itself here (both seats would share one policy's state)`);
  let wins = 0,
    ties = 0,
    losses = 0,
    score = 0,
    theirs = 0,
    rounds = 0,
    survived = 0,
    theirSurvived = 0;
  const unparsed = { 1: 0, 2: 0 };
  const outcomes: ('W' | 'T' | 'L')[] = [];
  const seats = [
    [1, a],
    [2, b],
  ] as const;
  for (let g = 0; g < games; g++) {
    const env = new SnakeEnv();
    let state: SnakeState = env.reset((seed + g) >>> 0).state;
    for (;;) {
      const moves: Record<number, Move> = {};
      for (const [id, policy] of seats) {
        const me = state.snakes.find((s) => s.id === id);
        if (!me?.alive) continue;
        const result = await policy.act(policy.observe({ game: 'snake', state: { ...state, you: id } }));
        const parsed = parseSnakeAnswer(result.text).bestMove;
        if (parsed === null) unparsed[id]++;
        moves[id] = parsed ?? me.lastMove ?? 'UP';
      }
      const out = env.step(moves);
      state = out.state;
      const r = out.info.result;
      if (!r) continue;
      outcomes.push(r.winner === 1 ? 'W' : r.winner === 2 ? 'L' : 'T');
      if (r.winner === 1) wins++;
      else if (r.winner === 2) losses++;
      else ties++;
      score += r.scores[1] ?? 0;
      theirs += r.scores[2] ?? 0;
      rounds += r.rounds;
      // The fatal round counts in `rounds` but was not survived.
      const died = (id: number) => out.info.deaths.some((d) => d.id === id);
      survived += r.rounds - (died(1) ? 1 : 0);
      theirSurvived += r.rounds - (died(2) ? 1 : 0);
      break;
    }
    onProgress?.(g + 1, games);
  }
  const k = Math.max(1, games);
  return {
    policy: a.id,
    opponent: b.id,
    games,
    wins,
    ties,
    losses,
    win_rate: wins / k,
    mean_score: score / k,
    mean_opponent_score: theirs / k,
    mean_rounds: rounds / k,
    unparsed_moves: unparsed[1],
    outcomes,
    mean_survival: survived / k,
    mean_opponent_survival: theirSurvived / k,
    opponent_unparsed_moves: unparsed[2],
    seed,
  };
}

/** Every game of `matches` as Elo games, in record order (matches without outcomes add none). */
export function matchGames(matches: readonly MatchReport[]): EloGame[] {
  return matches.flatMap((m) => (m.outcomes ?? []).map((o): EloGame => ({ a: m.policy, b: m.opponent, score: o === 'W' ? 1 : o === 'L' ? 0 : 0.5 })));
}

export function eloOfMatches(matches: readonly MatchReport[], players?: readonly string[]): EloRow[] {
  return eloRatings(matchGames(matches), { players });
}

/** One policy's head-to-head totals over every match it played, in either seat. */
export interface HeadToHeadTotals {
  policy: string;
  games: number;
  wins: number;
  ties: number;
  losses: number;
  win_rate: number;
  mean_score: number;
  /** Rounds survived per game (absent when a match carried no survival numbers). */
  mean_survival: number | null;
}

export function headToHeadTotals(matches: readonly MatchReport[]): HeadToHeadTotals[] {
  const acc = new Map<string, { games: number; wins: number; ties: number; losses: number; score: number; survival: number; survivalGames: number }>();
  const add = (policy: string, games: number, wins: number, ties: number, losses: number, score: number, survival: number | undefined) => {
    const t = acc.get(policy) ?? { games: 0, wins: 0, ties: 0, losses: 0, score: 0, survival: 0, survivalGames: 0 };
    t.games += games;
    t.wins += wins;
    t.ties += ties;
    t.losses += losses;
    t.score += score * games;
    if (survival !== undefined) {
      t.survival += survival * games;
      t.survivalGames += games;
    }
    acc.set(policy, t);
  };
  for (const m of matches) {
    add(m.policy, m.games, m.wins, m.ties, m.losses, m.mean_score, m.mean_survival);
    add(m.opponent, m.games, m.losses, m.ties, m.wins, m.mean_opponent_score, m.mean_opponent_survival);
  }
  return [...acc.entries()].map(([policy, t]) => {
    const k = Math.max(1, t.games);
    return {
      policy,
      games: t.games,
      wins: t.wins,
      ties: t.ties,
      losses: t.losses,
      win_rate: t.wins / k,
      mean_score: t.score / k,
      mean_survival: t.survivalGames ? t.survival / t.survivalGames : null,
    };
  });
}

/**
 * The numbers of a record that must not depend on where it ran (Node or a browser) or how fast: every
 * report and match without timings, and the Elo table. Parity tests compare these.
 */
export function suiteNumbers(record: EvaluationRecord) {
  return {
    game: record.game,
    n: record.n,
    seed: record.seed,
    reports: record.reports.map(({ seconds: _s, ...rest }) => rest),
    matches: record.matches,
    elo: record.elo ?? [],
  };
}

/**
 * `policy` as the suite runs it: shown its usual observation under `mode` (policy/observe.ts: the
 * modality-gap ablation; bots read the state, so their answers do not change), every act honouring
 * `signal` (and failing fast once it is aborted).
 */
export function prepared(policy: Policy, mode: ObservationMode, signal?: AbortSignal): Policy {
  if (mode === 'image+text' && !signal) return policy;
  return {
    id: policy.id,
    label: policy.label,
    kind: policy.kind,
    games: policy.games,
    observe: (position) => withObservationMode(policy.observe(position), mode),
    act: (obs, opts: ActOptions = {}) => {
      if (signal?.aborted) return Promise.reject(new DOMException('the evaluation was stopped', 'AbortError'));
      return policy.act(obs, { ...opts, signal: opts.signal ?? signal });
    },
  };
}

function snapshot(record: EvaluationRecord): EvaluationRecord {
  return { ...record, reports: [...record.reports], matches: [...record.matches] };
}
