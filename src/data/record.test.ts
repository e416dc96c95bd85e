import { describe, expect, it } from 'vitest';
import { gameOf } from '../games/registry';
import { contentParts, countPlaceholders, groundTruthJson, parseGroundTruth, perfectResponse, withPlaceholders, type GroundTruth } from './record';

describe('placeholders', () => {
  it('puts one <image> per image before the text and counts them back', () => {
    const p = withPlaceholders('What now?', 4);
    expect(p).toBe('<image><image><image><image>What now?');
    expect(countPlaceholders(p)).toBe(4);
    expect(countPlaceholders('no images')).toBe(0);
  });

  it('splits a prompt into chat parts in order, images as typed parts', () => {
    expect(contentParts('<image>a<image>b')).toEqual([
      { type: 'image', text: null },
      { type: 'text', text: 'a' },
      { type: 'image', text: null },
      { type: 'text', text: 'b' },
    ]);
    expect(contentParts('<image><image>')).toEqual([
      { type: 'image', text: null },
      { type: 'image', text: null },
    ]);
  });
});

describe('ground truth', () => {
  const truths: GroundTruth[] = [
    { game: 'snake', best: ['UP'], worst: ['LEFT', 'RIGHT'] },
    { game: 'snake', best: ['UP', 'RIGHT'], worst: [] },
    // Boxed in: no best move, all four worst; the perfect answer leaves best empty.
    { game: 'snake', best: [], worst: ['UP', 'DOWN', 'LEFT', 'RIGHT'] },
    { game: 'rotation', answer: '180', seed: 3, classes: ['counter clockwise 90', '180'], example: true },
    { game: 'rotation', answer: 'counter clockwise 90' },
  ];

  it.each(truths.map((t) => [groundTruthJson(t), t] as const))('round-trips and a perfect response scores 1.1: %s', (json, truth) => {
    const parsed = parseGroundTruth(json);
    expect(parsed).toEqual(truth);
    const perfect = perfectResponse(parsed);
    const game = gameOf(parsed.game);
    const verdict = game.score(perfect, game.truthOfExport(parsed));
    expect(verdict.overall).toBe(1.1);
  });

  it.each([
    ['not json', /not JSON/],
    ['[1]', /must be an object/],
    ['{"game":"chess"}', /'snake' or 'rotation'/],
    ['{"game":"snake","best":["NORTH"],"worst":[]}', /UP, DOWN, LEFT, RIGHT/],
    ['{"game":"rotation","answer":180}', /must be a string/],
  ])('rejects %s with a message naming what is valid', (input, message) => {
    expect(() => parseGroundTruth(input)).toThrow(message);
  });
});
