/**
 * The shared reward vectors (src/data/golden/reward-vectors.jsonl, written by
 * python/make_golden_vectors.py with hand-written expectations): the TypeScript verifiers must score
 * every case exactly as python/vigal_reward.py does (python/test_vigal_reward.py runs the same file).
 */
import { describe, expect, it } from 'vitest';
import { readGoldenCases, responseOf } from '../games/goldenCases.check';
import { gameOf } from '../games/registry';
import { parseGroundTruth } from './record';

const cases = readGoldenCases(new URL('./golden/reward-vectors.jsonl', import.meta.url));

describe('golden reward vectors', () => {
  it('has at least 60 cases with unique ids', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  // ViGaL's tagged labels are a Python-side input format (OpenRLHF data); the app scores export truths.
  const exportCases = cases.filter((c) => (c.truthFormat ?? 'export') === 'export');

  it.each(exportCases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const truth = parseGroundTruth(c.truth);
    const response = responseOf(c);
    const started = performance.now();
    const game = gameOf(truth.game);
    const got = game.score(response, game.truthOfExport(truth));
    const ms = performance.now() - started;
    expect({ format: got.format, accuracy: got.accuracy, overall: got.overall }, c.why).toEqual(c.expect);
    // Linear time even on megabyte inputs (ViGaL's lookahead regex is quadratic).
    expect(ms).toBeLessThan(2000);
  });
});
