/**
 * The Rotation reward, exactly as ViGaL's released snake+rotation reward function computes it
 * (`format_reward_func_3d` and `accuracy_reward_func_3d`), without regular expressions so that any input,
 * megabytes of it or binary garbage, is scored in linear time and never throws.
 *
 * ViGaL, in Python, on the response after `.strip()` (an empty response scores 0):
 * - format 0.1: each of <think>, </think>, <answer>, </answer> occurs exactly once, and
 *   `<think>(.+?)</think>\s*<answer>(.+?)</answer>` matches under re.DOTALL. So both contents need at
 *   least ONE character, any character: `<think> </think>` and `<answer>\n</answer>` pass; only
 *   `<think></think>` and `<answer></answer>` fail. We follow the regex, not a stricter reading.
 * - accuracy 1.0: `<answer>(.*?)</answer>` (DOTALL, first match), `.strip()`, then every '\n' deleted,
 *   compared with the label by exact, case-sensitive equality. Tags need not be unique for accuracy.
 *
 * "Whitespace" is Python's (`str.isspace`, which both `.strip()` and `\s` use), not JavaScript's: they
 * differ on U+001C-U+001F and U+0085 (Python whitespace) and U+FEFF (JavaScript only), and a cluster
 * scorer in Python must agree with this one on every string.
 */
import type { RewardParts } from '../types';
import { isPySpace, pyStrip } from '../../util/pytext';

export interface RotationVerdict extends RewardParts {
  /** The cleaned content of the first answer tag, or null when there is no complete answer tag. */
  answerText: string | null;
}

export const FORMAT_REWARD = 0.1;
export const ACCURACY_REWARD = 1.0;

const THINK_OPEN = '<think>';
const THINK_CLOSE = '</think>';
const ANSWER_OPEN = '<answer>';
const ANSWER_CLOSE = '</answer>';

export function scoreRotation(response: string, answer: string): RotationVerdict {
  const none: RotationVerdict = { format: 0, accuracy: 0, overall: 0, answerText: null };
  if (typeof response !== 'string' || typeof answer !== 'string') return none;
  const s = pyStrip(response);
  if (s.length === 0) return none;

  const format = hasFormat(s) ? FORMAT_REWARD : 0;
  const answerText = extractAnswer(s);
  const accuracy = answerText !== null && answerText === answer ? ACCURACY_REWARD : 0;
  return { format, accuracy, overall: accuracy + format, answerText };
}

/** Content of the first `<answer>` up to the next `</answer>`, stripped, newlines deleted; null if absent. */
export function extractAnswer(s: string): string | null {
  const open = s.indexOf(ANSWER_OPEN);
  if (open < 0) return null;
  const close = s.indexOf(ANSWER_CLOSE, open + ANSWER_OPEN.length);
  if (close < 0) return null;
  return pyStrip(s.slice(open + ANSWER_OPEN.length, close))
    .split('\n')
    .join('');
}

function hasFormat(s: string): boolean {
  if (countOf(s, THINK_OPEN) !== 1 || countOf(s, THINK_CLOSE) !== 1) return false;
  if (countOf(s, ANSWER_OPEN) !== 1 || countOf(s, ANSWER_CLOSE) !== 1) return false;
  const t0 = s.indexOf(THINK_OPEN);
  const t1 = s.indexOf(THINK_CLOSE);
  const a0 = s.indexOf(ANSWER_OPEN);
  const a1 = s.indexOf(ANSWER_CLOSE);
  // With every tag unique, the regex's lazy groups can only span from each opening tag to its closing tag.
  const thinkEnd = t1 + THINK_CLOSE.length;
  if (!(t1 - (t0 + THINK_OPEN.length) >= 1)) return false;
  if (!(a1 - (a0 + ANSWER_OPEN.length) >= 1)) return false;
  if (a0 < thinkEnd) return false;
  for (let i = thinkEnd; i < a0; i++) if (!isPySpace(s.charCodeAt(i))) return false;
  return true;
}

/** Non-overlapping occurrences, as Python's `str.count`; stops at 2, which is all the format needs. */
function countOf(s: string, needle: string): number {
  let n = 0;
  let at = s.indexOf(needle);
  while (at >= 0 && n < 2) {
    n++;
    at = s.indexOf(needle, at + needle.length);
  }
  return n;
}
