/**
 * Test helpers that run deriveSeed backwards, so a test can build two streams that meet on purpose
 * (the one way to check that code which must drop shared states really drops them). Not used at run time.
 */
import { mix32 } from './rng';

/** The multiplicative inverse of an odd 32-bit constant (Newton's iteration doubles the right bits each round). */
function inverseOdd(c: number): number {
  let x = c;
  for (let i = 0; i < 5; i++) x = Math.imul(x, (2 - Math.imul(c, x)) >>> 0) >>> 0;
  return x >>> 0;
}

/** unmix32(mix32(x)) === x. */
export function unmix32(y: number): number {
  let h = y >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  h = Math.imul(h, inverseOdd(0xc2b2ae35)) >>> 0;
  h = (h ^ (h >>> 13) ^ (h >>> 26)) >>> 0;
  h = Math.imul(h, inverseOdd(0x85ebca6b)) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A base with deriveSeed(base, index) === target (mirrors deriveSeed's two mixes). */
export function baseForDerivedSeed(target: number, index: number): number {
  const inner = (unmix32(target) - Math.imul(index >>> 0, 0x9e3779b9)) >>> 0;
  return (unmix32(inner) ^ 0x5bd1e995) >>> 0;
}

// Keeps the helpers honest against the real function (a cheap check, run whenever a test imports this).
if (mix32(unmix32(0x12345678)) !== 0x12345678) throw new Error('rng.testkit: unmix32 is not the inverse of mix32');
