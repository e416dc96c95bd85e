/**
 * The shareable part of the app's state, as URL query parameters: game, seed, settings and the human's
 * moves so far. Opening the same URL replays those moves against the same seeded bot and lands on the
 * same position. Pure functions over URLSearchParams (no `window`), so they are unit-tested in Node.
 */
import { DEFAULT_SNAKE_OPTIONS, type Move, type SnakeOptions } from '../games/snake';
import type { GameId } from '../games/registry';
import { ROTATION_CLASS_SETS } from '../games/rotation';

export type RotationClassSet = keyof typeof ROTATION_CLASS_SETS;
export const ROTATION_CLASS_SET_NAMES = Object.keys(ROTATION_CLASS_SETS) as RotationClassSet[];

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

export interface RotationLink {
  game: 'rotation';
  seed: number;
  /** A key of ROTATION_CLASS_SETS: 'default' is ViGaL's two options. */
  classSet: RotationClassSet;
  example: boolean;
}

export type AppLink = SnakeLink | RotationLink;

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
  const game: GameId = params.get('game') === 'rotation' ? 'rotation' : 'snake';
  const seed = intParam(params, 'seed', 1, 0, 0xffffffff);
  if (game === 'rotation') {
    return {
      game,
      seed,
      classSet: (ROTATION_CLASS_SET_NAMES as string[]).includes(params.get('classes') ?? '') ? (params.get('classes') as RotationClassSet) : 'default',
      example: params.get('example') !== '0',
    };
  }
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
  return { game, seed, opponent, options, moves };
}

/** Writes a link with only the non-default settings, so shared URLs stay short. */
export function formatLink(link: AppLink): string {
  const params = new URLSearchParams();
  params.set('game', link.game);
  params.set('seed', String(link.seed));
  if (link.game === 'rotation') {
    if (link.classSet !== 'default') params.set('classes', link.classSet);
    if (!link.example) params.set('example', '0');
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
