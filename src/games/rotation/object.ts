/**
 * Procedural 3-D objects for the Rotation game: seeded polycube assemblies.
 *
 * ViGaL rendered 540 downloaded meshes; none can be downloaded here, so each object is grown: 5-9 unit
 * cubes added one by one next to the cubes already placed (a random walk that sometimes branches), then
 * split into 2-4 connected parts by a seeded multi-source flood fill, each part a clearly different
 * colour. A shape whose picture looks the same after a quarter or half turn would make the answer
 * ambiguous, so such shapes are rejected and regrown (see `hasInPlaneSymmetry`), and so are shapes whose
 * pose hides most of a part.
 */
import type { Rng } from '../../util/rng';
import { cellKey, DEFAULT_TILT_DEG, DEFAULT_YAW_DEG, poseMatrix, projectFaces, type RotObject, type RotPart, type Vec3 } from './render3d';

// The object's shape lives with the renderer, which draws it (object.ts grows it); re-exported here.
export type { RotCube, RotObject, RotPart } from './render3d';

export interface ObjectOptions {
  minCubes?: number;
  maxCubes?: number;
  minParts?: number;
  maxParts?: number;
  /** Part colours are drawn without replacement from this list. */
  palette?: readonly RotPart[];
  /** Base pose under which the object must look asymmetric (the pose the renderer uses). */
  tiltDeg?: number;
  yawDeg?: number;
}

/** Saturated, far apart in hue and lightness, and far from the light-grey background. */
export const PALETTE: readonly RotPart[] = [
  { name: 'red', color: '#d7301f' },
  { name: 'blue', color: '#2b5fd9' },
  { name: 'green', color: '#2e9e3e' },
  { name: 'yellow', color: '#f2c200' },
  { name: 'purple', color: '#8a3fb0' },
  { name: 'cyan', color: '#17b5c9' },
];

const DEFAULTS = { minCubes: 5, maxCubes: 9, minParts: 2, maxParts: 4 };
/** Chance that the walk continues from the cube just added rather than branching from an older one. */
const WALK_CONTINUE = 0.65;
const MAX_ATTEMPTS = 1000;
/**
 * An object counts as symmetric when its part-colour picture, turned by 90, 180 or 270 degrees about the
 * image centre, differs from itself on less than this fraction of the pixels the object covers in either.
 * Exact symmetry scores ~0 (edge aliasing only), but perspective alone makes a lone cube score 0.17-0.19
 * and a one-colour bar 0.24 at a half turn: 0.3 rejects those look-alikes too (about 0.5% of grown shapes).
 */
export const ASYMMETRY_THRESHOLD = 0.3;
/** Every part must show on at least this share of the object's pixels: a hidden part adds nothing. */
export const MIN_PART_SHARE = 0.1;
/** Resolution of the picture the asymmetry check samples: cheap and fine enough for unit cubes. */
const CHECK_SIZE = 64;

const DIRS: readonly Vec3[] = [
  [1, 0, 0],
  [-1, 0, 0],
  [0, 1, 0],
  [0, -1, 0],
  [0, 0, 1],
  [0, 0, -1],
];

export function generateObject(rng: Rng, opts: ObjectOptions = {}): RotObject {
  const o = { ...DEFAULTS, ...opts };
  const palette = opts.palette ?? PALETTE;
  if (!(Number.isInteger(o.minCubes) && o.minCubes >= 2 && o.maxCubes >= o.minCubes)) {
    throw new Error(`generateObject: need integers 2 <= minCubes <= maxCubes, got ${o.minCubes}..${o.maxCubes}`);
  }
  if (!(Number.isInteger(o.minParts) && o.minParts >= 1 && o.maxParts >= o.minParts && o.maxParts <= palette.length)) {
    throw new Error(`generateObject: need integers 1 <= minParts <= maxParts <= palette size (${palette.length}), got ${o.minParts}..${o.maxParts}`);
  }
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const obj = growCandidate(rng, opts);
    const ids = partPicture(obj, opts);
    if (Math.min(...sharesOf(ids, obj.parts.length)) < MIN_PART_SHARE) continue;
    if (isSymmetric(obj, ids, opts)) continue;
    return obj;
  }
  throw new Error(`generateObject: no asymmetric object in ${MAX_ATTEMPTS} attempts with options ${JSON.stringify(opts)}`);
}

/**
 * True when the object, in its base pose, would look the same (or nearly) after an in-plane turn of
 * 90, 180 or 270 degrees, so that some rotation classes could not be told apart. Two tests:
 * 1. exact: the set of (cube, part) maps onto itself under such a turn about the view axis (expressed in
 *    the object frame through the base pose);
 * 2. visual: the rendered picture of part ids (shading ignored, since the light does not turn with the
 *    object) matches its own turned copy on all but `ASYMMETRY_THRESHOLD` of the covered pixels.
 * With a generic 3/4 pose the first never fires for a polycube; it is kept for poses that look straight
 * down a grid axis, where it is the exact statement of the problem.
 */
export function hasInPlaneSymmetry(obj: RotObject, pose: { tiltDeg?: number; yawDeg?: number } = {}): boolean {
  return isSymmetric(obj, partPicture(obj, pose), pose);
}

function isSymmetric(obj: RotObject, ids: Int8Array, pose: { tiltDeg?: number; yawDeg?: number }): boolean {
  if (hasExactViewSymmetry(obj, pose.tiltDeg ?? DEFAULT_TILT_DEG, pose.yawDeg ?? DEFAULT_YAW_DEG)) return true;
  const d = differenceOf(ids);
  return Math.min(d[90], d[180], d[270]) < ASYMMETRY_THRESHOLD;
}

/**
 * For each quarter turn, the fraction of covered pixels whose part id changes when the part-id picture
 * is turned by that angle about the image centre (0 = the turn is invisible).
 */
export function inPlaneDifference(obj: RotObject, pose: { tiltDeg?: number; yawDeg?: number } = {}): { 90: number; 180: number; 270: number } {
  return differenceOf(partPicture(obj, pose));
}

function differenceOf(ids: Int8Array): { 90: number; 180: number; 270: number } {
  const N = CHECK_SIZE;
  // Pixel centres sit symmetrically about the image centre (N even), so quarter turns permute pixels.
  const m = N - 1;
  const turned = (i: number, j: number, quarter: number): number => {
    switch (quarter) {
      case 1:
        return i * N + (m - j);
      case 2:
        return (m - j) * N + (m - i);
      default:
        return (m - i) * N + j;
    }
  };
  const score = (quarter: number): number => {
    let covered = 0;
    let differ = 0;
    for (let j = 0; j < N; j++) {
      for (let i = 0; i < N; i++) {
        const a = ids[j * N + i] as number;
        const b = ids[turned(i, j, quarter)] as number;
        if (a < 0 && b < 0) continue;
        covered++;
        if (a !== b) differ++;
      }
    }
    return covered === 0 ? 0 : differ / covered;
  };
  return { 90: score(1), 180: score(2), 270: score(3) };
}

/**
 * The share of the object's pixels each part covers in the base pose. A roll turns the picture but
 * hides nothing new, so this holds at every roll.
 */
export function partShares(obj: RotObject, pose: { tiltDeg?: number; yawDeg?: number } = {}): number[] {
  return sharesOf(partPicture(obj, pose), obj.parts.length);
}

function sharesOf(ids: Int8Array, parts: number): number[] {
  const counts = new Array<number>(parts).fill(0);
  let covered = 0;
  for (const id of ids) {
    if (id < 0) continue;
    covered++;
    counts[id] = (counts[id] as number) + 1;
  }
  return counts.map((c) => (covered === 0 ? 0 : c / covered));
}

/** Part id of the topmost face at each pixel centre of a CHECK_SIZE^2 picture at roll 0 (-1 = background). */
function partPicture(obj: RotObject, pose: { tiltDeg?: number; yawDeg?: number }): Int8Array {
  const N = CHECK_SIZE;
  const faces = projectFaces(obj, { rollDeg: 0, size: N, tiltDeg: pose.tiltDeg, yawDeg: pose.yawDeg });
  const ids = new Int8Array(N * N).fill(-1);
  // Painter's order: later faces overwrite earlier ones; only each face's bounding box is scanned.
  for (const face of faces) {
    const xs = face.points.filter((_, k) => k % 2 === 0);
    const ys = face.points.filter((_, k) => k % 2 === 1);
    const i0 = Math.max(0, Math.floor(Math.min(...xs) - 0.5));
    const i1 = Math.min(N - 1, Math.ceil(Math.max(...xs) - 0.5));
    const j0 = Math.max(0, Math.floor(Math.min(...ys) - 0.5));
    const j1 = Math.min(N - 1, Math.ceil(Math.max(...ys) - 0.5));
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) if (insideConvex(face.points, i + 0.5, j + 0.5)) ids[j * N + i] = face.part;
    }
  }
  return ids;
}

/** One grown object BEFORE the symmetry filter (what `generateObject` draws until it is asymmetric). */
export function growCandidate(rng: Rng, opts: ObjectOptions = {}): RotObject {
  const o = { ...DEFAULTS, ...opts };
  const palette = opts.palette ?? PALETTE;
  const n = rng.range(o.minCubes, o.maxCubes);
  const cells: Vec3[] = [[0, 0, 0]];
  const taken = new Set([cellKey([0, 0, 0])]);
  let last = 0;
  while (cells.length < n) {
    const from = rng.next() < WALK_CONTINUE ? last : rng.int(cells.length);
    const base = cells[from] as Vec3;
    const d = rng.pick(DIRS);
    const next: Vec3 = [base[0] + d[0], base[1] + d[1], base[2] + d[2]];
    const key = cellKey(next);
    if (taken.has(key)) continue; // a blocked step just draws again; some neighbour is always free
    taken.add(key);
    cells.push(next);
    last = cells.length - 1;
  }
  const min = [0, 1, 2].map((a) => Math.min(...cells.map((c) => c[a] as number)));
  const cubesCells = cells.map((c): Vec3 => [c[0] - (min[0] as number), c[1] - (min[1] as number), c[2] - (min[2] as number)]);

  const k = rng.range(o.minParts, Math.min(o.maxParts, n));
  const part = splitParts(rng, cubesCells, k);
  const colours = rng.shuffle(palette.slice()).slice(0, k);

  const center: Vec3 = [0, 1, 2].map((a) => cubesCells.reduce((s, c) => s + (c[a] as number) + 0.5, 0) / n) as Vec3;
  return {
    cubes: cubesCells.map((cell, i) => ({ cell, part: part[i] as number })),
    parts: colours.map((p) => ({ name: p.name, color: p.color })),
    center,
  };
}

// ---- helpers -------------------------------------------------------------------------------------

/** Multi-source flood fill from k random seed cubes, parts taking turns: every part stays connected. */
function splitParts(rng: Rng, cells: Vec3[], k: number): number[] {
  const index = new Map(cells.map((c, i) => [cellKey(c), i]));
  const neighbours = cells.map((c) => DIRS.map((d) => index.get(cellKey([c[0] + d[0], c[1] + d[1], c[2] + d[2]]))).filter((i): i is number => i !== undefined));
  const part = new Array<number>(cells.length).fill(-1);
  const seeds = rng.shuffle(cells.map((_, i) => i)).slice(0, k);
  seeds.forEach((s, p) => (part[s] = p));
  let left = cells.length - k;
  while (left > 0) {
    for (const p of rng.shuffle([...Array(k).keys()])) {
      const frontier: number[] = [];
      for (let i = 0; i < cells.length; i++) {
        if (part[i] !== p) continue;
        for (const j of neighbours[i] as number[]) if (part[j] === -1 && !frontier.includes(j)) frontier.push(j);
      }
      if (frontier.length === 0) continue;
      part[rng.pick(frontier)] = p;
      if (--left === 0) break;
    }
  }
  return part;
}

/** Rodrigues rotation of each cube centre about the view axis (in the object frame) by quarter turns. */
function hasExactViewSymmetry(obj: RotObject, tiltDeg: number, yawDeg: number): boolean {
  const P = poseMatrix(tiltDeg, yawDeg);
  // The view axis in the object frame is P^T z (P is a rotation), i.e. P's third row.
  const k: Vec3 = [P[6] as number, P[7] as number, P[8] as number];
  const byKey = new Map(obj.cubes.map((q) => [cellKey(q.cell), q.part]));
  const c = obj.center;
  for (const [s, co] of [
    [1, 0],
    [0, -1],
    [-1, 0],
  ] as const) {
    let symmetric = true;
    for (const q of obj.cubes) {
      const v: Vec3 = [q.cell[0] + 0.5 - c[0], q.cell[1] + 0.5 - c[1], q.cell[2] + 0.5 - c[2]];
      const kxv: Vec3 = [k[1] * v[2] - k[2] * v[1], k[2] * v[0] - k[0] * v[2], k[0] * v[1] - k[1] * v[0]];
      const kv = k[0] * v[0] + k[1] * v[1] + k[2] * v[2];
      const r = [0, 1, 2].map((a) => (v[a] as number) * co + (kxv[a] as number) * s + (k[a] as number) * kv * (1 - co));
      const cell = r.map((x, a) => x + (c[a] as number) - 0.5);
      const rounded = cell.map(Math.round);
      if (cell.some((x, a) => Math.abs(x - (rounded[a] as number)) > 1e-6) || byKey.get(cellKey(rounded)) !== q.part) {
        symmetric = false;
        break;
      }
    }
    if (symmetric) return true;
  }
  return false;
}

function insideConvex(poly: number[], x: number, y: number): boolean {
  let sign = 0;
  const k = poly.length / 2;
  for (let i = 0; i < k; i++) {
    const x0 = poly[2 * i] as number;
    const y0 = poly[2 * i + 1] as number;
    const x1 = poly[(2 * i + 2) % poly.length] as number;
    const y1 = poly[(2 * i + 3) % poly.length] as number;
    const cross = (x1 - x0) * (y - y0) - (y1 - y0) * (x - x0);
    if (cross === 0) continue;
    const s = cross > 0 ? 1 : -1;
    if (sign === 0) sign = s;
    else if (s !== sign) return false;
  }
  return sign !== 0;
}

/** An object from hand-placed cubes (fixtures, tests, hand-made puzzles); `center` is derived. */
export function makeObject(cubes: { cell: Vec3; part: number }[], parts: readonly RotPart[]): RotObject {
  const n = cubes.length;
  if (n === 0) throw new Error('makeObject: an object needs at least one cube');
  const center = [0, 1, 2].map((a) => cubes.reduce((s, q) => s + (q.cell[a] as number) + 0.5, 0) / n) as Vec3;
  return { cubes: cubes.map((q) => ({ cell: [...q.cell] as Vec3, part: q.part })), parts: parts.map((p) => ({ ...p })), center };
}
