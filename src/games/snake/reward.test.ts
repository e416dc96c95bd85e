import { describe, expect, it } from 'vitest';
import { Rng } from '../../util/rng';
import { SNAKE_REWARD_CASES } from './reward.cases';
import { scoreSnake, type SnakeTruth } from './reward';
import { isPySpace, pyStrip } from '../../util/pytext';
import type { Move } from './types';

const truth = (best: Move[], worst: Move[]): SnakeTruth => ({ best, worst });

describe('scoreSnake golden vectors (checked against ViGaL’s Python reward)', () => {
  it.each(SNAKE_REWARD_CASES)('$name', (c) => {
    const v = scoreSnake(c.response, truth(c.best, c.worst));
    expect([v.format, v.accuracy]).toEqual([c.format, c.accuracy]);
    expect(v.overall).toBeCloseTo(c.format + c.accuracy, 12);
  });
});

describe('scoreSnake parsed parts', () => {
  it('reports the cleaned first blocks and the moves read from them', () => {
    const v = scoreSnake(
      '<think>x</think><best_answer> right.\n</best_answer><worst_answer>DOWN, UP.</worst_answer><best_answer>UP</best_answer>',
      truth(['RIGHT'], ['UP', 'DOWN']),
    );
    expect(v).toEqual({
      format: 0,
      accuracy: 1,
      overall: 1,
      bestText: 'right',
      worstText: 'DOWN, UP',
      bestMove: 'RIGHT',
      worstMoves: ['UP', 'DOWN'],
    });
  });

  it('null parts when tags are missing', () => {
    const v = scoreSnake('I would go UP', truth(['UP'], []));
    expect(v).toMatchObject({ bestText: null, worstText: null, bestMove: null, worstMoves: null, overall: 0 });
  });

  it("bestMove is null unless the text is exactly one move; 'none' names no worst move", () => {
    const v = scoreSnake('<best_answer>UP or DOWN</best_answer><worst_answer>none</worst_answer>', truth(['UP'], []));
    expect(v.bestMove).toBeNull();
    expect(v.worstMoves).toEqual([]);
  });

  it('accepts a truth worst list in any order', () => {
    const v = scoreSnake('<think></think><best_answer>UP</best_answer><worst_answer>LEFT, DOWN</worst_answer>', truth(['UP'], ['LEFT', 'DOWN']));
    expect(v.overall).toBe(1.1);
  });
});

describe('scoreSnake robustness', () => {
  it('never throws on binary garbage and scores it 0', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 200; i++) {
      const len = rng.int(2000);
      let s = '';
      for (let k = 0; k < len; k++) s += String.fromCharCode(rng.int(0x10000));
      const v = scoreSnake(s, truth(['UP'], ['DOWN']));
      expect(v.overall).toBe(0);
    }
  });

  it('never throws on inputs outside the types', () => {
    const bad = [null, undefined, 42, {}, ['<think>']] as unknown as string[];
    for (const r of bad) expect(scoreSnake(r, truth(['UP'], [])).overall).toBe(0);
    const junkTruth = { best: null, worst: 7 } as unknown as SnakeTruth;
    expect(scoreSnake('<best_answer>UP</best_answer><worst_answer>None</worst_answer>', junkTruth).accuracy).toBe(0);
  });

  it('is linear on huge and adversarial responses (5 MB each)', () => {
    const MB5 = 5 * 1024 * 1024;
    const inputs = [
      // A well-formed answer after 5 MB of reasoning.
      `<think>${'a'.repeat(MB5)}</think><best_answer>UP</best_answer><worst_answer>None</worst_answer>`,
      // Thousands of opening tags and no closer: the naive regex's worst case.
      '<best_answer><think>'.repeat(MB5 / 20),
      // Whitespace runs between blocks that never complete.
      `<think></think>${' '.repeat(MB5)}x<best_answer>`,
      // Many closing tags.
      `<best_answer>${'</think>'.repeat(MB5 / 8)}`,
    ];
    const t0 = performance.now();
    const verdicts = inputs.map((r) => scoreSnake(r, truth(['UP'], [])));
    const ms = performance.now() - t0;
    expect(verdicts.map((v) => v.overall)).toEqual([1.1, 0, 0, 0]);
    expect(ms).toBeLessThan(2000);
  });
});

describe('Python whitespace helpers', () => {
  it('isPySpace is exactly Python str.isspace()', () => {
    // ''.join(chr(c) for c in range(0x110000) if chr(c).isspace()), as code points:
    const python = [
      0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
      0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
    ];
    const ours: number[] = [];
    for (let c = 0; c < 0x10000; c++) if (isPySpace(c)) ours.push(c);
    expect(ours).toEqual(python);
  });

  it('pyStrip trims Python whitespace only', () => {
    expect(pyStrip('\u001c\u0085 UP \u3000')).toBe('UP');
    expect(pyStrip('\ufeffUP')).toBe('\ufeffUP');
    expect(pyStrip('   ')).toBe('');
  });
});
