/**
 * What a game wants drawn, as plain data. Games build a `Scene` from their state; two backends draw it:
 * `raster.ts` (pure TypeScript RGBA, the model's eyes and the dataset PNGs, identical in Node and the
 * browser) and the Konva view in `ui/`. Neither backend knows any game.
 *
 * Coordinates are pixels of the target image, origin at the TOP-LEFT, y down (screen convention; the
 * Snake game's bottom-left board origin is converted by the game's scene builder, not here).
 * Colours are `#rrggbb` strings only, so both backends parse them the same way.
 */
export type Color = `#${string}`;

export interface RectItem {
  kind: 'rect';
  x: number;
  y: number;
  w: number;
  h: number;
  fill?: Color;
  stroke?: Color;
  strokeWidth?: number;
}

/** An open polyline, drawn with square caps of `width` pixels. `points` is [x0, y0, x1, y1, ...]. */
export interface LineItem {
  kind: 'line';
  points: number[];
  stroke: Color;
  width: number;
}

/** A closed simple polygon (convex or not), filled with the even-odd rule. `points` is [x0, y0, ...]. */
export interface PolygonItem {
  kind: 'polygon';
  points: number[];
  fill: Color;
  stroke?: Color;
  strokeWidth?: number;
}

export interface CircleItem {
  kind: 'circle';
  cx: number;
  cy: number;
  r: number;
  fill: Color;
}

/**
 * Text drawn with the project's own bitmap font (`font.ts`) by BOTH backends, so the raster and the
 * Konva view agree pixel for pixel. `size` is the glyph cell height in pixels.
 */
export interface TextItem {
  kind: 'text';
  x: number;
  y: number;
  text: string;
  size: number;
  fill: Color;
  align: 'left' | 'center' | 'right';
  baseline: 'top' | 'middle' | 'bottom';
}

export type SceneItem = RectItem | LineItem | PolygonItem | CircleItem | TextItem;

/** Items are painted in order (painter's algorithm): later items cover earlier ones. */
export interface Scene {
  width: number;
  height: number;
  background: Color;
  items: SceneItem[];
}
