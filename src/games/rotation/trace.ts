/**
 * Supervised targets for Rotation, written by the game's own solver: follow a feature point between
 * the two test views (the prompt's "coordinate transform" strategy).
 *
 *   <think>Follow the red part. Image 3: red at (4,-2). Image 4: red at (2,4).
 *   counter clockwise 90 maps (4,-2) to (2,4), match.
 *   180 maps (4,-2) to (-4,2), no.</think><answer>counter clockwise 90</answer>
 *
 * The feature is the coloured part whose visible faces' centroid lies farthest from the image centre
 * (the most telling point; parts have distinct colours, see object.ts). Its position is measured on the
 * projected faces (projectFaces), relative to the centre, x right and y up, in units of 1/20 of the
 * image side, rounded half away from zero. An in-plane roll turns the projection exactly about the
 * centre (the roll commutes with the perspective divide), and symmetric rounding commutes with the
 * quarter and half turns, so the measured point in the second view equals the option's mapping of the
 * first exactly, and exactly one option matches whenever the point is not the centre.
 */
import { projectFaces } from './render3d';
import { classAngle, type RotationQuestion } from './task';

/** Coordinate units per image side: a 10 x 10 grid of cells each way from the centre. */
const UNITS = 20;
/** Size the measurement is made at; coordinates are in units of size/UNITS, so any size gives the same. */
const MEASURE_SIZE = 400;

export interface RotationTrace {
  response: string;
  /** The option the trace concludes (always the question's answer). */
  answer: string;
  /** Feature part name and its positions in the two test views. */
  feature: { name: string; before: [number, number]; after: [number, number] };
}

/** Round half away from zero: commutes with negation, so with quarter and half turns of integer points. */
const roundSym = (v: number): number => Math.sign(v) * Math.round(Math.abs(v));

/** Where an option sends a point: counter-clockwise by the option's angle, (x, y) with y up. */
export function mapPoint(label: string, p: readonly [number, number]): [number, number] {
  const [x, y] = p;
  const turn = ((classAngle(label) % 360) + 360) % 360;
  const out: [number, number] = turn === 90 ? [-y, x] : turn === 180 ? [-x, -y] : turn === 270 ? [y, -x] : turn === 0 ? [x, y] : [NaN, NaN];
  if (Number.isNaN(out[0])) throw new Error(`rotation trace: option '${label}' (${turn} degrees) is not a quarter or half turn`);
  return [out[0] + 0, out[1] + 0]; // + 0 turns -0 into 0 for printing
}

/** Centroid (x right, y up, in units) of each part's visible faces at roll `rollDeg`. */
function partCentroids(q: RotationQuestion, rollDeg: number): Map<number, [number, number]> {
  const half = MEASURE_SIZE / 2;
  const acc = new Map<number, { a: number; x: number; y: number }>();
  for (const f of projectFaces(q.object, { rollDeg, size: MEASURE_SIZE })) {
    // Shoelace area and centroid of the face polygon (screen coordinates, y down).
    const pts = f.points;
    let a = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0; i < pts.length; i += 2) {
      const x0 = pts[i] as number;
      const y0 = pts[i + 1] as number;
      const x1 = pts[(i + 2) % pts.length] as number;
      const y1 = pts[(i + 3) % pts.length] as number;
      const cross = x0 * y1 - x1 * y0;
      a += cross;
      cx += (x0 + x1) * cross;
      cy += (y0 + y1) * cross;
    }
    if (Math.abs(a) < 1e-9) continue;
    const e = acc.get(f.part) ?? { a: 0, x: 0, y: 0 };
    // Face centroid = (cx, cy) / (3a); weight it by |area| (a is signed, twice the area).
    const w = Math.abs(a) / 2;
    e.a += w;
    e.x += (cx / (3 * a)) * w;
    e.y += (cy / (3 * a)) * w;
    acc.set(f.part, e);
  }
  const out = new Map<number, [number, number]>();
  const unit = MEASURE_SIZE / UNITS;
  for (const [part, e] of acc) out.set(part, [(e.x / e.a - half) / unit, -(e.y / e.a - half) / unit]);
  return out;
}

export function rotationTrace(q: RotationQuestion): RotationTrace {
  const before = partCentroids(q, q.baseRollDeg);
  // The part whose rounded point is farthest from the centre.
  let part = -1;
  let bestR = -1;
  for (const [k, p] of before) {
    const r = Math.hypot(roundSym(p[0]), roundSym(p[1]));
    if (r > bestR) {
      bestR = r;
      part = k;
    }
  }
  const p3 = before.get(part);
  const name = q.object.parts[part]?.name;
  if (p3 === undefined || name === undefined || bestR === 0) {
    throw new Error(`rotation trace: question ${q.seed} has no part away from the centre to follow`);
  }
  const b: [number, number] = [roundSym(p3[0]) + 0, roundSym(p3[1]) + 0];
  // The second view is measured, not computed, so the trace reads what the image shows.
  const p4 = partCentroids(q, (q.baseRollDeg + q.angleDeg) % 360).get(part) as [number, number];
  const a: [number, number] = [roundSym(p4[0]) + 0, roundSym(p4[1]) + 0];

  const [i3, i4] = q.example ? [3, 4] : [1, 2];
  const pt = (p: readonly number[]): string => `(${p[0]},${p[1]})`;
  const lines = [`Follow the ${name} part. Image ${i3}: ${name} at ${pt(b)}. Image ${i4}: ${name} at ${pt(a)}.`];
  const matches: string[] = [];
  for (const label of q.classes) {
    const m = mapPoint(label, b);
    const ok = m[0] === a[0] && m[1] === a[1];
    if (ok) matches.push(label);
    lines.push(`${label} maps ${pt(b)} to ${pt(m)}, ${ok ? 'match' : 'no'}.`);
  }
  if (matches.length !== 1 || matches[0] !== q.answer) {
    throw new Error(`rotation trace: question ${q.seed}: options matching the feature are [${matches.join(', ')}], answer is '${q.answer}'`);
  }
  return { response: `<think>${lines.join('\n')}</think><answer>${q.answer}</answer>`, answer: q.answer, feature: { name, before: b, after: a } };
}

/**
 * Whether the solver can write this question's trace: about 1 question in 2,000 has no part whose
 * rounded point lies away from the centre, or two options mapping it alike, and rotationTrace refuses it
 * (the first 5,000 of a 30,000-row dump met one). Such a question is replaced like a held-out one.
 */
export function traceable(q: RotationQuestion): boolean {
  try {
    rotationTrace(q);
    return true;
  } catch (e) {
    if ((e as Error).message.startsWith('rotation trace:')) return false;
    throw e;
  }
}
