/**
 * The storage backend contract and its two implementations: IndexedDB (through `idb`) for the app, and
 * an in-memory one for tests, which can be given a tiny quota or made to fail to exercise error paths.
 *
 * Layout (IndexedDB 'vigal', version 1): one object store per record type ('episode', 'evaluation',
 * 'run'), keyed by `id`, with a `createdAt` index; 'summary', a small RecordSummary per record (keyed
 * [type, id], written in the same transaction as the record), so lists and the storage panel never read
 * whole episodes; and 'checkpoint', out-of-line keys, whose values are the raw weight bytes (Uint8Array)
 * that RunRecord.checkpoints[].key names. Records are stored as they are (structured clone).
 */
import { openDB, type IDBPDatabase } from 'idb';
import type { AnyRecord, ObservationMode } from '../records/types';
import { StorageError } from './errors';
import type { GameId } from '../games/registry';

export type RecordType = AnyRecord['type'];
export type RecordOf<T extends RecordType> = Extract<AnyRecord, { type: T }>;
export const RECORD_TYPES: readonly RecordType[] = ['episode', 'evaluation', 'run'];

export interface StorageUsage {
  /** Bytes this origin uses and may use (navigator.storage.estimate); null where the browser does not say. */
  usage: number | null;
  quota: number | null;
}

/** What a list shows of a record without reading it whole. */
export interface RecordSummary {
  type: RecordType;
  id: string;
  createdAt: number;
  game: GameId;
  /** JSON length of the record (approximately what it occupies). */
  bytes: number;
  /** Episodes: who played, against whom, how long, how observed, where it came from. */
  policy?: string;
  opponent?: string;
  steps?: number;
  observationMode?: ObservationMode;
  branchedFrom?: { id: string; step: number };
  imported?: boolean;
  note?: string;
  /** Runs. */
  kind?: string;
  status?: string;
  /** Evaluations: the policies compared. */
  policies?: string[];
}

export function summarize(record: AnyRecord): RecordSummary {
  const s: RecordSummary = { type: record.type, id: record.id, createdAt: record.createdAt, game: record.game, bytes: JSON.stringify(record).length };
  if (record.type === 'episode') {
    Object.assign(s, {
      policy: record.policy,
      steps: record.steps.length,
      observationMode: record.observationMode,
      imported: record.steps[0]?.source === 'import',
    });
    if (record.opponent !== undefined) s.opponent = record.opponent;
    if (record.branchedFrom) s.branchedFrom = record.branchedFrom;
    if (record.note) s.note = record.note;
  } else if (record.type === 'run') {
    Object.assign(s, { kind: record.kind, status: record.status });
  } else {
    s.policies = (record.reports ?? []).map((r) => r.policy);
  }
  return s;
}

export interface StorageBackend {
  readonly name: string;
  put(record: AnyRecord): Promise<void>;
  get<T extends RecordType>(type: T, id: string): Promise<RecordOf<T> | undefined>;
  /** Oldest first. */
  list<T extends RecordType>(type: T): Promise<RecordOf<T>[]>;
  /** Oldest first, without reading the records. */
  summaries(type: RecordType): Promise<RecordSummary[]>;
  delete(type: RecordType, id: string): Promise<void>;
  putBytes(key: string, bytes: Uint8Array): Promise<void>;
  getBytes(key: string): Promise<Uint8Array | undefined>;
  deleteBytes(key: string): Promise<void>;
  listBytes(): Promise<{ key: string; bytes: number }[]>;
  estimate(): Promise<StorageUsage>;
}

// ---- IndexedDB -------------------------------------------------------------------------------------

export const DB_NAME = 'vigal';
/** Bump with a migration in `upgrade` when the layout changes. */
const DB_VERSION = 1;
const CHECKPOINTS = 'checkpoint';
const SUMMARIES = 'summary';

export class IndexedDbBackend implements StorageBackend {
  readonly name = 'IndexedDB';
  private db: Promise<IDBPDatabase> | null = null;

  constructor(
    private readonly dbName = DB_NAME,
    private readonly factory: IDBFactory | undefined = typeof indexedDB !== 'undefined' ? indexedDB : undefined,
  ) {}

  private open(): Promise<IDBPDatabase> {
    if (!this.factory) {
      return Promise.reject(
        new StorageError(
          'unavailable',
          'This browser offers no IndexedDB (a private window may disable it): nothing can be saved, everything lasts until the tab closes.',
        ),
      );
    }
    this.db ??= openDB(this.dbName, DB_VERSION, {
      upgrade(db) {
        for (const type of RECORD_TYPES) {
          if (!db.objectStoreNames.contains(type)) db.createObjectStore(type, { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
        }
        if (!db.objectStoreNames.contains(SUMMARIES)) db.createObjectStore(SUMMARIES, { keyPath: ['type', 'id'] }).createIndex('type', 'type');
        if (!db.objectStoreNames.contains(CHECKPOINTS)) db.createObjectStore(CHECKPOINTS);
      },
      // Another tab upgrading the schema: let it, reopen on next use.
      blocking: () => {
        void this.db?.then((d) => d.close());
        this.db = null;
      },
    }).catch((e: unknown) => {
      this.db = null;
      throw new StorageError('unavailable', `Could not open the browser database: ${(e as Error).message ?? String(e)}`, e);
    });
    return this.db;
  }

  async put(record: AnyRecord): Promise<void> {
    const tx = (await this.open()).transaction([record.type, SUMMARIES], 'readwrite');
    try {
      await Promise.all([tx.objectStore(record.type).put(record), tx.objectStore(SUMMARIES).put(summarize(record)), tx.done]);
    } catch (e) {
      abortQuietly(tx);
      throw (tx.error ?? e) as Error;
    }
  }
  async get<T extends RecordType>(type: T, id: string): Promise<RecordOf<T> | undefined> {
    return (await (await this.open()).get(type, id)) as RecordOf<T> | undefined;
  }
  async list<T extends RecordType>(type: T): Promise<RecordOf<T>[]> {
    return (await (await this.open()).getAllFromIndex(type, 'createdAt')) as RecordOf<T>[];
  }
  async summaries(type: RecordType): Promise<RecordSummary[]> {
    const all = (await (await this.open()).getAllFromIndex(SUMMARIES, 'type', type)) as RecordSummary[];
    return all.sort((a, b) => a.createdAt - b.createdAt);
  }
  async delete(type: RecordType, id: string): Promise<void> {
    const tx = (await this.open()).transaction([type, SUMMARIES], 'readwrite');
    await Promise.all([tx.objectStore(type).delete(id), tx.objectStore(SUMMARIES).delete([type, id]), tx.done]);
  }
  async putBytes(key: string, bytes: Uint8Array): Promise<void> {
    await (await this.open()).put(CHECKPOINTS, bytes, key);
  }
  async getBytes(key: string): Promise<Uint8Array | undefined> {
    const v = (await (await this.open()).get(CHECKPOINTS, key)) as Uint8Array | ArrayBuffer | undefined;
    return v instanceof ArrayBuffer ? new Uint8Array(v) : v;
  }
  async deleteBytes(key: string): Promise<void> {
    await (await this.open()).delete(CHECKPOINTS, key);
  }
  async listBytes(): Promise<{ key: string; bytes: number }[]> {
    const db = await this.open();
    const out: { key: string; bytes: number }[] = [];
    let cursor = await db.transaction(CHECKPOINTS).store.openCursor();
    while (cursor) {
      out.push({ key: String(cursor.key), bytes: (cursor.value as Uint8Array).byteLength });
      cursor = await cursor.continue();
    }
    return out;
  }
  async estimate(): Promise<StorageUsage> {
    try {
      const e = await navigator.storage.estimate();
      return { usage: e.usage ?? null, quota: e.quota ?? null };
    } catch {
      return { usage: null, quota: null };
    }
  }
}

function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // already finished or aborted
  }
}

// ---- memory (tests) --------------------------------------------------------------------------------

export interface MemoryBackendOptions {
  /** Bytes (JSON length of records plus checkpoint bytes) beyond which writes throw QuotaExceededError. */
  quotaBytes?: number;
  /** Every write throws this (a broken store). */
  failWith?: Error;
}

/** Records kept in Maps, cloned on the way in and out like IndexedDB's structured clone. */
export class MemoryBackend implements StorageBackend {
  readonly name = 'memory';
  private readonly records = new Map<RecordType, Map<string, AnyRecord>>(RECORD_TYPES.map((t) => [t, new Map()]));
  private readonly bytes = new Map<string, Uint8Array>();

  constructor(readonly opts: MemoryBackendOptions = {}) {}

  private used(): number {
    let n = 0;
    for (const m of this.records.values()) for (const r of m.values()) n += JSON.stringify(r).length;
    for (const b of this.bytes.values()) n += b.byteLength;
    return n;
  }
  private check(extra: number, replacing: number): void {
    if (this.opts.failWith) throw this.opts.failWith;
    if (this.opts.quotaBytes !== undefined && this.used() - replacing + extra > this.opts.quotaBytes) {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
  }

  async put(record: AnyRecord): Promise<void> {
    const old = this.records.get(record.type)!.get(record.id);
    this.check(JSON.stringify(record).length, old ? JSON.stringify(old).length : 0);
    this.records.get(record.type)!.set(record.id, structuredClone(record));
  }
  async get<T extends RecordType>(type: T, id: string): Promise<RecordOf<T> | undefined> {
    const r = this.records.get(type)!.get(id);
    return r && (structuredClone(r) as RecordOf<T>);
  }
  async list<T extends RecordType>(type: T): Promise<RecordOf<T>[]> {
    return [...this.records.get(type)!.values()].sort((a, b) => a.createdAt - b.createdAt).map((r) => structuredClone(r) as RecordOf<T>);
  }
  async summaries(type: RecordType): Promise<RecordSummary[]> {
    return (await this.list(type)).map(summarize);
  }
  async delete(type: RecordType, id: string): Promise<void> {
    this.records.get(type)!.delete(id);
  }
  async putBytes(key: string, bytes: Uint8Array): Promise<void> {
    this.check(bytes.byteLength, this.bytes.get(key)?.byteLength ?? 0);
    this.bytes.set(key, bytes.slice());
  }
  async getBytes(key: string): Promise<Uint8Array | undefined> {
    return this.bytes.get(key)?.slice();
  }
  async deleteBytes(key: string): Promise<void> {
    this.bytes.delete(key);
  }
  async listBytes(): Promise<{ key: string; bytes: number }[]> {
    return [...this.bytes].map(([key, b]) => ({ key, bytes: b.byteLength }));
  }
  async estimate(): Promise<StorageUsage> {
    return { usage: this.used(), quota: this.opts.quotaBytes ?? null };
  }
}
