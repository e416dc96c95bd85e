/**
 * The Snake play session: a human (snake 1, red) against a seeded bot (snake 2, blue), or alone.
 * A vanilla zustand store: React components subscribe to it, tests drive it directly. The clock that
 * advances rounds in real time lives here too (a side effect with an explicit start/stop), so the view
 * only renders and forwards keys.
 */
import { createStore } from 'zustand/vanilla';
import { Rng } from '../util/rng';
import { streamSeed } from '../util/streams';
import { SNAKE_BOTS, SnakeEnv, type Move, type SnakeResult, type SnakeState } from '../games/snake';
import type { OpponentName, SnakeLink } from './url';

export const HUMAN_ID = 1;
export const BOT_ID = 2;

export interface SnakePlayState {
  link: SnakeLink;
  state: SnakeState;
  result: SnakeResult | null;
  /** What happened in the last round, for the status line. */
  lastEvents: string[];
  /** The move the human asked for, applied at the next round. */
  queued: Move | null;
  running: boolean;
  /** Rounds per second while running. */
  speed: number;
  /** When on, every key press plays exactly one round and the clock stays off. */
  turnBased: boolean;

  load(link: SnakeLink): void;
  newGame(seed: number): void;
  setOpponent(opponent: OpponentName): void;
  setOptions(options: Partial<SnakeLink['options']>): void;
  press(move: Move): void;
  step(): void;
  setRunning(running: boolean): void;
  setSpeed(speed: number): void;
  setTurnBased(on: boolean): void;
  dispose(): void;
}

/** The seed of the bot's own random stream, kept apart from the environment's apple spawns. */
const botSeed = (seed: number): number => streamSeed(seed, 'opponentBot');

export function createSnakePlayStore(initial: SnakeLink) {
  let env = new SnakeEnv(initial.options);
  let botRng = new Rng(botSeed(initial.seed));
  let timer: ReturnType<typeof setInterval> | null = null;

  const stopClock = () => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };

  const store = createStore<SnakePlayState>()((set, get) => {
    /** Plays one round from the current state; returns false when no move is known yet. */
    const playRound = (): boolean => {
      const { state, result, queued, link } = get();
      if (result) return false;
      const human = state.snakes.find((s) => s.id === HUMAN_ID);
      const humanMove = queued ?? human?.lastMove ?? null;
      if (!human || humanMove === null) return false;
      const moves: Record<number, Move> = { [HUMAN_ID]: humanMove };
      const bot = state.snakes.find((s) => s.id === BOT_ID);
      if (bot?.alive && link.opponent !== 'none') {
        moves[BOT_ID] = SNAKE_BOTS[link.opponent]({ ...state, you: BOT_ID }, BOT_ID, botRng);
      }
      const out = env.step(moves);
      const events: string[] = [];
      for (const id of out.info.ate) events.push(id === HUMAN_ID ? 'You ate an apple' : 'The bot ate an apple');
      for (const d of out.info.deaths) events.push(`${d.id === HUMAN_ID ? 'You' : 'The bot'} died (${d.cause})`);
      set({
        state: { ...out.state, you: HUMAN_ID },
        result: out.info.result,
        lastEvents: events,
        queued: null,
        link: { ...link, moves: [...link.moves, humanMove] },
      });
      if (out.info.result) {
        stopClock();
        set({ running: false });
      }
      return true;
    };

    const startClock = () => {
      stopClock();
      timer = setInterval(() => {
        if (!playRound() && get().result) stopClock();
      }, 1000 / get().speed);
    };

    const fresh = (link: SnakeLink): Pick<SnakePlayState, 'link' | 'state' | 'result' | 'lastEvents' | 'queued'> => {
      stopClock();
      env = new SnakeEnv(link.options);
      botRng = new Rng(botSeed(link.seed));
      const { state } = env.reset(link.seed);
      return { link: { ...link, moves: [] }, state: { ...state, you: HUMAN_ID }, result: null, lastEvents: [], queued: null };
    };

    return {
      ...fresh(initial),
      running: false,
      speed: 4,
      turnBased: false,

      load(link) {
        set({ ...fresh(link), running: false });
        // Replays the shared moves; the bot's stream is seeded, so it answers exactly as it did.
        for (const move of link.moves) {
          set({ queued: move });
          if (!playRound()) break;
        }
      },
      newGame(seed) {
        set({ ...fresh({ ...get().link, seed }), running: false });
      },
      setOpponent(opponent) {
        const options = { ...get().link.options, numSnakes: opponent === 'none' ? 1 : 2 } as const;
        set({ ...fresh({ ...get().link, opponent, options }), running: false });
      },
      setOptions(options) {
        set({ ...fresh({ ...get().link, options: { ...get().link.options, ...options } }), running: false });
      },
      press(move) {
        if (get().result) return;
        set({ queued: move });
        if (get().turnBased) {
          playRound();
        } else if (!get().running) {
          // The first key of a game starts the clock; later keys only steer.
          if (get().state.round === 0) get().setRunning(true);
        }
      },
      step() {
        get().setRunning(false);
        playRound();
      },
      setRunning(running) {
        if (running && (get().result || get().turnBased)) return;
        set({ running });
        if (running) startClock();
        else stopClock();
      },
      setSpeed(speed) {
        set({ speed: Math.min(20, Math.max(0.5, speed)) });
        if (get().running) startClock();
      },
      setTurnBased(on) {
        if (on) get().setRunning(false);
        set({ turnBased: on });
      },
      dispose() {
        stopClock();
      },
    };
  });
  return store;
}

export type SnakePlayStore = ReturnType<typeof createSnakePlayStore>;
