import { describe, expect, it } from 'vitest';
import { QuotaError, StorageError, formatBytes, isQuotaExceeded, toStorageError } from './errors';

describe('storage errors', () => {
  it.each([
    ['Chromium / Safari: a DOMException named QuotaExceededError', new DOMException('full', 'QuotaExceededError'), true],
    ["Firefox's name", { name: 'NS_ERROR_DOM_QUOTA_REACHED' }, true],
    ['the legacy code 22', { name: 'Error', code: 22 }, true],
    ['a transaction aborted for another reason', new DOMException('aborted', 'AbortError'), false],
    ['a plain error', new Error('x'), false],
  ])('%s', (_what, e, quota) => {
    expect(isQuotaExceeded(e)).toBe(quota);
    const err = toStorageError(e, 'the episode x (3 steps)', 2048, { usage: 5 * 1024 ** 2, quota: 6 * 1024 ** 2 });
    expect(err).toBeInstanceOf(quota ? QuotaError : StorageError);
    if (quota) {
      // Said in words: what, how big, how full, what to do.
      expect(err.message).toBe(
        'Storage is full: saving the episode x (3 steps) (about 2.0 KiB) needs more room than the browser allows this site (this site uses 5.0 MiB of 6.0 MiB). ' +
          'Nothing was lost from the screen, but this was not saved. Open Explore → Storage to export old episodes or runs to JSONL and delete them, then it saves again.',
      );
      expect(err.kind).toBe('quota');
    } else {
      expect(err.message).toMatch(/^Could not save the episode x \(3 steps\): /);
    }
  });

  it('formats sizes', () => {
    expect([formatBytes(12), formatBytes(2048), formatBytes(3 * 1024 ** 2), formatBytes(null)]).toEqual(['12 B', '2.0 KiB', '3.0 MiB', '?']);
  });
});
