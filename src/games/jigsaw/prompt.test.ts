import { describe, expect, it } from 'vitest';
import { answerFormat, EXAMPLE_ANSWERS, jigsawPrompt } from './prompt';
import { isPermutation, jigsawQuestion } from './task';
import { scoreJigsaw } from './reward';

describe('jigsawPrompt', () => {
  it('full: states the grid, the numbering, the answer definition, a worked example and the format', () => {
    const p = jigsawPrompt(jigsawQuestion(1));
    expect(p).toContain('2 x 2 grid of 4 square tiles');
    expect(p).toContain('numbered 1 to 4 in reading order');
    expect(p).toContain('for each position of the RESTORED picture');
    expect(p).toContain(
      '[3, 1, 4, 2] means: the restored top-left is shuffled tile 3, top-right is shuffled tile 1, bottom-left is shuffled tile 4, bottom-right is shuffled tile 2.',
    );
    expect(p.endsWith('<think> reasoning </think><answer> [3, 1, 4, 2] </answer>')).toBe(true);
    expect(p).not.toMatch(/<image>|<\|image|\{image/i);
  });

  it('3 x 3: nine tiles, its own example, and the same prompt for every question of the grid', () => {
    const p = jigsawPrompt({ grid: 3 });
    expect(p).toContain('numbered 1 to 9');
    expect(p).toContain('  1 2 3\n  4 5 6\n  7 8 9');
    expect(p).toContain('centre is shuffled tile 1');
    expect(jigsawPrompt(jigsawQuestion(4, { grid: 3 }))).toBe(p);
  });

  it('compact: three short lines, same interface', () => {
    expect(jigsawPrompt({}, { variant: 'compact' })).toBe(
      [
        'Shuffled 2x2 jigsaw; tiles numbered 1-4 in reading order.',
        'For each position of the restored picture, in reading order, give the tile that belongs there.',
        'Format: <think> reasoning </think><answer> [3, 1, 4, 2] </answer>',
      ].join('\n'),
    );
  });

  it('its example answers are permutations, and the format line scores 1.1 when the example is the answer', () => {
    for (const [grid, ex] of Object.entries(EXAMPLE_ANSWERS)) {
      expect(isPermutation(ex, Number(grid) ** 2)).toBe(true);
      expect(scoreJigsaw(answerFormat(Number(grid)), ex).overall).toBe(1.1);
    }
  });

  it('rejects an unknown variant', () => {
    expect(() => jigsawPrompt({}, { variant: 'long' as 'full' })).toThrow(/'full', 'compact'/);
  });
});
