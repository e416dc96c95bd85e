import { describe, expect, it } from 'vitest';
import { extractJigsawAnswer, parsePermutation, scoreJigsaw, tilesInPlace } from './reward';
import { formatPermutation, jigsawQuestion } from './task';

const A = [3, 1, 4, 2];
const resp = (answer: string, think = 'match the edges'): string => `<think>${think}</think><answer>${answer}</answer>`;

describe('scoreJigsaw', () => {
  // [name, response, format, accuracy, permutation, inPlace]
  it.each<[string, string, number, number, number[] | null, number]>([
    ['right', resp('[3, 1, 4, 2]'), 0.1, 1, A, 4],
    ['no brackets, commas', resp('3,1,4,2'), 0.1, 1, A, 4],
    ['spaces only', resp('3 1 4 2'), 0.1, 1, A, 4],
    ['extra whitespace everywhere', `  <think>x</think> \n <answer>\n [ 3 ,1,  4 , 2 ] \n</answer>  `, 0.1, 1, A, 4],
    ['newlines separate', resp('3\n1\n4\n2'), 0.1, 1, A, 4],
    ['wrong: two swapped', resp('[1, 3, 4, 2]'), 0.1, 0, [1, 3, 4, 2], 2],
    ['wrong: the identity', resp('[1, 2, 3, 4]'), 0.1, 0, [1, 2, 3, 4], 0],
    ['wrong: the inverse reading', resp('[2, 4, 1, 3]'), 0.1, 0, [2, 4, 1, 3], 0],
    ['non-permutation: repeat', resp('[3, 3, 4, 2]'), 0.1, 0, null, 0],
    ['non-permutation: too short', resp('[3, 1, 4]'), 0.1, 0, null, 0],
    ['non-permutation: zero-based', resp('[2, 0, 3, 1]'), 0.1, 0, null, 0],
    ['malformed: words', resp('tile 3 then 1'), 0.1, 0, null, 0],
    ['malformed: nested brackets', resp('[[3, 1, 4, 2]]'), 0.1, 0, null, 0],
    ['malformed: glued digits', resp('3142'), 0.1, 0, null, 0],
    ['duplicate answer tags: first read, format lost', resp('[3, 1, 4, 2]') + '<answer>[1, 2, 3, 4]</answer>', 0, 1, A, 4],
    ['duplicate think tags', `<think>a</think><think>b</think><answer>[3, 1, 4, 2]</answer>`, 0, 1, A, 4],
    ['no think', '<answer>[3, 1, 4, 2]</answer>', 0, 1, A, 4],
    ['empty think', resp('[3, 1, 4, 2]', ''), 0, 1, A, 4],
    ['unclosed answer', '<think>x</think><answer>[3, 1, 4, 2]', 0, 0, null, 0],
    ['bare list', '[3, 1, 4, 2]', 0, 0, null, 0],
    ['empty', '', 0, 0, null, 0],
  ])('%s', (_, response, format, accuracy, permutation, inPlace) => {
    const v = scoreJigsaw(response, A);
    expect(v).toMatchObject({ format, accuracy, overall: format + accuracy, permutation, inPlace });
  });

  it('reads the answer text of the first answer tag, stripped', () => {
    expect(scoreJigsaw(resp(' [3, 1, 4, 2]\n'), A).answerText).toBe('[3, 1, 4, 2]');
    expect(extractJigsawAnswer('</answer><answer> a </answer><answer>b</answer>')).toBe('a');
    expect(extractJigsawAnswer('<answer>a')).toBeNull();
  });

  it('never throws on garbage, nor on a bad truth from untyped callers', () => {
    let state = 4242;
    const bytes = (n: number): string => {
      let s = '';
      for (let i = 0; i < n; i++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        s += String.fromCharCode(state >>> 16);
      }
      return s;
    };
    const tags = ['<think>', '</think>', '<answer>', '</answer>', ' ', '[3, 1, 4, 2]', ','];
    for (let k = 0; k < 500; k++) {
      const parts = [bytes(k % 13), tags[k % 7]!, bytes(k % 5), tags[(k * 3) % 7]!, bytes(k % 11), tags[(k * 5) % 7]!];
      expect([0, 0.1, 1, 1.1]).toContain(scoreJigsaw(parts.join(''), A).overall);
    }
    for (const truth of [[], [1, 1], null, 'abc', [0.5], [true]] as unknown as number[][]) {
      expect(scoreJigsaw(resp('[1, 1]'), truth).overall).toBe(0);
    }
    expect(scoreJigsaw(null as unknown as string, A).overall).toBe(0);
    expect(scoreJigsaw(resp('9'.repeat(100_000)), A)).toMatchObject({ format: 0.1, accuracy: 0, permutation: null });
  });

  it('handles a 5 MB response in linear time', () => {
    const t0 = performance.now();
    expect(scoreJigsaw(`<think>${'a<think'.repeat(700_000)}</think><answer>[3, 1, 4, 2]</answer>`, A)).toMatchObject({ format: 0.1, accuracy: 1 });
    expect(scoreJigsaw(`<think>x</think><answer>[${', '.repeat(2_000_000)}3, 1, 4, 2]</answer>`, A)).toMatchObject({ accuracy: 1 });
    expect(scoreJigsaw('<answer>'.repeat(600_000), A).overall).toBe(0);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});

describe('parsePermutation', () => {
  it('round-trips formatPermutation for every question’s answer', () => {
    for (let seed = 0; seed < 40; seed++) {
      const q = jigsawQuestion(seed, { grid: seed % 2 === 0 ? 2 : 3 });
      expect(parsePermutation(formatPermutation(q.answer))).toEqual(q.answer);
    }
  });

  it.each<[string, number[] | null]>([
    ['[3, 1, 4, 2]', [3, 1, 4, 2]],
    ['(3, 1, 4, 2)', [3, 1, 4, 2]],
    ['3,,1', [3, 1]],
    ['[3, 1,]', [3, 1]],
    ['0007', [7]],
    ['00007', null],
    ['[3, 1, 4, 2)', null],
    ['\uff13', null],
    ['-1', null],
    ['1.0', null],
    ['[]', null],
    ['', null],
    ['3\u00851', [3, 1]],
    ['3\ufeff1', null],
  ])('%j -> %j', (text, out) => {
    expect(parsePermutation(text)).toEqual(out);
  });
});

describe('tilesInPlace', () => {
  it('counts agreeing positions', () => {
    expect(tilesInPlace([3, 1, 4, 2], A)).toBe(4);
    expect(tilesInPlace([1, 3, 4, 2], A)).toBe(2);
  });
});
