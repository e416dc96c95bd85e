/**
 * Scene -> RGBA raster, in pure TypeScript: the model's eyes and the dataset's PNGs.
 *
 * Determinism: only IEEE-754 + - * /, Math.sqrt (correctly rounded by IEEE-754, hence identical in every
 * engine), Math.floor/ceil/round and integer ops; no canvas, no Math.random. The same scene gives the same
 * bytes in Node and every browser, which the golden hashes in raster.test.ts pin down.
 *
 * Sampling rule (every primitive): a pixel takes an item's colour when its CENTRE (px + 0.5, py + 0.5)
 * lies inside the item. Edges are half-open, left/top inclusive and right/bottom exclusive, so the span
 * [a, b) covers pixels ceil(a - 0.5) .. ceil(b - 0.5) - 1: a 4x4 rect at (1, 1) covers exactly pixels 1..4,
 * and two shapes sharing an edge neither overlap nor leave a gap. Colours are opaque (#rrggbb), so
 * painting is a plain overwrite in item order (painter's algorithm).
 *
 * Strokes are centred on the edge, as in Konva and the canvas API: a stroke of width s covers s/2 either
 * side of it. Consequence of the half-open rule: a 1-pixel stroke on an integer edge lands on the pixel
 * above/left of that edge (the band [e - 0.5, e + 0.5) contains only the centre e - 0.5); put edges at
 * half-integers (or use even widths) for strokes that straddle symmetrically.
 *
 * Supersampling (2 or 4) draws at that many times the resolution and box-filters down (rounded integer
 * mean), which anti-aliases edges for nicer dataset images. Text stays crisp: its rectangles are whole
 * pixels (font.ts) and so cover whole blocks of samples.
 */
import { glyphRects } from './font';
import type { Scene, SceneItem } from './scene';

/** An RGBA image, 8 bits per channel, rows top to bottom, no padding (the layout of canvas ImageData). */
export interface Raster {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export interface RasterOptions {
  /** Samples per pixel along each axis; 1 (default) is crisp and fastest, 2 and 4 anti-alias. */
  supersample?: 1 | 2 | 4;
}

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

// ---------------------------------------------------------------------------------------------------
// Colours

const HEX6 = /^#[0-9a-fA-F]{6}$/;

/** Parses '#rrggbb' (either case). Both backends use it, so a colour the raster rejects, Konva rejects. */
export function parseColor(color: string): Rgb {
  if (typeof color !== 'string' || !HEX6.test(color)) {
    throw new Error(`bad colour ${JSON.stringify(color)}: expected '#rrggbb' with 6 hex digits, e.g. '#1a2b3c'`);
  }
  const v = parseInt(color.slice(1), 16);
  return { r: v >>> 16, g: (v >>> 8) & 0xff, b: v & 0xff };
}

// A pixel is written as one 32-bit word. Packing through a byte view of the same memory puts R, G, B, A
// in memory order whatever the platform's endianness, so the RGBA bytes are the same everywhere.
const packBytes = new Uint8Array(4);
const packWord = new Uint32Array(packBytes.buffer);
const packCache = new Map<string, number>();

function packColor(color: string): number {
  let word = packCache.get(color);
  if (word === undefined) {
    const { r, g, b } = parseColor(color);
    packBytes[0] = r;
    packBytes[1] = g;
    packBytes[2] = b;
    packBytes[3] = 255;
    word = packWord[0]!;
    // Scenes use a handful of colours; the bound only guards against a caller generating endless ones.
    if (packCache.size > 4096) packCache.clear();
    packCache.set(color, word);
  }
  return word;
}

// ---------------------------------------------------------------------------------------------------
// The drawing target and its span fillers. All coordinates below are in target pixels (scene * scale).

interface Target {
  w: number;
  h: number;
  px: Uint32Array;
}

/** First pixel whose centre is at or right of (below) `v`: a half-open span [a, b) is [cen(a), cen(b)). */
function cen(v: number): number {
  return Math.ceil(v - 0.5);
}

/** Fills whole pixels [x0, x1) x [y0, y1), clipped to the target. */
function fillPixels(t: Target, color: number, x0: number, y0: number, x1: number, y1: number): void {
  if (x0 < 0) x0 = 0;
  if (y0 < 0) y0 = 0;
  if (x1 > t.w) x1 = t.w;
  if (y1 > t.h) y1 = t.h;
  // Written as !(a < b) so NaN (from coordinates that overflow to Infinity) draws nothing: fill() would
  // read a NaN start as 0.
  if (!(x0 < x1) || !(y0 < y1)) return;
  const px = t.px;
  const w = t.w;
  if (x1 - x0 <= 8) {
    // Short spans (snake cells, glyph strokes): a plain loop beats the call overhead of fill().
    for (let y = y0; y < y1; y++) {
      const row = y * w;
      for (let x = x0 + row, end = x1 + row; x < end; x++) px[x] = color;
    }
  } else {
    for (let y = y0; y < y1; y++) px.fill(color, y * w + x0, y * w + x1);
  }
}

/** Fills one row's span of pixel centres in [xa, xb). */
function fillSpan(t: Target, color: number, y: number, xa: number, xb: number): void {
  let x0 = cen(xa);
  let x1 = cen(xb);
  if (x0 < 0) x0 = 0;
  if (x1 > t.w) x1 = t.w;
  if (!(x0 < x1)) return; // NaN-safe, as in fillPixels
  const row = y * t.w;
  t.px.fill(color, row + x0, row + x1);
}

/** Fills the real-valued rectangle [x, x + w) x [y, y + h); negative sizes extend left/up. */
function fillRect(t: Target, color: number, x: number, y: number, w: number, h: number): void {
  if (w < 0) {
    x += w;
    w = -w;
  }
  if (h < 0) {
    y += h;
    h = -h;
  }
  fillPixels(t, color, cen(x), cen(y), cen(x + w), cen(y + h));
}

/** The ring between the rectangle grown and shrunk by half the stroke width (a centred stroke). */
function strokeRect(t: Target, color: number, x: number, y: number, w: number, h: number, sw: number): void {
  if (w < 0) {
    x += w;
    w = -w;
  }
  if (h < 0) {
    y += h;
    h = -h;
  }
  const hw = sw / 2;
  const ox0 = cen(x - hw);
  const oy0 = cen(y - hw);
  const ox1 = cen(x + w + hw);
  const oy1 = cen(y + h + hw);
  const ix0 = cen(x + hw);
  const iy0 = cen(y + hw);
  const ix1 = cen(x + w - hw);
  const iy1 = cen(y + h - hw);
  if (ix0 >= ix1 || iy0 >= iy1) {
    // The stroke is wider than the rectangle is thick: no hole left.
    fillPixels(t, color, ox0, oy0, ox1, oy1);
    return;
  }
  fillPixels(t, color, ox0, oy0, ox1, iy0); // top band, full width
  fillPixels(t, color, ox0, iy1, ox1, oy1); // bottom band, full width
  fillPixels(t, color, ox0, iy0, ix0, iy1); // left band, between the others
  fillPixels(t, color, ix1, iy0, ox1, iy1); // right band
}

// Scratch space for polygon crossings and segment quads, grown on demand and reused across calls: the
// rasteriser is synchronous, so no two fills ever share it at once.
let crossings = new Float64Array(64);
const quad = new Float64Array(8);

/**
 * Even-odd scanline fill of the closed polygon pts[0..2n) ([x0, y0, x1, y1, ...], target pixels).
 * Each row samples at its centre line; an edge counts when the row lies in its half-open y range
 * [min, max), so a vertex shared by two edges is counted once and horizontal edges never.
 */
function fillPolygon(t: Target, color: number, pts: Float64Array, n: number): void {
  if (n < 3) return;
  let ymin = Infinity;
  let ymax = -Infinity;
  for (let i = 1; i < 2 * n; i += 2) {
    const y = pts[i]!;
    if (y < ymin) ymin = y;
    if (y > ymax) ymax = y;
  }
  let row0 = cen(ymin);
  let row1 = cen(ymax);
  if (row0 < 0) row0 = 0;
  if (row1 > t.h) row1 = t.h;
  if (crossings.length < n) crossings = new Float64Array(n * 2);
  const xs = crossings;
  for (let py = row0; py < row1; py++) {
    const yc = py + 0.5;
    let k = 0;
    let xPrev = pts[2 * n - 2]!;
    let yPrev = pts[2 * n - 1]!;
    for (let i = 0; i < 2 * n; i += 2) {
      const x = pts[i]!;
      const y = pts[i + 1]!;
      if ((yPrev <= yc && yc < y) || (y <= yc && yc < yPrev)) {
        xs[k++] = xPrev + ((yc - yPrev) * (x - xPrev)) / (y - yPrev);
      }
      xPrev = x;
      yPrev = y;
    }
    // Insertion sort: a row crosses a handful of edges, far fewer than sort()'s set-up costs.
    for (let i = 1; i < k; i++) {
      const v = xs[i]!;
      let j = i - 1;
      while (j >= 0 && xs[j]! > v) {
        xs[j + 1] = xs[j]!;
        j--;
      }
      xs[j + 1] = v;
    }
    for (let i = 0; i + 1 < k; i += 2) fillSpan(t, color, py, xs[i]!, xs[i + 1]!);
  }
}

/** Pixel centres strictly inside the circle: (px + .5 - cx)^2 < r^2 - (py + .5 - cy)^2. */
function fillCircle(t: Target, color: number, cx: number, cy: number, r: number): void {
  if (!(r > 0)) return;
  const rr = r * r;
  let row0 = cen(cy - r);
  let row1 = cen(cy + r);
  if (row0 < 0) row0 = 0;
  if (row1 > t.h) row1 = t.h;
  for (let py = row0; py < row1; py++) {
    const dy = py + 0.5 - cy;
    const rem = rr - dy * dy;
    if (rem <= 0) continue;
    const half = Math.sqrt(rem);
    // The sqrt only guesses the span; the exact predicate decides each end pixel, so the result is the
    // predicate's own even where the guess is off by one. (d = x + 0.5 - cx for pixel x.)
    // Clamped to the image first, so a huge circle costs at most a row's width of steps (and an infinite
    // one none): pixels outside would be clipped anyway.
    let x0 = Math.max(0, Math.min(t.w, cen(cx - half)));
    let x1 = Math.max(-1, Math.min(t.w - 1, cen(cx + half) - 1));
    let d = x0 + 0.5 - cx;
    while (x0 <= x1 && !(d * d < rem)) d = ++x0 + 0.5 - cx;
    d = x0 - 0.5 - cx;
    while (x0 > 0 && d * d < rem) d = --x0 - 0.5 - cx;
    d = x1 + 0.5 - cx;
    while (x1 >= x0 && !(d * d < rem)) d = --x1 + 0.5 - cx;
    d = x1 + 1.5 - cx;
    while (x1 < t.w - 1 && d * d < rem) d = ++x1 + 1.5 - cx;
    fillPixels(t, color, x0, py, x1 + 1, py + 1);
  }
}

/** Writes the quad of segment (ax, ay)-(bx, by) with square caps and half width hw into `quad`. */
function segmentQuad(ax: number, ay: number, bx: number, by: number, hw: number): void {
  const dx = bx - ax;
  const dy = by - ay;
  const len = Math.sqrt(dx * dx + dy * dy);
  // Unit direction times hw; exact for axis-aligned segments (dx / len is then exactly +-1 or 0).
  const ux = (dx / len) * hw;
  const uy = (dy / len) * hw;
  const p = quad;
  p[0] = ax - ux - uy; // behind a, to the left (normal = (-uy, ux))
  p[1] = ay - uy + ux;
  p[2] = bx + ux - uy;
  p[3] = by + uy + ux;
  p[4] = bx + ux + uy;
  p[5] = by + uy - ux;
  p[6] = ax - ux + uy;
  p[7] = ay - uy - ux;
}

/**
 * A polyline of width `width` as one square-capped quad per segment (target pixels; pts scaled already).
 * Where segments meet at a right angle the caps fill the corner exactly as a miter join does; at other
 * angles the overlap of caps differs slightly from Konva's miter. Zero-length segments are skipped; a line
 * of zero total length draws its square cap (a width x width square centred on the point).
 */
function strokePolyline(t: Target, color: number, pts: Float64Array, n: number, width: number, closed: boolean): void {
  if (!(width > 0) || n < 2) return;
  const hw = width / 2;
  const segments = closed ? n : n - 1;
  let drawn = 0;
  for (let s = 0; s < segments; s++) {
    const a = 2 * s;
    const b = (2 * (s + 1)) % (2 * n);
    const ax = pts[a]!;
    const ay = pts[a + 1]!;
    const bx = pts[b]!;
    const by = pts[b + 1]!;
    if (ax === bx && ay === by) continue;
    if (ax === bx || ay === by) {
      // Axis-aligned (the common case: grids, snake bodies): a rectangle, no polygon set-up.
      fillRect(t, color, Math.min(ax, bx) - hw, Math.min(ay, by) - hw, Math.abs(bx - ax) + width, Math.abs(by - ay) + width);
    } else {
      segmentQuad(ax, ay, bx, by, hw);
      fillPolygon(t, color, quad, 4);
    }
    drawn++;
  }
  if (drawn === 0) fillRect(t, color, pts[0]! - hw, pts[1]! - hw, width, width);
}

/** A scaled copy of an item's points; checks they are finite pairs. */
function scaledPoints(points: readonly number[], scale: number): Float64Array {
  if (points.length % 2 !== 0) throw new Error(`points must be [x0, y0, x1, y1, ...], got ${points.length} numbers`);
  const out = new Float64Array(points.length);
  for (let i = 0; i < points.length; i++) {
    const v = points[i]!;
    if (!Number.isFinite(v)) throw new Error(`points[${i}] is ${v}, expected a finite number`);
    out[i] = v * scale;
  }
  return out;
}

/** Throws unless every given number is finite; `names` labels them, comma-separated, in order. */
function checkFinite(names: string, ...values: (number | undefined)[]): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== undefined && !Number.isFinite(v)) throw new Error(`${names.split(',')[i]} is ${v}, expected a finite number`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Items

const KINDS = ['rect', 'line', 'polygon', 'circle', 'text'] as const;

/** Draws one item at scale s. Errors say what is wrong; rasterize adds which item. */
function drawItem(t: Target, item: SceneItem, s: number): void {
  switch (item.kind) {
    case 'rect': {
      checkFinite('x,y,w,h,strokeWidth', item.x, item.y, item.w, item.h, item.strokeWidth);
      if (item.fill !== undefined) fillRect(t, packColor(item.fill), item.x * s, item.y * s, item.w * s, item.h * s);
      const sw = item.strokeWidth ?? 1;
      if (item.stroke !== undefined && sw > 0) strokeRect(t, packColor(item.stroke), item.x * s, item.y * s, item.w * s, item.h * s, sw * s);
      return;
    }
    case 'line': {
      checkFinite('width', item.width);
      const color = packColor(item.stroke);
      const pts = scaledPoints(item.points, s);
      strokePolyline(t, color, pts, pts.length / 2, item.width * s, false);
      return;
    }
    case 'polygon': {
      checkFinite('strokeWidth', item.strokeWidth);
      const pts = scaledPoints(item.points, s);
      const n = pts.length / 2;
      fillPolygon(t, packColor(item.fill), pts, n);
      const sw = item.strokeWidth ?? 1;
      if (item.stroke !== undefined && sw > 0) strokePolyline(t, packColor(item.stroke), pts, n, sw * s, true);
      return;
    }
    case 'circle': {
      checkFinite('cx,cy,r', item.cx, item.cy, item.r);
      fillCircle(t, packColor(item.fill), item.cx * s, item.cy * s, item.r * s);
      return;
    }
    case 'text': {
      const color = packColor(item.fill);
      for (const g of glyphRects(item)) fillPixels(t, color, g.x * s, g.y * s, (g.x + g.w) * s, (g.y + g.h) * s);
      return;
    }
    default: {
      const bad: { kind?: unknown } = item;
      throw new Error(`unknown kind ${JSON.stringify(bad.kind)}; valid kinds: ${KINDS.join(', ')}`);
    }
  }
}

/**
 * Draws a scene: background, then every item in order. Throws, naming the item, on a bad colour, a
 * non-finite coordinate, an odd-length point list or an unknown kind.
 */
export function rasterize(scene: Scene, opts: RasterOptions = {}): Raster {
  const s = opts.supersample ?? 1;
  if (s !== 1 && s !== 2 && s !== 4) throw new Error(`rasterize: supersample must be 1, 2 or 4, got ${String(s)}`);
  const { width, height } = scene;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`rasterize: scene size must be positive integers, got ${width}x${height}`);
  }
  const w = width * s;
  const h = height * s;
  const buffer = new ArrayBuffer(w * h * 4);
  const t: Target = { w, h, px: new Uint32Array(buffer) };
  try {
    t.px.fill(packColor(scene.background));
  } catch (error) {
    throw new Error(`scene background: ${(error as Error).message}`);
  }
  const items = scene.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    try {
      drawItem(t, item, s);
    } catch (error) {
      // Located here rather than in every message: building "item i" strings per item would cost every frame.
      throw new Error(`scene item ${i} (${String(item.kind)}): ${(error as Error).message}`, { cause: error });
    }
  }
  const full = new Uint8ClampedArray(buffer);
  if (s === 1) return { width, height, data: full };
  return { width, height, data: boxDownsample(full, width, height, s) };
}

/**
 * Mean of each s x s block of samples, per channel, rounded half up. Works on whole pixels as 32-bit
 * words split into two lanes of two bytes each (mask 0x00ff00ff): a lane sums at most 16 * 255 = 4080,
 * so lanes never carry into each other, and each byte keeps its memory position whatever the endianness.
 */
function boxDownsample(src: Uint8ClampedArray, width: number, height: number, s: 2 | 4): Uint8ClampedArray {
  const words = new Uint32Array(src.buffer, src.byteOffset, (src.length / 4) | 0);
  const out = new Uint8ClampedArray(width * height * 4);
  const dst = new Uint32Array(out.buffer);
  const srcW = width * s; // samples per sample row
  const shift = s === 2 ? 2 : 4; // log2(s * s)
  const round = (1 << (shift - 1)) * 0x00010001; // half, in both lanes
  let o = 0;
  for (let y = 0; y < height; y++) {
    const top = y * s * srcW;
    for (let x = 0; x < width; x++) {
      let lo = 0; // bytes 0 and 2 of each sample
      let hi = 0; // bytes 1 and 3
      for (let row = top + x * s, end = row + s * srcW; row < end; row += srcW) {
        for (let i = row; i < row + s; i++) {
          const w = words[i]!;
          lo += w & 0x00ff00ff;
          hi += (w >>> 8) & 0x00ff00ff;
        }
      }
      dst[o++] = (((lo + round) >>> shift) & 0x00ff00ff) | ((((hi + round) >>> shift) & 0x00ff00ff) << 8);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Helpers on rasters

/** The RGB bytes (alpha dropped), w * h * 3, for model inputs. */
export function rasterToRgb(raster: Raster): Uint8Array {
  const n = raster.width * raster.height;
  const src = raster.data;
  const out = new Uint8Array(n * 3);
  for (let i = 0, j = 0; i < n * 4; i += 4, j += 3) {
    out[j] = src[i]!;
    out[j + 1] = src[i + 1]!;
    out[j + 2] = src[i + 2]!;
  }
  return out;
}

/** 64-bit FNV-1a state as four 16-bit limbs, low first: JS numbers hold 53 bits, not 64. */
function fnv1a64(chunks: readonly ArrayLike<number>[]): string {
  // Offset basis 0xcbf29ce484222325.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (const bytes of chunks) {
    for (let i = 0; i < bytes.length; i++) {
      h0 ^= bytes[i]!;
      // h *= 0x100000001b3 = h * 0x1b3 + (h << 40), mod 2^64, limb by limb with carries.
      const t0 = h0 * 0x1b3;
      const t1 = h1 * 0x1b3 + (t0 >>> 16);
      const t2 = h2 * 0x1b3 + (t1 >>> 16) + ((h0 & 0xff) << 8);
      const t3 = h3 * 0x1b3 + (t2 >>> 16) + (h0 >>> 8) + ((h1 & 0xff) << 8);
      h0 = t0 & 0xffff;
      h1 = t1 & 0xffff;
      h2 = t2 & 0xffff;
      h3 = t3 & 0xffff;
    }
  }
  const hex = (v: number): string => v.toString(16).padStart(4, '0');
  return hex(h3) + hex(h2) + hex(h1) + hex(h0);
}

/** FNV-1a 64 of raw bytes as 16 hex digits (exported for tests against the published test vectors). */
export function fnv1a64Hex(bytes: ArrayLike<number>): string {
  return fnv1a64([bytes]);
}

/**
 * A stable 16-hex-digit hash of a raster, for golden tests and de-duplication: 64-bit FNV-1a over the
 * width and height (4 bytes each, little-endian, so a 2x8 and a 4x4 image of the same bytes differ)
 * followed by the RGBA bytes.
 */
export function rasterHash(raster: Raster): string {
  const dims = new Uint8Array(8);
  const view = new DataView(dims.buffer);
  view.setUint32(0, raster.width, true);
  view.setUint32(4, raster.height, true);
  return fnv1a64([dims, raster.data]);
}

/** The w x h window at (x, y), which must lie inside the raster. */
export function cropRaster(raster: Raster, x: number, y: number, w: number, h: number): Raster {
  const ok = [x, y, w, h].every(Number.isInteger) && x >= 0 && y >= 0 && w > 0 && h > 0;
  if (!ok || x + w > raster.width || y + h > raster.height) {
    throw new Error(`cropRaster: window ${w}x${h} at (${x}, ${y}) is not inside the ${raster.width}x${raster.height} raster`);
  }
  const out = new Uint8ClampedArray(w * h * 4);
  for (let row = 0; row < h; row++) {
    const from = ((y + row) * raster.width + x) * 4;
    out.set(raster.data.subarray(from, from + w * 4), row * w * 4);
  }
  return { width: w, height: h, data: out };
}

/**
 * Nearest-neighbour resize (pixel art stays pixel art): output pixel (x, y) takes source pixel
 * (floor((x + .5) * W / w), ...), the source pixel under its centre, computed in integers.
 */
export function resizeNearest(raster: Raster, width: number, height: number): Raster {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`resizeNearest: size must be positive integers, got ${width}x${height}`);
  }
  // One word per pixel; a view needs 4-byte alignment, which a subarray of someone's buffer may lack.
  const bytes = raster.data.byteOffset % 4 === 0 ? raster.data : raster.data.slice();
  const src = new Uint32Array(bytes.buffer, bytes.byteOffset, raster.width * raster.height);
  const out = new Uint8ClampedArray(width * height * 4);
  const dst = new Uint32Array(out.buffer);
  const cols = new Int32Array(width);
  for (let x = 0; x < width; x++) cols[x] = Math.floor(((2 * x + 1) * raster.width) / (2 * width));
  for (let y = 0; y < height; y++) {
    const sy = Math.floor(((2 * y + 1) * raster.height) / (2 * height));
    const srow = sy * raster.width;
    const drow = y * width;
    for (let x = 0; x < width; x++) dst[drow + x] = src[srow + cols[x]!]!;
  }
  return { width, height, data: out };
}
