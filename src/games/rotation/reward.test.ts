import { describe, expect, it } from 'vitest';
import { extractAnswer, scoreRotation } from './reward';
import { pyStrip } from '../../util/pytext';

const L = 'counter clockwise 90';

describe('scoreRotation', () => {
  // [name, response, format, accuracy, answerText]
  it.each<[string, string, number, number, string | null]>([
    ['well formed', `<think>turned left</think><answer>${L}</answer>`, 0.1, 1, L],
    ['whitespace between and inside', `<think>\nx\n</think> \n\t<answer>\n ${L} \n</answer>`, 0.1, 1, L],
    ['text before and after', `Sure. <think>x</think><answer>${L}</answer> Done.`, 0.1, 1, L],
    ['wrong answer, good format', '<think>x</think><answer>180</answer>', 0.1, 0, '180'],
    ['wrong case', '<think>x</think><answer>Counter Clockwise 90</answer>', 0.1, 0, 'Counter Clockwise 90'],
    ['newlines inside the answer are deleted', `<think>x</think><answer>counter\nclockwise 90</answer>`, 0.1, 0, 'counterclockwise 90'],
    ['a newline replacing nothing', `<think>x</think><answer>counter clockwise\n 90</answer>`, 0.1, 1, L],
    ['carriage returns are not deleted', `<think>x</think><answer>counter clockwise\r 90</answer>`, 0.1, 0, 'counter clockwise\r 90'],
    ['reordered: answer first', `<answer>${L}</answer><think>x</think>`, 0, 1, L],
    ['text between the tags', `<think>x</think> so <answer>${L}</answer>`, 0, 1, L],
    ['missing think', `<answer>${L}</answer>`, 0, 1, L],
    ['missing closing answer', `<think>x</think><answer>${L}`, 0, 0, null],
    ['missing answer entirely', '<think>x</think>', 0, 0, null],
    ['duplicated think', `<think>a</think><think>b</think><answer>${L}</answer>`, 0, 1, L],
    ['duplicated answer: first counts', `<think>x</think><answer>180</answer><answer>${L}</answer>`, 0, 0, '180'],
    ['duplicated closing answer', `<think>x</think><answer>${L}</answer></answer>`, 0, 1, L],
    ['empty think content', `<think></think><answer>${L}</answer>`, 0, 1, L],
    ['empty answer content', '<think>x</think><answer></answer>', 0, 0, ''],
    // ViGaL's regex needs one character of any kind: a lone space or newline is content.
    ['whitespace-only think content', `<think> </think><answer>${L}</answer>`, 0.1, 1, L],
    ['whitespace-only answer content', '<think>x</think><answer>\n</answer>', 0.1, 0, ''],
    ['bare label', L, 0, 0, null],
    ['empty', '', 0, 0, null],
    ['whitespace only', ' \n\t ', 0, 0, null],
    ['tags inside think are still tags', `<think>I will write <answer></think><answer>${L}</answer>`, 0, 0, '</think><answer>' + L],
  ])('%s', (_, response, format, accuracy, answerText) => {
    const v = scoreRotation(response, L);
    expect(v).toEqual({ format, accuracy, overall: format + accuracy, answerText });
  });

  it('sums to ViGaL’s exact values 0, 0.1, 1 and 1.1', () => {
    expect(scoreRotation('<think>x</think><answer>180</answer>', '180').overall).toBe(1.1);
    expect(scoreRotation('<answer>180</answer>', '180').overall).toBe(1);
  });

  it('uses Python’s whitespace, not JavaScript’s', () => {
    // U+0085 and U+001C are Python whitespace (strip and \s); U+FEFF is only JavaScript whitespace.
    expect(scoreRotation(`\u0085<think>x</think>\u001c<answer>\u0085180\u0085</answer>`, '180')).toMatchObject({ format: 0.1, accuracy: 1 });
    expect(scoreRotation(`<think>x</think>\ufeff<answer>180</answer>`, '180').format).toBe(0);
    expect(scoreRotation(`<think>x</think><answer>\ufeff180</answer>`, '180').accuracy).toBe(0);
    expect(pyStrip('\u3000\u00a0 a \u2028')).toBe('a');
  });

  it('handles a 5 MB response in linear time', () => {
    const junk = 'a<think'.repeat(5_000_000 / 7);
    const t0 = performance.now();
    expect(scoreRotation(`<think>${junk}</think><answer>180</answer>`, '180')).toMatchObject({ format: 0.1, accuracy: 1 });
    expect(scoreRotation(`<answer>${'<'.repeat(5_000_000)}`, '180')).toMatchObject({ format: 0, accuracy: 0, answerText: null });
    expect(scoreRotation('<think>'.repeat(700_000) + '</answer>'.repeat(10), '180').overall).toBe(0);
    // Generous bound for a shared 2-core machine; a backtracking regex takes minutes here.
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('never throws on garbage', () => {
    let state = 12345;
    const bytes = (n: number): string => {
      let s = '';
      for (let i = 0; i < n; i++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        s += String.fromCharCode(state >>> 16);
      }
      return s;
    };
    const tags = ['<think>', '</think>', '<answer>', '</answer>', ' ', '\n', '180'];
    for (let k = 0; k < 500; k++) {
      const parts = [bytes(k % 17), tags[k % 7]!, bytes(k % 5), tags[(k * 3) % 7]!, bytes(k % 11), tags[(k * 5) % 7]!];
      const v = scoreRotation(parts.join(''), '180');
      expect([0, 0.1, 1, 1.1]).toContain(v.overall);
    }
    expect(scoreRotation('\ud800<think>\udfff</think><answer>\u0000</answer>', '180')).toMatchObject({ format: 0.1, accuracy: 0 });
    // Callers from untyped code (JSON, workers) may hand over anything.
    expect(scoreRotation(null as unknown as string, '180').overall).toBe(0);
    expect(scoreRotation(42 as unknown as string, '180').overall).toBe(0);
  });
});

describe('extractAnswer', () => {
  it('takes the first answer tag up to the next closing tag', () => {
    expect(extractAnswer('<answer> a </answer><answer>b</answer>')).toBe('a');
    expect(extractAnswer('</answer><answer>a</answer>')).toBe('a');
    expect(extractAnswer('<answer>a')).toBeNull();
  });
});
