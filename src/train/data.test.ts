import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, patchDim } from '../model/config';
import { defaultTokenizer } from '../model/tokenizer';
import { patchify } from '../model/patchify';
import { encodeExample, makeBatch, promptIds, responseIds } from './data';
import { snakeSource } from './traces/snake';

const tok = defaultTokenizer();

describe('SFT data', () => {
  it('encodes images with the shared model/patchify (values v / 127.5 - 1)', () => {
    const c = { ...DEFAULT_CONFIG, imageSize: 4, patchSize: 2, maxSeqLen: 64 };
    const white = { width: 4, height: 4, data: new Uint8ClampedArray(64).fill(255) };
    const e = encodeExample(c, tok, { images: [white], prompt: 'x', response: 'y' });
    expect(e.patches).toEqual(patchify(c, [white]));
    expect(e.patches.every((v) => v === 1)).toBe(true);
    expect(encodeExample({ ...c, inputMode: 'text' }, tok, { images: [white], prompt: 'x', response: 'y' }).patches).toHaveLength(0);
  });

  it('sequence layout: [BOS] prompt [\\n] | response [EOS], loss only where the next token is the response', () => {
    const c = { ...DEFAULT_CONFIG, imageSize: 4, patchSize: 2, maxSeqLen: 64 };
    const black = { width: 4, height: 4, data: new Uint8ClampedArray(64) };
    const e = encodeExample(c, tok, { images: [black], prompt: 'Best move', response: '<answer>UP</answer>' });
    expect(e.prompt).toEqual(promptIds(tok, 'Best move'));
    expect(e.prompt[0]).toBe(tok.bosId);
    expect(e.prompt.at(-1)).toBe(tok.id('\n'));
    expect(e.response).toEqual(responseIds(tok, '<answer>UP</answer>'));
    expect(e.response.at(-1)).toBe(tok.eosId);
    expect(e.patches.length).toBe(4 * patchDim(c));

    const T = 12;
    const b = makeBatch(c, [e], 2, T, tok.padId);
    const ids = [...e.prompt, ...e.response];
    expect(Array.from(b.inputIds.slice(0, ids.length))).toEqual(ids);
    expect(b.inputIds[ids.length]).toBe(tok.padId);
    // Weighted positions are exactly prompt.length - 1 .. ids.length - 2, each 1 / (response tokens).
    const weighted = Array.from(b.weights.slice(0, T)).flatMap((w, j) => (w > 0 ? [j] : []));
    expect(weighted).toEqual(Array.from({ length: e.response.length }, (_, k) => e.prompt.length - 1 + k));
    for (const j of weighted) expect(b.targets[j]).toBe(ids[j + 1]);
    expect(b.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 6);
    // The padding row carries no weight.
    expect(b.weights.slice(T).every((w) => w === 0)).toBe(true);
    expect(() => makeBatch(c, [e], 2, 4, tok.padId)).toThrow(/more than T = 4/);
  });

  it('snake source: held-out states are disjoint from training states; examples render at config.imageSize', () => {
    const c = { ...DEFAULT_CONFIG, maxSeqLen: 512 };
    const src = snakeSource(c, { seed: 3, trainSize: 60, evalSize: 20 });
    const keys = new Set(src.trainStates.map((s) => JSON.stringify(s)));
    expect(src.evalStates.some((s) => keys.has(JSON.stringify(s)))).toBe(false);
    const ex = src.train(0);
    expect(ex.images).toHaveLength(1);
    expect(ex.images[0]).toMatchObject({ width: 80, height: 80 });
    expect(ex.prompt).toContain('Snake 10x10');
    expect(ex.response.startsWith('<think>Head ')).toBe(true);
    expect(src.text?.('train', 0)).toEqual({ prompt: ex.prompt, response: ex.response });
  });
});
