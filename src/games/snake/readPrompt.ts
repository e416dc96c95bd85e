/**
 * The inverse of the full Snake prompt (prompt.ts): reads the position back from the coordinates the
 * prompt states. `vigal serve` uses it so that a client sending ViGaL's interface (full prompt, 320 px
 * board with axes) can be answered by the nano model, which was trained on the compact prompt and its
 * own small raster: the server rebuilds that observation from the text instead of guessing from pixels.
 *
 * What the prompt does not state is filled with the neutral value: `round` 0, scores 0, every snake
 * alive, the enemy's last move unknown (null; the scene then points its head away from its neck). None
 * of these change the labels, the compact prompt or the nano raster (the enemy head triangle aside, for
 * a one-cell enemy).
 */
import { SNAKE_COLOR_NAMES, isMove, parseSnakeState, type Move, type Point, type SnakeJson, type SnakeState } from './types';

/** The first line of every full Snake prompt: how a full prompt is recognised. */
const OPENING = /^You control a snake in a game of Snake with several apples\. The board in the image is (\d+) by (\d+) cells\./;

/** True when `text` starts like prompt.ts's full Snake prompt (leading whitespace aside). */
export function isFullSnakePrompt(text: string): boolean {
  return OPENING.test(text.trimStart());
}

/**
 * The position a full Snake prompt describes, or null when the text is not one. Throws, naming the line,
 * when the text opens like a full prompt but a line is missing or unreadable (a truncated or edited
 * prompt), and when the position read is impossible (parseSnakeState's message).
 */
export function readFullSnakePrompt(text: string): SnakeState | null {
  const t = text.trimStart();
  const opening = OPENING.exec(t);
  if (!opening) return null;
  const width = Number(opening[1]);
  const height = Number(opening[2]);

  const me = readSnakeLine(t, /^- You are snake (\d+), the (\w+) snake\. Head: (.*?)\. Body: (.*)\.$/m, 'You are snake ...');
  if (!me) throw new Error("full Snake prompt: no readable '- You are snake N, the COLOUR snake. Head: (x, y). Body: ...' line");
  let enemy: ReturnType<typeof readSnakeLine> = null;
  if (!/^- There is no enemy snake on this board\.$/m.test(t)) {
    enemy = readSnakeLine(t, /^- The enemy is snake (\d+), the (\w+) snake\. Head: (.*?)\. Body: (.*)\.$/m, 'The enemy is snake ...');
    if (!enemy) throw new Error("full Snake prompt: neither a '- The enemy is snake N, ...' line nor '- There is no enemy snake on this board.'");
  }
  const applesLine = /^- Apples: (.*)\.$/m.exec(t);
  if (!applesLine) throw new Error("full Snake prompt: no '- Apples: ...' line");
  const apples = readPoints(applesLine[1] as string, 'Apples');
  const lastLine = /^- Your last move: (UP|DOWN|LEFT|RIGHT|None)\b/m.exec(t);
  if (!lastLine) throw new Error("full Snake prompt: no '- Your last move: UP|DOWN|LEFT|RIGHT|None' line");
  const last = lastLine[1] as string;

  // Colours name positions in `snakes` (SNAKE_COLOR_NAMES): red is index 0, blue index 1.
  const slots: (SnakeJson | undefined)[] = [];
  for (const [s, lastMove] of [[me, isMove(last) ? (last as Move) : null], [enemy, null]] as const) {
    if (!s) continue;
    const index = SNAKE_COLOR_NAMES.indexOf(s.color);
    if (index < 0) throw new Error(`full Snake prompt: snake colour '${s.color}' is not one of ${SNAKE_COLOR_NAMES.join(', ')}`);
    if (slots[index]) throw new Error(`full Snake prompt: two snakes are ${s.color}`);
    slots[index] = { id: s.id, body: s.body, lastMove, alive: true, score: 0 };
  }
  const snakes = slots.filter((s): s is SnakeJson => s !== undefined);
  // parseSnakeState checks the board, the cells and the ids, and names whatever is impossible.
  return parseSnakeState({ width, height, apples, snakes, you: me.id, round: 0 });
}

function readSnakeLine(text: string, pattern: RegExp, name: string): { id: number; color: string; body: Point[] } | null {
  const m = pattern.exec(text);
  if (!m) return null;
  const head = readPoints(m[3] as string, `${name} Head`);
  if (head.length !== 1) throw new Error(`full Snake prompt: '${name}' line has head '${m[3]}', expected one point (x, y)`);
  return { id: Number(m[1]), color: m[2] as string, body: [...head, ...readPoints(m[4] as string, `${name} Body`)] };
}

/** "(1, 2), (3, 4)" or "none" -> points; anything else is an error naming the field. */
function readPoints(list: string, field: string): Point[] {
  const s = list.trim();
  if (s === 'none') return [];
  const points: Point[] = [];
  const rest = s.replace(/\((-?\d+), (-?\d+)\)/g, (_all, x: string, y: string) => {
    points.push([Number(x), Number(y)]);
    return '';
  });
  if (points.length === 0 || rest.replace(/[,\s]/g, '') !== '') {
    throw new Error(`full Snake prompt: ${field} '${s}' is not a list of points like (3, 4), (5, 6) or 'none'`);
  }
  return points;
}
