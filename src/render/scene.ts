/**
 * What a game wants drawn, as plain data. Games build a `Scene` from their state; two backends draw it:
 * `raster.ts` (pure TypeScript RGBA, the model's eyes and the dataset PNGs, identical in Node and the
 * browser) and the Konva view in `ui/`. Neither backend knows any game.
 *
 * Coordinates are pixels of the target image, origin at the TOP-LEFT, y down (screen convention; the
 * Snake game's bottom-left board origin is converted by the game's scene builder, not here).
 * Colours are `#rrggbb` strings only (either case; no '#rgb', no names), so both backends parse them the
 * same way (`parseColor` in raster.ts); anything else throws, naming the item.
 *
 * Pixel rules (raster.ts): a pixel takes an item's colour when its CENTRE lies inside the item, edges
 * half-open (left/top in, right/bottom out), so a rect at (1, 1) of size 4x4 covers exactly pixels 1..4.
 * Strokes are CENTRED on the edge, as in Konva and the canvas API: width s covers s/2 on either side.
 * A 1-pixel stroke on an integer coordinate therefore lands on the pixel above/left of it; for a crisp
 * 1-pixel line on pixel column c, draw it at x = c + 0.5. The Konva view anti-aliases edges that are not
 * on whole pixels, so only pixel-aligned geometry (and all text) matches the raster exactly.
 */
export type Color = `#${string}`;

/** An axis-aligned rectangle [x, x + w) x [y, y + h); fill first, then the stroke (default width 1). */
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

/**
 * An open polyline `width` pixels wide, centred on the path, with square caps (each end extends width/2).
 * `points` is [x0, y0, x1, y1, ...]. Right-angle joins are filled like a miter; a line whose points all
 * coincide draws a width x width square.
 */
export interface LineItem {
  kind: 'line';
  points: number[];
  stroke: Color;
  width: number;
}

/**
 * A closed polygon (convex or not, even self-intersecting), filled with the even-odd rule. `points` is
 * [x0, y0, ...]; the last point joins the first. The optional stroke (default width 1) is centred on the
 * edges and drawn after the fill.
 */
export interface PolygonItem {
  kind: 'polygon';
  points: number[];
  fill: Color;
  stroke?: Color;
  strokeWidth?: number;
}

/** A filled disc: pixels whose centre is at distance < r from (cx, cy). */
export interface CircleItem {
  kind: 'circle';
  cx: number;
  cy: number;
  r: number;
  fill: Color;
}

/**
 * Text drawn with the project's own bitmap font (`font.ts`) by BOTH backends, so the raster and the
 * Konva view agree pixel for pixel. `size` is the glyph cell height in pixels: the 9-row cell (7 rows
 * above the baseline, 2 of descenders), so sizes 9, 18, 27 give uniform font pixels and sizes below 9
 * lose rows. `align` places each line's ink left of, centred on, or right of `x`; `baseline` places the
 * block's top, middle or bottom (below the descenders) at `y`. '\n' starts a new line.
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
