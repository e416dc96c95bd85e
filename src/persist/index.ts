/**
 * Persistence: the app's records (src/records/types.ts) and checkpoint bytes in the browser's
 * IndexedDB, so episodes, evaluations and training runs survive a reload and a browser restart.
 *
 * The API (stable; other parts of the app save through it):
 *   saveRecord(record)            put an EpisodeRecord / EvaluationRecord / RunRecord (replaces same id)
 *   getRecord(type, id)           one record, or undefined
 *   listRecords(type)             all of a type, oldest first
 *   listSummaries(type)           a small RecordSummary per record (id, game, policy, steps, bytes...), oldest first
 *   deleteRecord(type, id)        removes it; deleting a run also removes its checkpoints' bytes
 *   saveRun(run)                  = saveRecord(run), for the trainer
 *   saveCheckpoint(key, bytes)    weight bytes under the key a RunRecord.checkpoints[] entry names
 *   loadCheckpoint(key)           those bytes, or undefined
 *   storageSummary()              navigator.storage.estimate()'s { usage, quota } in bytes (null = unknown),
 *                                 plus count and bytes per record type and for checkpoints
 *
 * Every write either resolves or rejects with a StorageError; a full store rejects with a QuotaError
 * (kind 'quota') whose message says what was being saved and how to make room, whether the browser
 * threw on the request or aborted the transaction on commit. Callers show `error.message`.
 *
 * The backend is injectable (`setStorageBackend`): the app uses IndexedDB; tests use MemoryBackend,
 * which can be given a tiny quota or a failing store.
 */
import type { AnyRecord, RunRecord } from '../records/types';
import { IndexedDbBackend, RECORD_TYPES, type RecordOf, type RecordSummary, type RecordType, type StorageBackend, type StorageUsage } from './backend';
import { toStorageError } from './errors';

export { IndexedDbBackend, MemoryBackend, RECORD_TYPES, DB_NAME, summarize, type RecordSummary, type MemoryBackendOptions, type RecordOf, type RecordType, type StorageBackend, type StorageUsage } from './backend';
export { QuotaError, StorageError, formatBytes, isQuotaExceeded, toStorageError, type StorageErrorKind } from './errors';

let backend: StorageBackend | null = null;

/** The backend in use (IndexedDB unless a test set another). */
export function getStorageBackend(): StorageBackend {
  backend ??= new IndexedDbBackend();
  return backend;
}

/** Replaces the backend (tests; null goes back to IndexedDB). */
export function setStorageBackend(b: StorageBackend | null): void {
  backend = b;
}

/** Approximate stored size of a record: its JSON length (IndexedDB's own encoding is of that order). */
export function recordBytes(record: AnyRecord): number {
  return JSON.stringify(record).length;
}

function describe(record: AnyRecord): string {
  if (record.type === 'episode') return `the episode ${record.id} (${record.steps.length} step${record.steps.length === 1 ? '' : 's'})`;
  if (record.type === 'run') return `the training run ${record.id}`;
  return `the evaluation ${record.id}`;
}

async function guarded<T>(what: string, bytes: number, write: () => Promise<T>): Promise<T> {
  const b = getStorageBackend();
  try {
    return await write();
  } catch (e) {
    const usage = await b.estimate().catch(() => undefined);
    throw toStorageError(e, what, bytes, usage);
  }
}

export function saveRecord(record: AnyRecord): Promise<void> {
  const bytes = recordBytes(record);
  return guarded(describe(record), bytes, () => getStorageBackend().put(record));
}

export async function getRecord<T extends RecordType>(type: T, id: string): Promise<RecordOf<T> | undefined> {
  return getStorageBackend().get(type, id);
}

export async function listRecords<T extends RecordType>(type: T): Promise<RecordOf<T>[]> {
  return getStorageBackend().list(type);
}

export async function listSummaries(type: RecordType): Promise<RecordSummary[]> {
  return getStorageBackend().summaries(type);
}

export async function deleteRecord(type: RecordType, id: string): Promise<void> {
  const b = getStorageBackend();
  if (type === 'run') {
    const run = await b.get('run', id);
    for (const c of run?.checkpoints ?? []) await b.deleteBytes(c.key);
  }
  await b.delete(type, id);
}

export function saveRun(run: RunRecord): Promise<void> {
  return saveRecord(run);
}

export function saveCheckpoint(key: string, bytes: Uint8Array): Promise<void> {
  return guarded(`the checkpoint ${key}`, bytes.byteLength, () => getStorageBackend().putBytes(key, bytes));
}

export function loadCheckpoint(key: string): Promise<Uint8Array | undefined> {
  return getStorageBackend().getBytes(key);
}

export interface StorageSummary extends StorageUsage {
  backend: string;
  /** Count and approximate bytes per record type, and for checkpoint bytes. */
  types: Record<RecordType | 'checkpoint', { count: number; bytes: number }>;
}

export async function storageSummary(): Promise<StorageSummary> {
  const b = getStorageBackend();
  const types = {} as StorageSummary['types'];
  for (const t of RECORD_TYPES) {
    const all = await b.summaries(t);
    types[t] = { count: all.length, bytes: all.reduce((a, r) => a + r.bytes, 0) };
  }
  const cps = await b.listBytes();
  types.checkpoint = { count: cps.length, bytes: cps.reduce((a, c) => a + c.bytes, 0) };
  return { backend: b.name, ...(await b.estimate()), types };
}
