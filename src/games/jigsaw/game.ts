/**
 * Jigsaw as a registered game (games/game.ts): a question game, one seeded question per seed, like
 * Rotation. Its one setting is the grid (2 x 2 or 3 x 3; the URL's `grid`). An action is the answer's
 * permutation written as the answer tag writes it, `[3, 1, 4, 2]`. Pure and DOM-free; the play view is
 * ./ui/Play.tsx (found by ui/gameViews.ts).
 */
import { questionSeedKey, type GameVerdict, type QuestionGame, type ReportTally } from '../game';
import type { Scene, SceneItem } from '../../render/scene';
import { jigsawBotResponse, JIGSAW_BOT_NAMES } from './bots';
import { jigsawPrompt } from './prompt';
import { JIGSAW_DATA_SOURCE, jigsawPerfectResponse, type JigsawGroundTruth } from './record';
import { extractJigsawAnswer, parsePermutation, scoreJigsaw } from './reward';
import { jigsawHeldOutSeeds } from './streams';
import {
  formatPermutation,
  isPermutation,
  JIGSAW_GRIDS,
  JIGSAW_IMAGE_SIZES,
  jigsawQuestion,
  jigsawQuestionKey,
  jigsawScenes,
  type JigsawGrid,
  type JigsawQuestion,
} from './task';
import { jigsawTrace } from './trace';

/** What a Jigsaw question is asked under (the URL's `grid`). A type, not an interface: settings travel as plain records. */
export type JigsawSettings = {
  grid: JigsawGrid;
};

export const DEFAULT_JIGSAW_SETTINGS: JigsawSettings = { grid: 2 };

const gridOf = (raw: unknown): JigsawGrid | null => {
  const n = typeof raw === 'string' ? Number(raw) : raw;
  return (JIGSAW_GRIDS as readonly unknown[]).includes(n) ? (n as JigsawGrid) : null;
};

/** An answer list as the game's action: `[3, 1, 4, 2]` (null when the text is no list of numbers). */
function actionOfAnswerText(answerText: string | null): string | null {
  if (answerText === null) return null;
  const list = parsePermutation(answerText);
  return list === null ? null : formatPermutation(list);
}

/**
 * The question's images at any side: exact (whole-pixel tiles) when the side is a multiple of the grid,
 * as every export and model size is; otherwise drawn at the nearest multiple and scaled to the side asked
 * for (a view's width on a phone), so callers need not know the grid. Scaled edges are rounded to whole
 * pixels, so neighbouring runs still meet without the hairline seams fractional edges leave on a canvas.
 */
export function jigsawScenesAt(q: JigsawQuestion, size: number, { marks = false }: { marks?: boolean } = {}): Scene[] {
  const scenes = scenesAt(q, size);
  return marks ? scenes.map((scene) => ({ ...scene, items: [...scene.items, ...tileNumbers(q.grid, size)] })) : scenes;
}

/**
 * Each shuffled tile's number (1..N in reading order, as the prompt defines them) in a dark badge at its
 * top-left corner, drawn with the bitmap font so the Konva view and a raster agree.
 */
export function tileNumbers(grid: number, size: number): SceneItem[] {
  const tile = size / grid;
  const text = tile >= 72 ? 18 : tile >= 45 ? 14 : 9;
  const pad = Math.max(2, Math.round(text / 4));
  const items: SceneItem[] = [];
  for (let i = 0; i < grid * grid; i++) {
    const x = Math.round((i % grid) * tile) + pad;
    const y = Math.round(Math.floor(i / grid) * tile) + pad;
    const w = Math.round(text * 0.75) + 2 * pad;
    items.push({ kind: 'rect', x, y, w, h: text + pad, fill: '#1f2328' });
    items.push({ kind: 'text', x: x + w / 2, y: y + pad / 2 + text / 9, text: String(i + 1), size: text, fill: '#ffffff', align: 'center', baseline: 'top' });
  }
  return items;
}

function scenesAt(q: JigsawQuestion, size: number): Scene[] {
  if (Number.isInteger(size) && size % q.grid === 0 && size >= 2 * q.grid) return jigsawScenes(q, size);
  const exact = Math.max(2 * q.grid, Math.round(size / q.grid) * q.grid);
  const k = size / exact;
  return jigsawScenes(q, exact).map((scene) => ({
    ...scene,
    width: size,
    height: size,
    items: scene.items.flatMap((item): SceneItem[] => {
      if (item.kind !== 'rect') return [item];
      const [x0, y0, x1, y1] = [item.x, item.y, item.x + item.w, item.y + item.h].map((v) => Math.round(v * k)) as [number, number, number, number];
      return x1 > x0 && y1 > y0 ? [{ ...item, x: x0, y: y0, w: x1 - x0, h: y1 - y0 }] : [];
    }),
  }));
}

/** A Jigsaw verdict keeps scoreJigsaw's count of tiles in place; the report tally reads it back. */
type JigsawGameVerdict = GameVerdict & { inPlace: number };

/**
 * Partial credit beside the exact-order accuracy: the share of positions whose tile is right, over every
 * answer (an answer that is no permutation of the tiles places none). A uniform guess places 1 in N.
 */
function tilesTally(): ReportTally<JigsawQuestion, number[]> {
  let placed = 0;
  return {
    add(verdict, truth) {
      placed += (verdict as JigsawGameVerdict).inPlace / truth.length;
    },
    fields: (k) => ({ tiles_right: placed / k }),
  };
}

function readAnswer(json: unknown, what: string): number[] {
  if (!Array.isArray(json) || !isPermutation(json, json.length) || json.length < 4) {
    throw new Error(`${what} must be a permutation of 1..N (N = 4 or 9) as a list of integers; got ${JSON.stringify(json)?.slice(0, 80)}`);
  }
  return [...json];
}

export const jigsawGame: QuestionGame<JigsawQuestion, number[], JigsawSettings, JigsawGroundTruth> = {
  id: 'jigsaw',
  title: 'Jigsaw',
  blurb: 'A picture cut into 2x2 or 3x3 tiles and shuffled; name which tile goes where.',
  playKeys: [
    { keys: ['←', '↑', '→', '↓', 'Home', 'End'], does: 'move between tiles (Tab reaches the board)' },
    { keys: ['Enter', 'Space'], does: 'pick a tile; pick another to swap them' },
    { keys: ['Enter'], does: 'next question after answering (or N)' },
  ],
  kind: 'question',
  dataSource: JIGSAW_DATA_SOURCE,
  defaultImageSize: JIGSAW_IMAGE_SIZES.game,
  // ViGaL's 512 px is no multiple of 3; 504 is the nearest that cuts both grids into whole pixels.
  exportRender: { imageSize: JIGSAW_IMAGE_SIZES.export },
  exportStream: 'exportJigsaw',
  // One cheap flat-colour image a question.
  exportChunk: 16,
  watchStream: 'watchJigsaw',

  settings: {
    default: DEFAULT_JIGSAW_SETTINGS,
    choices: { grid: JIGSAW_GRIDS.map(String) },
    parse: (get) => ({ grid: gridOf(get('grid')) ?? DEFAULT_JIGSAW_SETTINGS.grid }),
    format: (o): Record<string, string> => (o.grid !== DEFAULT_JIGSAW_SETTINGS.grid ? { grid: String(o.grid) } : {}),
    of: (q) => ({ grid: q.grid }),
  },
  // Only the grid: an export's settings also carry its image size, which the question does not depend on.
  question: (seed, o) => jigsawQuestion(seed, { grid: gridOf(o.grid) ?? DEFAULT_JIGSAW_SETTINGS.grid }),
  options: () => null,
  view: { last: 1, captions: ['Shuffled tiles, numbered for you (the model sees no numbers)'] },
  ask: (q, images) =>
    `Image ${images} is a picture cut into ${q.grid} x ${q.grid} tiles and shuffled; its tiles are numbered 1 to ${q.grid * q.grid} in reading order. ` +
    `For each position of the restored picture, in reading order, which tile belongs there? Answer as a list, e.g. ${formatPermutation(
      Array.from({ length: q.grid * q.grid }, (_, i) => i + 1),
    )}.`,

  parseState(json) {
    const q = json as Partial<JigsawQuestion> | null;
    if (typeof q !== 'object' || q === null || typeof q.seed !== 'number' || gridOf(q.grid) === null || typeof q.picture !== 'object') {
      throw new Error(`Jigsaw state must be a question object with a numeric 'seed', 'grid' 2 or 3 and a 'picture'; got ${JSON.stringify(json)?.slice(0, 80)}`);
    }
    const n = q.grid! * q.grid!;
    if (
      !Array.isArray(q.shown) ||
      !isPermutation(
        q.shown.map((p) => Number(p) + 1),
        n,
      )
    )
      throw new Error(`Jigsaw state 'shown' must be a shuffle of 0..${n - 1}`);
    readAnswer(q.answer, "Jigsaw state 'answer'");
    return q as JigsawQuestion;
  },
  stateKey: jigsawQuestionKey,
  // The seed fixes the question; the picture is excluded however it is shuffled.
  exclusionKeys: (q) => [questionSeedKey(q.seed), `picture:${JSON.stringify([q.grid, q.picture])}`],
  // 3x3 asks the same question seeds, cut into the larger grid.
  heldOutVariants: { grid: JIGSAW_GRIDS },
  heldOut(n, seed, set = {}) {
    const grid = set.grid === undefined ? DEFAULT_JIGSAW_SETTINGS.grid : gridOf(set.grid);
    if (grid === null) throw new Error(`heldOutPositions: grid must be one of ${JIGSAW_GRIDS.join(', ')}, got ${String(set.grid)}`);
    return jigsawHeldOutSeeds(n, seed).map((questionSeed) => jigsawQuestion(questionSeed, { grid }));
  },

  truth: (q) => [...q.answer],
  parseTruth(json) {
    const answer = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as { answer?: unknown }).answer : json;
    return readAnswer(answer, 'jigsaw truth');
  },
  score(response, answer) {
    const v = scoreJigsaw(response, answer);
    return { format: v.format, accuracy: v.accuracy, overall: v.overall, action: actionOfAnswerText(v.answerText), inPlace: v.inPlace };
  },
  parse: (response) => (typeof response === 'string' ? actionOfAnswerText(extractJigsawAnswer(response)) : null),
  truthText: formatPermutation,
  perfectResponse: (answer) => jigsawPerfectResponse({ game: 'jigsaw', answer }),
  handResponse: (action) => {
    const list = parsePermutation(action);
    return `<think>Tiles swapped by hand until the picture looked whole.</think><answer>${list === null ? action : formatPermutation(list)}</answer>`;
  },

  prompt: (q, variant) => jigsawPrompt(q, { variant }),
  scenes: (q, opts) => jigsawScenesAt(q, opts.size, { marks: opts.marks ?? false }),
  // The prompt states no position: the image-only ablation leaves it unchanged.
  imageOnlyPrompt: (prompt) => prompt,
  trace: (q) => jigsawTrace(q).response,
  bots: Object.fromEntries(
    JIGSAW_BOT_NAMES.map((name) => [
      name,
      (q: JigsawQuestion, rng: Parameters<typeof jigsawBotResponse>[2]) => {
        const { text, action } = jigsawBotResponse(name, q, rng);
        return { action: formatPermutation(action), text };
      },
    ]),
  ),

  tally: tilesTally,

  exportTruth: (q, answer, seed) => ({ game: 'jigsaw', answer: [...answer], grid: q.grid, seed }),
  parseExportTruth(t) {
    const truth: JigsawGroundTruth = { game: 'jigsaw', answer: readAnswer(t['answer'], "jigsaw ground truth 'answer'") };
    if (t['grid'] !== undefined) {
      const grid = gridOf(t['grid']);
      if (grid === null || grid * grid !== truth.answer.length)
        throw new Error(`jigsaw ground truth 'grid' must be 2 or 3 and match the answer; got ${JSON.stringify(t['grid'])}`);
      truth.grid = grid;
    }
    if (typeof t['seed'] === 'number') truth.seed = t['seed'];
    return truth;
  },
  truthOfExport: (e) => [...e.answer],
  stateOfExport: (e) => (e.seed === undefined ? null : jigsawQuestion(e.seed, { grid: gridOf(e.grid) ?? (e.answer.length === 9 ? 3 : 2) })),
  // What the model is shown (grid, picture, shuffle), without the seed; long, so the export hashes it.
  exportKey: jigsawQuestionKey,
  hashExportKey: true,
};
