import { describe, expect, it } from 'vitest';
import { Rng } from '../util/rng';
import { glyphRects } from './font';
import { cropRaster, fnv1a64Hex, parseColor, rasterHash, rasterize, rasterToRgb, resizeNearest, type Raster } from './raster';
import type { Color, Scene, SceneItem } from './scene';

const W: Color = '#ffffff';

/** A black w x h scene with the given items. */
const scene = (w: number, h: number, items: SceneItem[], background: Color = '#000000'): Scene => ({ width: w, height: h, background, items });

/** The red channel as a picture: '.' for 0, '#' for 255, '+' for anything between. */
function picture(r: Raster): string {
  const rows: string[] = [];
  for (let y = 0; y < r.height; y++) {
    let row = '';
    for (let x = 0; x < r.width; x++) {
      const v = r.data[(y * r.width + x) * 4]!;
      row += v === 0 ? '.' : v === 255 ? '#' : '+';
    }
    rows.push(row);
  }
  return rows.join('\n');
}

const draw = (w: number, h: number, items: SceneItem[], supersample: 1 | 2 | 4 = 1) => picture(rasterize(scene(w, h, items), { supersample }));
const pic = (...rows: string[]) => rows.join('\n');
const countLit = (r: Raster) => {
  let n = 0;
  for (let i = 0; i < r.data.length; i += 4) if (r.data[i] === 255) n++;
  return n;
};
const pixel = (r: Raster, x: number, y: number) => Array.from(r.data.subarray((y * r.width + x) * 4, (y * r.width + x) * 4 + 4));

describe('parseColor', () => {
  it('reads #rrggbb in either case', () => {
    expect(parseColor('#1A2b3C')).toEqual({ r: 0x1a, g: 0x2b, b: 0x3c });
    expect(parseColor('#000000')).toEqual({ r: 0, g: 0, b: 0 });
    expect(parseColor('#ffffff')).toEqual({ r: 255, g: 255, b: 255 });
  });

  it.each(['#fff', 'red', '#12345g', '', '#1234567', '123456', ' #123456', 'rgb(1,2,3)'])('rejects %j, naming the expected form', (bad) => {
    expect(() => parseColor(bad)).toThrow(`bad colour ${JSON.stringify(bad)}: expected '#rrggbb'`);
  });
});

describe('rasterize: background and output layout', () => {
  it('fills the background, opaque, RGBA in memory order', () => {
    const r = rasterize(scene(3, 2, [], '#102030'));
    expect(r.width).toBe(3);
    expect(r.height).toBe(2);
    expect(r.data).toBeInstanceOf(Uint8ClampedArray);
    expect(r.data.length).toBe(3 * 2 * 4);
    for (let i = 0; i < 6; i++) expect(Array.from(r.data.subarray(i * 4, i * 4 + 4))).toEqual([0x10, 0x20, 0x30, 255]);
  });
});

describe('rasterize: rect', () => {
  it('fills a 4x4 rect at (1, 1) on exactly pixels 1..4', () => {
    expect(draw(6, 6, [{ kind: 'rect', x: 1, y: 1, w: 4, h: 4, fill: W }])).toBe(pic('......', '.####.', '.####.', '.####.', '.####.', '......'));
  });

  it('samples pixel centres: [0.4, 2.6) covers centres 0.5, 1.5, 2.5; [0.6, 1.4) covers none', () => {
    expect(draw(4, 1, [{ kind: 'rect', x: 0.4, y: 0, w: 2.2, h: 1, fill: W }])).toBe('###.');
    expect(draw(4, 1, [{ kind: 'rect', x: 0.6, y: 0, w: 0.8, h: 1, fill: W }])).toBe('....');
  });

  it('is half-open, so rects sharing an edge neither overlap nor leave a gap', () => {
    const r = rasterize(
      scene(4, 1, [
        { kind: 'rect', x: 0, y: 0, w: 1.5, h: 1, fill: '#ff0000' },
        { kind: 'rect', x: 1.5, y: 0, w: 2.5, h: 1, fill: '#00ff00' },
      ]),
    );
    // The shared edge 1.5 passes through pixel 1's centre: it belongs to the right rect (left-inclusive).
    expect([0, 1, 2, 3].map((x) => pixel(r, x, 0).slice(0, 3))).toEqual([
      [255, 0, 0],
      [0, 255, 0],
      [0, 255, 0],
      [0, 255, 0],
    ]);
  });

  it('normalises negative sizes and clips to the image', () => {
    expect(draw(4, 3, [{ kind: 'rect', x: 3, y: 2, w: -2, h: -2, fill: W }])).toBe(pic('.##.', '.##.', '....'));
    expect(draw(3, 2, [{ kind: 'rect', x: -5, y: -5, w: 100, h: 100, fill: W }])).toBe(pic('###', '###'));
  });

  it('centres the stroke on the edge: width 1 on half-integer edges is the ring of pixels under them', () => {
    expect(draw(7, 7, [{ kind: 'rect', x: 1.5, y: 1.5, w: 4, h: 4, stroke: W, strokeWidth: 1 }])).toBe(
      pic('.......', '.#####.', '.#...#.', '.#...#.', '.#...#.', '.#####.', '.......'),
    );
  });

  it('centres the stroke on the edge: width 2 on integer edges is one pixel out, one in', () => {
    expect(draw(8, 8, [{ kind: 'rect', x: 2, y: 2, w: 4, h: 4, stroke: W, strokeWidth: 2 }])).toBe(
      pic('........', '.######.', '.######.', '.##..##.', '.##..##.', '.######.', '.######.', '........'),
    );
  });

  it('puts a width-1 stroke on an integer edge on the pixel above/left of the edge (documented tie rule)', () => {
    // Bands [0.5, 1.5) and [4.5, 5.5) contain centres 0.5 and 4.5: pixels 0 and 4.
    expect(draw(6, 6, [{ kind: 'rect', x: 1, y: 1, w: 4, h: 4, stroke: W }])).toBe(pic('#####.', '#...#.', '#...#.', '#...#.', '#####.', '......'));
  });

  it('draws the stroke over the fill, and fills solid when the stroke leaves no hole', () => {
    const r = rasterize(scene(7, 7, [{ kind: 'rect', x: 1.5, y: 1.5, w: 4, h: 4, fill: '#808080', stroke: W, strokeWidth: 1 }]));
    expect(pixel(r, 1, 1)).toEqual([255, 255, 255, 255]);
    expect(pixel(r, 3, 3)).toEqual([128, 128, 128, 255]);
    expect(draw(5, 5, [{ kind: 'rect', x: 1, y: 1, w: 3, h: 3, stroke: W, strokeWidth: 3 }])).toBe(pic('#####', '#####', '#####', '#####', '#####'));
    expect(draw(3, 3, [{ kind: 'rect', x: 0, y: 0, w: 3, h: 3, stroke: W, strokeWidth: 0 }])).toBe(pic('...', '...', '...'));
  });
});

describe('rasterize: polygon', () => {
  it('fills a right triangle by pixel centres', () => {
    // Inside means x + y < 8 at the centre (x + .5) + (y + .5), i.e. x + y <= 6.
    expect(draw(8, 8, [{ kind: 'polygon', points: [0, 0, 8, 0, 0, 8], fill: W }])).toBe(
      pic('#######.', '######..', '#####...', '####....', '###.....', '##......', '#.......', '........'),
    );
  });

  it('fills with the even-odd rule: a same-direction inner ring is a hole', () => {
    // Outer square, a bridge to the inner square (same winding, so non-zero would fill it), and back.
    const points = [0, 0, 8, 0, 8, 8, 0, 8, 0, 0, 2, 2, 6, 2, 6, 6, 2, 6, 2, 2];
    expect(draw(8, 8, [{ kind: 'polygon', points, fill: W }])).toBe(
      pic('########', '########', '##....##', '##....##', '##....##', '##....##', '########', '########'),
    );
  });

  it('leaves the centre of a pentagram empty (even-odd)', () => {
    const pts: number[] = [];
    for (let k = 0; k < 5; k++) {
      const a = -Math.PI / 2 + (k * 4 * Math.PI) / 5;
      pts.push(20 + 18 * Math.cos(a), 20 + 18 * Math.sin(a));
    }
    const r = rasterize(scene(40, 40, [{ kind: 'polygon', points: pts, fill: W }]));
    expect(pixel(r, 20, 20)[0]).toBe(0); // the centre pentagon is crossed twice: outside
    expect(pixel(r, 20, 5)[0]).toBe(255); // the top point
  });

  it('strokes a polygon centred on its edges, after the fill', () => {
    expect(draw(8, 8, [{ kind: 'polygon', points: [1.5, 1.5, 6.5, 1.5, 6.5, 6.5, 1.5, 6.5], fill: '#808080', stroke: W, strokeWidth: 1 }])).toBe(
      pic('........', '.######.', '.#++++#.', '.#++++#.', '.#++++#.', '.#++++#.', '.######.', '........'),
    );
  });

  it('draws nothing for fewer than 3 points', () => {
    expect(draw(3, 3, [{ kind: 'polygon', points: [0, 0, 3, 3], fill: W }])).toBe(pic('...', '...', '...'));
  });
});

describe('rasterize: line', () => {
  it('has the given width and square caps (extends width/2 past each end)', () => {
    // y in [4, 6): rows 4-5; x in [0, 10): the caps add 1 on each side of 1..9.
    expect(draw(11, 7, [{ kind: 'line', points: [1, 5, 9, 5], stroke: W, width: 2 }])).toBe(
      pic('...........', '...........', '...........', '...........', '##########.', '##########.', '...........'),
    );
    // Width 3 about y = 5.5: rows 4, 5, 6.
    const r = rasterize(scene(12, 8, [{ kind: 'line', points: [2, 5.5, 9, 5.5], stroke: W, width: 3 }]));
    expect(countLit(r)).toBe(3 * 10);
  });

  it('fills the corner of a right-angle turn like a miter join', () => {
    expect(draw(7, 7, [{ kind: 'line', points: [1.5, 1.5, 5.5, 1.5, 5.5, 5.5], stroke: W, width: 1 }])).toBe(
      pic('.......', '.#####.', '.....#.', '.....#.', '.....#.', '.....#.', '.......'),
    );
  });

  it('covers length x width along a diagonal (measured by coverage at 4x4 samples)', () => {
    // Length 40 * sqrt 2 plus the two caps of 1.5, width 3: (56.57 + 3) * 3 = 178.7 pixels of area.
    const r = rasterize(scene(50, 50, [{ kind: 'line', points: [5, 5, 45, 45], stroke: W, width: 3 }]), { supersample: 4 });
    let area = 0;
    for (let i = 0; i < r.data.length; i += 4) area += r.data[i]! / 255;
    expect(Math.abs(area - 178.7)).toBeLessThan(2);
  });

  it('draws a width x width square for a zero-length line, nothing for one point or zero width', () => {
    expect(draw(5, 5, [{ kind: 'line', points: [2.5, 2.5, 2.5, 2.5], stroke: W, width: 3 }])).toBe(pic('.....', '.###.', '.###.', '.###.', '.....'));
    expect(draw(3, 3, [{ kind: 'line', points: [1, 1], stroke: W, width: 3 }])).toBe(pic('...', '...', '...'));
    expect(draw(3, 3, [{ kind: 'line', points: [0, 1, 3, 1], stroke: W, width: 0 }])).toBe(pic('...', '...', '...'));
  });
});

describe('rasterize: circle', () => {
  it('fills pixel centres strictly inside', () => {
    // r = 2 about (3, 3): centres at distance^2 < 4, i.e. offsets (+-.5, +-.5), (+-1.5, +-.5), (+-.5, +-1.5).
    expect(draw(6, 6, [{ kind: 'circle', cx: 3, cy: 3, r: 2, fill: W }])).toBe(pic('......', '..##..', '.####.', '.####.', '..##..', '......'));
  });

  it.each([5, 10, 20, 37.5])('covers close to pi r^2 for r = %d, symmetrically', (radius) => {
    const size = Math.ceil(2 * radius) + 4;
    const c = size / 2;
    const r = rasterize(scene(size, size, [{ kind: 'circle', cx: c, cy: c, r: radius, fill: W }]));
    const area = Math.PI * radius * radius;
    expect(Math.abs(countLit(r) - area) / area).toBeLessThan(0.05);
    // Mirror symmetry about the centre (which sits on a pixel corner here).
    const flipped = picture(r).split('\n').reverse().join('\n');
    expect(flipped).toBe(picture(r));
  });

  it('draws nothing for r = 0 and clips a circle partly outside', () => {
    expect(draw(3, 3, [{ kind: 'circle', cx: 1.5, cy: 1.5, r: 0, fill: W }])).toBe(pic('...', '...', '...'));
    expect(draw(3, 3, [{ kind: 'circle', cx: 0, cy: 0, r: 2, fill: W }])).toBe(pic('##.', '#..', '...'));
  });
});

describe('rasterize: text', () => {
  it('paints exactly the glyph rectangles', () => {
    const item: SceneItem = { kind: 'text', x: 1, y: 1, text: 'A', size: 9, fill: W, align: 'left', baseline: 'top' };
    expect(draw(7, 10, [item])).toBe(pic('.......', '..###..', '.#...#.', '.#...#.', '.#...#.', '.#####.', '.#...#.', '.#...#.', '.......', '.......'));
    const r = rasterize(scene(7, 10, [item]));
    expect(countLit(r)).toBe(glyphRects(item).reduce((n, g) => n + g.w * g.h, 0));
  });
});

describe('rasterize: painting order and supersampling', () => {
  it('paints in item order: later items cover earlier ones', () => {
    const red: SceneItem = { kind: 'rect', x: 0, y: 0, w: 2, h: 1, fill: '#ff0000' };
    const blue: SceneItem = { kind: 'rect', x: 1, y: 0, w: 2, h: 1, fill: '#0000ff' };
    const rb = rasterize(scene(3, 1, [red, blue]));
    const br = rasterize(scene(3, 1, [blue, red]));
    expect(pixel(rb, 1, 0)).toEqual([0, 0, 255, 255]);
    expect(pixel(br, 1, 0)).toEqual([255, 0, 0, 255]);
  });

  it('averages samples in each pixel, rounding half up', () => {
    // Half of pixel 0 covered: 2 of 4 (or 8 of 16) samples white, (2 * 255 + 2) >> 2 = 128.
    const half: SceneItem = { kind: 'rect', x: 0, y: 0, w: 0.5, h: 1, fill: W };
    expect(pixel(rasterize(scene(2, 1, [half]), { supersample: 2 }), 0, 0)).toEqual([128, 128, 128, 255]);
    expect(pixel(rasterize(scene(2, 1, [half]), { supersample: 4 }), 0, 0)).toEqual([128, 128, 128, 255]);
    // A quarter: 1 of 4 samples, (255 + 2) >> 2 = 64; at 4x: 4 of 16, (1020 + 8) >> 4 = 64.
    const quarter: SceneItem = { kind: 'rect', x: 0, y: 0, w: 0.5, h: 0.5, fill: W };
    expect(pixel(rasterize(scene(1, 1, [quarter]), { supersample: 2 }), 0, 0)).toEqual([64, 64, 64, 255]);
    expect(pixel(rasterize(scene(1, 1, [quarter]), { supersample: 4 }), 0, 0)).toEqual([64, 64, 64, 255]);
    // Without supersampling, that pixel's centre is outside: background.
    expect(pixel(rasterize(scene(1, 1, [quarter])), 0, 0)).toEqual([0, 0, 0, 255]);
  });

  it('leaves pixel-aligned shapes and text unchanged (no blur) when supersampling', () => {
    const items: SceneItem[] = [
      { kind: 'rect', x: 2, y: 3, w: 10, h: 5, fill: '#336699', stroke: '#ffcc00', strokeWidth: 2 },
      { kind: 'text', x: 20, y: 12, text: 'Hi 42!', size: 9, fill: W, align: 'center', baseline: 'middle' },
      { kind: 'line', points: [0, 20, 30, 20], stroke: '#00ff00', width: 2 },
    ];
    const one = rasterHash(rasterize(scene(40, 24, items)));
    expect(rasterHash(rasterize(scene(40, 24, items), { supersample: 2 }))).toBe(one);
    expect(rasterHash(rasterize(scene(40, 24, items), { supersample: 4 }))).toBe(one);
  });

  it('anti-aliases a diagonal edge with intermediate values', () => {
    expect(draw(4, 4, [{ kind: 'polygon', points: [0, 0, 4, 0, 0, 4], fill: W }], 4)).toBe(pic('###+', '##+.', '#+..', '+...'));
  });
});

describe('rasterize: errors name the item and the problem', () => {
  const bad = (items: unknown[]) => () => rasterize(scene(4, 4, items as SceneItem[]));
  it.each([
    [[{ kind: 'rect', x: 0, y: 0, w: 1, h: 1, fill: 'red' }], /scene item 0 \(rect\): bad colour "red"/],
    [
      [
        { kind: 'rect', x: 0, y: 0, w: 1, h: 1 },
        { kind: 'circle', cx: 0, cy: 0, r: Number.NaN, fill: W },
      ],
      /scene item 1 \(circle\): r is NaN/,
    ],
    [[{ kind: 'line', points: [0, 0, 1], stroke: W, width: 1 }], /scene item 0 \(line\): points must be \[x0, y0/],
    [[{ kind: 'polygon', points: [0, 0, 1, Infinity, 2, 2], fill: W }], /points\[3\] is Infinity/],
    [[{ kind: 'blob' }], /scene item 0 \(blob\): unknown kind "blob"; valid kinds: rect, line, polygon, circle, text/],
  ])('%#', (items, message) => {
    expect(bad(items)).toThrow(message);
  });

  it('survives coordinates that overflow to Infinity when supersampled (no hang, no stray spans)', () => {
    const big = 1e308;
    const r = rasterize(
      scene(4, 4, [
        { kind: 'circle', cx: 2, cy: 2, r: big, fill: W },
        { kind: 'polygon', points: [0, 0, big, 0, 0, big], fill: '#808080' },
        { kind: 'line', points: [0, 0, big, big], stroke: '#404040', width: 1 },
      ]),
      { supersample: 4 },
    );
    expect(r.data.length).toBe(64);
  });

  it('rejects a bad background, size or supersample factor', () => {
    expect(() => rasterize(scene(4, 4, [], '#abc' as Color))).toThrow(/scene background: bad colour/);
    expect(() => rasterize(scene(4.5, 4, []))).toThrow(/positive integers, got 4.5x4/);
    expect(() => rasterize(scene(0, 4, []))).toThrow(/positive integers/);
    expect(() => rasterize(scene(4, 4, []), { supersample: 3 as 2 })).toThrow(/supersample must be 1, 2 or 4, got 3/);
  });
});

/** Fixed scenes whose hashes are pinned below: a change in any of them means the rasteriser changed. */
function snakeLike(): Scene {
  const items: SceneItem[] = [];
  for (let i = 0; i <= 10; i++) {
    items.push({ kind: 'line', points: [i * 8, 0, i * 8, 80], stroke: '#202020', width: 1 });
    items.push({ kind: 'line', points: [0, i * 8, 80, i * 8], stroke: '#202020', width: 1 });
  }
  const body = [
    [2, 3],
    [3, 3],
    [4, 3],
    [4, 4],
    [4, 5],
  ];
  body.forEach(([x, y], k) => items.push({ kind: 'rect', x: x! * 8 + 1, y: y! * 8 + 1, w: 6, h: 6, fill: k === 0 ? '#00c000' : '#008000' }));
  items.push({ kind: 'circle', cx: 7 * 8 + 4, cy: 6 * 8 + 4, r: 3, fill: '#e02020' });
  items.push({ kind: 'text', x: 79, y: 79, text: 'Score: 3', size: 9, fill: '#ffffff', align: 'right', baseline: 'bottom' });
  return { width: 80, height: 80, background: '#101018', items };
}

function shapes(): Scene {
  return {
    width: 64,
    height: 48,
    background: '#f0f0f0',
    items: [
      { kind: 'polygon', points: [5, 40, 20, 5, 35, 40], fill: '#3366cc', stroke: '#000000', strokeWidth: 1.5 },
      { kind: 'polygon', points: [40, 5, 60, 5, 60, 25, 40, 25, 40, 5, 45, 10, 55, 10, 55, 20, 45, 20, 45, 10], fill: '#cc3366' },
      { kind: 'line', points: [2, 45, 30, 30, 62, 44], stroke: '#228822', width: 2.5 },
      { kind: 'circle', cx: 50.3, cy: 36.7, r: 8.2, fill: '#ffaa00' },
      { kind: 'rect', x: 36.2, y: 28.7, w: 9.9, h: 5.3, fill: '#00ffff', stroke: '#004444', strokeWidth: 1 },
      { kind: 'text', x: 32, y: 24, text: 'Rot 90° → q?', size: 9, fill: '#000000', align: 'center', baseline: 'middle' },
    ],
  };
}

describe('golden hashes', () => {
  it.each([
    ['snake-like 80x80', snakeLike, 1, 'b8d7a352ba6eb72d'],
    ['snake-like 80x80, supersample 4', snakeLike, 4, 'd1d052e9234b495f'],
    ['shapes 64x48', shapes, 1, '3873ad8f4b1a59a9'],
    ['shapes 64x48, supersample 2', shapes, 2, '1e7c0c4d98506070'],
  ] as const)('%s', (_name, make, supersample, hash) => {
    expect(rasterHash(rasterize(make(), { supersample }))).toBe(hash);
  });

  it('gives the same bytes on every call, whatever was drawn in between', () => {
    const a = rasterHash(rasterize(shapes()));
    rasterize(snakeLike(), { supersample: 4 });
    expect(rasterHash(rasterize(shapes()))).toBe(a);
  });
});

describe('raster helpers', () => {
  it('fnv1a64Hex matches the published FNV-1a 64 test vectors', () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(fnv1a64Hex(bytes(''))).toBe('cbf29ce484222325');
    expect(fnv1a64Hex(bytes('a'))).toBe('af63dc4c8601ec8c');
    expect(fnv1a64Hex(bytes('foobar'))).toBe('85944171f73967e8');
  });

  it('fnv1a64Hex agrees with a BigInt reference on random bytes', () => {
    const rng = new Rng(7);
    const data = Uint8Array.from({ length: 1000 }, () => rng.nextUint32() & 0xff);
    let h = 0xcbf29ce484222325n;
    for (const b of data) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
    expect(fnv1a64Hex(data)).toBe(h.toString(16).padStart(16, '0'));
  });

  it('rasterHash depends on the dimensions, not just the bytes', () => {
    const data = new Uint8ClampedArray(16 * 4).fill(7);
    expect(rasterHash({ width: 4, height: 4, data })).not.toBe(rasterHash({ width: 2, height: 8, data }));
    expect(rasterHash({ width: 4, height: 4, data })).toMatch(/^[0-9a-f]{16}$/);
  });

  it('rasterToRgb drops alpha', () => {
    const r = rasterize(scene(2, 1, [{ kind: 'rect', x: 1, y: 0, w: 1, h: 1, fill: '#010203' }], '#0a0b0c'));
    expect(Array.from(rasterToRgb(r))).toEqual([10, 11, 12, 1, 2, 3]);
  });

  it('cropRaster cuts a window and checks it fits', () => {
    const r = rasterize(scene(6, 6, [{ kind: 'rect', x: 1, y: 1, w: 4, h: 4, fill: W }]));
    expect(picture(cropRaster(r, 0, 0, 3, 2))).toBe(pic('...', '.##'));
    expect(() => cropRaster(r, 4, 4, 3, 3)).toThrow(/not inside the 6x6 raster/);
  });

  it('resizeNearest doubles and halves pixel art exactly', () => {
    const r = rasterize(scene(2, 2, [{ kind: 'rect', x: 0, y: 0, w: 1, h: 1, fill: W }]));
    const big = resizeNearest(r, 4, 4);
    expect(picture(big)).toBe(pic('##..', '##..', '....', '....'));
    expect(rasterHash(resizeNearest(big, 2, 2))).toBe(rasterHash(r));
    expect(() => resizeNearest(r, 0, 2)).toThrow(/positive integers/);
  });
});
