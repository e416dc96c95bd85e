/**
 * Storage failures, said in words a user can act on. Browsers report a full disk or an exhausted
 * per-site quota as a DOMException named 'QuotaExceededError' (Firefox: 'NS_ERROR_DOM_QUOTA_REACHED',
 * legacy code 22), thrown by the request, or as the error of a transaction that aborted on commit; both
 * paths come through `toStorageError`, so a save never fails silently.
 */

export type StorageErrorKind = 'quota' | 'unavailable' | 'failed';

export class StorageError extends Error {
  override name = 'StorageError';
  constructor(
    readonly kind: StorageErrorKind,
    message: string,
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}

/** The browser refused to store more: the message says what was being saved and how to make room. */
export class QuotaError extends StorageError {
  override name = 'QuotaError';
  constructor(
    message: string,
    /** Approximate size of what was being written, in bytes. */
    readonly bytes: number,
    cause?: unknown,
  ) {
    super('quota', message, cause);
  }
}

export function isQuotaExceeded(e: unknown): boolean {
  if (e instanceof QuotaError) return true;
  if (typeof e !== 'object' || e === null) return false;
  const { name, code } = e as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22;
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '?';
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** Wraps whatever a write threw into a StorageError naming what was being saved. */
export function toStorageError(e: unknown, what: string, bytes: number, usage?: { usage: number | null; quota: number | null }): StorageError {
  if (e instanceof StorageError) return e;
  if (isQuotaExceeded(e)) {
    const used = usage && usage.usage !== null ? ` (this site uses ${formatBytes(usage.usage)} of ${formatBytes(usage.quota)})` : '';
    return new QuotaError(
      `Storage is full: saving ${what} (about ${formatBytes(bytes)}) needs more room than the browser allows this site${used}. ` +
        'Nothing was lost from the screen, but this was not saved. Open Explore → Storage to export old episodes or runs to JSONL and delete them, then it saves again.',
      bytes,
      e,
    );
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new StorageError('failed', `Could not save ${what}: ${msg}`, e);
}
