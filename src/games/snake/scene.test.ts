import { describe, expect, it } from 'vitest';
import type { CircleItem, PolygonItem, RectItem, TextItem } from '../../render/scene';
import { APPLE_COLOR, GRID_COLOR, SNAKE_SCENE_COLORS, headDirection, snakeLayout, snakeScene } from './scene';
import { makeSnakeState } from './testing';
import type { Move } from './types';

const red = SNAKE_SCENE_COLORS[0]!;
const blue = SNAKE_SCENE_COLORS[1]!;

// Snake 1 (red): head (2,1) moving RIGHT, body (1,1) (1,0). Snake 2 (blue): a lone head at (7,8).
const STATE = makeSnakeState({
  snakes: [
    {
      body: [
        [2, 1],
        [1, 1],
        [1, 0],
      ],
      lastMove: 'RIGHT',
    },
    [[7, 8]],
  ],
  apples: [
    [0, 9],
    [9, 0],
  ],
});

const rects = (items: unknown[]) => items.filter((i): i is RectItem => (i as RectItem).kind === 'rect');
const polys = (items: unknown[]) => items.filter((i): i is PolygonItem => (i as PolygonItem).kind === 'polygon');
const circles = (items: unknown[]) => items.filter((i): i is CircleItem => (i as CircleItem).kind === 'circle');
const texts = (items: unknown[]) => items.filter((i): i is TextItem => (i as TextItem).kind === 'text');

/** The tip of a triangle: the vertex listed first. */
function tipOffset(p: PolygonItem): [number, number] {
  const xs = [p.points[0]!, p.points[2]!, p.points[4]!];
  const ys = [p.points[1]!, p.points[3]!, p.points[5]!];
  const cx = (xs[0]! + xs[1]! + xs[2]!) / 3;
  const cy = (ys[0]! + ys[1]! + ys[2]!) / 3;
  return [Math.sign(xs[0]! - cx), Math.sign(ys[0]! - cy)];
}

describe('snakeScene with axes', () => {
  const scene = snakeScene(STATE);
  const L = snakeLayout(10, 10);

  it('is a 320 px square with integer cells inside the image', () => {
    expect([scene.width, scene.height]).toEqual([320, 320]);
    expect(Number.isInteger(L.cell) && Number.isInteger(L.x0) && Number.isInteger(L.y0)).toBe(true);
    expect(L.x0 + 10 * L.cell).toBeLessThan(320);
    expect(L.y0 + 10 * L.cell).toBeLessThan(320);
  });

  it('draws 11 + 11 one-pixel grid lines in a dark colour', () => {
    const lines = rects(scene.items).filter((r) => r.fill === GRID_COLOR);
    expect(lines.filter((r) => r.w === 1)).toHaveLength(11);
    expect(lines.filter((r) => r.h === 1)).toHaveLength(11);
  });

  it('labels the axes 0..9 on x and on y, y = 0 at the bottom', () => {
    const t = texts(scene.items);
    expect(t).toHaveLength(20);
    const xs = t.filter((i) => i.align === 'center');
    const ys = t.filter((i) => i.align === 'right');
    expect(xs.map((i) => i.text)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const y0 = ys.find((i) => i.text === '0')!;
    const y9 = ys.find((i) => i.text === '9')!;
    expect(y0.y).toBeGreaterThan(y9.y);
    // The x labels sit below the board.
    expect(xs[0]!.y).toBeGreaterThan(L.y0 + 10 * L.cell);
  });

  it('draws apples as green circles in their cells, flipped vertically', () => {
    const c = circles(scene.items);
    expect(c.map((i) => i.fill)).toEqual([APPLE_COLOR, APPLE_COLOR]);
    // Apple (0,9) is top-left, apple (9,0) bottom-right.
    const [topLeft, bottomRight] = c as [CircleItem, CircleItem];
    expect(topLeft.cx).toBeGreaterThan(L.x0);
    expect(topLeft.cx).toBeLessThan(L.x0 + L.cell);
    expect(topLeft.cy).toBeGreaterThan(L.y0);
    expect(topLeft.cy).toBeLessThan(L.y0 + L.cell);
    expect(bottomRight.cx).toBeGreaterThan(L.x0 + 9 * L.cell);
    expect(bottomRight.cy).toBeGreaterThan(L.y0 + 9 * L.cell);
  });

  it('draws body cells as red squares, in the right cells', () => {
    const body = rects(scene.items).filter((r) => r.fill === red.body);
    expect(body).toHaveLength(2);
    for (const r of body) expect(r.w).toBe(r.h);
    // Body (1,0) is on the bottom row: row 9 from the top.
    const cellOf = (r: RectItem) => [Math.floor((r.x - L.x0) / L.cell), 9 - Math.floor((r.y - L.y0) / L.cell)];
    expect(body.map(cellOf)).toEqual([
      [1, 0],
      [1, 1],
    ]);
  });

  it('draws each head as a triangle pointing its way', () => {
    const heads = polys(scene.items);
    expect(heads.map((p) => p.fill)).toEqual([red.head, blue.head]);
    // Red moved RIGHT: tip to +x. Blue has not moved and has no neck: UP, which on screen is -y.
    expect(tipOffset(heads[0]!)).toEqual([1, 0]);
    expect(tipOffset(heads[1]!)).toEqual([0, -1]);
    // The red head is drawn in cell (2,1).
    const xs = [heads[0]!.points[0]!, heads[0]!.points[2]!, heads[0]!.points[4]!];
    const ys = [heads[0]!.points[1]!, heads[0]!.points[3]!, heads[0]!.points[5]!];
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(L.x0 + 2 * L.cell);
    expect(Math.max(...xs)).toBeLessThanOrEqual(L.x0 + 3 * L.cell);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(L.y0 + 8 * L.cell);
    expect(Math.max(...ys)).toBeLessThanOrEqual(L.y0 + 9 * L.cell);
  });

  it.each([
    ['UP', [0, -1]],
    ['DOWN', [0, 1]],
    ['LEFT', [-1, 0]],
    ['RIGHT', [1, 0]],
  ] as [Move, [number, number]][])('a head moving %s points %j on screen', (move, offset) => {
    const s = makeSnakeState({ snakes: [{ body: [[5, 5]], lastMove: move }] });
    expect(tipOffset(polys(snakeScene(s).items)[0]!)).toEqual(offset);
  });

  it('infers the direction from the neck when there is no last move', () => {
    expect(
      headDirection({
        id: 1,
        body: [
          [5, 5],
          [5, 6],
        ],
        lastMove: null,
        alive: true,
        score: 0,
      }),
    ).toBe('DOWN');
    expect(
      headDirection({
        id: 1,
        body: [
          [5, 5],
          [4, 5],
        ],
        lastMove: null,
        alive: true,
        score: 0,
      }),
    ).toBe('RIGHT');
    expect(headDirection({ id: 1, body: [[5, 5]], lastMove: null, alive: true, score: 0 })).toBe('UP');
  });

  it('draws dead snakes in a faded colour', () => {
    const s = makeSnakeState({
      snakes: [
        [
          [1, 1],
          [1, 2],
        ],
        { body: [[5, 5]], alive: false },
      ],
    });
    expect(polys(snakeScene(s).items).map((p) => p.fill)).toEqual([red.head, blue.dead]);
  });
});

describe('snakeScene without axes', () => {
  it('fills an 80 x 80 image with 8-pixel cells that match 8 x 8 patches', () => {
    const scene = snakeScene(STATE, { size: 80, axes: false });
    expect(snakeLayout(10, 10, { size: 80, axes: false })).toEqual({ cell: 8, x0: 0, y0: 0, font: 0 });
    expect(texts(scene.items)).toHaveLength(0);
    const lines = rects(scene.items).filter((r) => r.fill === GRID_COLOR);
    // One line on the top and left of every cell; the image edge closes the board.
    expect(lines.filter((r) => r.w === 1).map((r) => r.x)).toEqual([0, 8, 16, 24, 32, 40, 48, 56, 64, 72]);
    for (const item of scene.items) {
      if (item.kind === 'rect') {
        expect(item.x + item.w).toBeLessThanOrEqual(80);
        expect(item.y + item.h).toBeLessThanOrEqual(80);
      }
    }
    // Body (1,0): cell interior is x 9..15, y 73..79.
    expect(rects(scene.items).filter((r) => r.fill === red.body)[0]).toMatchObject({ x: 9, y: 73, w: 7, h: 7 });
  });

  it('centres a non-square board and rejects images too small', () => {
    const s = makeSnakeState({ width: 8, height: 4, snakes: [[[0, 0]]] });
    expect(snakeLayout(8, 4, { size: 80, axes: false })).toEqual({ cell: 10, x0: 0, y0: 20, font: 0 });
    expect(snakeScene(s, { size: 80, axes: false }).items.length).toBeGreaterThan(0);
    expect(() => snakeScene(STATE, { size: 12, axes: false })).toThrow(/too small/);
  });
});
