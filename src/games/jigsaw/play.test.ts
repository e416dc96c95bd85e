import { describe, expect, it } from 'vitest';
import { humanResponse, moveFocus, pick, positionLabel, startPlay } from './play';
import { scoreJigsaw } from './reward';
import { jigsawQuestion } from './task';

describe('playing by hand', () => {
  it('selects, deselects and swaps', () => {
    let s = startPlay(2);
    expect(s).toEqual({ arrangement: [1, 2, 3, 4], selected: null });
    s = pick(s, 1);
    expect(s.selected).toBe(1);
    expect(pick(s, 1)).toEqual({ arrangement: [1, 2, 3, 4], selected: null });
    s = pick(s, 3);
    expect(s).toEqual({ arrangement: [1, 4, 3, 2], selected: null });
    expect(pick(s, 9)).toBe(s);
  });

  it('swapping tiles into the answer’s places solves the question, and the verifier scores the human 1.1', () => {
    for (let seed = 0; seed < 20; seed++) {
      const q = jigsawQuestion(seed, { grid: seed % 2 === 0 ? 2 : 3 });
      let s = startPlay(q.grid);
      // Selection sort by swaps: put the right tile at each position in turn.
      for (let p = 0; p < q.answer.length; p++) {
        const at = s.arrangement.indexOf(q.answer[p]!);
        if (at !== p) s = pick(pick(s, p), at);
      }
      expect(s.arrangement).toEqual(q.answer);
      expect(scoreJigsaw(humanResponse(s.arrangement), q.answer)).toMatchObject({ format: 0.1, accuracy: 1, inPlace: q.answer.length });
      expect(scoreJigsaw(humanResponse(startPlay(q.grid).arrangement), q.answer).accuracy).toBe(0);
    }
  });

  it('moves the focus with the arrow keys, stopping at the edges', () => {
    expect(moveFocus(4, 'ArrowLeft', 3)).toBe(3);
    expect(moveFocus(4, 'ArrowRight', 3)).toBe(5);
    expect(moveFocus(4, 'ArrowUp', 3)).toBe(1);
    expect(moveFocus(4, 'ArrowDown', 3)).toBe(7);
    expect(moveFocus(3, 'ArrowLeft', 3)).toBe(3);
    expect(moveFocus(2, 'ArrowRight', 3)).toBe(2);
    expect(moveFocus(1, 'ArrowUp', 2)).toBe(1);
    expect(moveFocus(2, 'ArrowDown', 2)).toBe(2);
    expect(moveFocus(2, 'Home', 2)).toBe(0);
    expect(moveFocus(0, 'End', 3)).toBe(8);
    expect(moveFocus(5, 'x', 3)).toBe(5);
    expect(positionLabel(5, 3)).toBe('row 2, column 3');
  });
});
