import { describe, expect, it } from 'vitest';
import { FONT, glyphRects, hasGlyph, measureText, type PixelRect } from './font';
import type { TextItem } from './scene';

const text = (t: string, over: Partial<TextItem> = {}): TextItem => ({
  kind: 'text',
  x: 0,
  y: 0,
  text: t,
  size: 9,
  fill: '#ffffff',
  align: 'left',
  baseline: 'top',
  ...over,
});

/** The rects painted into a w x h grid of '#'/'.', throwing if two rects overlap (they never should). */
function paint(rects: PixelRect[], w: number, h: number): string {
  const grid = Array.from({ length: h }, () => Array<string>(w).fill('.'));
  for (const r of rects) {
    for (let y = r.y; y < r.y + r.h; y++) {
      for (let x = r.x; x < r.x + r.w; x++) {
        const row = grid[y];
        if (!row || x < 0 || x >= w) throw new Error(`rect ${JSON.stringify(r)} leaves the ${w}x${h} grid`);
        if (row[x] === '#') throw new Error(`rects overlap at (${x}, ${y})`);
        row[x] = '#';
      }
    }
  }
  return grid.map((row) => row.join('')).join('\n');
}

const bbox = (rects: PixelRect[]) => ({
  x0: Math.min(...rects.map((r) => r.x)),
  y0: Math.min(...rects.map((r) => r.y)),
  x1: Math.max(...rects.map((r) => r.x + r.w)),
  y1: Math.max(...rects.map((r) => r.y + r.h)),
});

describe('font coverage', () => {
  const required = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz .,:;-+()[]/\'"!?%#=<>_';
  it.each(Array.from(required))('has a glyph for %j', (ch) => {
    expect(hasGlyph(ch)).toBe(true);
  });

  it('covers all of printable ASCII', () => {
    for (let c = 32; c < 127; c++) expect(hasGlyph(String.fromCharCode(c)), String.fromCharCode(c)).toBe(true);
  });

  it('gives every character a distinct bitmap (catches copy-paste slips in the table)', () => {
    const seen = new Map<string, string>();
    for (let c = 33; c < 127; c++) {
      const ch = String.fromCharCode(c);
      const bitmap = paint(glyphRects(text(ch)), 5, 9);
      expect(seen.get(bitmap), `${ch} looks like ${seen.get(bitmap)}`).toBeUndefined();
      seen.set(bitmap, ch);
    }
  });

  it('keeps every glyph inside its 5x9 cell and draws a space as nothing', () => {
    for (let c = 33; c < 127; c++) {
      const b = bbox(glyphRects(text(String.fromCharCode(c))));
      expect(b.x0).toBeGreaterThanOrEqual(0);
      expect(b.y0).toBeGreaterThanOrEqual(0);
      expect(b.x1).toBeLessThanOrEqual(FONT.glyphWidth);
      expect(b.y1).toBeLessThanOrEqual(FONT.cellHeight);
    }
    expect(glyphRects(text(' '))).toEqual([]);
  });
});

describe('glyphRects', () => {
  it('draws the classic 5x7 capital A at size 9, one font unit per pixel', () => {
    expect(paint(glyphRects(text('A')), 5, 9)).toBe(['.###.', '#...#', '#...#', '#...#', '#####', '#...#', '#...#', '.....', '.....'].join('\n'));
  });

  it('puts descenders below the baseline (rows 7-8)', () => {
    expect(paint(glyphRects(text('g')), 5, 9)).toBe(['.....', '.....', '.####', '#...#', '#...#', '#...#', '.####', '....#', '.###.'].join('\n'));
  });

  it('merges horizontal runs and identical runs below them', () => {
    // 'I' is a 3-wide top bar, a 1-wide stem of 5 rows, and a 3-wide bottom bar: 3 rectangles.
    expect(glyphRects(text('I'))).toEqual([
      { x: 1, y: 0, w: 3, h: 1 },
      { x: 2, y: 1, w: 1, h: 5 },
      { x: 1, y: 6, w: 3, h: 1 },
    ]);
  });

  it('scales by size / 9: size 18 doubles every rectangle', () => {
    const one = glyphRects(text('Hi'));
    const two = glyphRects(text('Hi', { size: 18 }));
    expect(two).toEqual(one.map((r) => ({ x: 2 * r.x, y: 2 * r.y, w: 2 * r.w, h: 2 * r.h })));
  });

  it('gives whole, non-empty, non-overlapping rectangles at any size', () => {
    for (const size of [3, 5, 8, 10, 12, 13.7, 16]) {
      const rects = glyphRects(text('Score: 42 %', { size, x: 0.3, y: 0.6 }));
      expect(rects.length).toBeGreaterThan(0);
      for (const r of rects) {
        expect([r.x, r.y, r.w, r.h].every(Number.isInteger)).toBe(true);
        expect(r.w).toBeGreaterThan(0);
        expect(r.h).toBeGreaterThan(0);
      }
      expect(() => paint(rects, 200, 40)).not.toThrow();
    }
  });

  it('advances 6 columns per character and offsets by the anchor', () => {
    const rects = glyphRects(text('II', { x: 10, y: 20 }));
    expect(rects.slice(3)).toEqual(glyphRects(text('I', { x: 16, y: 20 })));
  });

  it('aligns left / center / right on x and top / middle / bottom on y', () => {
    // 'HH': ink 11 columns wide (2 * 6 - 1) and 9 rows for the cell; H fills columns 0 and 4 of rows 0-6.
    const at = (align: TextItem['align'], baseline: TextItem['baseline']) => bbox(glyphRects(text('HH', { x: 50, y: 50, align, baseline })));
    expect(at('left', 'top')).toEqual({ x0: 50, y0: 50, x1: 61, y1: 57 });
    expect(at('right', 'top')).toEqual({ x0: 39, y0: 50, x1: 50, y1: 57 });
    // Centre: 50 - 11 / 2 = 44.5 rounds (half up) to 45.
    expect(at('center', 'top')).toEqual({ x0: 45, y0: 50, x1: 56, y1: 57 });
    // Bottom puts the cell's bottom (below the descender rows) at y: 50 - 9 = 41.
    expect(at('left', 'bottom')).toEqual({ x0: 50, y0: 41, x1: 61, y1: 48 });
    // Middle: 50 - 9 / 2 = 45.5 rounds to 46.
    expect(at('left', 'middle')).toEqual({ x0: 50, y0: 46, x1: 61, y1: 53 });
  });

  it('stacks lines 10 rows apart and aligns each line on its own', () => {
    const rects = glyphRects(text('H\nHHH', { x: 30, align: 'right' }));
    const first = bbox(rects.filter((r) => r.y < 10));
    const second = bbox(rects.filter((r) => r.y >= 10));
    expect(first).toEqual({ x0: 25, y0: 0, x1: 30, y1: 7 });
    expect(second).toEqual({ x0: 13, y0: 10, x1: 30, y1: 17 });
    expect(measureText('H\nHHH', 9)).toEqual({ width: 17, height: 19 });
  });

  it('draws an unknown character as a hollow x-height box, once per code point', () => {
    const tofu = ['.....', '.....', '#####', '#...#', '#...#', '#...#', '#####', '.....', '.....'].join('\n');
    expect(hasGlyph('€')).toBe(false);
    expect(paint(glyphRects(text('€')), 5, 9)).toBe(tofu);
    // An emoji is two UTF-16 units but one code point: one box, not two.
    expect(glyphRects(text('😀'))).toEqual(glyphRects(text('€')));
  });

  it('rejects a non-finite size or position', () => {
    expect(() => glyphRects(text('A', { size: Number.NaN }))).toThrow(/text size/);
    expect(() => glyphRects(text('A', { x: Infinity }))).toThrow(/text position/);
  });
});
