/**
 * A small perspective renderer for polycube objects: object -> `Scene` of filled quads.
 *
 * Pipeline: object frame (integer cube cells, origin at `obj.center`) -> base pose (yaw about y, then tilt
 * about x, so the object is seen from a 3/4 view) -> roll about the camera's view axis (z) -> perspective
 * camera at (0, 0, D) looking down -z, x right, y up -> screen (origin top-left, y down).
 *
 * Roll is applied LAST, in camera space, so the image at roll r + a is exactly the image at roll r turned
 * by a (counter-clockwise positive, as the viewer sees it) about the image centre: the camera sits on the
 * axis through the object's centre, and perspective projection commutes with a rotation about that axis.
 * The light is fixed in camera space (ViGaL's fixed scene lighting), so a face's SHADE changes with roll
 * while its outline and its part colour turn with the image; the task is about shape and colour, and the
 * asymmetry check in `object.ts` ignores shading for that reason.
 *
 * Depth order: only faces on the object's surface are emitted (faces shared by two cubes are skipped),
 * back faces are culled, and the painter's order is exact, not a depth heuristic: two grid-aligned unit
 * faces are always separated by the plane of one of them, so "B lies on the camera side of A's plane"
 * (tested in exact object-frame arithmetic) decides which one is drawn last wherever they overlap.
 *
 * Output coordinates are rounded to 1/16 px and colours to 8 bits, so goldens match across Node and
 * browsers even if a libm differs in the last bit of a sine.
 */
import type { Color, PolygonItem, Scene } from '../../render/scene';

export type Vec3 = [number, number, number];

export interface RotCube {
  /** Integer grid cell; the cube occupies [x, x+1] x [y, y+1] x [z, z+1]. */
  cell: Vec3;
  /** Index into `RotObject.parts`. */
  part: number;
}

export interface RotPart {
  /** Colour name, usable in prompts and reasoning traces ("the red part"). */
  name: string;
  color: Color;
}

/** Plain JSON: the whole object travels inside a question record. */
export interface RotObject {
  cubes: RotCube[];
  parts: RotPart[];
  /** The centroid of the cube centres: the object's origin, the point it rotates about. */
  center: Vec3;
}

export interface View {
  /** In-plane rotation about the view axis, degrees, counter-clockwise positive as seen by the viewer. */
  rollDeg: number;
  /** Base pose: the top of the object tips toward the viewer by this much (degrees). */
  tiltDeg?: number;
  /** Base pose: turn about the object's vertical axis (degrees), applied before the tilt. */
  yawDeg?: number;
  /** Output image side in pixels (square). */
  size: number;
}

export interface RenderStyle {
  /** Light intensity that reaches faces turned away from the light (0..1). */
  ambient?: number;
  /** Draw a thin darker outline around each face (shows the cubes). */
  edges?: boolean;
  background?: Color;
  /** Free border, as a fraction of the half-size, left around the object at every roll. */
  margin?: number;
}

/** A 3/4 view: three faces of a cube visible, none edge-on. */
export const DEFAULT_TILT_DEG = 25;
export const DEFAULT_YAW_DEG = 35;
/** Camera space (x right, y up, z toward the viewer): from the upper left, in front. */
export const DEFAULT_LIGHT: Readonly<Vec3> = [-0.45, 0.6, 0.66];
export const BACKGROUND: Color = '#e6e6e6';
const DEFAULT_AMBIENT = 0.38;
const DEFAULT_MARGIN = 0.08;
/** Camera distance in units of the object's radius: mild perspective, like a normal lens. */
const CAMERA_DISTANCE = 4;
/** Outline colour as a fraction of the face colour. */
const EDGE_DARKEN = 0.6;

/** A visible face after projection, in painter's order. Screen coordinates are NOT rounded. */
export interface ProjectedFace {
  /** [x0, y0, ..., x3, y3] in pixels, origin top-left, y down. */
  points: number[];
  part: number;
  /** Outward normal in camera space (after pose and roll). */
  normal: Vec3;
  /** Corners in camera space, for ray tests. */
  corners: Vec3[];
}

export function renderObject(obj: RotObject, view: View, light: Readonly<Vec3> = DEFAULT_LIGHT, style: RenderStyle = {}): Scene {
  const ambient = style.ambient ?? DEFAULT_AMBIENT;
  const edges = style.edges ?? true;
  const L = normalize(light);
  const strokeWidth = round16(view.size / 256);
  const items: PolygonItem[] = projectFaces(obj, view, style.margin).map((f) => {
    const part = obj.parts[f.part];
    if (!part) throw new Error(`renderObject: cube refers to part ${f.part}, object has ${obj.parts.length} parts`);
    const shade = ambient + (1 - ambient) * Math.max(0, dot(f.normal, L));
    const item: PolygonItem = { kind: 'polygon', points: f.points.map(round16), fill: scaleColor(part.color, shade) };
    if (edges) {
      item.stroke = scaleColor(part.color, shade * EDGE_DARKEN);
      item.strokeWidth = strokeWidth;
    }
    return item;
  });
  return { width: view.size, height: view.size, background: style.background ?? BACKGROUND, items };
}

/**
 * The visible faces of `obj` under `view`, projected and in painter's order (draw first to last).
 * Shared by the renderer, the asymmetry check and the tests.
 */
export function projectFaces(obj: RotObject, view: View, margin = DEFAULT_MARGIN): ProjectedFace[] {
  if (!(view.size > 0)) throw new Error(`render: view.size must be a positive number of pixels, got ${view.size}`);
  if (obj.cubes.length === 0) return [];
  const { M, distance: D, scale, half } = camera(obj, view, margin);
  const c = obj.center;
  const toCam = (p: Vec3): Vec3 => matVec(M, [p[0] - c[0], p[1] - c[1], p[2] - c[2]]);
  const occupied = new Set(obj.cubes.map((q) => cellKey(q.cell)));

  interface Face {
    axis: number;
    sign: number;
    /** Object-frame plane coordinate along `axis`. */
    plane: number;
    /** Object-frame face centre. */
    centre: Vec3;
    part: number;
    corners: Vec3[];
    normal: Vec3;
    screen: number[];
    distance: number;
  }
  const faces: Face[] = [];
  for (const q of obj.cubes) {
    for (let axis = 0; axis < 3; axis++) {
      for (const sign of [-1, 1]) {
        const nb: Vec3 = [q.cell[0], q.cell[1], q.cell[2]];
        nb[axis] = (nb[axis] as number) + sign;
        if (occupied.has(cellKey(nb))) continue;
        const objCorners = faceCorners(q.cell, axis, sign);
        const corners = objCorners.map(toCam);
        const n0: Vec3 = [0, 0, 0];
        n0[axis] = sign;
        const normal = matVec(M, n0);
        const centre = objCorners.reduce<Vec3>((s, p) => [s[0] + p[0] / 4, s[1] + p[1] / 4, s[2] + p[2] / 4], [0, 0, 0]);
        const centreCam = toCam(centre);
        // Back-face culling: keep faces whose outward normal points toward the camera.
        const toCamera: Vec3 = [-centreCam[0], -centreCam[1], D - centreCam[2]];
        if (dot(normal, toCamera) <= 1e-9) continue;
        const screen: number[] = [];
        for (const p of corners) {
          const w = scale / (D - p[2]);
          screen.push(half + p[0] * w, half - p[1] * w);
        }
        faces.push({
          axis,
          sign,
          plane: (q.cell[axis] as number) + (sign > 0 ? 1 : 0),
          centre,
          part: q.part,
          corners,
          normal,
          screen,
          distance: Math.hypot(toCamera[0], toCamera[1], toCamera[2]),
        });
      }
    }
  }

  // before[j] lists faces that must be drawn before face j (they are behind it where both cover a pixel).
  const n = faces.length;
  const indegree = new Array<number>(n).fill(0);
  const after: number[][] = faces.map(() => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const A = faces[i] as Face;
      const B = faces[j] as Face;
      if (!convexOverlap(A.screen, B.screen)) continue;
      // Signed side of B's centre w.r.t. A's plane; positive = on A's outward (camera) side, so B is in front.
      const sideB = A.sign * ((B.centre[A.axis] as number) - A.plane);
      const sideA = B.sign * ((A.centre[B.axis] as number) - B.plane);
      let first: number;
      let second: number;
      if (sideB > 0 || sideA < 0) [first, second] = [i, j];
      else if (sideA > 0 || sideB < 0) [first, second] = [j, i];
      else continue; // coplanar faces never overlap with positive area
      (after[first] as number[]).push(second);
      indegree[second] = (indegree[second] as number) + 1;
    }
  }
  // Kahn's algorithm; among the ready faces draw the farthest first, which also breaks any cycle that
  // float tolerance could create.
  const done = new Array<boolean>(n).fill(false);
  const order: Face[] = [];
  for (let k = 0; k < n; k++) {
    let pick = -1;
    for (let i = 0; i < n; i++) {
      if (done[i] || indegree[i] !== 0) continue;
      if (pick < 0 || (faces[i] as Face).distance > (faces[pick] as Face).distance) pick = i;
    }
    if (pick < 0) {
      for (let i = 0; i < n; i++) {
        if (!done[i] && (pick < 0 || (faces[i] as Face).distance > (faces[pick] as Face).distance)) pick = i;
      }
    }
    done[pick] = true;
    order.push(faces[pick] as Face);
    for (const j of after[pick] as number[]) indegree[j] = (indegree[j] as number) - 1;
  }
  return order.map((f) => ({ points: f.screen, part: f.part, normal: f.normal, corners: f.corners }));
}

/**
 * The camera for `obj` under `view`: object-frame -> camera-space rotation `M` (about `obj.center`),
 * camera distance, and the pixels-per-unit `scale` such that camera-space p lands on screen at
 * (half + scale * p.x / (distance - p.z), half - scale * p.y / (distance - p.z)).
 */
export function camera(obj: RotObject, view: View, margin = DEFAULT_MARGIN): { M: number[]; distance: number; scale: number; half: number } {
  const pose = poseMatrix(view.tiltDeg ?? DEFAULT_TILT_DEG, view.yawDeg ?? DEFAULT_YAW_DEG);
  const M = matMul(rotZ(view.rollDeg), pose);
  const c = obj.center;
  // Radius of the bounding sphere about the centre: fixes the camera distance independently of the pose.
  let radius = 0;
  for (const q of obj.cubes) {
    for (const corner of cubeCorners(q.cell)) radius = Math.max(radius, Math.hypot(corner[0] - c[0], corner[1] - c[1], corner[2] - c[2]));
  }
  const distance = CAMERA_DISTANCE * radius;
  // Scale from the roll-0 projection: a roll turns the image about its centre and keeps every projected
  // distance from the centre, so the object fits with the same scale at every roll.
  let maxR = 0;
  for (const q of obj.cubes) {
    for (const corner of cubeCorners(q.cell)) {
      const p = matVec(pose, [corner[0] - c[0], corner[1] - c[1], corner[2] - c[2]]);
      maxR = Math.max(maxR, Math.hypot(p[0], p[1]) / (distance - p[2]));
    }
  }
  const half = view.size / 2;
  return { M, distance, scale: (half * (1 - margin)) / maxR, half };
}

/** Base pose: yaw about y, then tilt about x (top toward the viewer). */
export function poseMatrix(tiltDeg: number, yawDeg: number): number[] {
  return matMul(rotX(tiltDeg), rotY(yawDeg));
}

// ---- helpers -------------------------------------------------------------------------------------

/** Rounds to 1/16 px and turns -0 into 0, so scenes compare equal and serialise the same everywhere. */
export function round16(v: number): number {
  return Math.round(v * 16) / 16 + 0;
}

/** sin and cos in degrees, exact for multiples of 30 (the jitter grid) so those rolls match everywhere. */
function sinCosDeg(deg: number): [number, number] {
  const d = ((deg % 360) + 360) % 360;
  if (d % 30 === 0) {
    const h = Math.sqrt(3) / 2;
    const table: [number, number][] = [
      [0, 1],
      [0.5, h],
      [h, 0.5],
      [1, 0],
      [h, -0.5],
      [0.5, -h],
      [0, -1],
      [-0.5, -h],
      [-h, -0.5],
      [-1, 0],
      [-h, 0.5],
      [-0.5, h],
    ];
    return table[d / 30] as [number, number];
  }
  const r = (d * Math.PI) / 180;
  return [Math.sin(r), Math.cos(r)];
}

/** Row-major 3x3 matrices. */
function rotX(deg: number): number[] {
  const [s, c] = sinCosDeg(deg);
  return [1, 0, 0, 0, c, -s, 0, s, c];
}
function rotY(deg: number): number[] {
  const [s, c] = sinCosDeg(deg);
  return [c, 0, s, 0, 1, 0, -s, 0, c];
}
export function rotZ(deg: number): number[] {
  const [s, c] = sinCosDeg(deg);
  return [c, -s, 0, s, c, 0, 0, 0, 1];
}
export function matMul(a: number[], b: number[]): number[] {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) {
    for (let k = 0; k < 3; k++) {
      let s = 0;
      for (let m = 0; m < 3; m++) s += (a[r * 3 + m] as number) * (b[m * 3 + k] as number);
      out[r * 3 + k] = s;
    }
  }
  return out;
}
export function matVec(m: number[], v: Vec3): Vec3 {
  const [x, y, z] = v;
  return [
    (m[0] as number) * x + (m[1] as number) * y + (m[2] as number) * z,
    (m[3] as number) * x + (m[4] as number) * y + (m[5] as number) * z,
    (m[6] as number) * x + (m[7] as number) * y + (m[8] as number) * z,
  ];
}
export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
function normalize(v: Readonly<Vec3>): Vec3 {
  const l = Math.hypot(v[0], v[1], v[2]);
  if (!(l > 0)) throw new Error(`render: light direction must be a non-zero vector, got [${v.join(', ')}]`);
  return [v[0] / l, v[1] / l, v[2] / l];
}

export function cellKey(c: readonly number[]): string {
  return `${c[0]},${c[1]},${c[2]}`;
}

function cubeCorners(cell: readonly number[]): Vec3[] {
  const [x, y, z] = cell as [number, number, number];
  const out: Vec3[] = [];
  for (const dx of [0, 1]) for (const dy of [0, 1]) for (const dz of [0, 1]) out.push([x + dx, y + dy, z + dz]);
  return out;
}

/** The 4 corners of a cube face, in order around the face. */
function faceCorners(cell: readonly number[], axis: number, sign: number): Vec3[] {
  const u = (axis + 1) % 3;
  const v = (axis + 2) % 3;
  const out: Vec3[] = [];
  for (const [du, dv] of [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
  ] as const) {
    const p: Vec3 = [cell[0] as number, cell[1] as number, cell[2] as number];
    p[axis] = (p[axis] as number) + (sign > 0 ? 1 : 0);
    p[u] = (p[u] as number) + du;
    p[v] = (p[v] as number) + dv;
    out.push(p);
  }
  return out;
}

/**
 * Separating-axis test for two convex polygons ([x0, y0, ...]); true only for overlap of positive area,
 * so faces that merely share an edge or a corner impose no order.
 */
export function convexOverlap(a: number[], b: number[]): boolean {
  const eps = 1e-6;
  for (const poly of [a, b]) {
    const k = poly.length / 2;
    for (let i = 0; i < k; i++) {
      const x0 = poly[2 * i] as number;
      const y0 = poly[2 * i + 1] as number;
      const x1 = poly[(2 * i + 2) % poly.length] as number;
      const y1 = poly[(2 * i + 3) % poly.length] as number;
      const nx = y0 - y1;
      const ny = x1 - x0;
      const len = Math.hypot(nx, ny);
      if (len === 0) continue;
      const [amin, amax] = projectRange(a, nx / len, ny / len);
      const [bmin, bmax] = projectRange(b, nx / len, ny / len);
      if (amax <= bmin + eps || bmax <= amin + eps) return false;
    }
  }
  return true;
}

function projectRange(poly: number[], nx: number, ny: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < poly.length; i += 2) {
    const d = (poly[i] as number) * nx + (poly[i + 1] as number) * ny;
    lo = Math.min(lo, d);
    hi = Math.max(hi, d);
  }
  return [lo, hi];
}

/** '#rrggbb' times a factor, each channel rounded and clamped. */
export function scaleColor(color: Color, factor: number): Color {
  const m = /^#([0-9a-fA-F]{6})$/.exec(color);
  if (!m) throw new Error(`render: colour must be '#rrggbb', got '${color}'`);
  const v = parseInt(m[1] as string, 16);
  const ch = (shift: number): string => {
    const x = Math.min(255, Math.max(0, Math.round(((v >> shift) & 255) * factor)));
    return x.toString(16).padStart(2, '0');
  };
  return `#${ch(16)}${ch(8)}${ch(0)}`;
}
