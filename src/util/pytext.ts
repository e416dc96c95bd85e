/**
 * Python's notion of whitespace, for the verifiers: ViGaL's reward functions are Python (`str.strip()`,
 * regex `\s`), and the cluster engines score with a Python copy of our reward (python/vigal_reward.py),
 * so both languages must strip exactly the same characters. Python's set adds U+001C-U+001F and U+0085
 * to JavaScript's and lacks U+FEFF.
 */

/** Python's `str.isspace()` for one UTF-16 code unit (also what `\s` matches in a `str` pattern). */
export function isPySpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

/** Python's `str.strip()` with no argument. */
export function pyStrip(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isPySpace(s.charCodeAt(a))) a++;
  while (b > a && isPySpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}
