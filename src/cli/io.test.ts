/** Option parsing: the usage errors quote what was given, and a huge value stays a one-line message. */
import { describe, expect, it } from 'vitest';
import { parseChoice, parseIntOption, quoted, settingFlags } from './io';

describe('usage errors quote the value given', () => {
  it('whole when short, clipped with its length when long', () => {
    expect(quoted('four')).toBe("'four'");
    const huge = '9'.repeat(5000);
    expect(quoted(huge)).toBe(`'${'9'.repeat(57)}...' (5000 characters)`);
    expect(() => parseChoice('--grid', 'four', ['2', '3'])).toThrow("--grid must be one of 2, 3; got 'four'");
    expect(() => parseChoice('--grid', huge, ['2', '3'])).toThrow(/^--grid must be one of 2, 3; got '9{57}\.\.\.' \(5000 characters\)$/);
    expect(() => parseIntOption('--n', 'x'.repeat(100))).toThrow(/^--n must be an integer, got 'x{57}\.\.\.' \(100 characters\)$/);
    expect(() => settingFlags(['g'.repeat(70)])).toThrow(/^--set expects key=value \(e\.g\. grid=3\); got 'g{57}\.\.\.' \(70 characters\)$/);
  });
});
