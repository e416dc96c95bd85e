/**
 * Builds chunks (build.node.ts) on worker threads, or in-process when `workers` is 0. The export asks for
 * chunks in order and reads results in order, so the output never depends on the number of workers or
 * on which finishes first; only the wall time does.
 */
import { Worker } from 'node:worker_threads';
import type { GameId } from '../games/registry';
import { buildChunk, type BuildOptions, type Candidate } from './build.node.ts';

export interface ChunkSource {
  /** Starts building a chunk (at most a bounded number run ahead) and resolves with its candidates. */
  build(game: GameId, chunk: number): Promise<Candidate[]>;
  close(): Promise<void>;
}

type Reply = { id: number; candidates?: Candidate[]; error?: string } | { ready: true };

interface Pending {
  resolve: (c: Candidate[]) => void;
  reject: (e: Error) => void;
}

/** In-process builder: the reference the worker pool must equal, and the choice for tiny exports. */
export function inProcessSource(opts: BuildOptions): ChunkSource {
  return {
    // setImmediate, not a microtask: lets signals and timers in between chunks.
    build: (game, chunk) =>
      new Promise<Candidate[]>((resolve, reject) =>
        setImmediate(() => {
          try {
            resolve(buildChunk(opts, game, chunk));
          } catch (err) {
            reject(err as Error);
          }
        }),
      ),
    close: () => Promise.resolve(),
  };
}

/** A fixed pool of worker threads; jobs go to the least-loaded worker. */
export function workerSource(opts: BuildOptions, workers: number): ChunkSource {
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`workerSource: need at least 1 worker, got ${workers}`);
  const url = new URL('./build-worker.node.mjs', import.meta.url);
  let nextId = 0;
  let failure: Error | null = null;
  const slots = Array.from({ length: workers }, () => {
    const worker = new Worker(url, { workerData: { options: opts } });
    const pending = new Map<number, Pending>();
    const slot = { worker, pending };
    worker.on('message', (msg: Reply) => {
      if ('ready' in msg) return;
      const job = pending.get(msg.id);
      if (!job) return;
      pending.delete(msg.id);
      if (msg.error !== undefined) job.reject(new Error(`export worker failed: ${msg.error}`));
      else job.resolve(msg.candidates ?? []);
    });
    const failAll = (err: Error): void => {
      failure ??= err;
      for (const job of pending.values()) job.reject(err);
      pending.clear();
    };
    worker.on('error', (err) => failAll(err instanceof Error ? err : new Error(String(err))));
    worker.on('exit', (code) => {
      if (code !== 0) failAll(new Error(`export worker exited with code ${code}`));
    });
    return slot;
  });

  return {
    build(game, chunk) {
      if (failure) return Promise.reject(failure);
      const slot = slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      return new Promise<Candidate[]>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.postMessage({ id, game, chunk });
      });
    },
    async close() {
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
