/**
 * The game registry (Gymnasium's `make`): `gameOf(id)` is the one object per game (games/game.ts) that
 * stores, views, the CLI, evaluation, RL and export read. `GameId` comes from here, so a registered game
 * is a valid id everywhere at once. Games register in games/all.ts, one line each.
 */
import * as ALL from './all';
import type { ExportTruthOf, Game, QuestionGame, StateOf, TruthOf } from './game';

type Registered = typeof ALL;
export type GameId = keyof Registered;
/** A registered game's object, by id. */
export type GameOf<K extends GameId> = Registered[K];

/**
 * The games in the order the app shows them (tabs, menus): Snake first, as it always was, then the rest
 * in registration order. (A module namespace lists its names alphabetically, so the order is kept here.)
 */
const FIRST: readonly string[] = ['snake', 'rotation'];
export const GAME_IDS: readonly GameId[] = (Object.keys(ALL) as GameId[]).sort(
  (a, b) => (FIRST.includes(a) ? FIRST.indexOf(a) : FIRST.length) - (FIRST.includes(b) ? FIRST.indexOf(b) : FIRST.length),
);

/** The ids of the question games and of the env games (by their objects' `kind`). */
export type QuestionGameId = { [K in GameId]: GameOf<K> extends { kind: 'question' } ? K : never }[GameId];
export type EnvGameId = Exclude<GameId, QuestionGameId>;

/** A position of any registered game: the game's id and one of its states. */
export type Position = { [K in GameId]: { game: K; state: StateOf<GameOf<K>> } }[GameId];
/** A ground truth of any registered game. */
export type GameTruth = { [K in GameId]: TruthOf<GameOf<K>> }[GameId];
/** An exported ground truth of any registered game (data/record.ts's GroundTruth). */
export type GameExportTruth = { [K in GameId]: ExportTruthOf<GameOf<K>> }[GameId];

export function isGameId(id: unknown): id is GameId {
  return typeof id === 'string' && Object.prototype.hasOwnProperty.call(ALL, id);
}

/**
 * The game object of an id, typed for generic use: its state and truth are `unknown` to the caller, who
 * passes back what the same game gave (a position's state, the truth of that state).
 */
export function gameOf(id: GameId): Game<unknown, unknown> {
  return ALL[id] as Game<unknown, unknown>;
}

/** The question game of an id, or null for an env game. */
export function questionGame(id: GameId): QuestionGame<unknown, unknown, unknown> | null {
  const g = gameOf(id);
  return g.kind === 'question' ? (g as QuestionGame<unknown, unknown, unknown>) : null;
}

export const isQuestionGameId = (id: GameId): id is QuestionGameId => gameOf(id).kind === 'question';

/** An id read from outside (URL, CLI, records), or an Error naming the valid ones. */
export function parseGameId(id: unknown, what = 'game'): GameId {
  if (isGameId(id)) return id;
  throw new Error(`${what} must be ${GAME_IDS.map((g) => `'${g}'`).join(' or ')}; got ${JSON.stringify(id)}`);
}

/** The games of a kind, in app order. */
export const gamesOfKind = (kind: Game<unknown, unknown>['kind']): GameId[] => GAME_IDS.filter((id) => gameOf(id).kind === kind);

/** Every bot some registered game offers (games/game.ts `bots`), in app order, each once: the names `bot:NAME` accepts. */
export const ALL_BOT_NAMES: readonly string[] = [...new Set(GAME_IDS.flatMap((id) => Object.keys(gameOf(id).bots)))];
