import { describe, expect, it } from 'vitest';
import { glyphRects } from './font';
import { konvaShapes, type KonvaShape } from './konva';
import { rasterHash, rasterize } from './raster';
import type { Color, Scene, SceneItem } from './scene';

const scene = (items: SceneItem[], background: Color = '#000000'): Scene => ({ width: 40, height: 30, background, items });

/**
 * Reads Konva configs back as scene items. Rasterising those must give the original picture: the mapping
 * keeps every coordinate and convention the raster relies on.
 */
function backToItems(shapes: KonvaShape[]): SceneItem[] {
  return shapes.slice(1).map((s): SceneItem => {
    switch (s.type) {
      case 'Rect': {
        const c = s.config;
        const item: SceneItem = { kind: 'rect', x: c.x, y: c.y, w: c.width, h: c.height };
        if (c.fill) item.fill = c.fill as Color;
        if (c.stroke) Object.assign(item, { stroke: c.stroke, strokeWidth: c.strokeWidth });
        return item;
      }
      case 'Line': {
        const c = s.config;
        if (c.closed) {
          const item: SceneItem = { kind: 'polygon', points: c.points, fill: c.fill as Color };
          if (c.stroke) Object.assign(item, { stroke: c.stroke, strokeWidth: c.strokeWidth });
          return item;
        }
        return { kind: 'line', points: c.points, stroke: c.stroke as Color, width: c.strokeWidth ?? 0 };
      }
      case 'Circle':
        return { kind: 'circle', cx: s.config.x, cy: s.config.y, r: s.config.radius, fill: s.config.fill as Color };
    }
  });
}

describe('konvaShapes', () => {
  it('starts with the background rectangle', () => {
    expect(konvaShapes(scene([], '#0A0B0C'))).toEqual([{ type: 'Rect', key: 'bg', config: { x: 0, y: 0, width: 40, height: 30, fill: '#0a0b0c' } }]);
  });

  it('maps a rect, passing the stroke width explicitly (Konva would default to 2)', () => {
    const [, fillOnly, stroked] = konvaShapes(
      scene([
        { kind: 'rect', x: 1, y: 2, w: 3, h: 4, fill: '#FF0000' },
        { kind: 'rect', x: 5, y: 6, w: 7, h: 8, stroke: '#00ff00' },
      ]),
    );
    expect(fillOnly).toEqual({ type: 'Rect', key: 'i0', config: { x: 1, y: 2, width: 3, height: 4, fill: '#ff0000' } });
    expect(stroked).toEqual({ type: 'Rect', key: 'i1', config: { x: 5, y: 6, width: 7, height: 8, stroke: '#00ff00', strokeWidth: 1 } });
  });

  it('maps a line with square caps and miter joins, copying its points', () => {
    const points = [1, 1, 9, 1, 9, 9];
    const [, line] = konvaShapes(scene([{ kind: 'line', points, stroke: '#ffffff', width: 2 }]));
    expect(line).toEqual({ type: 'Line', key: 'i0', config: { points, stroke: '#ffffff', strokeWidth: 2, lineCap: 'square', lineJoin: 'miter' } });
    expect(line?.type === 'Line' && line.config.points).not.toBe(points);
  });

  it('maps a polygon to a closed, even-odd filled Line', () => {
    const [, poly] = konvaShapes(scene([{ kind: 'polygon', points: [0, 0, 8, 0, 0, 8], fill: '#123456', stroke: '#654321', strokeWidth: 3 }]));
    expect(poly).toEqual({
      type: 'Line',
      key: 'i0',
      config: {
        points: [0, 0, 8, 0, 0, 8],
        closed: true,
        fill: '#123456',
        fillRule: 'evenodd',
        stroke: '#654321',
        strokeWidth: 3,
        lineCap: 'square',
        lineJoin: 'miter',
      },
    });
  });

  it('maps a circle', () => {
    expect(konvaShapes(scene([{ kind: 'circle', cx: 5, cy: 6, r: 3, fill: '#ffffff' }]))[1]).toEqual({
      type: 'Circle',
      key: 'i0',
      config: { x: 5, y: 6, radius: 3, fill: '#ffffff' },
    });
  });

  it('turns text into exactly the glyph rectangles', () => {
    const item: SceneItem = { kind: 'text', x: 20, y: 15, text: 'Go!', size: 9, fill: '#ffffff', align: 'center', baseline: 'middle' };
    const shapes = konvaShapes(scene([item])).slice(1);
    const rects = glyphRects(item);
    expect(shapes).toHaveLength(rects.length);
    shapes.forEach((s, n) => {
      expect(s.type).toBe('Rect');
      expect(s.key).toBe(`i0.${n}`);
      expect(s.config).toEqual({ x: rects[n]!.x, y: rects[n]!.y, width: rects[n]!.w, height: rects[n]!.h, fill: '#ffffff' });
    });
  });

  it('omits what the raster would not draw, and draws a zero-length line as its square', () => {
    const shapes = konvaShapes(
      scene([
        { kind: 'rect', x: 0, y: 0, w: 5, h: 5 },
        { kind: 'rect', x: 0, y: 0, w: 5, h: 5, stroke: '#ffffff', strokeWidth: 0 },
        { kind: 'circle', cx: 1, cy: 1, r: 0, fill: '#ffffff' },
        { kind: 'line', points: [1, 1], stroke: '#ffffff', width: 2 },
        { kind: 'line', points: [2, 3, 2, 3], stroke: '#ffffff', width: 2 },
      ]),
    );
    expect(shapes.slice(1)).toEqual([{ type: 'Rect', key: 'i4', config: { x: 1, y: 2, width: 2, height: 2, fill: '#ffffff' } }]);
  });

  it('rejects bad colours and point lists with the item named, like the raster', () => {
    expect(() => konvaShapes(scene([{ kind: 'circle', cx: 0, cy: 0, r: 1, fill: 'blue' as Color }]))).toThrow(/scene item 0 \(circle\): bad colour "blue"/);
    expect(() => konvaShapes(scene([], '#fff'))).toThrow(/scene background: bad colour/);
    expect(() => konvaShapes(scene([{ kind: 'polygon', points: [0, 0, 1], fill: '#ffffff' }]))).toThrow(/points must be/);
  });

  it('describes the same picture as the raster (configs read back as items rasterise identically)', () => {
    const original = scene([
      { kind: 'rect', x: 2, y: 2, w: 10, h: 6, fill: '#336699', stroke: '#ffcc00', strokeWidth: 2 },
      { kind: 'polygon', points: [15, 2, 25, 2, 20, 12], fill: '#cc3366', stroke: '#ffffff', strokeWidth: 1 },
      { kind: 'line', points: [2, 20, 12, 20, 12, 28], stroke: '#00ff00', width: 2 },
      { kind: 'circle', cx: 30, cy: 20, r: 6, fill: '#ffaa00' },
      { kind: 'text', x: 39, y: 0, text: 'OK', size: 9, fill: '#ffffff', align: 'right', baseline: 'top' },
    ]);
    const roundTrip = scene(backToItems(konvaShapes(original)));
    expect(rasterHash(rasterize(roundTrip))).toBe(rasterHash(rasterize(original)));
  });
});
