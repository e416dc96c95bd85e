/**
 * The Jigsaw reward: ViGaL's shape (format 0.1 + accuracy 1.0, overall their sum), with Rotation's tags.
 * No regular expressions, so any input, megabytes of it or binary garbage, is scored in linear time and
 * never throws. python/vigal_reward.py (`score_jigsaw`) is the same function in Python, held equal by
 * the golden vectors in src/games/jigsaw/golden/reward-vectors.jsonl.
 *
 * On the response after Python's `.strip()` (an empty response scores 0):
 * - format 0.1: exactly Rotation's rule (each of <think>, </think>, <answer>, </answer> once, in the shape
 *   `<think>X</think>`, only whitespace, `<answer>Y</answer>`, X and Y at least one character each).
 * - accuracy 1.0: the content of the first `<answer>` up to the next `</answer>` is read as a list of
 *   tile numbers (`parsePermutation`) and equals the answer exactly. Any other list, a non-permutation
 *   included, is wrong. No partial credit (ViGaL's rewards are 0/1); the verdict reports how many tiles
 *   an answer puts in place, for display only.
 *
 * Unlike Rotation, newlines in the answer are separators, not deleted: `3\n1` is two numbers, not 31.
 */
import type { RewardParts } from '../types';
import { isPySpace, pyStrip } from '../../util/pytext';
import { scoreRotation } from '../rotation/reward';

export interface JigsawVerdict extends RewardParts {
  /** The stripped content of the first answer tag, or null when there is no complete answer tag. */
  answerText: string | null;
  /** The answer read as a permutation of 1 .. N, or null when it is not one (malformed, wrong length, repeats). */
  permutation: number[] | null;
  /** Restored positions the answer fills with the right tile (0 when it is not a permutation). */
  inPlace: number;
}

export const FORMAT_REWARD = 0.1;
export const ACCURACY_REWARD = 1.0;
/** A tile number has at most this many digits (leading zeros included): Python's int() of a huge digit string raises, and no grid has 10,000 tiles. */
export const MAX_DIGITS = 4;

const ANSWER_OPEN = '<answer>';
const ANSWER_CLOSE = '</answer>';

/**
 * Reads `[3, 1, 4, 2]`, `3,1,4,2`, `3 1 4 2`, `(3, 1, 4, 2)` and the like as a list of numbers; null
 * when it is not such a list. The rule, the same in python/vigal_reward.py:
 * 1. strip (Python whitespace);
 * 2. if it starts with '[' and ends with ']', or with '(' and ')', drop that one pair;
 * 3. split at every ',' and every whitespace character; drop empty pieces;
 * 4. every piece must be 1 to MAX_DIGITS ASCII digits (no sign, no decimal point); at least one piece.
 * Whether the list is a permutation of the right size is the caller's question.
 */
export function parsePermutation(text: string): number[] | null {
  if (typeof text !== 'string') return null;
  let s = pyStrip(text);
  if (s.length >= 2) {
    const first = s[0];
    const last = s[s.length - 1];
    if ((first === '[' && last === ']') || (first === '(' && last === ')')) s = s.slice(1, -1);
  }
  const out: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0x2c; // a final ',' closes the last piece
    if (c === 0x2c || isPySpace(c)) {
      if (digits > 0) out.push(value);
      value = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (++digits > MAX_DIGITS) return null;
      value = value * 10 + (c - 0x30);
    } else {
      return null;
    }
  }
  return out.length > 0 ? out : null;
}

/** Whether `perm` holds each of 1 .. n exactly once. */
export function isPermutation(perm: readonly unknown[], n: number): perm is number[] {
  if (!Array.isArray(perm) || perm.length !== n) return false;
  const seen = new Array<boolean>(n + 1).fill(false);
  for (const t of perm) {
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > n || seen[t]) return false;
    seen[t] = true;
  }
  return true;
}

/** Restored positions where two arrangements agree. */
export function tilesInPlace(perm: readonly number[], answer: readonly number[]): number {
  let n = 0;
  for (let p = 0; p < answer.length; p++) if (perm[p] === answer[p]) n++;
  return n;
}

/** Content of the first `<answer>` up to the next `</answer>`, stripped; null if absent. */
export function extractJigsawAnswer(s: string): string | null {
  const open = s.indexOf(ANSWER_OPEN);
  if (open < 0) return null;
  const close = s.indexOf(ANSWER_CLOSE, open + ANSWER_OPEN.length);
  if (close < 0) return null;
  return pyStrip(s.slice(open + ANSWER_OPEN.length, close));
}

/** Scores a response against the answer (1-based tile numbers per restored position). Never throws. */
export function scoreJigsaw(response: string, answer: readonly number[]): JigsawVerdict {
  const none: JigsawVerdict = { format: 0, accuracy: 0, overall: 0, answerText: null, permutation: null, inPlace: 0 };
  if (typeof response !== 'string' || !Array.isArray(answer) || !isPermutation(answer, answer.length) || answer.length === 0) return none;
  const s = pyStrip(response);
  if (s.length === 0) return none;
  // The format rule is Rotation's, character for character; its accuracy part is ignored here.
  const format = scoreRotation(s, '').format;
  const answerText = extractJigsawAnswer(s);
  const parsed = answerText === null ? null : parsePermutation(answerText);
  const permutation = parsed !== null && isPermutation(parsed, answer.length) ? parsed : null;
  const inPlace = permutation === null ? 0 : tilesInPlace(permutation, answer);
  const accuracy = permutation !== null && inPlace === answer.length ? ACCURACY_REWARD : 0;
  return { format, accuracy, overall: accuracy + format, answerText, permutation, inPlace };
}
