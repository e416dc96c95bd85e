/**
 * Procedural pictures for the Jigsaw game, grown from a seed (nothing is downloaded).
 *
 * A picture is plain data in unit coordinates (u right, v down, both in [0, 1)): a background gradient
 * in a few discrete steps along a slanted direction, two or three long bands (straight lines) that run
 * across the whole picture, and three to five large shapes (discs, rings, turned boxes, triangles). The
 * gradient and the bands cross every tile border, and the shapes are big enough to cross most of them,
 * so where a tile belongs can be read off its content: its shade of the gradient and the lines and arcs
 * that continue into its neighbours.
 *
 * A picture is drawn by sampling `pictureColorAt` at pixel centres: only + - * / and comparisons on
 * doubles, so every engine gives the same pixels. Drawing by sampling, not by vector shapes, is what
 * lets a shuffled image be cut exactly: each tile is a set of whole pixels, and `task.ts` emits them as
 * pixel-aligned rects (the rasteriser has no clipping, and clipped polygons would round differently).
 */
import type { Color } from '../../render/scene';
import type { Rng } from '../../util/rng';

/** A shape in unit coordinates; `color` is a '#rrggbb' string. Later shapes cover earlier ones. */
export type JigsawShape =
  | { kind: 'disc'; cx: number; cy: number; r: number; color: Color }
  | { kind: 'ring'; cx: number; cy: number; r: number; width: number; color: Color }
  /** A box of half-sizes (hw, hh) centred on (cx, cy), its width axis along angle `deg` (clockwise on screen). */
  | { kind: 'box'; cx: number; cy: number; hw: number; hh: number; deg: number; color: Color }
  | { kind: 'triangle'; points: [number, number, number, number, number, number]; color: Color };

/** A straight band across the whole picture: points whose distance to the line is under width / 2. */
export interface JigsawBand {
  /** Direction of the line's normal, degrees. */
  deg: number;
  /** Signed distance of the line from the picture centre along the normal. */
  offset: number;
  width: number;
  color: Color;
}

export interface JigsawPicture {
  /** Background: `levels` flat steps from `from` to `to` along direction `deg` (degrees, clockwise on screen). */
  gradient: { from: Color; to: Color; deg: number; levels: number };
  bands: JigsawBand[];
  shapes: JigsawShape[];
}

/** Background pairs: light to dark, so neighbouring steps differ visibly. */
export const GRADIENTS: readonly (readonly [Color, Color])[] = [
  ['#fff4d6', '#2f5d8a'],
  ['#e8f6ef', '#7a2e52'],
  ['#f3ecff', '#245c3a'],
  ['#fdebd3', '#3b3f8f'],
  ['#e6f1fb', '#8a4a12'],
  ['#f9e6e6', '#1f5f66'],
];

/** Shape and band colours: saturated, far apart in hue, drawn without replacement. */
export const SHAPE_COLORS: readonly Color[] = ['#e6194b', '#3cb44b', '#ffe119', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#111111', '#ffffff'];

/** Background steps: enough that every tile's shade differs from its neighbours', few enough for long runs. */
export const GRADIENT_LEVELS = 10;

/** Samples per tile side for the distinctness check (size-independent, so a question never depends on its image size). */
export const DISTINCT_SAMPLES = 16;
/** Two tiles whose mean per-channel difference (0-255) is below this look alike, and the picture is redrawn. */
export const MIN_TILE_DIFFERENCE = 20;

const DEG = Math.PI / 180;
/** Three decimals: readable JSON, and every coordinate a plain decimal in both languages' logs. */
const r3 = (x: number): number => Math.round(x * 1000) / 1000;
const between = (rng: Rng, lo: number, hi: number): number => r3(lo + (hi - lo) * rng.next());

/** One candidate picture (no distinctness check; see `generatePicture`). */
export function growPicture(rng: Rng): JigsawPicture {
  const [from, to] = rng.pick(GRADIENTS);
  // Slanted, never along an axis: along an axis a whole row (or column) of tiles would share its shade.
  const gradient = { from, to, deg: 90 * rng.int(4) + between(rng, 20, 70), levels: GRADIENT_LEVELS };
  const colors = rng.shuffle([...SHAPE_COLORS]);
  let c = 0;
  const bands: JigsawBand[] = [];
  const nBands = rng.range(2, 3);
  for (let i = 0; i < nBands; i++) {
    bands.push({ deg: between(rng, 0, 180), offset: between(rng, -0.3, 0.3), width: between(rng, 0.03, 0.06), color: colors[c++]! });
  }
  const shapes: JigsawShape[] = [];
  const nShapes = rng.range(3, 5);
  for (let i = 0; i < nShapes; i++) {
    const color = colors[c++]!;
    const cx = between(rng, 0.15, 0.85);
    const cy = between(rng, 0.15, 0.85);
    const kind = rng.int(4);
    if (kind === 0) shapes.push({ kind: 'disc', cx, cy, r: between(rng, 0.1, 0.22), color });
    else if (kind === 1) shapes.push({ kind: 'ring', cx, cy, r: between(rng, 0.14, 0.3), width: between(rng, 0.04, 0.08), color });
    else if (kind === 2) shapes.push({ kind: 'box', cx, cy, hw: between(rng, 0.12, 0.3), hh: between(rng, 0.05, 0.12), deg: between(rng, 0, 180), color });
    else {
      const corner = (): [number, number] => {
        const a = rng.next() * 2 * Math.PI;
        const d = 0.15 + 0.2 * rng.next();
        return [r3(cx + d * Math.cos(a)), r3(cy + d * Math.sin(a))];
      };
      shapes.push({ kind: 'triangle', points: [...corner(), ...corner(), ...corner()], color });
    }
  }
  return { gradient, bands, shapes };
}

/** Grows pictures until every pair of tiles of a `grid` x `grid` cut looks different (`tilesDistinct`). */
export function generatePicture(rng: Rng, grid: number): JigsawPicture {
  for (let attempt = 0; attempt < 200; attempt++) {
    const picture = growPicture(rng);
    if (tilesDistinct(picture, grid)) return picture;
  }
  // Measured over 2,000 pictures: 15% are redrawn for 3 x 3, 0.3% for 2 x 2; 200 failures in a row means a broken generator.
  throw new Error(`jigsaw: no picture with ${grid * grid} distinct tiles in 200 tries`);
}

function hexRgb(c: Color): [number, number, number] {
  const v = parseInt(c.slice(1), 16);
  return [v >>> 16, (v >>> 8) & 0xff, v & 0xff];
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

/** The colour of background step `level` (0 .. levels - 1): an even mix of the two ends, rounded per channel. */
export function gradientColor(g: JigsawPicture['gradient'], level: number): Color {
  const a = hexRgb(g.from);
  const b = hexRgb(g.to);
  const t = g.levels > 1 ? level / (g.levels - 1) : 0;
  return `#${[0, 1, 2].map((k) => hex2(Math.round(a[k]! + (b[k]! - a[k]!) * t))).join('')}`;
}

function insideShape(s: JigsawShape, u: number, v: number): boolean {
  switch (s.kind) {
    case 'disc': {
      const du = u - s.cx;
      const dv = v - s.cy;
      return du * du + dv * dv < s.r * s.r;
    }
    case 'ring': {
      const du = u - s.cx;
      const dv = v - s.cy;
      const d2 = du * du + dv * dv;
      const lo = s.r - s.width / 2;
      const hi = s.r + s.width / 2;
      return d2 >= lo * lo && d2 < hi * hi;
    }
    case 'box': {
      const ax = Math.cos(s.deg * DEG);
      const ay = Math.sin(s.deg * DEG);
      const du = u - s.cx;
      const dv = v - s.cy;
      return Math.abs(du * ax + dv * ay) < s.hw && Math.abs(-du * ay + dv * ax) < s.hh;
    }
    case 'triangle': {
      const [x0, y0, x1, y1, x2, y2] = s.points;
      const d0 = (x1 - x0) * (v - y0) - (y1 - y0) * (u - x0);
      const d1 = (x2 - x1) * (v - y1) - (y2 - y1) * (u - x1);
      const d2 = (x0 - x2) * (v - y2) - (y0 - y2) * (u - x2);
      return (d0 > 0 && d1 > 0 && d2 > 0) || (d0 < 0 && d1 < 0 && d2 < 0);
    }
  }
}

/**
 * A compiled picture: every colour the picture can take, and `idAt(u, v)`, the index into `colors` of
 * the colour at (u, v). Ids keep the per-pixel work to small integers (runs are found on ids).
 */
export interface PicturePainter {
  colors: Color[];
  idAt(u: number, v: number): number;
}

export function painter(p: JigsawPicture): PicturePainter {
  const g = p.gradient;
  const gx = Math.cos(g.deg * DEG);
  const gy = Math.sin(g.deg * DEG);
  // The projection of the unit square's corners onto the direction spans +-(|gx| + |gy|) / 2 about the centre.
  const span = Math.abs(gx) + Math.abs(gy);
  const colors: Color[] = [];
  for (let l = 0; l < g.levels; l++) colors.push(gradientColor(g, l));
  const bands = p.bands.map((b) => ({
    nx: Math.cos(b.deg * DEG),
    ny: Math.sin(b.deg * DEG),
    offset: b.offset,
    half: b.width / 2,
    id: colors.push(b.color) - 1,
  }));
  const shapes = p.shapes.map((s) => ({ s, id: colors.push(s.color) - 1 }));
  return {
    colors,
    idAt(u, v) {
      for (let i = shapes.length - 1; i >= 0; i--) if (insideShape(shapes[i]!.s, u, v)) return shapes[i]!.id;
      const du = u - 0.5;
      const dv = v - 0.5;
      for (let i = bands.length - 1; i >= 0; i--) {
        const b = bands[i]!;
        if (Math.abs(du * b.nx + dv * b.ny - b.offset) < b.half) return b.id;
      }
      const t = (du * gx + dv * gy) / span + 0.5;
      return Math.max(0, Math.min(g.levels - 1, Math.floor(t * g.levels)));
    },
  };
}

/** The colour at (u, v) of the unit square. */
export function pictureColorAt(p: JigsawPicture, u: number, v: number): Color {
  const paint = painter(p);
  return paint.colors[paint.idAt(u, v)]!;
}

/**
 * Colour ids of a size x size drawing (row-major), sampled at pixel centres. This is the picture's one
 * drawing: the question's scenes are cut from it, so a tile put back in place gives exactly these pixels.
 */
export function pictureIds(p: JigsawPicture, size: number): { colors: Color[]; ids: Uint16Array } {
  const paint = painter(p);
  const ids = new Uint16Array(size * size);
  for (let y = 0; y < size; y++) {
    const v = (y + 0.5) / size;
    for (let x = 0; x < size; x++) ids[y * size + x] = paint.idAt((x + 0.5) / size, v);
  }
  return { colors: paint.colors, ids };
}

/** Each tile's colours on a DISTINCT_SAMPLES x DISTINCT_SAMPLES grid of its own, as RGB triples. */
function tileSamples(p: JigsawPicture, grid: number): number[][] {
  const paint = painter(p);
  const rgb = paint.colors.map(hexRgb);
  const out: number[][] = [];
  const n = DISTINCT_SAMPLES;
  for (let t = 0; t < grid * grid; t++) {
    const row = Math.floor(t / grid);
    const col = t % grid;
    const samples: number[] = [];
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const c = rgb[paint.idAt((col + (i + 0.5) / n) / grid, (row + (j + 0.5) / n) / grid)]!;
        samples.push(c[0], c[1], c[2]);
      }
    }
    out.push(samples);
  }
  return out;
}

/** Mean absolute per-channel difference (0-255) between every pair of tiles; the smallest is the picture's worst case. */
export function minTileDifference(p: JigsawPicture, grid: number): number {
  const tiles = tileSamples(p, grid);
  let min = Infinity;
  for (let a = 0; a < tiles.length; a++) {
    for (let b = a + 1; b < tiles.length; b++) {
      const ta = tiles[a]!;
      const tb = tiles[b]!;
      let sum = 0;
      for (let k = 0; k < ta.length; k++) sum += Math.abs(ta[k]! - tb[k]!);
      min = Math.min(min, sum / ta.length);
    }
  }
  return min;
}

/** Whether no two tiles of the cut look alike (so the answer is one permutation, not several). */
export function tilesDistinct(p: JigsawPicture, grid: number): boolean {
  return minTileDifference(p, grid) >= MIN_TILE_DIFFERENCE;
}
