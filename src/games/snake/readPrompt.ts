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
import { MAX_BOARD_SIDE, SNAKE_COLOR_NAMES, isMove, parseSnakeState, type Move, type Point, type SnakeJson, type SnakeState } from './types';

/*
 * The text comes from untrusted clients (up to the server's body limit), so reading it must stay linear:
 * the text is split into lines, every line is checked against a length bound derived from the stated
 * board BEFORE any pattern sees it, and each pattern is matched against one line and anchored at its
 * start, with no two quantifiers that can trade characters (the fields are separated by characters the
 * field before cannot contain). A pattern applied to the whole text (with the `m` flag) re-scanned the
 * rest of the text from every line start, and `Head: (.*?)\. Body: (.*)\.$` backtracked quadratically on a
 * long line of repeated ". Body: ".
 */

/** The first line of every full Snake prompt: how a full prompt is recognised. */
const OPENING = /^You control a snake in a game of Snake with several apples\. The board in the image is (\d{1,9}) by (\d{1,9}) cells\./;
/** The opening line is about 100 characters; it is matched on at most this many. */
const OPENING_CHARS = 160;
/** `- You are snake N, the COLOUR snake. Head: (x, y). Body: (x, y), ... .` and the enemy's line. */
const ME_LINE = /^- You are snake (\d{1,15}), the (\w{1,20}) snake\. Head: ([^.]*)\. Body: (.*)\.$/;
const ENEMY_LINE = /^- The enemy is snake (\d{1,15}), the (\w{1,20}) snake\. Head: ([^.]*)\. Body: (.*)\.$/;
const NO_ENEMY_LINE = '- There is no enemy snake on this board.';
const APPLES_LINE = /^- Apples: (.*)\.$/;
const LAST_MOVE_LINE = /^- Your last move: (UP|DOWN|LEFT|RIGHT|None)\b/;

/** True when `text` starts like prompt.ts's full Snake prompt (leading whitespace aside). */
export function isFullSnakePrompt(text: string): boolean {
  return OPENING.test(text.trimStart().slice(0, OPENING_CHARS));
}

/**
 * The longest line a full prompt for a width x height board can have: a snake line listing every cell
 * of the board as "(x, y), ", plus the fixed words around it. Longer lines are refused before any pattern
 * is applied to them.
 */
export function maxPromptLineChars(width: number, height: number): number {
  const point = `(${width - 1}, ${height - 1}), `.length;
  return 200 + width * height * point;
}

/**
 * The position a full Snake prompt describes, or null when the text is not one. Throws, naming the line,
 * when the text opens like a full prompt but a line is missing, too long or unreadable (a truncated or
 * edited prompt), and when the position read is impossible (parseSnakeState's message).
 */
export function readFullSnakePrompt(text: string): SnakeState | null {
  const t = text.trimStart();
  const opening = OPENING.exec(t.slice(0, OPENING_CHARS));
  if (!opening) return null;
  const width = Number(opening[1]);
  const height = Number(opening[2]);
  if (!(width >= 1 && width <= MAX_BOARD_SIDE && height >= 1 && height <= MAX_BOARD_SIDE)) {
    throw new Error(`full Snake prompt: the board is ${width} by ${height} cells; boards are 1 to ${MAX_BOARD_SIDE} cells a side`);
  }
  const maxLine = maxPromptLineChars(width, height);
  const lines = splitLines(t);
  lines.forEach((line, i) => {
    if (line.length > maxLine) {
      throw new Error(
        `full Snake prompt: line ${i + 1} is ${line.length} characters long; no line of a full prompt for a ${width} by ${height} board is longer than ${maxLine}`,
      );
    }
  });
  const find = (pattern: RegExp, prefix: string): RegExpExecArray | null => {
    for (const line of lines) {
      if (!line.startsWith(prefix)) continue; // the pattern runs only on lines that can match
      const m = pattern.exec(line);
      if (m) return m;
    }
    return null;
  };

  const me = readSnakeLine(find(ME_LINE, '- You are snake '), 'You are snake ...');
  if (!me) throw new Error("full Snake prompt: no readable '- You are snake N, the COLOUR snake. Head: (x, y). Body: ...' line");
  let enemy: ReturnType<typeof readSnakeLine> = null;
  if (!lines.includes(NO_ENEMY_LINE)) {
    enemy = readSnakeLine(find(ENEMY_LINE, '- The enemy is snake '), 'The enemy is snake ...');
    if (!enemy) throw new Error("full Snake prompt: neither a '- The enemy is snake N, ...' line nor '- There is no enemy snake on this board.'");
  }
  const applesLine = find(APPLES_LINE, '- Apples: ');
  if (!applesLine) throw new Error("full Snake prompt: no '- Apples: ...' line");
  const apples = readPoints(applesLine[1] as string, 'Apples');
  const lastLine = find(LAST_MOVE_LINE, '- Your last move: ');
  if (!lastLine) throw new Error("full Snake prompt: no '- Your last move: UP|DOWN|LEFT|RIGHT|None' line");
  const last = lastLine[1] as string;

  // Colours name positions in `snakes` (SNAKE_COLOR_NAMES): red is index 0, blue index 1.
  const slots: (SnakeJson | undefined)[] = [];
  for (const [s, lastMove] of [
    [me, isMove(last) ? (last as Move) : null],
    [enemy, null],
  ] as const) {
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

function readSnakeLine(m: RegExpExecArray | null, name: string): { id: number; color: string; body: Point[] } | null {
  if (!m) return null;
  const head = readPoints(m[3] as string, `${name} Head`);
  if (head.length !== 1) throw new Error(`full Snake prompt: '${name}' line has head '${clip(m[3] as string)}', expected one point (x, y)`);
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
    throw new Error(`full Snake prompt: ${field} '${clip(s)}' is not a list of points like (3, 4), (5, 6) or 'none'`);
  }
  return points;
}

/** Lines split at the breaks the `m` flag's `^`/`$` know (LF, CR, CRLF, U+2028, U+2029), by a scan, not a pattern. */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13 && c !== 0x2028 && c !== 0x2029) continue;
    lines.push(text.slice(start, i));
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    start = i + 1;
  }
  lines.push(text.slice(start));
  return lines;
}

/** A value from the text, shortened for an error message (which a server sends back and may log). */
function clip(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max)}… (${s.length} characters)` : s;
}
