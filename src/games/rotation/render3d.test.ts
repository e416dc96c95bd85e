import { describe, expect, it } from 'vitest';
import type { PolygonItem, Scene } from '../../render/scene';
import { Rng } from '../../util/rng';
import { generateObject, makeObject, PALETTE } from './object';
import { BACKGROUND, camera, dot, projectFaces, renderObject, round16, type Vec3 } from './render3d';

const polys = (s: Scene): PolygonItem[] => s.items.filter((i): i is PolygonItem => i.kind === 'polygon');
const cube = makeObject([{ cell: [0, 0, 0], part: 0 }], [PALETTE[0]!]);

describe('renderObject', () => {
  it('draws a lone cube as its 3 visible faces on a light-grey background', () => {
    const s = renderObject(cube, { rollDeg: 0, size: 64 });
    expect(s).toMatchObject({ width: 64, height: 64, background: BACKGROUND });
    expect(polys(s)).toHaveLength(3);
    // Three different shades of the same red: the light separates the faces.
    expect(new Set(polys(s).map((p) => p.fill)).size).toBe(3);
    for (const p of polys(s)) {
      expect(p.fill).toMatch(/^#[0-9a-f]{6}$/);
      expect(p.stroke).toMatch(/^#[0-9a-f]{6}$/);
      expect(p.points).toHaveLength(8);
    }
  });

  it('rounds every coordinate to 1/16 px and never emits -0', () => {
    const s = renderObject(generateObject(new Rng(5)), { rollDeg: 30, size: 100 });
    for (const p of polys(s)) {
      for (const v of p.points) {
        expect(v * 16).toBe(Math.round(v * 16));
        expect(Object.is(v, -0)).toBe(false);
      }
    }
  });

  it('keeps the object inside the image, with margin, at every roll', () => {
    for (let seed = 0; seed < 50; seed++) {
      const obj = generateObject(new Rng(seed));
      for (let roll = 0; roll < 360; roll += 15) {
        for (const p of polys(renderObject(obj, { rollDeg: roll, size: 128 }))) {
          for (let i = 0; i < p.points.length; i += 2) {
            // Margin 8% of the half-size: points stay within 64 * 0.92 of the centre (+ rounding).
            expect(Math.hypot(p.points[i]! - 64, p.points[i + 1]! - 64)).toBeLessThanOrEqual(64 * 0.92 + 0.1);
          }
        }
      }
    }
  });

  it('turns the outlines with the roll: image at r + a is image at r turned a degrees counter-clockwise', () => {
    for (let seed = 0; seed < 20; seed++) {
      const obj = generateObject(new Rng(seed));
      for (const [r, a] of [
        [0, 90],
        [30, 180],
        [60, 270],
        [330, 90],
      ] as const) {
        const p0 = polys(renderObject(obj, { rollDeg: r, size: 256 }));
        const p1 = polys(renderObject(obj, { rollDeg: r + a, size: 256 }));
        expect(p1.length).toBe(p0.length);
        const [s, c] = [Math.sin((a * Math.PI) / 180), Math.cos((a * Math.PI) / 180)];
        p0.forEach((poly, k) => {
          const pts = p1[k]!.points;
          for (let i = 0; i < poly.points.length; i += 2) {
            // Screen y points down, so a counter-clockwise turn as seen is (dx, dy) -> (c dx + s dy, -s dx + c dy).
            const dx = poly.points[i]! - 128;
            const dy = poly.points[i + 1]! - 128;
            expect(Math.abs(pts[i]! - (128 + c * dx + s * dy))).toBeLessThan(0.1);
            expect(Math.abs(pts[i + 1]! - (128 - s * dx + c * dy))).toBeLessThan(0.1);
          }
        });
      }
    }
  });

  it('turns a top-right feature to the top-left for counter-clockwise 90 (as the viewer sees it)', () => {
    // A bar along +x at roll 0 ends to the right of the centre; after +90 it must point up (smaller y).
    const bar = makeObject(
      (
        [
          [0, 0, 0],
          [1, 0, 0],
          [2, 0, 0],
        ] as Vec3[]
      ).map((cell) => ({ cell, part: 0 })),
      [PALETTE[1]!],
    );
    const extent = (s: Scene): { w: number; h: number } => {
      const xs = polys(s).flatMap((p) => p.points.filter((_, i) => i % 2 === 0));
      const ys = polys(s).flatMap((p) => p.points.filter((_, i) => i % 2 === 1));
      return { w: Math.max(...xs) - Math.min(...xs), h: Math.max(...ys) - Math.min(...ys) };
    };
    const flat = { tiltDeg: 0, yawDeg: 0, size: 100 };
    expect(extent(renderObject(bar, { ...flat, rollDeg: 0 })).w).toBeGreaterThan(extent(renderObject(bar, { ...flat, rollDeg: 0 })).h);
    expect(extent(renderObject(bar, { ...flat, rollDeg: 90 })).h).toBeGreaterThan(extent(renderObject(bar, { ...flat, rollDeg: 90 })).w);
    // Direction: the red end cube at x = 2 moves from the right (x > 50) to the top (y < 50).
    const tip = makeObject(
      [
        { cell: [0, 0, 0], part: 0 },
        { cell: [1, 0, 0], part: 0 },
        { cell: [2, 0, 0], part: 1 },
      ],
      [PALETTE[1]!, PALETTE[0]!],
    );
    const centroidOfPart = (roll: number): [number, number] => {
      const f = projectFaces(tip, { ...flat, rollDeg: roll }).filter((q) => q.part === 1);
      const xs = f.flatMap((q) => q.points.filter((_, i) => i % 2 === 0));
      const ys = f.flatMap((q) => q.points.filter((_, i) => i % 2 === 1));
      return [xs.reduce((a, b) => a + b) / xs.length, ys.reduce((a, b) => a + b) / ys.length];
    };
    expect(centroidOfPart(0)[0]).toBeGreaterThan(60);
    expect(centroidOfPart(90)[1]).toBeLessThan(40);
    expect(centroidOfPart(-90)[1]).toBeGreaterThan(60);
  });

  it('paints in the true depth order: the last polygon covering a pixel is the nearest face along its ray', () => {
    const rng = new Rng(7);
    let checked = 0;
    for (let seed = 0; seed < 60; seed++) {
      const obj = generateObject(new Rng(seed));
      for (const roll of [0, 30, 120, 250]) {
        const view = { rollDeg: roll, size: 200 };
        const faces = projectFaces(obj, view);
        const cam = camera(obj, view);
        for (let k = 0; k < 300; k++) {
          const x = rng.next() * 200;
          const y = rng.next() * 200;
          const dir: Vec3 = [(x - cam.half) / cam.scale, -(y - cam.half) / cam.scale, -1];
          const origin: Vec3 = [0, 0, cam.distance];
          let top = -1;
          let nearest = -1;
          let nearestT = Infinity;
          faces.forEach((f, i) => {
            if (!insideStrict(f.points, x, y)) return;
            top = i;
            const c0 = f.corners[0]!;
            const t = dot(f.normal, [c0[0] - origin[0], c0[1] - origin[1], c0[2] - origin[2]]) / dot(f.normal, dir);
            if (t < nearestT - 1e-9) [nearestT, nearest] = [t, i];
          });
          if (top < 0) continue;
          checked++;
          expect(top, `seed ${seed} roll ${roll} at (${x}, ${y})`).toBe(nearest);
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('skips faces shared by two cubes and culls back faces', () => {
    const two = makeObject(
      [
        { cell: [0, 0, 0], part: 0 },
        { cell: [1, 0, 0], part: 0 },
      ],
      [PALETTE[0]!],
    );
    // 10 outer faces, of which at most 3 orientations face the camera: 2 + 2 + 1 here (the end cap).
    const faces = projectFaces(two, { rollDeg: 0, size: 64 });
    expect(faces.length).toBe(5);
    for (const f of faces) expect(f.normal[2]).toBeGreaterThan(0);
  });

  it('changes shading with roll because the light stays put (documented), but not the outlines', () => {
    const obj = generateObject(new Rng(3));
    const a = polys(renderObject(obj, { rollDeg: 0, size: 64 }));
    const b = polys(renderObject(obj, { rollDeg: 180, size: 64 }));
    expect(b.map((p) => p.fill)).not.toEqual(a.map((p) => p.fill));
  });

  it('is deterministic to the byte (golden)', () => {
    const s = renderObject(generateObject(new Rng(2024)), { rollDeg: 210, size: 512 });
    expect(renderObject(generateObject(new Rng(2024)), { rollDeg: 210, size: 512 })).toEqual(s);
    expect(fnv1a(JSON.stringify(s))).toMatchInlineSnapshot(`"96a8404e"`);
    expect(JSON.stringify(renderObject(cube, { rollDeg: 0, size: 32, tiltDeg: 25, yawDeg: 35 }))).toMatchInlineSnapshot(
      `"{"width":32,"height":32,"background":"#e6e6e6","items":[{"kind":"polygon","points":[4.0625,7.375,13.3125,12.5,28.75,8.625,17.8125,4.9375],"fill":"#bf2b1c","stroke":"#731a11","strokeWidth":0.125},{"kind":"polygon","points":[5.4375,22.125,4.0625,7.375,13.3125,12.5,13.6875,30.125],"fill":"#9d2317","stroke":"#5e150e","strokeWidth":0.125},{"kind":"polygon","points":[13.6875,30.125,27.25,24.125,28.75,8.625,13.3125,12.5],"fill":"#55130c","stroke":"#330b07","strokeWidth":0.125}]}"`,
    );
  });

  it('says what is wrong with a bad view or light', () => {
    expect(() => renderObject(cube, { rollDeg: 0, size: 0 })).toThrow(/view.size/);
    expect(() => renderObject(cube, { rollDeg: 0, size: 10 }, [0, 0, 0])).toThrow(/light direction/);
  });

  it('round16 snaps to sixteenths', () => {
    expect(round16(1.04)).toBe(1.0625); // 16.64 sixteenths -> 17
    expect(Object.is(round16(-0.01), 0)).toBe(true);
  });
});

function insideStrict(poly: number[], x: number, y: number): boolean {
  let sign = 0;
  for (let i = 0; i < poly.length; i += 2) {
    const x0 = poly[i]!;
    const y0 = poly[i + 1]!;
    const x1 = poly[(i + 2) % poly.length]!;
    const y1 = poly[(i + 3) % poly.length]!;
    const len = Math.hypot(x1 - x0, y1 - y0);
    const cross = ((x1 - x0) * (y - y0) - (y1 - y0) * (x - x0)) / len;
    // Stay 1e-6 px away from edges, where two faces legitimately share a pixel.
    if (Math.abs(cross) < 1e-6) return false;
    const s = cross > 0 ? 1 : -1;
    if (sign === 0) sign = s;
    else if (s !== sign) return false;
  }
  return true;
}

function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}
