/**
 * The episode explorer: one episode (saved, imported, or followed live from a watch store) on a
 * timeline, and "branch here": take over at step k, choose the move by hand, then let any policy go on.
 *
 * Branching rebuilds the game at step k. Snake: replay from the episode's seed (the env's apple stream
 * and the opponent bot's random stream advance exactly as they did), checking every replayed state
 * against the stored one; where that fails (an imported or older episode) the env starts from step k's
 * stored position with a stream derived from the seed and k (`exact: false`: the game goes on from the
 * same board, but apples spawn elsewhere). Rotation: questions come from the seed and the step index,
 * so the branch simply answers step k by hand and continues.
 */
import { createStore } from 'zustand/vanilla';
import { SNAKE_BOTS, SnakeEnv, scoreSnake, snakeLabels, BOT_NAMES, type Move, type SnakeBotName, type SnakeState } from '../games/snake';
import { gameOf, questionGame, type GameTruth, type Position } from '../games/registry';
import { observe, withObservationMode } from '../policy/observe';
import type { EpisodeRecord } from '../records/types';
import { Rng, deriveSeed } from '../util/rng';
import { streamSeed } from '../util/streams';
import { attachAutosave, newEpisodeId, toWatchStep, watchEpisodeRecord, type EpisodeMeta, type EpisodesStore } from './episodes';
import { createWatchStore, type WatchOpponent, type WatchStart, type WatchStep, type WatchStore } from './watch';

const WATCHED = 1;
const OPPONENT = 2;

// ---- reconstruction (pure) -------------------------------------------------------------------------

export interface SnakeBranchPoint {
  /** The env at step k's position, ready to play step k. */
  env: SnakeEnv;
  /** The opponent bot's stream after its step-k move. */
  opponentRng: Rng;
  /** The opponent's move at step k (simultaneous moves: it does not depend on ours). */
  opponentMove: Move | undefined;
  /** True when replaying the seed reproduced every stored state up to k. */
  exact: boolean;
}

/** A position's Snake state, or null: reconstruction is Snake's own (the one env game), the rest of the explorer is generic. */
const snakeStateOf = (p: Position | undefined): SnakeState | null => (p?.game === 'snake' ? p.state : null);

const boardKey = (s: SnakeState): string => JSON.stringify([s.width, s.height, s.apples, s.snakes, s.round]);
const isBot = (o: string | undefined): o is SnakeBotName => (BOT_NAMES as readonly string[]).includes(o ?? '');

export function reconstructSnake(ep: EpisodeRecord, k: number): SnakeBranchPoint {
  if (gameOf(ep.game).kind !== 'env') throw new Error(`reconstructSnake: episode ${ep.id} is ${ep.game}, not snake`);
  const at = ep.steps[k];
  const target = snakeStateOf(at?.position);
  if (!at || !target) throw new Error(`reconstructSnake: episode ${ep.id} has no step ${k} (it has ${ep.steps.length})`);
  const bot = isBot(ep.opponent) ? SNAKE_BOTS[ep.opponent] : null;

  const replayed = replay(ep, k, bot);
  if (replayed) return replayed;

  const env = SnakeEnv.fromState({ ...target, you: WATCHED }, {}, deriveSeed(ep.seed, k));
  const opponentRng = new Rng(deriveSeed(streamSeed(ep.seed, 'opponentBot'), k));
  let opponentMove = at.opponentMove;
  const other = target.snakes.find((s) => s.id === OPPONENT);
  if (opponentMove === undefined && bot && other?.alive) opponentMove = bot({ ...target, you: OPPONENT }, OPPONENT, opponentRng);
  return { env, opponentRng, opponentMove, exact: false };
}

function replay(ep: EpisodeRecord, k: number, bot: ((s: SnakeState, you: number, rng: Rng) => Move) | null): SnakeBranchPoint | null {
  const env = new SnakeEnv();
  env.reset(ep.seed);
  const rng = new Rng(streamSeed(ep.seed, 'opponentBot'));
  for (let i = 0; i <= k; i++) {
    const step = ep.steps[i]!;
    const state = env.getState();
    const stored = snakeStateOf(step.position);
    if (!stored || boardKey(state) !== boardKey(stored)) return null;
    const other = state.snakes.find((s) => s.id === OPPONENT);
    let move: Move | undefined = step.opponentMove;
    if (other?.alive && bot) {
      move = bot({ ...state, you: OPPONENT }, OPPONENT, rng);
      if (step.opponentMove !== undefined && move !== step.opponentMove) return null;
    }
    if (i === k) return { env, opponentRng: rng, opponentMove: move, exact: true };
    if (!step.applied || (other?.alive && !move)) return null;
    const moves: Record<number, Move> = { [WATCHED]: step.applied };
    if (other?.alive) moves[OPPONENT] = move!;
    try {
      env.step(moves);
    } catch {
      return null;
    }
  }
  return null;
}

function observeLike(ep: EpisodeRecord, position: Parameters<typeof observe>[0]) {
  const r = ep.render ?? { imageSize: 320, axes: true };
  const compact = r.axes === false;
  return withObservationMode(
    observe(position, { variant: compact ? 'compact' : 'full', imageSize: r.imageSize, ...(r.axes === undefined ? {} : { axes: r.axes }) }),
    ep.observationMode,
  );
}

/** Plays the hand-chosen move at the branch point (mutates `point.env`) and returns its step. */
export function playHandSnakeStep(ep: EpisodeRecord, k: number, point: SnakeBranchPoint, move: Move): WatchStep {
  const state: SnakeState = { ...point.env.getState(), you: WATCHED };
  const observation = observeLike(ep, { game: 'snake', state });
  const text = gameOf('snake').handResponse(move);
  const truth = snakeLabels(state, WATCHED);
  const v = scoreSnake(text, truth);
  const moves: Record<number, Move> = { [WATCHED]: move };
  const other = state.snakes.find((s) => s.id === OPPONENT);
  if (other?.alive) moves[OPPONENT] = point.opponentMove ?? other.lastMove ?? 'UP';
  point.env.step(moves);
  const step: WatchStep = {
    index: k,
    observation,
    text,
    action: move,
    applied: move,
    truth,
    reward: { format: v.format, accuracy: v.accuracy, overall: v.overall },
    timings: { totalMs: 0 },
    source: 'human',
  };
  if (moves[OPPONENT]) step.opponentMove = moves[OPPONENT];
  return step;
}

/** A question game's step k answered by hand (the question is the stored one; questions come from the seed and the index). */
export function handQuestionStep(ep: EpisodeRecord, k: number, answer: string): WatchStep {
  const at = ep.steps[k];
  if (!at || !questionGame(at.position.game)) throw new Error(`handQuestionStep: episode ${ep.id} has no question step ${k}`);
  const game = gameOf(at.position.game);
  const truth = game.truth(at.position.state);
  const text = game.handResponse(answer);
  const v = game.score(text, truth);
  return {
    index: k,
    observation: observeLike(ep, at.position),
    text,
    action: v.action,
    applied: null,
    truth: truth as GameTruth,
    reward: { format: v.format, accuracy: v.accuracy, overall: v.overall },
    timings: { totalMs: 0 },
    source: 'human',
  };
}

/** The watch-store start point of a branch at step k with the hand's choice (a fresh env on every call). */
export function branchStart(ep: EpisodeRecord, k: number, choice: string): () => WatchStart {
  if (k < 0 || k >= ep.steps.length) throw new Error(`branch: step ${k} is outside the episode (0-${ep.steps.length - 1})`);
  const history = ep.steps.slice(0, k).map((s) => toWatchStep(s, ep));
  if (gameOf(ep.game).kind === 'env') {
    return () => {
      const point = reconstructSnake(ep, k);
      const hand = playHandSnakeStep(ep, k, point, choice as Move);
      return { env: point.env, opponentRng: point.opponentRng, steps: [...history, hand] };
    };
  }
  return () => ({ env: null, steps: [...history, handQuestionStep(ep, k, choice)] });
}

/** The settings an episode's questions were asked under (read off its first question; {} for an env game). */
export function episodeSettings(ep: EpisodeRecord): Record<string, unknown> {
  const first = ep.steps[0]?.position;
  const q = first ? questionGame(first.game) : null;
  return first && q ? (q.settings.of(first.state) as Record<string, unknown>) : {};
}

// ---- the store -------------------------------------------------------------------------------------

export interface BranchSession {
  watch: WatchStore;
  id: string;
  parentId: string;
  step: number;
  /** Whether the seed replay reproduced the game exactly (Snake). */
  exact: boolean;
  stop(): void;
}

export interface ExploreState {
  episode: EpisodeRecord | null;
  /** The step shown. */
  index: number;
  /** 'watch' / 'branch': the episode is followed live from that store. */
  live: 'watch' | 'branch' | null;
  branch: BranchSession | null;
  /** Why the last open or branch failed. */
  error: string | null;

  /** Shows a saved episode (stops following any live one). */
  open(record: EpisodeRecord, index?: number): void;
  /** Follows a watch store's game (its autosave id via `meta`); the view stays on the newest step while it was there. */
  follow(watch: WatchStore, meta: () => EpisodeMeta, kind?: 'watch' | 'branch'): void;
  go(index: number): void;
  step(delta: number): void;
  /** Takes over at step k with the hand's move (Snake) or answer (Rotation); the branch is saved as a new episode. */
  startBranch(k: number, choice: string, episodes: EpisodesStore): BranchSession | null;
  close(): void;
}

export function createExploreStore() {
  let unfollow: (() => void) | null = null;

  return createStore<ExploreState>()((set, get) => {
    const clampIndex = (i: number, ep: EpisodeRecord | null) => Math.max(0, Math.min(i, (ep?.steps.length ?? 1) - 1));
    const stopFollowing = () => {
      unfollow?.();
      unfollow = null;
    };
    return {
      episode: null,
      index: 0,
      live: null,
      branch: null,
      error: null,

      open(record, index = 0) {
        stopFollowing();
        get().branch?.stop(); // a branch left behind stops playing (what it played is saved)
        set({ episode: record, index: clampIndex(index, record), live: null, branch: null, error: null });
      },

      follow(watch, meta, kind = 'watch') {
        stopFollowing();
        if (kind === 'watch') {
          get().branch?.stop();
          set({ branch: null });
        }
        const build = () => watchEpisodeRecord(watch.getState(), meta());
        const first = build();
        set({ episode: first, index: Math.max(0, first.steps.length - 1), live: kind, error: null });
        unfollow = watch.subscribe((s, prev) => {
          if (s.steps === prev.steps && s.result === prev.result) return;
          const atEnd = get().index >= (get().episode?.steps.length ?? 0) - 1;
          const episode = build();
          set({ episode, index: atEnd ? Math.max(0, episode.steps.length - 1) : clampIndex(get().index, episode) });
        });
      },

      go(index) {
        set({ index: clampIndex(index, get().episode) });
      },
      step(delta) {
        get().go(get().index + delta);
      },

      startBranch(k, choice, episodes) {
        const parent = get().episode;
        if (!parent) return null;
        get().branch?.stop();
        let start: () => WatchStart;
        let exact = true;
        try {
          start = branchStart(parent, k, choice);
          if (gameOf(parent.game).kind === 'env') exact = reconstructSnake(parent, k).exact;
        } catch (e) {
          set({ error: (e as Error).message });
          return null;
        }
        const watch = createWatchStore({
          game: parent.game,
          seed: parent.seed,
          opponent: (parent.opponent as WatchOpponent | undefined) ?? 'greedy',
          settings: episodeSettings(parent),
          observationMode: parent.observationMode,
          delayMs: 300,
          start,
        });
        const meta: EpisodeMeta = {
          id: newEpisodeId(),
          createdAt: Date.now(),
          branchedFrom: { id: parent.id, step: k },
          note: `Branched from ${parent.id} at step ${k + 1}: ${choice} by hand${exact ? '' : ' (rebuilt from the stored position: apples after it differ from the original)'}.`,
        };
        const stopSaving = attachAutosave(watch, episodes, { meta });
        // The history and the hand step exist before any policy plays: save them now.
        void episodes.getState().save(watchEpisodeRecord(watch.getState(), meta));
        const session: BranchSession = {
          watch,
          id: meta.id,
          parentId: parent.id,
          step: k,
          exact,
          stop: () => {
            watch.getState().pause();
            stopSaving();
          },
        };
        set({ branch: session });
        get().follow(watch, () => meta, 'branch');
        set({ index: k });
        return session;
      },

      close() {
        stopFollowing();
        get().branch?.stop();
        set({ episode: null, index: 0, live: null, branch: null });
      },
    };
  });
}

export type ExploreStore = ReturnType<typeof createExploreStore>;
