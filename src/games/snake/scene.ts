/**
 * What a Snake board looks like, as plain Scene data (render/ draws it): ViGaL's look, white cells and
 * dark grid lines, axis ticks, snake 1 red, snake 2 blue, apples as green circles, bodies as squares
 * and each head a triangle pointing where the snake travels.
 *
 * Geometry is integer wherever it can be so the raster stays crisp: every cell is `cell` pixels with a
 * 1-pixel grid line on its top and left. Without axes the board fills the image, so an 80 x 80 image
 * of a 10 x 10 board has 8-pixel cells that coincide with 8 x 8 image patches.
 * The board's origin is bottom-left while scene y runs down: board row y is drawn at row h - 1 - y.
 */

import type { Color, Scene, SceneItem } from '../../render/scene';
import { DELTAS, MOVES, type Move, type Point, type SnakeJson, type SnakeState } from './types';

export interface SnakeSceneOptions {
  /** Image side in pixels (the image is square). */
  size?: number;
  /** Tick labels 0..width-1 and 0..height-1 around the board; off, the board fills the image. */
  axes?: boolean;
}

interface SnakeColors {
  body: Color;
  head: Color;
  dead: Color;
}

/** By position in `SnakeState.snakes`, matching SNAKE_COLOR_NAMES (red, blue). */
export const SNAKE_SCENE_COLORS: readonly SnakeColors[] = [
  { body: '#d62728', head: '#a01c1d', dead: '#eea9aa' },
  { body: '#1f77b4', head: '#155a8a', dead: '#a9c9e1' },
];
export const APPLE_COLOR: Color = '#2ca02c';
export const GRID_COLOR: Color = '#333333';
export const CELL_COLOR: Color = '#ffffff';
export const TICK_COLOR: Color = '#222222';

/** Board layout in pixels: cell (x, y) spans [left(x), left(x) + cell) x [top(y), top(y) + cell). */
export interface SnakeLayout {
  cell: number;
  x0: number;
  y0: number;
  font: number;
}

export function snakeLayout(width: number, height: number, opts: SnakeSceneOptions = {}): SnakeLayout {
  const size = opts.size ?? 320;
  const axes = opts.axes ?? true;
  if (!Number.isInteger(size) || size < 8) throw new Error(`snakeScene: size must be an integer >= 8 pixels, got ${size}`);
  if (!axes) {
    const cell = Math.floor(Math.min(size / width, size / height));
    if (cell < 2) throw new Error(`snakeScene: ${size} px is too small for a ${width}x${height} board`);
    return { cell, x0: Math.floor((size - cell * width) / 2), y0: Math.floor((size - cell * height) / 2), font: 0 };
  }
  // Room on the left for two-digit labels and below for one row of them; 2 px keep the closing lines in.
  const font = Math.max(6, Math.min(16, Math.round(size / 28)));
  const left = Math.ceil(font * 1.5) + 4;
  const bottom = font + 6;
  const pad = 2;
  const availW = size - left - pad;
  const availH = size - bottom - pad;
  const cell = Math.floor(Math.min((availW - 1) / width, (availH - 1) / height));
  if (cell < 2) throw new Error(`snakeScene: ${size} px is too small for a ${width}x${height} board with axes`);
  return {
    cell,
    x0: left + Math.floor((availW - 1 - cell * width) / 2),
    y0: pad + Math.floor((availH - 1 - cell * height) / 2),
    font,
  };
}

export function snakeScene(state: SnakeState, opts: SnakeSceneOptions = {}): Scene {
  const size = opts.size ?? 320;
  const axes = opts.axes ?? true;
  const { width: w, height: h } = state;
  const { cell, x0, y0, font } = snakeLayout(w, h, { size, axes });
  const boardW = cell * w;
  const boardH = cell * h;
  const left = (x: number): number => x0 + x * cell;
  const top = (y: number): number => y0 + (h - 1 - y) * cell;
  const items: SceneItem[] = [];

  items.push({ kind: 'rect', x: x0, y: y0, w: boardW, h: boardH, fill: CELL_COLOR });
  // Grid lines as 1-pixel rects: exact pixels, whatever a backend does with line caps.
  const closeX = x0 + boardW < size ? 1 : 0;
  const closeY = y0 + boardH < size ? 1 : 0;
  for (let i = 0; i < w + closeX; i++) {
    items.push({ kind: 'rect', x: x0 + i * cell, y: y0, w: 1, h: boardH + closeY, fill: GRID_COLOR });
  }
  for (let j = 0; j < h + closeY; j++) {
    items.push({ kind: 'rect', x: x0, y: y0 + j * cell, w: boardW + closeX, h: 1, fill: GRID_COLOR });
  }

  // Contents sit inside the line: [left + 1, left + cell) is the cell's interior.
  const inner = cell - 1;
  const inset = cell >= 12 ? Math.floor(cell / 10) : 0;
  for (const [x, y] of state.apples) {
    items.push({
      kind: 'circle',
      cx: left(x) + 1 + inner / 2,
      cy: top(y) + 1 + inner / 2,
      r: Math.max(1, inner * 0.38),
      fill: APPLE_COLOR,
    });
  }
  state.snakes.forEach((snake, index) => {
    const colors = SNAKE_SCENE_COLORS[index] ?? SNAKE_SCENE_COLORS[0]!;
    const body = snake.alive ? colors.body : colors.dead;
    // Tail first, so the neck is painted last among the body squares.
    for (let k = snake.body.length - 1; k >= 1; k--) {
      const [x, y] = snake.body[k]!;
      const side = inner - 2 * inset;
      items.push({ kind: 'rect', x: left(x) + 1 + inset, y: top(y) + 1 + inset, w: side, h: side, fill: body });
    }
  });
  state.snakes.forEach((snake, index) => {
    const head = snake.body[0];
    if (!head) return;
    const colors = SNAKE_SCENE_COLORS[index] ?? SNAKE_SCENE_COLORS[0]!;
    const l = left(head[0]) + 1 + inset;
    const t = top(head[1]) + 1 + inset;
    const s = inner - 2 * inset;
    items.push({ kind: 'polygon', points: triangle(l, t, s, headDirection(snake)), fill: snake.alive ? colors.head : colors.dead });
  });

  if (axes) {
    for (let x = 0; x < w; x++) {
      items.push(tick(String(x), left(x) + 1 + inner / 2, y0 + boardH + closeY + 3, font, 'center', 'top'));
    }
    for (let y = 0; y < h; y++) {
      items.push(tick(String(y), x0 - 4, top(y) + 1 + inner / 2, font, 'right', 'middle'));
    }
  }
  return { width: size, height: size, background: '#ffffff', items };
}

/** The direction of travel: the last move, else away from the neck, else UP. */
export function headDirection(snake: SnakeJson): Move {
  if (snake.lastMove) return snake.lastMove;
  const [head, neck] = snake.body as [Point | undefined, Point | undefined];
  if (head && neck) {
    const dx = head[0] - neck[0];
    const dy = head[1] - neck[1];
    const found = MOVES.find((m) => DELTAS[m][0] === dx && DELTAS[m][1] === dy);
    if (found) return found;
  }
  return 'UP';
}

/** A triangle filling the square [l, l + s] x [t, t + s], its tip toward `dir` on screen (UP = -y). */
function triangle(l: number, t: number, s: number, dir: Move): number[] {
  const r = l + s;
  const b = t + s;
  const mx = l + s / 2;
  const my = t + s / 2;
  switch (dir) {
    case 'UP':
      return [mx, t, r, b, l, b];
    case 'DOWN':
      return [mx, b, l, t, r, t];
    case 'LEFT':
      return [l, my, r, t, r, b];
    case 'RIGHT':
      return [r, my, l, b, l, t];
  }
}

function tick(text: string, x: number, y: number, size: number, align: 'center' | 'right', baseline: 'top' | 'middle'): SceneItem {
  return { kind: 'text', x, y, text, size, fill: TICK_COLOR, align, baseline };
}
