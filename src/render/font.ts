/**
 * The project's own bitmap font. Both backends draw text from `glyphRects`, never from a system font,
 * so the raster (the model's eyes) and the Konva view agree pixel for pixel, in Node and every browser.
 *
 * Font units: a glyph is 5 columns wide and 9 rows tall: rows 0-6 sit above the baseline (capitals and
 * digits are the classic 5x7), rows 7-8 hold the descenders of g, j, p, q, y and of , ; _. Characters
 * advance 6 columns (one blank column between glyphs); lines are 10 rows apart (one blank row).
 * `TextItem.size` is the height of the 9-row cell in pixels, so one font unit is `size / 9` pixels:
 * sizes 9, 18, 27, ... give uniform square font pixels; other sizes still give crisp integer rectangles
 * (every font-unit edge is rounded to a whole pixel) whose widths alternate, e.g. 1,1,2 at size 12.
 *
 * Coverage: printable ASCII (space to ~, real lower case), plus ° × ← ↑ → ↓ for the games' labels
 * (angles, arrows). Any other character draws as a hollow x-height box ("tofu") so that it is visibly
 * wrong rather than silently missing. '\n' starts a new line; '\r' is ignored.
 */
import type { TextItem } from './scene';

/** A filled, axis-aligned rectangle of whole pixels in scene coordinates: x, y its top-left corner. */
export interface PixelRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Glyph metrics in font units (see the header). */
export const FONT = {
  glyphWidth: 5,
  /** Rows above the baseline. */
  ascent: 7,
  /** Rows below the baseline. */
  descent: 2,
  /** ascent + descent: the cell height that `TextItem.size` gives in pixels. */
  cellHeight: 9,
  /** Horizontal distance between the left edges of consecutive glyphs. */
  advance: 6,
  /** Vertical distance between the tops of consecutive lines. */
  lineAdvance: 10,
} as const;

/**
 * The glyphs, one string each: rows top to bottom separated by spaces, '#' filled, '.' empty, 5 columns.
 * Rows omitted at the bottom are empty, so most glyphs list only their 7 rows above the baseline.
 */
const GLYPHS: Record<string, string> = {
  ' ': '',
  '!': '..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..',
  '"': '.#.#. .#.#. .#.#.',
  '#': '.#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.',
  $: '..#.. .#### #.#.. .###. ..#.# ####. ..#..',
  '%': '##... ##..# ...#. ..#.. .#... #..## ...##',
  '&': '.##.. #..#. #.#.. .#... #.#.# #..#. .##.#',
  "'": '..#.. ..#.. .#...',
  '(': '...#. ..#.. .#... .#... .#... ..#.. ...#.',
  ')': '.#... ..#.. ...#. ...#. ...#. ..#.. .#...',
  '*': '..... ..#.. #.#.# .###. #.#.# ..#.. .....',
  '+': '..... ..#.. ..#.. ##### ..#.. ..#.. .....',
  ',': '..... ..... ..... ..... ..... .##.. .##.. ..#.. .#...',
  '-': '..... ..... ..... ##### ..... ..... .....',
  '.': '..... ..... ..... ..... ..... .##.. .##..',
  '/': '..... ....# ...#. ..#.. .#... #.... .....',
  '0': '.###. #...# #..## #.#.# ##..# #...# .###.',
  '1': '..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.',
  '2': '.###. #...# ....# ...#. ..#.. .#... #####',
  '3': '##### ...#. ..#.. ...#. ....# #...# .###.',
  '4': '...#. ..##. .#.#. #..#. ##### ...#. ...#.',
  '5': '##### #.... ####. ....# ....# #...# .###.',
  '6': '..##. .#... #.... ####. #...# #...# .###.',
  '7': '##### ....# ...#. ..#.. .#... .#... .#...',
  '8': '.###. #...# #...# .###. #...# #...# .###.',
  '9': '.###. #...# #...# .#### ....# ...#. .##..',
  ':': '..... .##.. .##.. ..... .##.. .##.. .....',
  ';': '..... .##.. .##.. ..... .##.. .##.. ..#.. .#...',
  '<': '...#. ..#.. .#... #.... .#... ..#.. ...#.',
  '=': '..... ..... ##### ..... ##### ..... .....',
  '>': '.#... ..#.. ...#. ....# ...#. ..#.. .#...',
  '?': '.###. #...# ....# ...#. ..#.. ..... ..#..',
  '@': '.###. #...# ....# .##.# #.#.# #.#.# .###.',
  A: '.###. #...# #...# #...# ##### #...# #...#',
  B: '####. #...# #...# ####. #...# #...# ####.',
  C: '.###. #...# #.... #.... #.... #...# .###.',
  D: '###.. #..#. #...# #...# #...# #..#. ###..',
  E: '##### #.... #.... ####. #.... #.... #####',
  F: '##### #.... #.... ####. #.... #.... #....',
  G: '.###. #...# #.... #.### #...# #...# .####',
  H: '#...# #...# #...# ##### #...# #...# #...#',
  I: '.###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  J: '..### ...#. ...#. ...#. ...#. #..#. .##..',
  K: '#...# #..#. #.#.. ##... #.#.. #..#. #...#',
  L: '#.... #.... #.... #.... #.... #.... #####',
  M: '#...# ##.## #.#.# #.#.# #...# #...# #...#',
  N: '#...# #...# ##..# #.#.# #..## #...# #...#',
  O: '.###. #...# #...# #...# #...# #...# .###.',
  P: '####. #...# #...# ####. #.... #.... #....',
  Q: '.###. #...# #...# #...# #.#.# #..#. .##.#',
  R: '####. #...# #...# ####. #.#.. #..#. #...#',
  S: '.#### #.... #.... .###. ....# ....# ####.',
  T: '##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
  U: '#...# #...# #...# #...# #...# #...# .###.',
  V: '#...# #...# #...# #...# #...# .#.#. ..#..',
  W: '#...# #...# #...# #.#.# #.#.# #.#.# .#.#.',
  X: '#...# #...# .#.#. ..#.. .#.#. #...# #...#',
  Y: '#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..',
  Z: '##### ....# ...#. ..#.. .#... #.... #####',
  '[': '.###. .#... .#... .#... .#... .#... .###.',
  '\\': '..... #.... .#... ..#.. ...#. ....# .....',
  ']': '.###. ...#. ...#. ...#. ...#. ...#. .###.',
  '^': '..#.. .#.#. #...#',
  _: '..... ..... ..... ..... ..... ..... ..... ..... #####',
  '`': '.#... ..#..',
  a: '..... ..... .###. ....# .#### #...# .####',
  b: '#.... #.... #.##. ##..# #...# #...# ####.',
  c: '..... ..... .###. #.... #.... #...# .###.',
  d: '....# ....# .##.# #..## #...# #...# .####',
  e: '..... ..... .###. #...# ##### #.... .###.',
  f: '..##. .#..# .#... ###.. .#... .#... .#...',
  g: '..... ..... .#### #...# #...# #...# .#### ....# .###.',
  h: '#.... #.... #.##. ##..# #...# #...# #...#',
  i: '..#.. ..... .##.. ..#.. ..#.. ..#.. .###.',
  j: '...#. ..... ..##. ...#. ...#. ...#. ...#. #..#. .##..',
  k: '#.... #.... #..#. #.#.. ##... #.#.. #..#.',
  l: '.##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  m: '..... ..... ##.#. #.#.# #.#.# #...# #...#',
  n: '..... ..... #.##. ##..# #...# #...# #...#',
  o: '..... ..... .###. #...# #...# #...# .###.',
  p: '..... ..... ####. #...# #...# #...# ####. #.... #....',
  q: '..... ..... .#### #...# #...# #...# .#### ....# ....#',
  r: '..... ..... #.##. ##..# #.... #.... #....',
  s: '..... ..... .###. #.... .###. ....# ####.',
  t: '.#... .#... ###.. .#... .#... .#..# ..##.',
  u: '..... ..... #...# #...# #...# #..## .##.#',
  v: '..... ..... #...# #...# #...# .#.#. ..#..',
  w: '..... ..... #...# #...# #.#.# #.#.# .#.#.',
  x: '..... ..... #...# .#.#. ..#.. .#.#. #...#',
  y: '..... ..... #...# #...# #...# #...# .#### ....# .###.',
  z: '..... ..... ##### ...#. ..#.. .#... #####',
  '{': '...#. ..#.. ..#.. .#... ..#.. ..#.. ...#.',
  '|': '..#.. ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
  '}': '.#... ..#.. ..#.. ...#. ..#.. ..#.. .#...',
  '~': '..... ..... .#... #.#.# ...#.',
  '°': '.##.. #..#. #..#. .##..',
  '×': '..... #...# .#.#. ..#.. .#.#. #...# .....',
  '←': '..... ..#.. .#... ##### .#... ..#.. .....',
  '↑': '..#.. .###. #.#.# ..#.. ..#.. ..#.. ..#..',
  '→': '..... ..#.. ...#. ##### ...#. ..#.. .....',
  '↓': '..#.. ..#.. ..#.. ..#.. #.#.# .###. ..#..',
};

/** What an unknown character draws: a hollow box over the x-height (rows 2-6). */
const TOFU = '..... ..... ##### #...# #...# #...# #####';

/** A merged rectangle in font units: columns [c0, c1), rows [r0, r1). */
type UnitRect = readonly [c0: number, r0: number, c1: number, r1: number];

/**
 * Turns a glyph string into rectangles: each row's horizontal runs, and a run identical to the one
 * directly above it extends that rectangle downwards (fewer Konva nodes for stems such as 'I' or '|').
 * Throws on a malformed glyph, so a typo in the table fails at import, not as a silently odd picture.
 */
function glyphUnitRects(ch: string, glyph: string): UnitRect[] {
  const rows = glyph === '' ? [] : glyph.split(' ');
  if (rows.length > FONT.cellHeight) throw new Error(`font: glyph '${ch}' has ${rows.length} rows, at most ${FONT.cellHeight}`);
  const done: [number, number, number, number][] = [];
  let open: [number, number, number, number][] = [];
  rows.forEach((row, r) => {
    if (!/^[.#]{5}$/.test(row)) throw new Error(`font: glyph '${ch}' row ${r} is '${row}', expected 5 of '.' or '#'`);
    const next: [number, number, number, number][] = [];
    for (let c = 0; c < FONT.glyphWidth;) {
      if (row[c] !== '#') {
        c++;
        continue;
      }
      let end = c;
      while (row[end] === '#') end++;
      const above = open.find((o) => o[0] === c && o[2] === end);
      if (above) {
        above[3] = r + 1;
        next.push(above);
      } else {
        next.push([c, r, end, r + 1]);
      }
      c = end;
    }
    for (const o of open) if (!next.includes(o)) done.push(o);
    open = next;
  });
  done.push(...open);
  // Reading order (top to bottom, left to right) keeps the output stable and easy to eyeball in tests.
  return done.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
}

const GLYPH_RECTS = new Map<string, UnitRect[]>();
for (const [ch, glyph] of Object.entries(GLYPHS)) GLYPH_RECTS.set(ch, glyphUnitRects(ch, glyph));
const TOFU_RECTS = glyphUnitRects('tofu', TOFU);

/** Whether the font has a real glyph for `ch` (one code point); others draw as the tofu box. */
export function hasGlyph(ch: string): boolean {
  return GLYPH_RECTS.has(ch);
}

/** The lines of a text, each as an array of code points (so an emoji counts once, as one tofu box). */
function splitLines(text: string): string[][] {
  return text
    .replace(/\r/g, '')
    .split('\n')
    .map((line) => Array.from(line));
}

function lineUnits(chars: number): number {
  // The blank column after the last glyph is spacing, not ink: it does not count towards the width.
  return chars === 0 ? 0 : chars * FONT.advance - 1;
}

/** Width and height in pixels of the box `glyphRects` aligns, for layout by scene builders. */
export function measureText(text: string, size: number): { width: number; height: number } {
  const lines = splitLines(text);
  const longest = lines.reduce((m, l) => Math.max(m, l.length), 0);
  const heightUnits = lines.length * FONT.lineAdvance - (FONT.lineAdvance - FONT.cellHeight);
  return { width: Math.round((lineUnits(longest) * size) / FONT.cellHeight), height: Math.round((heightUnits * size) / FONT.cellHeight) };
}

/**
 * The filled pixel rectangles of a text item, in scene coordinates, whole pixels, in drawing order.
 *
 * Anchoring: `align` places each line's ink box left of, centred on, or right of `x`; `baseline` places
 * the whole block's top, middle or bottom (the bottom of the descender rows, not the alphabetic baseline)
 * at `y`. The anchor is rounded to a whole pixel first (Math.round, halves go up), so a glyph's shape does
 * not depend on where it sits.
 */
export function glyphRects(item: TextItem): PixelRect[] {
  const { size } = item;
  if (!(Number.isFinite(size) && size >= 0)) throw new Error(`text size must be a finite number >= 0, got ${size}`);
  if (!Number.isFinite(item.x) || !Number.isFinite(item.y)) throw new Error(`text position must be finite, got (${item.x}, ${item.y})`);
  // Font units to pixels. u * size is exact for the small integers here, so only the division rounds.
  const px = (u: number): number => Math.round((u * size) / FONT.cellHeight);
  const lines = splitLines(item.text);
  const blockH = px(lines.length * FONT.lineAdvance - (FONT.lineAdvance - FONT.cellHeight));
  const top = item.baseline === 'top' ? Math.round(item.y) : item.baseline === 'middle' ? Math.round(item.y - blockH / 2) : Math.round(item.y) - blockH;
  const out: PixelRect[] = [];
  lines.forEach((chars, li) => {
    const lineW = px(lineUnits(chars.length));
    const left = item.align === 'left' ? Math.round(item.x) : item.align === 'center' ? Math.round(item.x - lineW / 2) : Math.round(item.x) - lineW;
    const rowUnits = li * FONT.lineAdvance;
    chars.forEach((ch, ci) => {
      const colUnits = ci * FONT.advance;
      for (const [c0, r0, c1, r1] of GLYPH_RECTS.get(ch) ?? TOFU_RECTS) {
        const x0 = left + px(colUnits + c0);
        const x1 = left + px(colUnits + c1);
        const y0 = top + px(rowUnits + r0);
        const y1 = top + px(rowUnits + r1);
        // At sizes below 9 a one-unit run can round to nothing; drop it rather than emit an empty rect.
        if (x1 > x0 && y1 > y0) out.push({ x: x0, y: y0, w: x1 - x0, h: y1 - y0 });
      }
    });
  });
  return out;
}
