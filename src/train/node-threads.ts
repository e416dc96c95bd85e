/**
 * Multi-threaded jax-js WASM in Node: a `Worker` shim over `worker_threads`. For Node entry points only
 * (the CLI); browsers have real Web Workers and never load this file.
 *
 * Why: the WASM backend starts its kernel worker pool only when `globalThis.Worker` exists, which Node
 * lacks, so Node runs every kernel on the main thread. The pool needs just the small Web Worker surface
 * its own code uses: `new Worker(blobUrl, { type: 'module' })`, `postMessage`, `onmessage`, `onerror`,
 * and inside the worker `self.onmessage` / `postMessage`. Shared WebAssembly.Memory and compiled
 * WebAssembly.Module objects cross `worker_threads` message ports natively. Measured here on a full
 * SFT step (d=128, 4 layers, batch 8 x 492 positions): 6.2 s on one thread, 4.0 s on two (1.56x, with
 * other jobs on the machine); an earlier measurement gave 1.65x at 1.7x the memory (docs/architecture.md).
 *
 * jax-js builds its WASM backend (memory, worker pool) while its module is first evaluated, so the shim
 * must be in place BEFORE anything imports '@jax-js/jax': entry points call `enableWasmThreads()` first
 * and load trainer modules afterwards with a dynamic `import()`. This file therefore imports nothing
 * from jax-js statically.
 *
 * The pool size is read at that moment from `navigator.hardwareConcurrency` (Node 20 has no
 * `navigator`: jax-js would then start 4 workers). `enableWasmThreads` sets a temporary navigator for
 * the import and removes it again, so libraries that sniff `navigator` for "am I in a browser?"
 * (onnxruntime-web does) still see Node.
 */
import { availableParallelism } from 'node:os';
import { resolveObjectURL } from 'node:buffer';
import { Worker as NodeWorker } from 'node:worker_threads';

/** What the worker source sees: `self` with onmessage, and a global postMessage. */
const PRELUDE = `
const { parentPort } = require('node:worker_threads');
globalThis.self = globalThis;
globalThis.postMessage = (msg) => parentPort.postMessage(msg);
parentPort.on('message', (data) => { if (typeof self.onmessage === 'function') self.onmessage({ data }); });
`;

/** Counters for tests and diagnostics: threads started and kernel/routine messages answered. */
const stats = { workers: 0, replies: 0 };
export const shimStats = (): Readonly<typeof stats> => ({ ...stats });

type MessageHandler = ((e: { data: unknown }) => void) | null;
type ErrorHandler = ((e: { message: string }) => void) | null;

/** The Web Worker subset jax-js uses, backed by a worker_threads Worker. */
class ShimWorker {
  onmessage: MessageHandler = null;
  onerror: ErrorHandler = null;
  private worker: NodeWorker | null = null;
  private queue: unknown[] = [];
  private failed: Error | null = null;
  /**
   * Messages awaiting their reply (the pool's protocol answers each init/kernel/routine message exactly
   * once). The thread is ref'd while any is pending, so Node does not exit under an awaited kernel, and
   * unref'd when idle, so idle kernel threads do not keep a finished CLI process alive.
   */
  private pending = 0;

  constructor(url: string | URL) {
    // The source arrives as a blob: URL; reading it is async, so messages queue until the thread is up.
    const blob = resolveObjectURL(String(url));
    if (blob === undefined) throw new Error(`worker shim: cannot resolve ${String(url)} (only blob: URLs are supported)`);
    void blob.text().then(
      (source) => this.start(source),
      (err: unknown) => this.fail(err instanceof Error ? err : new Error(String(err))),
    );
  }

  postMessage(msg: unknown): void {
    if (this.failed) throw this.failed;
    this.pending++;
    if (this.worker) {
      this.worker.ref();
      this.worker.postMessage(msg);
    } else {
      this.queue.push(msg);
    }
  }

  terminate(): void {
    void this.worker?.terminate();
  }

  private start(source: string): void {
    const w = new NodeWorker(PRELUDE + source, { eval: true });
    stats.workers++;
    w.on('message', (data: unknown) => {
      stats.replies++;
      this.pending = Math.max(0, this.pending - 1);
      if (this.pending === 0) w.unref();
      this.onmessage?.({ data });
    });
    w.on('error', (err: Error) => this.fail(err));
    this.worker = w;
    // Adding the 'message' listener ref'd the thread: keep that only while messages are pending.
    if (this.queue.length === 0) w.unref();
    for (const msg of this.queue) w.postMessage(msg);
    this.queue = [];
  }

  private fail(err: Error): void {
    this.failed = err;
    this.onerror?.({ message: `worker thread failed: ${err.message}` });
  }
}

let enabled: number | null = null;

/**
 * Installs the shim, then loads jax-js so that its WASM backend starts `threads` kernel workers
 * (default: the cores this process may use). Must run before any other import of '@jax-js/jax' (see
 * header); returns the worker count (1 = shim not installed). Idempotent.
 */
export async function enableWasmThreads(threads = availableParallelism()): Promise<number> {
  if (enabled !== null) return enabled;
  const g = globalThis as { Worker?: unknown; navigator?: unknown };
  if (threads <= 1 || typeof SharedArrayBuffer === 'undefined' || g.Worker !== undefined) {
    await import('@jax-js/jax');
    enabled = 1;
    return enabled;
  }
  g.Worker = ShimWorker;
  const hadNavigator = Object.prototype.hasOwnProperty.call(globalThis, 'navigator');
  const savedNavigator = g.navigator;
  // Node 21+ has a read-only navigator getter: shadow it with a plain property for the import.
  Object.defineProperty(globalThis, 'navigator', { value: { hardwareConcurrency: threads }, configurable: true, writable: true });
  try {
    await import('@jax-js/jax');
  } finally {
    if (!hadNavigator) delete g.navigator;
    else Object.defineProperty(globalThis, 'navigator', { value: savedNavigator, configurable: true, writable: true });
  }
  enabled = threads;
  return enabled;
}
