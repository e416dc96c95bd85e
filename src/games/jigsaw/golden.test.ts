/**
 * Jigsaw's shared reward vectors (src/games/jigsaw/reward-vectors.jsonl, written by
 * python/make_golden_vectors.py with hand-written expectations): scoreJigsaw must score every case
 * exactly as python/vigal_reward.py's score_jigsaw does (python/test_vigal_reward.py runs the same file).
 * The vectors live in the game's folder, beside its verifier; src/data/golden.test.ts reads Snake's and Rotation's.
 */
import { describe, expect, it } from 'vitest';
import { readGoldenCases, responseOf } from '../goldenCases.check';
import { scoreJigsaw } from './reward';

const cases = readGoldenCases(new URL('./reward-vectors.jsonl', import.meta.url));

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
