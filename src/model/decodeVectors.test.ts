/**
 * The shared decode vectors (src/data/golden/decode-vectors.json): token id strings and the text
 * `Tokenizer.decode` makes of them with the shipped tokenizer. python/nano_decode.py, the decoder a
 * Python trainer uses (scripts/gpu/train_nano_rl.py), must reproduce every one; python/test_nano_decode.py
 * runs the same file. The vectors mix solver traces (what the model writes) with random id strings over
 * the whole vocabulary, which reach the spacing rules traces never use (quotes, signs, [SP]/[NOSP]).
 * `UPDATE_GOLDEN=1` rewrites the file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sampleSnakeStates } from '../games/snake';
import { snakeTrace } from '../train/traces/snake';
import { Rng } from '../util/rng';
import { DEFAULT_MODEL } from './files';
import { responseIds } from './inputs';
import { Tokenizer } from './tokenizer';

const GOLDEN = fileURLToPath(new URL('../data/golden/decode-vectors.json', import.meta.url));
const TOKENIZER = fileURLToPath(new URL(`../../models/${DEFAULT_MODEL}/tokenizer.json`, import.meta.url));

interface DecodeVector {
  ids: number[];
  text: string;
}

function vectors(tok: Tokenizer): DecodeVector[] {
  const out: DecodeVector[] = [];
  for (const state of sampleSnakeStates(11, 40)) {
    const ids = responseIds(tok, snakeTrace(state).response);
    out.push({ ids, text: tok.decode(ids) });
  }
  const rng = new Rng(7);
  for (let i = 0; i < 200; i++) {
    const ids = Array.from({ length: 1 + rng.int(40) }, () => rng.int(tok.vocabSize));
    out.push({ ids, text: tok.decode(ids) });
  }
  return out;
}

describe('decode vectors shared with python/nano_decode.py', () => {
  it('the golden file holds what Tokenizer.decode makes of each id string', () => {
    const tok = Tokenizer.fromJSON(readFileSync(TOKENIZER, 'utf8'));
    const made = { tokenizer: `models/${DEFAULT_MODEL}/tokenizer.json`, vectors: vectors(tok) };
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, JSON.stringify(made) + '\n');
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as typeof made;
    expect(golden).toEqual(made);
    // The file must exercise more than concatenation: spaces the decoder inserts, and glued pieces.
    const spaced = golden.vectors.filter((v) => v.text.includes(' ')).length;
    expect(spaced).toBeGreaterThan(100);
    expect(golden.vectors.some((v) => v.text.includes('"') || v.text.includes("'"))).toBe(true);
  });
});
