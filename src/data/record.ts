/**
 * The canonical dataset record: one sample, written once and handed to every engine writer, which only
 * re-shapes it (docs/engines.md). Also the ground-truth JSON the export writes and every reward reads
 * (python/vigal_reward.py parses the same string).
 */
import { GAME_IDS, gameOf, isGameId, type GameExportTruth, type GameId } from '../games/registry';

/** Image placeholder of the engines' prompts; one per image, in image order. */
export const IMAGE_PLACEHOLDER = '<image>';

/** `data_source` (verl) / `datasource` (OpenRLHF) of each game (the game's `dataSource`); rewards dispatch on the ground truth. */
export const DATA_SOURCES: Readonly<Record<GameId, string>> = Object.fromEntries(GAME_IDS.map((id) => [id, gameOf(id).dataSource])) as Record<GameId, string>;

export type Split = 'train' | 'val';
export const SPLITS: readonly Split[] = ['train', 'val'];

export type { SnakeGroundTruth } from '../games/snake/game';
export type { RotationGroundTruth } from '../games/rotation/game';

/** A game's exported truth (each game's `exportTruth`): plain JSON with `game` first. */
export type GroundTruth = GameExportTruth;

export interface SampleRecord {
  game: GameId;
  split: Split;
  /** Position within its split, 0-based (verl's `extra_info.index`). */
  index: number;
  /** The seed the sample came from: the sampler's seed for its Snake chunk, the question seed for Rotation. */
  seed: number;
  /** Duplicate-detection key of what the model is shown (game-prefixed, so games never collide). */
  stateKey: string;
  /** The state JSON: a SnakeState or a RotationQuestion. */
  state: unknown;
  /** PNG bytes, in prompt order. */
  images: Uint8Array[];
  /** The user message, with one IMAGE_PLACEHOLDER per image. */
  prompt: string;
  groundTruth: GroundTruth;
  /** `groundTruth` serialised once, byte-identical in every engine's files. */
  groundTruthJson: string;
}

/** The one serialisation of a ground truth (key order fixed by construction, no spaces). */
export function groundTruthJson(truth: GroundTruth): string {
  return JSON.stringify(truth);
}

export function countPlaceholders(text: string): number {
  let n = 0;
  for (let at = text.indexOf(IMAGE_PLACEHOLDER); at >= 0; at = text.indexOf(IMAGE_PLACEHOLDER, at + IMAGE_PLACEHOLDER.length)) n++;
  return n;
}

/** A prompt with every image placeholder first, then the text (the images precede the question, as in ViGaL's data). */
export function withPlaceholders(text: string, images: number): string {
  return IMAGE_PLACEHOLDER.repeat(images) + text;
}

/** Splits a placeholder prompt into chat content parts (`{"type":"image"}` / `{"type":"text"}`), in order. */
export function contentParts(prompt: string): ({ type: 'image'; text: null } | { type: 'text'; text: string })[] {
  const parts: ({ type: 'image'; text: null } | { type: 'text'; text: string })[] = [];
  prompt.split(IMAGE_PLACEHOLDER).forEach((text, i) => {
    // `text: null` on image parts keeps one struct type for every part (arrow and parquet need that).
    if (i > 0) parts.push({ type: 'image', text: null });
    if (text !== '') parts.push({ type: 'text', text });
  });
  return parts;
}

/**
 * Parses an exported ground truth (the JSON string or the object), validating it; throws an Error that
 * names the bad field and the valid values.
 */
export function parseGroundTruth(input: unknown): GroundTruth {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input) as unknown;
    } catch (err) {
      throw new Error(`ground truth is not JSON: ${(err as Error).message}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`ground truth must be an object ${GAME_IDS.map((g) => `{"game":"${g}",...}`).join(' or ')}`);
  }
  const t = value as Record<string, unknown>;
  if (!isGameId(t['game'])) throw new Error(`ground truth 'game' must be ${GAME_IDS.map((g) => `'${g}'`).join(' or ')}; got ${JSON.stringify(t['game'])}`);
  return gameOf(t['game']).parseExportTruth(t) as GroundTruth;
}

/** What a perfect response to this truth looks like (check-dataset scores it and must get 1.1). */
export function perfectResponse(truth: GroundTruth): string {
  const game = gameOf(truth.game);
  return game.perfectResponse(game.truthOfExport(truth));
}
