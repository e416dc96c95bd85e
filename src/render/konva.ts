/**
 * Scene -> Konva shape configs, as plain data: no React, no DOM, no Konva import. `ui/SceneView.tsx`
 * maps each to a react-konva element.
 *
 * The configs follow raster.ts's conventions so the two views agree: the background is the first shape;
 * strokes are centred on edges (Konva's own behaviour); lines get square caps and miter joins; polygons
 * are closed Lines filled with the even-odd rule; text becomes one Rect per `glyphRects` rectangle, so it
 * is identical pixel for pixel. Every stroke width is passed explicitly, because Konva's default (2)
 * differs from the scene's (1). Where the views can differ: Konva anti-aliases edges that do not fall on
 * whole pixels (the raster decides by pixel centres), and at non-right-angle joins Konva's miter differs
 * slightly from the raster's overlapping square caps.
 */
import { glyphRects } from './font';
import { parseColor } from './raster';
import type { Color, Scene, SceneItem } from './scene';

export type KonvaRectConfig = {
  x: number;
  y: number;
  width: number;
  height: number;
  fill?: string;
  stroke?: string;
  strokeWidth?: number;
};

export type KonvaLineConfig = {
  points: number[];
  stroke?: string;
  strokeWidth?: number;
  lineCap: 'square';
  lineJoin: 'miter';
  closed?: boolean;
  fill?: string;
  fillRule?: 'evenodd';
};

export type KonvaCircleConfig = {
  x: number;
  y: number;
  radius: number;
  fill: string;
};

/**
 * One Konva node to create. `key` is stable while the scene's item order is ('bg', 'i<index>', and
 * 'i<index>.<n>' for the rectangles of a text item), for React lists.
 */
export type KonvaShape =
  | { type: 'Rect'; key: string; config: KonvaRectConfig }
  | { type: 'Line'; key: string; config: KonvaLineConfig }
  | { type: 'Circle'; key: string; config: KonvaCircleConfig };

/** The colour, validated like the raster validates it and lower-cased, so both views see one value. */
function color(c: Color, where: string): string {
  try {
    parseColor(c);
  } catch (error) {
    throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return c.toLowerCase();
}

function checkPoints(points: readonly number[], where: string): void {
  if (points.length % 2 !== 0) throw new Error(`${where}: points must be [x0, y0, x1, y1, ...], got ${points.length} numbers`);
}

/** The shapes of one item, appended to `out`; items that draw nothing in the raster add nothing here. */
function itemShapes(item: SceneItem, index: number, out: KonvaShape[]): void {
  const key = `i${index}`;
  const where = `scene item ${index} (${item.kind})`;
  switch (item.kind) {
    case 'rect': {
      const config: KonvaRectConfig = { x: item.x, y: item.y, width: item.w, height: item.h };
      if (item.fill !== undefined) config.fill = color(item.fill, where);
      const sw = item.strokeWidth ?? 1;
      if (item.stroke !== undefined && sw > 0) {
        config.stroke = color(item.stroke, where);
        config.strokeWidth = sw;
      }
      if (config.fill !== undefined || config.stroke !== undefined) out.push({ type: 'Rect', key, config });
      return;
    }
    case 'line': {
      checkPoints(item.points, where);
      const stroke = color(item.stroke, where);
      if (!(item.width > 0) || item.points.length < 4) return;
      const [x0 = 0, y0 = 0] = item.points;
      if (item.points.every((v, i) => v === (i % 2 === 0 ? x0 : y0))) {
        // Zero total length: browsers disagree on drawing a lone square cap, so draw the raster's square.
        const hw = item.width / 2;
        out.push({ type: 'Rect', key, config: { x: x0 - hw, y: y0 - hw, width: item.width, height: item.width, fill: stroke } });
        return;
      }
      out.push({ type: 'Line', key, config: { points: [...item.points], stroke, strokeWidth: item.width, lineCap: 'square', lineJoin: 'miter' } });
      return;
    }
    case 'polygon': {
      checkPoints(item.points, where);
      const config: KonvaLineConfig = {
        points: [...item.points],
        closed: true,
        fill: color(item.fill, where),
        fillRule: 'evenodd',
        lineCap: 'square',
        lineJoin: 'miter',
      };
      const sw = item.strokeWidth ?? 1;
      if (item.stroke !== undefined && sw > 0) {
        config.stroke = color(item.stroke, where);
        config.strokeWidth = sw;
      }
      out.push({ type: 'Line', key, config });
      return;
    }
    case 'circle': {
      const fill = color(item.fill, where);
      if (item.r > 0) out.push({ type: 'Circle', key, config: { x: item.cx, y: item.cy, radius: item.r, fill } });
      return;
    }
    case 'text': {
      const fill = color(item.fill, where);
      glyphRects(item).forEach((g, n) => out.push({ type: 'Rect', key: `${key}.${n}`, config: { x: g.x, y: g.y, width: g.w, height: g.h, fill } }));
      return;
    }
    default: {
      const bad: { kind?: unknown } = item;
      throw new Error(`scene item ${index}: unknown kind ${JSON.stringify(bad.kind)}; valid kinds: rect, line, polygon, circle, text`);
    }
  }
}

/** The Konva nodes of a scene, in painting order: the background rectangle, then every item's shapes. */
export function konvaShapes(scene: Scene): KonvaShape[] {
  const out: KonvaShape[] = [
    { type: 'Rect', key: 'bg', config: { x: 0, y: 0, width: scene.width, height: scene.height, fill: color(scene.background, 'scene background') } },
  ];
  scene.items.forEach((item, i) => itemShapes(item, i, out));
  return out;
}
