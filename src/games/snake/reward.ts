/**
 * The Snake verifier: exactly what ViGaL's released reward function (reward_func_qwen_snake.py)
 * computes, re-implemented without regular expressions so that it is linear-time on any input.
 *
 * Python semantics kept on purpose, since a Python copy of this reward must score cluster runs the
 * same (docs/engines.md): `str.strip()` and the regex `\s` use Python's whitespace set (which adds
 * U+001C-U+001F and U+0085 to JavaScript's and lacks U+FEFF); "delete newlines" deletes '\n' only;
 * "full stops" are '.' only.
 */

import type { RewardParts } from '../types';
import { MOVES, type Move } from './types';
import { isPySpace, pyStrip } from '../../util/pytext';

/** What a response says, read as the reward reads it (first blocks, cleaned); fields null when absent. */
export interface SnakeAnswer {
  /** Cleaned content of the first <best_answer> block, null when there is none. */
  bestText: string | null;
  /** Cleaned content of the first <worst_answer> block, null when there is none. */
  worstText: string | null;
  /** `bestText` read as a move (upper-cased), null when it is not exactly one. */
  bestMove: Move | null;
  /** The moves named in `worstText` as case-sensitive substrings, canonical order; null without the tag. */
  worstMoves: Move[] | null;
}

export interface SnakeVerdict extends RewardParts, SnakeAnswer {}

export interface SnakeTruth {
  best: readonly Move[];
  worst: readonly Move[];
}

const FORMAT_REWARD = 0.1;
const ACCURACY_REWARD = 1.0;

const THINK = '<think>';
const THINK_END = '</think>';
const BEST = '<best_answer>';
const BEST_END = '</best_answer>';
const WORST = '<worst_answer>';
const WORST_END = '</worst_answer>';

const NO_ANSWER: SnakeAnswer = { bestText: null, worstText: null, bestMove: null, worstMoves: null };

/** Reads the answer blocks of a response (what the game acts on). Never throws. */
export function parseSnakeAnswer(response: string): SnakeAnswer {
  if (typeof response !== 'string') return NO_ANSWER;
  return readAnswer(pyStrip(response));
}

function readAnswer(text: string): SnakeAnswer {
  const bestText = firstBlock(text, BEST, BEST_END);
  const worstText = firstBlock(text, WORST, WORST_END);
  const bestUpper = bestText === null ? null : bestText.toUpperCase();
  return {
    bestText,
    worstText,
    bestMove: MOVES.find((m) => m === bestUpper) ?? null,
    worstMoves: worstText === null ? null : MOVES.filter((m) => worstText.includes(m)),
  };
}

/**
 * Whether each half of an answer is right (a missing tag is wrong). Accuracy needs both; evaluation
 * reports them separately (best-move and worst-move accuracy).
 */
export function judgeSnakeAnswer(answer: SnakeAnswer, truth: SnakeTruth): { bestRight: boolean; worstRight: boolean } {
  const { bestText, worstText, worstMoves } = answer;
  const truthBest = truth.best.map((m) => String(m).toUpperCase());
  // Truth is canonicalised so that a label written in another order stays reachable.
  const worstUpper = truth.worst.map((m) => String(m).toUpperCase());
  const truthWorst = MOVES.filter((m) => worstUpper.includes(m));
  const bestRight = bestText !== null && ((bestText === '' && truthBest.length === 0) || truthBest.includes(bestText.toUpperCase()));
  const worstRight =
    worstText !== null &&
    worstMoves !== null &&
    ((worstText.toUpperCase() === 'NONE' && truthWorst.length === 0) ||
      (worstMoves.length === truthWorst.length && worstMoves.every((m, i) => m === truthWorst[i])));
  return { bestRight, worstRight };
}

export function scoreSnake(response: string, truth: SnakeTruth): SnakeVerdict {
  const zero: SnakeVerdict = { format: 0, accuracy: 0, overall: 0, ...NO_ANSWER };
  // ViGaL wraps its reward in a bare try/except that scores 0; the same here, for any input.
  try {
    if (typeof response !== 'string') return zero;
    const text = pyStrip(response);
    if (text === '') return zero;
    const format = formatOk(text) ? FORMAT_REWARD : 0;
    const answer = readAnswer(text);
    const { bestRight, worstRight } = judgeSnakeAnswer(answer, truth);
    const accuracy = bestRight && worstRight ? ACCURACY_REWARD : 0;
    return { format, accuracy, overall: accuracy + format, ...answer };
  } catch {
    return zero;
  }
}

/**
 * ViGaL's format regex, decided by positions instead of backtracking: every tag exactly once, then
 * `<think>X</think>\s*<best_answer>Y</best_answer>\s*<worst_answer>Z</worst_answer>` with anything
 * before and after. With each tag unique, the regex matches exactly when these spans line up.
 */
function formatOk(text: string): boolean {
  const tags = [THINK, THINK_END, BEST, BEST_END, WORST, WORST_END];
  const at: number[] = [];
  for (const tag of tags) {
    const i = text.indexOf(tag);
    if (i < 0 || text.indexOf(tag, i + 1) >= 0) return false;
    at.push(i);
  }
  const [think, thinkEnd, best, bestEnd, worst, worstEnd] = at as [number, number, number, number, number, number];
  return (
    think + THINK.length <= thinkEnd &&
    onlySpace(text, thinkEnd + THINK_END.length, best) &&
    best + BEST.length <= bestEnd &&
    onlySpace(text, bestEnd + BEST_END.length, worst) &&
    worst + WORST.length <= worstEnd
  );
}

/** `re.search(open + '(.*?)' + close, text, re.DOTALL)`, then ViGaL's cleaning. */
function firstBlock(text: string, open: string, close: string): string | null {
  const start = text.indexOf(open);
  if (start < 0) return null;
  const end = text.indexOf(close, start + open.length);
  if (end < 0) return null;
  const inner = text.slice(start + open.length, end);
  return pyStrip(pyStrip(inner).replaceAll('\n', '').replaceAll('.', ''));
}

/** True when text[from, to) is empty or all Python whitespace; false when `to < from`. */
function onlySpace(text: string, from: number, to: number): boolean {
  if (to < from) return false;
  for (let i = from; i < to; i++) if (!isPySpace(text.charCodeAt(i))) return false;
  return true;
}
