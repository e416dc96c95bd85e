/**
 * Reading the shared reward-vector files (JSONL, written by python/make_golden_vectors.py): one case a
 * line, a literal response or a repeated one (the long-input cases). Used by src/data/golden.test.ts
 * and src/games/jigsaw/golden.test.ts, whose Python twins read the same files.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface GoldenCase {
  id: string;
  game: string;
  truth: string;
  truthFormat?: 'export' | 'vigal';
  response?: string;
  responseRepeat?: { prefix: string; unit: string; times: number; suffix: string };
  expect: { format: number; accuracy: number; overall: number };
  why: string;
}

/** Every case of a vectors file (a URL, e.g. `new URL('./reward-vectors.jsonl', import.meta.url)`). */
export function readGoldenCases(url: URL): GoldenCase[] {
  return readFileSync(fileURLToPath(url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as GoldenCase);
}

/** The response a case scores: its literal text, or prefix + unit x times + suffix. */
export function responseOf(c: GoldenCase): string {
  if (c.response !== undefined) return c.response;
  const r = c.responseRepeat!;
  return r.prefix + r.unit.repeat(r.times) + r.suffix;
}
