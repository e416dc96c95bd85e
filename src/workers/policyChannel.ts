/**
 * The half of every model worker's protocol that is not about loading: the page asks for an action on
 * an observation, the worker streams the text back token by token and ends with a result or an error;
 * either side can cancel. The nano worker and the local-VLM worker differ only in how they load, so both
 * use this file for the rest, on both sides of the wire.
 *
 * A crashed worker fails every pending step with a clear message and the channel refuses further work
 * until the model is reloaded; nothing in the game is lost.
 */
import type { ActOptions, Observation, Policy, PolicyResult } from '../policy/types';

export type ToPolicyWorker = { type: 'act'; id: number; observation: Observation } | { type: 'cancel'; id: number };

export type FromPolicyWorker =
  | { type: 'token'; id: number; text: string }
  | { type: 'result'; id: number; result: PolicyResult }
  | { type: 'error'; id: number; message: string; name: string };

/** What a worker answers to its 'load' message, before any act. */
export type LoadReply<Loaded> = ({ type: 'loaded' } & Loaded) | { type: 'load-error'; message: string };

interface Pending {
  resolve: (r: PolicyResult) => void;
  reject: (e: Error) => void;
  opts: ActOptions;
}

/** The page's side: act/cancel over a loaded worker. */
export class PolicyChannel {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private crashed: string | null = null;

  /** `what` names the worker in messages, e.g. 'the model worker'. */
  constructor(
    private readonly worker: Worker,
    private readonly what: string,
  ) {
    worker.onmessage = (e: MessageEvent<FromPolicyWorker>) => this.receive(e.data);
    worker.onerror = (e) => this.fail(`${what} crashed: ${e.message || 'unknown error'}; reload the model to continue`);
    worker.onmessageerror = () => this.fail(`${what} sent a message that could not be read`);
  }

  /**
   * Starts the load handshake: posts `load` and resolves with the worker's 'loaded' reply and a channel
   * for acting, or rejects (and terminates the worker) on 'load-error' or a crash while loading.
   */
  static open<Loaded>(worker: Worker, load: unknown, what: string): Promise<{ loaded: Loaded; channel: PolicyChannel }> {
    return new Promise((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<LoadReply<Loaded>>) => {
        const msg = e.data;
        if (msg.type === 'loaded') resolve({ loaded: msg, channel: new PolicyChannel(worker, what) });
        else if (msg.type === 'load-error') {
          worker.terminate();
          reject(new Error(msg.message));
        }
      };
      worker.onerror = (e) => {
        worker.terminate();
        reject(new Error(`${what} failed to start: ${e.message || 'unknown error'}`));
      };
      worker.postMessage(load);
    });
  }

  act(observation: Observation, opts: ActOptions = {}): Promise<PolicyResult> {
    if (this.crashed) return Promise.reject(new Error(this.crashed));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) return reject(new DOMException('generation cancelled', 'AbortError'));
      this.pending.set(id, { resolve, reject, opts });
      opts.signal?.addEventListener('abort', () => this.send({ type: 'cancel', id }), { once: true });
      this.send({ type: 'act', id, observation });
    });
  }

  dispose(): void {
    this.fail('the model was unloaded');
    this.worker.terminate();
  }

  private send(msg: ToPolicyWorker): void {
    this.worker.postMessage(msg);
  }

  private receive(msg: FromPolicyWorker): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'token') {
      p.opts.streamer?.put(msg.text);
      return;
    }
    this.pending.delete(msg.id);
    p.opts.streamer?.end();
    if (msg.type === 'result') p.resolve(msg.result);
    else p.reject(msg.name === 'AbortError' ? new DOMException(msg.message, 'AbortError') : new Error(msg.message));
  }

  private fail(reason: string): void {
    this.crashed = reason;
    for (const p of this.pending.values()) p.reject(new Error(reason));
    this.pending.clear();
  }
}

/**
 * How long the worker holds streamed text before posting it: one display frame. A message per token
 * cost the page a store update and a render per token (hundreds a second, on the cores the model decodes
 * on); batched, the page updates at most once a frame and the text reads the same. The first token of a
 * step is posted at once (time to first token is unchanged), the rest when a frame has passed, and what
 * is held is posted before the result.
 */
export const TOKEN_FLUSH_MS = 16;

/**
 * The worker's side: answers 'act' with the loaded policy (streaming tokens, batched per `flushMs`,
 * default TOKEN_FLUSH_MS; 0 posts every token, Infinity only the first and then the rest before the
 * result) and 'cancel' by aborting that act. Returns the handler for those two messages; the worker
 * handles 'load' itself.
 */
export function actServer(
  post: (msg: FromPolicyWorker) => void,
  current: () => Policy | null,
  notLoaded: string,
  opts: { flushMs?: number } = {},
): (msg: ToPolicyWorker) => Promise<void> {
  const flushMs = opts.flushMs ?? TOKEN_FLUSH_MS;
  const running = new Map<number, AbortController>();
  return async (msg) => {
    if (msg.type === 'cancel') {
      running.get(msg.id)?.abort();
      return;
    }
    const controller = new AbortController();
    running.set(msg.id, controller);
    let held = '';
    let lastPost = -Infinity;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      if (held === '') return;
      post({ type: 'token', id: msg.id, text: held });
      held = '';
      lastPost = performance.now();
    };
    const put = (text: string) => {
      held += text;
      const waited = performance.now() - lastPost;
      if (waited >= flushMs) flush();
      else if (timer === null && Number.isFinite(flushMs)) timer = setTimeout(flush, flushMs - waited);
    };
    try {
      const policy = current();
      if (!policy) throw new Error(notLoaded);
      const result = await policy.act(msg.observation, { signal: controller.signal, streamer: { put, end: () => {} } });
      flush();
      post({ type: 'result', id: msg.id, result });
    } catch (e) {
      post({ type: 'error', id: msg.id, message: (e as Error).message, name: (e as Error).name });
    } finally {
      if (timer !== null) clearTimeout(timer);
      running.delete(msg.id);
    }
  };
}
