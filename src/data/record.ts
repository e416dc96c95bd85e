/**
 * The canonical dataset record: one sample, written once and handed to every engine writer, which only
 * re-shapes it (docs/engines.md). Also the ground-truth JSON the export writes and every reward reads
 * (python/vigal_reward.py parses the same string).
 */
import type { GameId } from '../games/registry';
import { MOVES, type Move, type SnakeState } from '../games/snake';

/** Image placeholder of the engines' prompts; one per image, in image order. */
export const IMAGE_PLACEHOLDER = '<image>';

/** `data_source` (verl) / `datasource` (OpenRLHF) of each game; rewards dispatch on the ground truth. */
export const DATA_SOURCES: Readonly<Record<GameId, string>> = { snake: 'vigal/snake', rotation: 'vigal/rotation' };

export type Split = 'train' | 'val';
export const SPLITS: readonly Split[] = ['train', 'val'];

/** Snake's truth: ViGaL's labels of the state (and the state, so rollout dumps can be replayed). */
export interface SnakeGroundTruth {
  game: 'snake';
  best: Move[];
  worst: Move[];
  state?: SnakeState;
}

/** Rotation's truth: the exact option string; seed and setting regenerate the question. */
export interface RotationGroundTruth {
  game: 'rotation';
  answer: string;
  seed?: number;
  classes?: string[];
  example?: boolean;
}

export type GroundTruth = SnakeGroundTruth | RotationGroundTruth;

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
    throw new Error('ground truth must be an object {"game":"snake",...} or {"game":"rotation",...}');
  }
  const t = value as Record<string, unknown>;
  if (t['game'] === 'snake') {
    const moves = (key: 'best' | 'worst'): Move[] => {
      const list = t[key];
      if (!Array.isArray(list) || !list.every((m) => (MOVES as readonly unknown[]).includes(m))) {
        throw new Error(`snake ground truth '${key}' must be a list of ${MOVES.join(', ')}; got ${JSON.stringify(list)}`);
      }
      return list as Move[];
    };
    const truth: SnakeGroundTruth = { game: 'snake', best: moves('best'), worst: moves('worst') };
    if (t['state'] !== undefined) truth.state = t['state'] as SnakeState;
    return truth;
  }
  if (t['game'] === 'rotation') {
    if (typeof t['answer'] !== 'string') throw new Error(`rotation ground truth 'answer' must be a string; got ${JSON.stringify(t['answer'])}`);
    const truth: RotationGroundTruth = { game: 'rotation', answer: t['answer'] };
    if (typeof t['seed'] === 'number') truth.seed = t['seed'];
    if (Array.isArray(t['classes'])) truth.classes = t['classes'] as string[];
    if (typeof t['example'] === 'boolean') truth.example = t['example'];
    return truth;
  }
  throw new Error(`ground truth 'game' must be 'snake' or 'rotation'; got ${JSON.stringify(t['game'])}`);
}

/** What a perfect response to this truth looks like (check-dataset scores it and must get 1.1). */
export function perfectResponse(truth: GroundTruth): string {
  if (truth.game === 'snake') {
    const worst = truth.worst.length > 0 ? truth.worst.join(', ') : 'None';
    return `<think>ground truth</think><best_answer>${truth.best[0] ?? ''}</best_answer><worst_answer>${worst}</worst_answer>`;
  }
  return `<think>ground truth</think><answer>${truth.answer}</answer>`;
}
