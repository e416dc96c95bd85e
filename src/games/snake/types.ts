/**
 * Snake's vocabulary: moves, points, the state JSON (the interchange format of the CLI, datasets and
 * tests, see docs/games.md) and the env options, plus the validator for state JSON from outside.
 */

export type Move = 'UP' | 'DOWN' | 'LEFT' | 'RIGHT';

/** Canonical order: labels, answers and the reward list moves in this order. */
export const MOVES: readonly Move[] = ['UP', 'DOWN', 'LEFT', 'RIGHT'];

/** Board origin is bottom-left, so UP is y + 1. */
export const DELTAS: Readonly<Record<Move, readonly [dx: number, dy: number]>> = {
  UP: [0, 1],
  DOWN: [0, -1],
  LEFT: [-1, 0],
  RIGHT: [1, 0],
};

/** [x, y], origin (0, 0) at the bottom-left. */
export type Point = [number, number];

export interface SnakeJson {
  id: number;
  /** Head first. */
  body: Point[];
  /** null until the snake has moved once. */
  lastMove: Move | null;
  alive: boolean;
  score: number;
}

/** Exactly the state JSON of docs/games.md. */
export interface SnakeState {
  width: number;
  height: number;
  apples: Point[];
  snakes: SnakeJson[];
  /** The id of the snake whose point of view labels, prompts and rewards take. */
  you: number;
  round: number;
}

/** Colour names by position in `SnakeState.snakes` (ids 1 and 2): what the prompt says, the scene draws. */
export const SNAKE_COLOR_NAMES: readonly string[] = ['red', 'blue'];

export type TailRule = 'static' | 'moving';
export const TAIL_RULES: readonly TailRule[] = ['static', 'moving'];

export interface SnakeOptions {
  width: number;
  height: number;
  numSnakes: 1 | 2;
  /** Apples kept on the board (fewer only while the board has no free cell). */
  apples: number;
  /** The game ends after this many rounds; the higher score wins. */
  maxRounds: number;
  /**
   * 'static' (ViGaL era): a head may not enter any cell occupied before the round, tails included.
   * 'moving' (later SnakeBench): it may enter a tail cell whose snake does not grow this round.
   */
  tailRule: TailRule;
}

export const DEFAULT_SNAKE_OPTIONS: Readonly<SnakeOptions> = Object.freeze({
  width: 10,
  height: 10,
  numSnakes: 2,
  apples: 5,
  maxRounds: 100,
  tailRule: 'static',
});

/** Bounds that keep untrusted input from allocating huge grids; ViGaL uses 10 x 10. */
export const MAX_BOARD_SIDE = 100;

export function isMove(value: unknown): value is Move {
  return value === 'UP' || value === 'DOWN' || value === 'LEFT' || value === 'RIGHT';
}

/** Fills defaults and rejects impossible options with a message naming the field and valid values. */
export function resolveSnakeOptions(partial: Partial<SnakeOptions> = {}): SnakeOptions {
  const o: SnakeOptions = { ...DEFAULT_SNAKE_OPTIONS, ...stripUndefined(partial) };
  checkInt('width', o.width, 1, MAX_BOARD_SIDE);
  checkInt('height', o.height, 1, MAX_BOARD_SIDE);
  if (o.numSnakes !== 1 && o.numSnakes !== 2) {
    throw new Error(`Snake option numSnakes must be 1 or 2, got ${String(o.numSnakes)}`);
  }
  checkInt('apples', o.apples, 0, o.width * o.height);
  checkInt('maxRounds', o.maxRounds, 1, Number.MAX_SAFE_INTEGER);
  if (!TAIL_RULES.includes(o.tailRule)) {
    throw new Error(`Snake option tailRule must be one of ${TAIL_RULES.join(', ')}, got ${String(o.tailRule)}`);
  }
  if (o.width * o.height < o.numSnakes) {
    throw new Error(`Snake board ${o.width}x${o.height} has no room for ${o.numSnakes} snakes`);
  }
  return o;
}

function stripUndefined<T extends object>(obj: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(obj) as (keyof T)[]) {
    if (obj[key] !== undefined) out[key] = obj[key];
  }
  return out;
}

function checkInt(field: string, value: unknown, lo: number, hi: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) {
    throw new Error(`Snake option ${field} must be an integer in [${lo}, ${hi}], got ${String(value)}`);
  }
}

/**
 * Validates state JSON from outside (CLI stdin, datasets) and returns a clean copy with only the known
 * fields. Throws an Error naming the bad field (`snakes[1].body[2]`) and what would be valid. Checks
 * what the engine guarantees: cells on the board, bodies contiguous, no cell shared by two snakes or
 * by a snake and an apple, unique ids, `you` among them.
 */
export function parseSnakeState(json: unknown): SnakeState {
  const root = record(json, 'state');
  const width = int(root['width'], 'width', 1, MAX_BOARD_SIDE);
  const height = int(root['height'], 'height', 1, MAX_BOARD_SIDE);
  const inBoard = (value: unknown, field: string): Point => {
    if (!Array.isArray(value) || value.length !== 2) {
      throw new Error(`Snake state ${field} must be a point [x, y], got ${show(value)}`);
    }
    const x = int(value[0], `${field}[0] (x)`, 0, width - 1);
    const y = int(value[1], `${field}[1] (y)`, 0, height - 1);
    return [x, y];
  };

  const owner = new Map<number, string>();
  const claim = (p: Point, field: string): void => {
    const key = p[1] * width + p[0];
    const prev = owner.get(key);
    if (prev !== undefined) {
      throw new Error(`Snake state ${field} [${p[0]}, ${p[1]}] is already occupied by ${prev}; cells must be distinct`);
    }
    owner.set(key, field);
  };

  const snakesRaw = root['snakes'];
  if (!Array.isArray(snakesRaw) || snakesRaw.length < 1 || snakesRaw.length > 2) {
    throw new Error(`Snake state snakes must be an array of 1 or 2 snakes, got ${show(snakesRaw)}`);
  }
  const ids = new Set<number>();
  const snakes: SnakeJson[] = snakesRaw.map((raw, i) => {
    const f = `snakes[${i}]`;
    const s = record(raw, f);
    const id = int(s['id'], `${f}.id`, 1, Number.MAX_SAFE_INTEGER);
    if (ids.has(id)) throw new Error(`Snake state ${f}.id ${id} is used twice; ids must be unique`);
    ids.add(id);
    const bodyRaw = s['body'];
    if (!Array.isArray(bodyRaw) || bodyRaw.length === 0) {
      throw new Error(`Snake state ${f}.body must be a non-empty array of [x, y] (head first), got ${show(bodyRaw)}`);
    }
    if (bodyRaw.length > width * height) {
      throw new Error(`Snake state ${f}.body has ${bodyRaw.length} cells, more than the ${width * height} on the board`);
    }
    const body = bodyRaw.map((p, j) => inBoard(p, `${f}.body[${j}]`));
    body.forEach((p, j) => {
      claim(p, `${f}.body[${j}]`);
      const prev = body[j - 1];
      if (prev && Math.abs(prev[0] - p[0]) + Math.abs(prev[1] - p[1]) !== 1) {
        throw new Error(
          `Snake state ${f}.body[${j}] [${p[0]}, ${p[1]}] is not next to ${f}.body[${j - 1}] [${prev[0]}, ${prev[1]}]; a body is a chain of adjacent cells`,
        );
      }
    });
    const lastMove = s['lastMove'];
    if (lastMove !== null && !isMove(lastMove)) {
      throw new Error(`Snake state ${f}.lastMove must be one of ${MOVES.join(', ')} or null, got ${show(lastMove)}`);
    }
    const alive = s['alive'];
    if (typeof alive !== 'boolean') throw new Error(`Snake state ${f}.alive must be true or false, got ${show(alive)}`);
    const score = int(s['score'], `${f}.score`, 0, Number.MAX_SAFE_INTEGER);
    return { id, body, lastMove, alive, score };
  });

  const applesRaw = root['apples'];
  if (!Array.isArray(applesRaw)) throw new Error(`Snake state apples must be an array of [x, y], got ${show(applesRaw)}`);
  const apples = applesRaw.map((p, i) => {
    const pt = inBoard(p, `apples[${i}]`);
    claim(pt, `apples[${i}]`);
    return pt;
  });

  const you = int(root['you'], 'you', 1, Number.MAX_SAFE_INTEGER);
  if (!ids.has(you)) throw new Error(`Snake state you must be one of the snake ids ${[...ids].join(', ')}, got ${you}`);
  const round = int(root['round'], 'round', 0, Number.MAX_SAFE_INTEGER);
  return { width, height, apples, snakes, you, round };
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`Snake state ${field} must be an object, got ${show(value)}`);
  }
  return value as Record<string, unknown>;
}

function int(value: unknown, field: string, lo: number, hi: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) {
    const range = hi === Number.MAX_SAFE_INTEGER ? `>= ${lo}` : `in [${lo}, ${hi}]`;
    throw new Error(`Snake state ${field} must be an integer ${range}, got ${show(value)}`);
  }
  return value;
}

/** Short rendering of a bad value for error messages (untrusted input may be huge). */
function show(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined (missing)' : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
