/**
 * Jigsaw's shared reward vectors (src/games/jigsaw/reward-vectors.jsonl, written by
 * python/make_golden_vectors.py with hand-written expectations): scoreJigsaw must score every case
 * exactly as python/vigal_reward.py's score_jigsaw does (python/test_vigal_reward.py runs the same file).
 * A file of its own, because src/data/golden.test.ts parses truths with the data layer's two-game parser.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scoreJigsaw } from './reward';

interface GoldenCase {
  id: string;
  game: 'jigsaw';
  truth: string;
  response?: string;
  responseRepeat?: { prefix: string; unit: string; times: number; suffix: string };
  expect: { format: number; accuracy: number; overall: number };
  why: string;
}

const path = fileURLToPath(new URL('./reward-vectors.jsonl', import.meta.url));
const cases: GoldenCase[] = readFileSync(path, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as GoldenCase);

function responseOf(c: GoldenCase): string {
  if (c.response !== undefined) return c.response;
  const r = c.responseRepeat!;
  return r.prefix + r.unit.repeat(r.times) + r.suffix;
}

describe('jigsaw golden reward vectors', () => {
  it('has at least 50 cases with unique ids, all Jigsaw', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const c of cases) expect(c.game).toBe('jigsaw');
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const truth = JSON.parse(c.truth) as { game: string; answer: number[] };
    expect(truth.game).toBe('jigsaw');
    const started = performance.now();
    const got = scoreJigsaw(responseOf(c), truth.answer);
    const ms = performance.now() - started;
    expect({ format: got.format, accuracy: got.accuracy, overall: got.overall }, c.why).toEqual(c.expect);
    expect(ms).toBeLessThan(2000);
  });
});
