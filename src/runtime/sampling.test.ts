import { describe, expect, it } from 'vitest';
import { applyTopK, applyTopP, argmax, chooseToken, drawFrom, logSoftmaxAt, softmax } from './sampling';
import { Rng } from '../util/rng';

describe('sampling', () => {
  it('argmax takes the first of equal maxima', () => {
    expect(argmax([1, 3, 3, -Infinity])).toBe(1);
  });

  it('softmax with temperature, and -Infinity entries at 0', () => {
    const p = softmax([0, Math.log(3), -Infinity]);
    expect(p[0]).toBeCloseTo(0.25);
    expect(p[1]).toBeCloseTo(0.75);
    expect(p[2]).toBe(0);
    const hot = softmax([0, Math.log(3)], 2); // sqrt(3) : 1
    expect(hot[1]).toBeCloseTo(Math.sqrt(3) / (1 + Math.sqrt(3)));
    expect(logSoftmaxAt([0, Math.log(3)], 1)).toBeCloseTo(Math.log(0.75));
  });

  it.each([
    // [probabilities, topP, kept indices]: the smallest most-likely set whose mass reaches topP
    [[0.5, 0.3, 0.2], 0.5, [0]],
    [[0.5, 0.3, 0.2], 0.6, [0, 1]],
    [[0.5, 0.3, 0.2], 1, [0, 1, 2]],
    [[0.1, 0.6, 0.3], 0.01, [1]],
  ])('top-p %j at %f keeps %j', (probs, topP, kept) => {
    const p = Float64Array.from(probs);
    applyTopP(p, topP);
    expect([...p.keys()].filter((i) => (p[i] as number) > 0)).toEqual(kept);
  });

  it('top-k keeps the k largest', () => {
    const p = Float64Array.from([0.1, 0.4, 0.2, 0.3]);
    applyTopK(p, 2);
    expect([...p]).toEqual([0, 0.4, 0, 0.3]);
  });

  it('draws in proportion to the probabilities (seeded)', () => {
    const rng = new Rng(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 10_000; i++) counts[drawFrom(Float64Array.from([0.2, 0, 0.8]), rng)]!++;
    expect(counts[1]).toBe(0);
    expect((counts[2] as number) / 10_000).toBeCloseTo(0.8, 1);
  });

  it('greedy when temperature is 0 or unset; seeded draws otherwise', () => {
    const logits = [0, 2, 1];
    expect(chooseToken(logits, {}, new Rng(1))).toBe(1);
    expect(chooseToken(logits, { temperature: 0 }, new Rng(1))).toBe(1);
    const a = Array.from({ length: 20 }, (_, i) => chooseToken(logits, { temperature: 1 }, new Rng(i)));
    const b = Array.from({ length: 20 }, (_, i) => chooseToken(logits, { temperature: 1 }, new Rng(i)));
    expect(a).toEqual(b);
    expect(new Set(a).size).toBeGreaterThan(1);
  });
});
