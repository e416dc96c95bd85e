import { describe, expect, it } from 'vitest';
import { Rng } from '../../util/rng';
import {
  ASYMMETRY_THRESHOLD,
  generateObject,
  growCandidate,
  hasInPlaneSymmetry,
  inPlaneDifference,
  makeObject,
  MIN_PART_SHARE,
  PALETTE,
  partShares,
  type RotObject,
} from './object';
import type { Vec3 } from './render3d';

const one = [PALETTE[0]!];
const bar = (n: number, parts: number[] = []): RotObject =>
  makeObject(
    [...Array(n).keys()].map((x) => ({ cell: [x, 0, 0] as Vec3, part: parts[x] ?? 0 })),
    PALETTE.slice(0, Math.max(1, ...parts.map((p) => p + 1))),
  );
const key = (c: Vec3): string => c.join(',');

describe('generateObject', () => {
  it('never yields an object that looks the same after a quarter or half turn (500 seeds)', () => {
    for (let seed = 0; seed < 500; seed++) {
      const obj = generateObject(new Rng(seed));
      expect(hasInPlaneSymmetry(obj), `seed ${seed}`).toBe(false);
      const d = inPlaneDifference(obj);
      expect(Math.min(d[90], d[180], d[270]), `seed ${seed}`).toBeGreaterThanOrEqual(ASYMMETRY_THRESHOLD);
      expect(Math.min(...partShares(obj)), `seed ${seed}`).toBeGreaterThanOrEqual(MIN_PART_SHARE);
    }
  });

  it('has something to reject: some raw grown shapes are near-symmetric', () => {
    let symmetric = 0;
    for (let seed = 0; seed < 2000; seed++) if (hasInPlaneSymmetry(growCandidate(new Rng(seed)))) symmetric++;
    // Measured: about 0.5% of grown shapes fall under the threshold.
    expect(symmetric).toBeGreaterThan(0);
  });

  it('builds 5-9 connected cubes in 2-4 connected parts of distinct palette colours, centred on the centroid', () => {
    for (let seed = 0; seed < 200; seed++) {
      const obj = generateObject(new Rng(seed));
      expect(obj.cubes.length).toBeGreaterThanOrEqual(5);
      expect(obj.cubes.length).toBeLessThanOrEqual(9);
      expect(obj.parts.length).toBeGreaterThanOrEqual(2);
      expect(obj.parts.length).toBeLessThanOrEqual(4);
      expect(new Set(obj.parts.map((p) => p.color)).size).toBe(obj.parts.length);
      for (const p of obj.parts) expect(PALETTE.map((q) => q.color)).toContain(p.color);
      const cells = obj.cubes.map((q) => key(q.cell));
      expect(new Set(cells).size).toBe(cells.length);
      // Every part non-empty and connected, hence the whole object connected too (parts touch by growth).
      expect(connectedComponents(obj.cubes.map((q) => q.cell))).toBe(1);
      obj.parts.forEach((_, p) => {
        const mine = obj.cubes.filter((q) => q.part === p).map((q) => q.cell);
        expect(mine.length).toBeGreaterThan(0);
        expect(connectedComponents(mine)).toBe(1);
      });
      for (let a = 0; a < 3; a++) {
        const mean = obj.cubes.reduce((s, q) => s + q.cell[a]! + 0.5, 0) / obj.cubes.length;
        expect(obj.center[a]).toBeCloseTo(mean, 12);
      }
    }
  });

  it('is deterministic and plain JSON', () => {
    const a = generateObject(new Rng(42));
    expect(generateObject(new Rng(42))).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(generateObject(new Rng(43))).not.toEqual(a);
  });

  it('honours its size options and rejects impossible ones with the valid range', () => {
    const obj = generateObject(new Rng(1), { minCubes: 8, maxCubes: 8, minParts: 3, maxParts: 3 });
    expect(obj.cubes.length).toBe(8);
    expect(obj.parts.length).toBe(3);
    expect(() => generateObject(new Rng(1), { maxParts: 7 })).toThrow(/palette size \(6\)/);
    expect(() => generateObject(new Rng(1), { minCubes: 9, maxCubes: 5 })).toThrow(/minCubes <= maxCubes/);
  });
});

describe('hasInPlaneSymmetry', () => {
  it.each([
    // A lone cube and a one-colour bar look almost the same after a half turn (perspective alone differs).
    ['a single cube', makeObject([{ cell: [0, 0, 0], part: 0 }], one)],
    ['a one-colour bar of 3', bar(3)],
  ])('flags %s', (_, obj) => {
    expect(hasInPlaneSymmetry(obj)).toBe(true);
  });

  it('flags exact symmetry about the view axis when the pose looks straight down z', () => {
    // A flat plus seen face-on is symmetric under every quarter turn, exactly, in 3-D.
    const plus = makeObject(
      (
        [
          [1, 1, 0],
          [0, 1, 0],
          [2, 1, 0],
          [1, 0, 0],
          [1, 2, 0],
        ] as Vec3[]
      ).map((cell) => ({ cell, part: 0 })),
      one,
    );
    expect(hasInPlaneSymmetry(plus, { tiltDeg: 0, yawDeg: 0 })).toBe(true);
    // A flat S seen face-on: half-turn symmetric only, still ambiguous for the 3-class set.
    const s = makeObject(
      (
        [
          [0, 0, 0],
          [1, 0, 0],
          [1, 1, 0],
          [2, 1, 0],
        ] as Vec3[]
      ).map((cell) => ({ cell, part: 0 })),
      one,
    );
    expect(hasInPlaneSymmetry(s, { tiltDeg: 0, yawDeg: 0 })).toBe(true);
    const d = inPlaneDifference(s, { tiltDeg: 0, yawDeg: 0 });
    expect(d[180]).toBeLessThan(0.05);
    expect(d[90]).toBeGreaterThan(0.3);
  });

  it('passes a bar whose ends have different colours', () => {
    expect(hasInPlaneSymmetry(bar(3, [1, 0, 0]))).toBe(false);
  });
});

function connectedComponents(cells: readonly Vec3[]): number {
  const left = new Set(cells.map(key));
  let n = 0;
  while (left.size > 0) {
    n++;
    const stack = [left.values().next().value as string];
    left.delete(stack[0]!);
    while (stack.length > 0) {
      const [x, y, z] = stack.pop()!.split(',').map(Number) as Vec3;
      for (const d of [
        [1, 0, 0],
        [-1, 0, 0],
        [0, 1, 0],
        [0, -1, 0],
        [0, 0, 1],
        [0, 0, -1],
      ]) {
        const k = key([x + d[0]!, y + d[1]!, z + d[2]!]);
        if (left.delete(k)) stack.push(k);
      }
    }
  }
  return n;
}
