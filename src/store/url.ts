/**
 * The shareable part of the app's state, as URL query parameters: game, seed, settings and the human's
 * moves so far. Opening the same URL replays those moves against the same seeded bot and lands on the
 * same position. Pure functions over URLSearchParams (no `window`), so they are unit-tested in Node.
 */
import { DEFAULT_SNAKE_OPTIONS, type Move, type SnakeOptions } from '../games/snake';
import { GAME_IDS, isGameId, isQuestionGameId, questionGame, type QuestionGameId } from '../games/registry';
import type { RotationSettings } from '../games/rotation/game';

export { ROTATION_CLASS_SET_NAMES, type RotationClassSet } from '../games/rotation/game';

export type OpponentName = 'none' | 'random' | 'greedy' | 'lookahead';
export const OPPONENTS: readonly OpponentName[] = ['none', 'random', 'greedy', 'lookahead'];

export interface SnakeLink {
  game: 'snake';
  seed: number;
  opponent: OpponentName;
  options: SnakeOptions;
  /** The human's move of every round played so far. */
  moves: Move[];
}

/**
 * A question game's link: the seed and the game's settings (games/game.ts, QuestionGame.settings),
 * flat, as its URL parameters name them (Rotation: `classSet`, `example`).
 */
export type QuestionLink = { game: QuestionGameId; seed: number } & Record<string, unknown>;
export type RotationLink = { game: 'rotation'; seed: number } & RotationSettings;

export type AppLink = SnakeLink | QuestionLink;

export const isQuestionLink = (link: AppLink): link is QuestionLink => isQuestionGameId(link.game);

/** A question link's settings: everything but the game and the seed. */
export function linkSettings(link: QuestionLink): Record<string, unknown> {
  const { game: _game, seed: _seed, ...settings } = link;
  return settings;
}

/** The default link of a question game (seed 1, its default settings). */
export function defaultQuestionLink(game: QuestionGameId): QuestionLink {
  return { game, seed: 1, ...(questionGame(game)?.settings.default as Record<string, unknown>) };
}

const MOVE_LETTERS: Record<Move, string> = { UP: 'U', DOWN: 'D', LEFT: 'L', RIGHT: 'R' };
const LETTER_MOVES: Record<string, Move> = { U: 'UP', D: 'DOWN', L: 'LEFT', R: 'RIGHT' };

function intParam(params: URLSearchParams, key: string, fallback: number, min: number, max: number): number {
  const raw = params.get(key);
  if (raw === null || !/^\d+$/.test(raw)) return fallback;
  return Math.min(max, Math.max(min, Number(raw)));
}

/** Reads a link; anything missing or invalid falls back to a default rather than failing the page. */
export function parseLink(search: string): AppLink {
  const params = new URLSearchParams(search);
  const raw = params.get('game');
  const game = isGameId(raw) ? raw : (GAME_IDS[0] as (typeof GAME_IDS)[number]);
  const seed = intParam(params, 'seed', 1, 0, 0xffffffff);
  if (isQuestionGameId(game)) return { game, seed, ...(questionGame(game)?.settings.parse((key) => params.get(key)) as Record<string, unknown>) };
  const opponentRaw = params.get('bot') ?? 'lookahead';
  const opponent = (OPPONENTS as readonly string[]).includes(opponentRaw) ? (opponentRaw as OpponentName) : 'lookahead';
  const d = DEFAULT_SNAKE_OPTIONS;
  const options: SnakeOptions = {
    width: intParam(params, 'w', d.width, 4, 30),
    height: intParam(params, 'h', d.height, 4, 30),
    numSnakes: opponent === 'none' ? 1 : 2,
    apples: intParam(params, 'apples', d.apples, 1, 20),
    maxRounds: intParam(params, 'rounds', d.maxRounds, 1, 10000),
    tailRule: params.get('tail') === 'moving' ? 'moving' : 'static',
  };
  const moves = [...(params.get('moves') ?? '')].flatMap((ch) => (LETTER_MOVES[ch] ? [LETTER_MOVES[ch]] : []));
  return { game: 'snake', seed, opponent, options, moves };
}

/** Writes a link with only the non-default settings, so shared URLs stay short. */
export function formatLink(link: AppLink): string {
  const params = new URLSearchParams();
  params.set('game', link.game);
  params.set('seed', String(link.seed));
  if (isQuestionLink(link)) {
    for (const [key, value] of Object.entries(questionGame(link.game)?.settings.format(linkSettings(link)) ?? {})) params.set(key, value);
    return `?${params.toString()}`;
  }
  const d = DEFAULT_SNAKE_OPTIONS;
  params.set('bot', link.opponent);
  if (link.options.width !== d.width) params.set('w', String(link.options.width));
  if (link.options.height !== d.height) params.set('h', String(link.options.height));
  if (link.options.apples !== d.apples) params.set('apples', String(link.options.apples));
  if (link.options.maxRounds !== d.maxRounds) params.set('rounds', String(link.options.maxRounds));
  if (link.options.tailRule !== d.tailRule) params.set('tail', link.options.tailRule);
  if (link.moves.length > 0) params.set('moves', link.moves.map((m) => MOVE_LETTERS[m]).join(''));
  return `?${params.toString()}`;
}
