/**
 * Watch mode: a policy (the nano model, a bot, later a remote model) plays while every step is kept:
 * the exact observation it got, the text it wrote (streamed live), the parsed action, the ground truth
 * and the reward parts. Snake: the watched policy steers snake 1 against a bot or itself. Rotation: it
 * answers one seeded question after another.
 *
 * The loop is plain async code over the store (no React); the view subscribes to `live` for the text
 * being generated and to `steps` for the finished record.
 *
 * `observationMode` applies the modality-gap ablation to whatever the policy observes (policy/observe.ts,
 * `withObservationMode`). `start` lets a store continue a game from a given point instead of a fresh
 * seed (the explorer's "branch here": the env with its random stream, the opponent's stream, the steps
 * already played); `reset` returns to that point.
 */
import { createStore } from 'zustand/vanilla';
import {
  SnakeEnv,
  SNAKE_BOTS,
  parseSnakeAnswer,
  scoreSnake,
  snakeLabels,
  type Move,
  type SnakeBotName,
  type SnakeResult,
  type SnakeState,
} from '../games/snake';
import type { RewardParts } from '../games/types';
import { withObservationMode } from '../policy/observe';
import type { Observation, Policy } from '../policy/types';
import type { EpisodeStep, ObservationMode } from '../records/types';
import { Rng, deriveSeed } from '../util/rng';
import { streamSeed } from '../util/streams';
import { gameOf, questionGame, type GameId, type GameTruth, type Position } from '../games/registry';

export type WatchGame = GameId;

/** Question i of a watched question game: item i of the game's watch stream of the seed, under the settings. */
export function watchQuestion(game: GameId, seed: number, index: number, settings: Record<string, unknown> = {}): Position {
  const q = questionGame(game);
  if (!q) throw new Error(`watchQuestion: ${game} is not a question game`);
  const state = q.question(deriveSeed(streamSeed(seed, q.watchStream), index), { ...(q.settings.default as Record<string, unknown>), ...settings });
  return { game, state } as Position;
}
export type WatchOpponent = SnakeBotName | 'self';

/**
 * A step as it is played: the EpisodeStep that will be stored, but with the observation itself (images
 * included) in place of the position and prompt it is re-rendered from.
 */
export interface WatchStep extends Omit<EpisodeStep, 'position' | 'prompt' | 'source' | 'render'> {
  observation: Observation;
  /** Set when the move was chosen by hand (a branch's first step). */
  source?: 'human';
}

/** Where a store starts instead of `reset(seed)`: built afresh by `start()` on every reset. */
export interface WatchStart {
  /** Snake: the env to continue, random stream included (null for Rotation). */
  env: SnakeEnv | null;
  /** Snake: the opponent bot's random stream at that point. */
  opponentRng?: Rng;
  /** The steps already played (kept as the episode's history; the next step gets index steps.length). */
  steps: WatchStep[];
}

/**
 * The performance measure every streamed step leaves (`performance.getEntriesByName`): from its first
 * token to its result as the page received them, with `detail` = WatchDecodeDetail. `npm run bench:infer`
 * reads it for its Watch row: what a person watching sees, next to the worker's own decode speed.
 */
export const WATCH_DECODE_MEASURE = 'vigal:watch-decode';

export interface WatchDecodeDetail {
  newTokens: number;
  /** (newTokens - 1) / seconds between the first token's and the result's arrival on the page. */
  pageTokensPerSecond: number;
  /** The policy's own decode speed for the step (the worker's, for the nano model). */
  policyTokensPerSecond: number | null;
}

export type WatchStatus = 'idle' | 'running' | 'paused' | 'done' | 'error';

export interface WatchState {
  game: WatchGame;
  seed: number;
  opponent: WatchOpponent;
  /** A question game's settings beyond its defaults (Rotation: `classSet`); Explore's branches keep the episode's. */
  settings: Record<string, unknown>;
  /** What the policy is shown: image and text (default), the image alone, or the text alone. */
  observationMode: ObservationMode;
  /** Pause between steps while running, in ms (so a person can read the trace). */
  delayMs: number;
  policy: Policy | null;
  status: WatchStatus;
  error: string | null;
  /** Snake: the board now (after the last step). Rotation: null. */
  board: SnakeState | null;
  result: SnakeResult | null;
  steps: WatchStep[];
  /** The step being generated: its observation and the text so far. */
  live: { observation: Observation; text: string } | null;

  setPolicy(policy: Policy | null): void;
  /** Changing game or seed also drops a `start` point (a fresh seeded game). */
  configure(settings: Partial<Pick<WatchState, 'game' | 'seed' | 'opponent' | 'settings' | 'observationMode'>>): void;
  setDelay(ms: number): void;
  play(): void;
  pause(): void;
  step(): Promise<void>;
  /** Starts over (same settings), cancelling a generation in flight. */
  reset(): void;
}

const WATCHED_ID = 1;
const OPPONENT_ID = 2;

export interface WatchInit extends Partial<Pick<WatchState, 'game' | 'seed' | 'opponent' | 'settings' | 'delayMs' | 'observationMode'>> {
  /** Continue from this point (called on every reset) instead of a fresh seeded game. */
  start?: () => WatchStart;
}

export function createWatchStore(initial: WatchInit = {}) {
  let env: SnakeEnv | null = null;
  let opponentRng = new Rng(0);
  let start = initial.start;
  let abort = new AbortController();
  /** The step being played, and the game it belongs to (its signal aborts when that game is left). */
  let inflight: { signal: AbortSignal; done: Promise<boolean> } | null = null;

  const store = createStore<WatchState>()((set, get) => {
    const fresh = (): Pick<WatchState, 'board' | 'result' | 'steps' | 'live' | 'error' | 'status'> => {
      abort.abort();
      abort = new AbortController();
      const { game, seed } = get();
      opponentRng = new Rng(streamSeed(seed, 'opponentBot'));
      if (start) {
        const from = start();
        env = gameOf(game).kind === 'env' ? from.env : null;
        if (from.opponentRng) opponentRng = from.opponentRng;
        const result = env?.outcome ?? null;
        return { board: env?.getState() ?? null, result, steps: from.steps, live: null, error: null, status: result ? 'done' : 'idle' };
      }
      // An env game (Snake) starts its env; a question game has none (questions come from the seed).
      if (gameOf(game).kind === 'env') {
        env = new SnakeEnv();
        return { board: env.reset(seed).state, result: null, steps: [], live: null, error: null, status: 'idle' };
      }
      env = null;
      return { board: null, result: null, steps: [], live: null, error: null, status: 'idle' };
    };

    /** Plays one step; returns false when nothing more can be played. */
    const playStep = async (): Promise<boolean> => {
      const { policy, game } = get();
      if (!policy) {
        set({ status: 'error', error: 'No policy is loaded to watch.' });
        return false;
      }
      if (get().status === 'done') return false;
      const signal = abort.signal;
      const index = get().steps.length;
      const position: Position =
        gameOf(game).kind === 'env'
          ? { game: 'snake' as const, state: { ...(get().board as SnakeState), you: WATCHED_ID } }
          : watchQuestion(game, get().seed, index, get().settings);
      const observation = withObservationMode(policy.observe(position), get().observationMode);
      set({ live: { observation, text: '' } });
      let firstTokenAt: number | null = null;
      const result = await policy.act(observation, {
        signal,
        streamer: {
          put: (text) => {
            firstTokenAt ??= performance.now();
            const live = get().live;
            if (live && !signal.aborted) set({ live: { ...live, text: live.text + text } });
          },
          end: () => {},
        },
      });
      if (signal.aborted) return false;
      if (firstTokenAt !== null) measureDecode(firstTokenAt, result.timings);

      if (gameOf(position.game).kind === 'question') {
        const spec = gameOf(position.game);
        const truth = spec.truth(position.state);
        const verdict = spec.score(result.text, truth);
        const step: WatchStep = {
          index,
          observation,
          text: result.text,
          action: verdict.action,
          applied: null,
          truth: truth as GameTruth,
          reward: pick(verdict),
          timings: result.timings,
        };
        set({ steps: [...get().steps, step], live: null });
        return true;
      }

      // The env game: Snake (the only one; its rules below are its own).
      const state = position.state as SnakeState;
      const truth = snakeLabels(state, WATCHED_ID);
      const verdict = scoreSnake(result.text, truth);
      const me = state.snakes.find((s) => s.id === WATCHED_ID);
      const applied: Move = verdict.bestMove ?? me?.lastMove ?? 'UP';
      const moves: Record<number, Move> = { [WATCHED_ID]: applied };
      const other = state.snakes.find((s) => s.id === OPPONENT_ID);
      if (other?.alive) {
        const view: SnakeState = { ...state, you: OPPONENT_ID };
        if (get().opponent === 'self') {
          const reply = await policy.act(withObservationMode(policy.observe({ game: 'snake', state: view }), get().observationMode), { signal });
          if (signal.aborted) return false;
          moves[OPPONENT_ID] = parseSnakeAnswer(reply.text).bestMove ?? other.lastMove ?? 'UP';
        } else {
          moves[OPPONENT_ID] = SNAKE_BOTS[get().opponent as SnakeBotName](view, OPPONENT_ID, opponentRng);
        }
      }
      const out = (env as SnakeEnv).step(moves);
      const step: WatchStep = {
        index,
        observation,
        text: result.text,
        action: verdict.bestMove,
        applied,
        truth,
        reward: pick(verdict),
        timings: result.timings,
        opponentMove: moves[OPPONENT_ID],
      };
      set({ steps: [...get().steps, step], live: null, board: out.state, result: out.info.result });
      if (out.info.result) {
        set({ status: 'done' });
        return false;
      }
      return true;
    };

    /** Runs one step with error capture: a failed step loses nothing and can be retried. */
    const guardedStep = async (): Promise<boolean> => {
      if (inflight && !inflight.signal.aborted) return false; // this game's step is already under way
      // A step of a game just left (reset, new game, new player) may still be finishing: one generation
      // at a time, so wait for it, then play this game's step (before, the new game stopped at once).
      if (inflight) await inflight.done;
      if (inflight && !inflight.signal.aborted) return false;
      const signal = abort.signal;
      const done = (async () => {
        try {
          return await playStep();
        } catch (e) {
          if ((e as Error).name === 'AbortError' || signal.aborted) return false;
          set({ status: 'error', error: (e as Error).message, live: null });
          return false;
        }
      })();
      inflight = { signal, done };
      try {
        return await done;
      } finally {
        if (inflight?.done === done) inflight = null;
      }
    };

    const loop = async () => {
      // A loop plays one game: once that game is left (reset, new game or player), the new game's loop
      // owns the status, and this one ends without touching it.
      const game = abort.signal;
      while (get().status === 'running' && !game.aborted) {
        const more = await guardedStep();
        if (game.aborted) return;
        if (!more) {
          if (get().status === 'running') set({ status: get().result ? 'done' : 'paused' });
          return;
        }
        // Always a macrotask between steps, even at 0 ms: a bot answers in microtasks, and a loop of
        // those alone would never let the page paint or take a click.
        const delay = get().delayMs;
        await new Promise((r) => setTimeout(r, delay));
      }
    };

    return {
      game: initial.game ?? 'snake',
      seed: initial.seed ?? 1,
      opponent: initial.opponent ?? 'greedy',
      settings: initial.settings ?? {},
      observationMode: initial.observationMode ?? 'image+text',
      delayMs: initial.delayMs ?? 600,
      policy: null,
      status: 'idle',
      error: null,
      board: null,
      result: null,
      steps: [],
      live: null,

      setPolicy(policy) {
        set({ policy });
        set(fresh());
      },
      configure(settings) {
        if ((settings.game !== undefined && settings.game !== get().game) || (settings.seed !== undefined && settings.seed !== get().seed)) start = undefined;
        // A game's question settings mean nothing to another game: a new game starts from its defaults.
        const otherGame = settings.game !== undefined && settings.game !== get().game;
        set(otherGame && settings.settings === undefined ? { ...settings, settings: {} } : settings);
        set(fresh());
      },
      setDelay(ms) {
        set({ delayMs: Math.max(0, Math.min(10_000, ms)) });
      },
      play() {
        const s = get().status;
        if (s === 'running' || s === 'done' || !get().policy) return;
        set({ status: 'running', error: null });
        void loop();
      },
      pause() {
        if (get().status === 'running') set({ status: 'paused' });
      },
      async step() {
        if (get().status === 'running' || get().status === 'done') return;
        set({ error: null, status: 'paused' });
        await guardedStep();
      },
      reset() {
        set(fresh());
      },
    };
  });
  store.getState().reset();
  return store;
}

function measureDecode(start: number, timings: { newTokens?: number; tokensPerSecond?: number }): void {
  const end = performance.now();
  const newTokens = timings.newTokens ?? 0;
  if (newTokens < 2 || end <= start) return;
  const detail: WatchDecodeDetail = {
    newTokens,
    pageTokensPerSecond: ((newTokens - 1) * 1000) / (end - start),
    policyTokensPerSecond: timings.tokensPerSecond ?? null,
  };
  performance.measure(WATCH_DECODE_MEASURE, { start, end, detail });
}

const pick = (v: RewardParts): RewardParts => ({ format: v.format, accuracy: v.accuracy, overall: v.overall });

export type WatchStore = ReturnType<typeof createWatchStore>;
