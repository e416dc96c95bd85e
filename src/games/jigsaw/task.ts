/**
 * The Jigsaw game (as in Jigsaw-R1 and AGILE) as a one-step, bandit-style environment shaped like
 * Rotation.
 *
 * Rules: a picture is cut into a grid x grid set of square tiles (2 x 2 or 3 x 3) and the tiles are
 * shuffled (never left as they were). The shuffled image is the observation; its tiles are numbered
 * 1 .. N in reading order (left to right, top to bottom). Name the permutation that restores the picture.
 * Answer: for each position 1 .. N of the RESTORED picture, in reading order, the number of the shuffled
 *   tile that belongs there: `[3, 1, 4, 2]` says restored position 1 takes shuffled tile 3, and so on.
 * Actions: a permutation (an array of N tile numbers), or a full model response with
 *   `<think>...</think><answer>[3, 1, 4, 2]</answer>` tags.
 * Reward: a response is scored by `scoreJigsaw` (0, 0.1, 1 or 1.1, ViGaL's values); a bare permutation
 *   scores 1 if it is the answer, else 0.
 * Episode end: after the single step (terminated); never truncated.
 */
import type { RectItem, Scene } from '../../render/scene';
import { Rng } from '../../util/rng';
import { generatePicture, pictureIds, type JigsawPicture } from './picture';
import { isPermutation, scoreJigsaw, tilesInPlace, type JigsawVerdict } from './reward';

export const JIGSAW_GRIDS = [2, 3] as const;
export type JigsawGrid = (typeof JIGSAW_GRIDS)[number];

export interface JigsawOptions {
  /** Tiles per side: 2 (4 tiles, as Jigsaw-R1's easiest setting) or 3 (9 tiles). */
  grid: JigsawGrid;
  /** Side of the image in pixels; must be a multiple of the grid, so that tiles are whole pixels. */
  imageSize: number;
}

/** 240 px: divisible by 2 and 3 (and 4, 5, 6, 8), so either grid cuts it into whole-pixel tiles. */
export const DEFAULT_JIGSAW_OPTIONS: JigsawOptions = { grid: 2, imageSize: 240 };

/**
 * Image sizes for the callers, each a multiple of 6 so both grids cut it into whole pixels: the game
 * and play view, the full observation (real VLMs, bots' records), `vigal export` (ViGaL's 512 is not a
 * multiple of 3; 504 is the nearest that is), and a nano model, whose 8 px patches tile both a 2 x 2
 * cut (48 px tiles) and a 3 x 3 cut (32 px tiles) of 96 px.
 */
export const JIGSAW_IMAGE_SIZES = { game: 240, full: 360, export: 504, nano: 96 } as const;

/** Everything needed to redraw and grade one question; plain JSON. */
export interface JigsawQuestion {
  seed: number;
  grid: JigsawGrid;
  picture: JigsawPicture;
  /**
   * The shuffle: `shown[s]` is the restored position (0-based, reading order) of the tile drawn at
   * position s of the shuffled image. Never the identity.
   */
  shown: number[];
  /** The answer, 1-based: `answer[p]` is the shuffled tile number that belongs at restored position p + 1. */
  answer: number[];
}

export function resolveOptions(opts: Partial<JigsawOptions> = {}): JigsawOptions {
  const o: JigsawOptions = { ...DEFAULT_JIGSAW_OPTIONS, ...opts };
  if (!(JIGSAW_GRIDS as readonly number[]).includes(o.grid)) throw new Error(`Jigsaw: grid must be 2 or 3, got ${String(o.grid)}`);
  checkSize(o.imageSize, o.grid);
  return o;
}

function checkSize(size: number, grid: number): void {
  if (!(Number.isInteger(size) && size >= 2 * grid && size % grid === 0)) {
    throw new Error(`Jigsaw: imageSize must be a multiple of the grid (${grid}) and at least ${2 * grid}, got ${size}`);
  }
}

/** The answer of a shuffle: the inverse permutation, 1-based. */
export function answerOf(shown: readonly number[]): number[] {
  const answer = new Array<number>(shown.length).fill(0);
  shown.forEach((p, s) => (answer[p] = s + 1));
  return answer;
}

/** The pure question generator behind `JigsawEnv.reset`: same seed and options, same question. */
export function jigsawQuestion(seed: number, opts: Partial<JigsawOptions> = {}): JigsawQuestion {
  const o = resolveOptions(opts);
  const rng = new Rng(seed);
  // Separate streams: the picture does not depend on how the shuffle is drawn, and vice versa.
  const pictureRng = rng.fork();
  const shuffleRng = rng.fork();
  const picture = generatePicture(pictureRng, o.grid);
  const n = o.grid * o.grid;
  let shown: number[];
  do {
    // A shuffle that happens to be the identity would ask nothing; redraw it (1 in 24 for 2 x 2).
    shown = shuffleRng.shuffle(Array.from({ length: n }, (_, i) => i));
  } while (shown.every((p, s) => p === s));
  return { seed, grid: o.grid, picture, shown, answer: answerOf(shown) };
}

/**
 * The question's identity: the picture, the grid and the shuffle, as a string. The seed is left out, as
 * in rotationQuestionKey: two seeds that drew the same picture and shuffle ask the model the same thing.
 * Used to keep training questions out of held-out sets.
 */
export function jigsawQuestionKey(q: JigsawQuestion): string {
  return JSON.stringify([q.grid, q.picture, q.shown]);
}

/** The correct answer as the answer tag writes it: `[3, 1, 4, 2]`. */
export function formatPermutation(perm: readonly number[]): string {
  return `[${perm.join(', ')}]`;
}

/**
 * A picture drawn as tiles: the tile at position s of the output (reading order) shows the picture's
 * tile `source[s]`. Each tile's pixels are emitted as pixel-aligned rects (runs of one colour, merged
 * down the rows), so cutting is exact: the tile shows the very pixels of the picture's drawing.
 * The commonest colour becomes the background and is not emitted, which roughly halves the items.
 */
export function tiledScene(picture: JigsawPicture, grid: number, source: readonly number[], size: number): Scene {
  checkSize(size, grid);
  if (source.length !== grid * grid) throw new Error(`tiledScene: ${source.length} tile sources for a ${grid} x ${grid} grid`);
  const { colors, ids } = pictureIds(picture, size);
  const counts = new Array<number>(colors.length).fill(0);
  for (const id of ids) counts[id]!++;
  let bg = 0;
  for (let c = 1; c < counts.length; c++) if (counts[c]! > counts[bg]!) bg = c;
  const tile = size / grid;
  const items: RectItem[] = [];
  for (let s = 0; s < source.length; s++) {
    const from = source[s]!;
    const sx = (from % grid) * tile;
    const sy = Math.floor(from / grid) * tile;
    const dx = (s % grid) * tile;
    const dy = Math.floor(s / grid) * tile;
    // Rects still growing downwards, keyed by their run (x0, x1, colour).
    let open = new Map<string, RectItem>();
    for (let y = 0; y < tile; y++) {
      const next = new Map<string, RectItem>();
      const row = (sy + y) * size + sx;
      let x = 0;
      while (x < tile) {
        const id = ids[row + x]!;
        let end = x + 1;
        while (end < tile && ids[row + end] === id) end++;
        if (id !== bg) {
          const key = `${x},${end},${id}`;
          const above = open.get(key);
          if (above !== undefined) {
            above.h++;
            next.set(key, above);
          } else {
            const rect: RectItem = { kind: 'rect', x: dx + x, y: dy + y, w: end - x, h: 1, fill: colors[id]! };
            items.push(rect);
            next.set(key, rect);
          }
        }
        x = end;
      }
      open = next;
    }
  }
  return { width: size, height: size, background: colors[bg]!, items };
}

/** The shuffled image the model sees (tiles numbered 1 .. N in reading order). */
export function jigsawScene(q: JigsawQuestion, size: number = DEFAULT_JIGSAW_OPTIONS.imageSize): Scene {
  return tiledScene(q.picture, q.grid, q.shown, size);
}

/** The question's images in prompt order: just the shuffled image (an array, as rotationScenes returns). */
export function jigsawScenes(q: JigsawQuestion, size: number = DEFAULT_JIGSAW_OPTIONS.imageSize): Scene[] {
  return [jigsawScene(q, size)];
}

/** The picture as it was before the shuffle (the solved puzzle; for display and tests). */
export function jigsawSolvedScene(q: JigsawQuestion, size: number = DEFAULT_JIGSAW_OPTIONS.imageSize): Scene {
  return tiledScene(
    q.picture,
    q.grid,
    q.shown.map((_, i) => i),
    size,
  );
}

/**
 * The picture as an arrangement leaves it: restored position p shows the shuffled tile `arrangement[p]`
 * (1-based), that is the picture's tile shown[arrangement[p] - 1]. The correct answer gives the solved
 * picture; a human's half-done arrangement gives what the play view draws.
 */
export function arrangedScene(q: JigsawQuestion, arrangement: readonly number[], size: number = DEFAULT_JIGSAW_OPTIONS.imageSize): Scene {
  const n = q.grid * q.grid;
  if (!isPermutation(arrangement, n)) throw new Error(`arrangedScene: [${arrangement.join(', ')}] is not a permutation of 1..${n}`);
  return tiledScene(
    q.picture,
    q.grid,
    arrangement.map((t) => q.shown[t - 1]!),
    size,
  );
}

// The reward's reading of a permutation is the one every Jigsaw module uses.
export { isPermutation };

export type JigsawAction = readonly number[] | { permutation: readonly number[] } | string | { response: string };

export interface JigsawStepInfo {
  correct: boolean;
  answer: number[];
  /** Restored positions whose tile is right (for display; the reward stays 0/1, as ViGaL's). */
  inPlace: number;
  /** The reward's parts when the action was a response; absent for a bare permutation. */
  verdict?: JigsawVerdict;
}

export interface JigsawStep {
  state: JigsawQuestion;
  reward: number;
  terminated: true;
  truncated: false;
  info: JigsawStepInfo;
}

/** Gymnasium-shaped wrapper: `reset(seed)` draws a question, `step(action)` grades it and ends the episode. */
export class JigsawEnv {
  readonly options: JigsawOptions;
  private state: JigsawQuestion | null = null;
  private done = true;

  constructor(opts: Partial<JigsawOptions> = {}) {
    this.options = resolveOptions(opts);
  }

  reset(seed: number): { state: JigsawQuestion; info: { seed: number; grid: JigsawGrid } } {
    this.state = jigsawQuestion(seed, this.options);
    this.done = false;
    return { state: this.state, info: { seed, grid: this.options.grid } };
  }

  /** An array (or `{ permutation }`) is a bare answer; a string (or `{ response }`) is a model response. */
  step(action: JigsawAction): JigsawStep {
    if (this.state === null) throw new Error('JigsawEnv.step: call reset(seed) first');
    if (this.done) throw new Error('JigsawEnv.step: the episode has terminated (one step per question); call reset(seed)');
    const state = this.state;
    this.done = true;
    const answer = [...state.answer];
    if (typeof action === 'string' || 'response' in action) {
      const response = typeof action === 'string' ? action : action.response;
      const verdict = scoreJigsaw(response, state.answer);
      const info: JigsawStepInfo = { correct: verdict.accuracy === 1, answer, inPlace: verdict.inPlace, verdict };
      return { state, reward: verdict.overall, terminated: true, truncated: false, info };
    }
    const perm = 'permutation' in action ? action.permutation : action;
    const inPlace = isPermutation(perm, answer.length) ? tilesInPlace(perm, answer) : 0;
    const correct = inPlace === answer.length;
    return { state, reward: correct ? 1 : 0, terminated: true, truncated: false, info: { correct, answer, inPlace } };
  }

  /** The current question's image (see `jigsawScenes`). */
  render(): Scene[] {
    if (this.state === null) throw new Error('JigsawEnv.render: call reset(seed) first');
    return jigsawScenes(this.state, this.options.imageSize);
  }
}
