import { describe, expect, it } from 'vitest';
import { DEFAULT_SNAKE_OPTIONS } from '../games/snake';
import { formatLink, parseLink, type AppLink } from './url';

describe('shareable links', () => {
  const cases: [string, AppLink][] = [
    ['snake defaults', { game: 'snake', seed: 1, opponent: 'lookahead', options: DEFAULT_SNAKE_OPTIONS, moves: [] }],
    [
      'snake with settings and moves',
      {
        game: 'snake', seed: 4294967295, opponent: 'greedy',
        options: { width: 8, height: 8, numSnakes: 2, apples: 3, maxRounds: 50, tailRule: 'moving' },
        moves: ['UP', 'LEFT', 'DOWN', 'RIGHT'],
      },
    ],
    [
      'snake alone',
      { game: 'snake', seed: 9, opponent: 'none', options: { ...DEFAULT_SNAKE_OPTIONS, numSnakes: 1 }, moves: ['UP'] },
    ],
    ['rotation', { game: 'rotation', seed: 12, classSet: 'three', example: false }],
  ];
  it.each(cases)('%s round-trips', (_, link) => {
    expect(parseLink(formatLink(link))).toEqual(link);
  });

  it('keeps default settings out of the URL', () => {
    expect(formatLink(cases[0]![1])).toBe('?game=snake&seed=1&bot=lookahead');
  });

  it('falls back to defaults on garbage instead of failing the page', () => {
    const link = parseLink('?game=snake&seed=-3&bot=alien&w=1000&moves=UXD%00');
    expect(link).toEqual({
      game: 'snake', seed: 1, opponent: 'lookahead',
      options: { ...DEFAULT_SNAKE_OPTIONS, width: 30 },
      moves: ['UP', 'DOWN'],
    });
  });
});
