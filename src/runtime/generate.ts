/**
 * Text generation with the nano model, shaped like transformers.js's `generate()`: numbered set-up
 * steps, then one loop (prepare inputs, forward, last logits, processors, sample, stream, stop), then
 * explicit disposal of the tensors still held.
 *
 * With the KV cache (default) the prompt (images + text) is run once and each later step feeds one
 * token per row; without it every step re-runs the whole sequence (the reference the cache is tested
 * against, and a benchmark baseline). A batch is B copies of one prompt (an RL group): rows sample
 * independently from one seeded generator, and a finished row is fed [PAD] until all rows stop.
 */
import type { NanoModel, KvCache } from './model';
import { disposeCache } from './model';
import { chooseToken, isGreedy, logSoftmaxAt, type SamplingOptions } from './sampling';
import { Rng } from '../util/rng';
import { patchDim } from '../model/config';

/** Receives tokens as they are generated; the UI, the worker and the CLI each supply one. */
export interface Streamer {
  /** New token(s) of batch row `row` and the text they add to that row's output. */
  put(tokenIds: number[], text: string, row: number): void;
  /** Called once when generation stops (normally, at a limit, or on abort). */
  end(): void;
}

/**
 * Token ids generation never emits: [PAD], [BOS], and the rows of the embedding beyond the tokenizer's
 * vocabulary (config.vocabSize may be larger; those rows are never trained and decode to nothing).
 */
export function suppressedTokenIds(tok: { padId: number; bosId: number; vocabSize: number }, modelVocab: number): number[] {
  const ids = [tok.padId, tok.bosId];
  for (let id = tok.vocabSize; id < modelVocab; id++) ids.push(id);
  return ids;
}

/** Tags after which an answer is complete (docs/games.md): Snake ends with </worst_answer>, Rotation with </answer>. */
export const DEFAULT_STOP_TOKENS: readonly string[] = ['</worst_answer>', '</answer>'];

export interface GenerateOptions extends SamplingOptions {
  /** Prompt token ids (with [BOS] if the model was trained with it). */
  inputIds: readonly number[];
  /** Patches of the prompt's images, [P, patchDim] flattened (model/patchify.ts); omit for text-only. */
  patches?: Float32Array;
  /** Copies of the prompt to generate for (default 1). */
  batchSize?: number;
  /** Default: as many as fit in maxSeqLen. */
  maxNewTokens?: number;
  /** Token strings that end a row (besides [EOS]); default DEFAULT_STOP_TOKENS. The stop token is kept. */
  stopTokens?: readonly string[];
  /** Seed of the sampling generator (ignored when greedy); or pass `rng`. */
  seed?: number;
  rng?: Rng;
  streamer?: Streamer;
  signal?: AbortSignal;
  /** KV cache (default true). */
  useCache?: boolean;
  /** Also return each chosen token's log-probability (see GenerateResult.logprobs). */
  returnLogprobs?: boolean;
}

export type StopReason = 'eos' | 'stop_token' | 'max_new_tokens' | 'max_length';

export interface GenerationTimings {
  /** The first forward (prompt + images). */
  prefillMs: number;
  /** From the call to the first token handed to the streamer. */
  timeToFirstTokenMs: number;
  /** Steps after the first token. */
  decodeMs: number;
  totalMs: number;
  /** Tokens generated per row (the longest row). */
  newTokens: number;
  /** Decode speed per row: (newTokens - 1) / decode seconds (0 when there is one token). */
  tokensPerSecond: number;
}

export interface GenerateResult {
  /** New tokens per row, stop token included. */
  tokens: number[][];
  /** Decoded new text per row. */
  texts: string[];
  stopReasons: StopReason[];
  timings: GenerationTimings;
  /**
   * With `returnLogprobs`: per row, log p(token) under softmax(logits / temperature) (temperature 1 when
   * greedy), before top-k/top-p filtering: the behaviour policy's log-probs an RL step compares against.
   */
  logprobs?: number[][];
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * One turn of the event loop: setImmediate in Node; a MessageChannel round trip in browsers and workers
 * (setTimeout(0) is clamped to 4 ms when nested, which would cost more than a nano decode step).
 */
let yieldChannel: { port: MessagePort; waiting: (() => void)[] } | null = null;
function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel === 'function') {
    if (!yieldChannel) {
      const channel = new MessageChannel();
      const waiting: (() => void)[] = [];
      channel.port1.onmessage = () => waiting.shift()?.();
      yieldChannel = { port: channel.port2, waiting };
    }
    const y = yieldChannel;
    return new Promise((resolve) => {
      y.waiting.push(resolve);
      y.port.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export async function generate(model: NanoModel, opts: GenerateOptions): Promise<GenerateResult> {
  const { config: c, tokenizer: tok } = model;
  const t0 = now();

  // 1. validate the prompt and the limits
  const B = opts.batchSize ?? 1;
  if (!Number.isInteger(B) || B < 1) throw new Error(`generate: batchSize must be a positive integer, got ${B}`);
  const prompt = [...opts.inputIds];
  if (prompt.length === 0) throw new Error('generate: inputIds is empty; pass at least [BOS]');
  const pd = patchDim(c);
  const patches = opts.patches ?? new Float32Array(0);
  const P = patches.length / pd;
  if (!Number.isInteger(P)) throw new Error(`generate: patches hold ${patches.length} values, not a multiple of patchDim ${pd}`);
  const promptLen = P + prompt.length;
  if (promptLen > c.maxSeqLen) {
    throw new Error(`generate: prompt of ${P} patches + ${prompt.length} tokens exceeds maxSeqLen ${c.maxSeqLen}`);
  }
  // The last generated token is never fed back, hence + 1.
  const roomLeft = c.maxSeqLen - promptLen + 1;
  const maxNew = Math.min(opts.maxNewTokens ?? roomLeft, roomLeft);
  if (!(maxNew >= 1)) throw new Error(`generate: maxNewTokens must be >= 1, got ${opts.maxNewTokens}`);

  // 2. stop tokens and sampler
  const stopIds = new Set<number>([tok.eosId]);
  for (const s of opts.stopTokens ?? DEFAULT_STOP_TOKENS) {
    const id = tok.tokenToId(s);
    if (id === undefined) throw new Error(`generate: stop token ${JSON.stringify(s)} is not in the vocabulary`);
    stopIds.add(id);
  }
  // Ids the model may never emit (see suppressedTokenIds); the RL trainer masks the same ones, so its
  // log-probs are those of the distribution actually sampled.
  const suppressed = suppressedTokenIds(tok, c.vocabSize);
  const rng = opts.rng ?? new Rng(opts.seed ?? 0);
  const sampling: SamplingOptions = { temperature: opts.temperature, topP: opts.topP, topK: opts.topK };
  if (!isGreedy(sampling) && opts.topP !== undefined && !(opts.topP > 0 && opts.topP <= 1)) {
    throw new Error(`generate: topP must be in (0, 1], got ${opts.topP}`);
  }

  // 3. per-row state
  const tokens: number[][] = Array.from({ length: B }, () => []);
  const texts: string[] = Array.from({ length: B }, () => '');
  const stopReasons: (StopReason | null)[] = Array.from({ length: B }, () => null);
  const logprobs: number[][] | undefined = opts.returnLogprobs ? Array.from({ length: B }, () => []) : undefined;
  const allPatches = repeat(patches, B);
  const timings: GenerationTimings = { prefillMs: 0, timeToFirstTokenMs: 0, decodeMs: 0, totalMs: 0, newTokens: 0, tokensPerSecond: 0 };
  const useCache = opts.useCache ?? true;
  let cache: KvCache | null = null;

  try {
    for (let step = 0; step < maxNew; step++) {
      // ORT's WASM run resolves through microtasks only: without a real yield a generation holds the
      // event loop to its end, and a cancel (worker message, closed HTTP connection) is seen too late.
      if (step > 0) await yieldToEventLoop();
      opts.signal?.throwIfAborted();
      // a. prepare inputs: the whole prompt at step 0 (and every step without cache), else the last token
      const stepStart = now();
      let ids: number[];
      let stepPatches: Float32Array;
      let numPatches: number;
      if (step === 0 || !useCache) {
        ids = [];
        for (let b = 0; b < B; b++) ids.push(...prompt, ...padTo(tokens[b] as number[], step, tok.padId));
        stepPatches = allPatches;
        numPatches = P;
      } else {
        ids = tokens.map((row, b) => (stopReasons[b] === null ? (row[row.length - 1] as number) : tok.padId));
        stepPatches = new Float32Array(0);
        numPatches = 0;
      }
      // b. forward
      const { logits, present } = await model.forward({
        patches: stepPatches,
        numPatches,
        inputIds: ids,
        batch: B,
        past: useCache && step > 0 ? cache : null,
      });
      if (useCache) disposeCache(cache);
      else disposeCache(present);
      cache = useCache ? present : null;
      opts.signal?.throwIfAborted();
      // c-d. last logits of each row -> processors (suppression, then temperature / top-k / top-p) -> token
      const S = ids.length / B;
      const V = c.vocabSize;
      for (let b = 0; b < B; b++) {
        if (stopReasons[b] !== null) continue;
        const row = logits.subarray((b * S + S - 1) * V, (b * S + S) * V);
        for (const id of suppressed) row[id] = -Infinity;
        const next = chooseToken(row, sampling, rng);
        logprobs?.[b]?.push(logSoftmaxAt(row, next, isGreedy(sampling) ? 1 : (sampling.temperature as number)));
        // e. stream: the text this token adds (decoding the whole row keeps spacing exact)
        const rowTokens = tokens[b] as number[];
        rowTokens.push(next);
        const text = tok.decode(rowTokens);
        const delta = text.slice((texts[b] as string).length);
        texts[b] = text;
        if (step === 0 && b === 0) timings.timeToFirstTokenMs = now() - t0;
        opts.streamer?.put([next], delta, b);
        // f. stop
        if (next === tok.eosId) stopReasons[b] = 'eos';
        else if (stopIds.has(next)) stopReasons[b] = 'stop_token';
      }
      if (step === 0) timings.prefillMs = now() - stepStart;
      if (stopReasons.every((r) => r !== null)) break;
    }
  } finally {
    // 4. release what is still held, and close the stream whatever happened
    disposeCache(cache);
    opts.streamer?.end();
  }

  const finalReasons = stopReasons.map((r) => r ?? (maxNew === roomLeft ? 'max_length' : 'max_new_tokens'));
  timings.totalMs = now() - t0;
  timings.newTokens = Math.max(...tokens.map((t) => t.length));
  timings.decodeMs = timings.totalMs - timings.timeToFirstTokenMs;
  timings.tokensPerSecond = timings.newTokens > 1 && timings.decodeMs > 0 ? ((timings.newTokens - 1) * 1000) / timings.decodeMs : 0;
  return { tokens, texts, stopReasons: finalReasons, timings, ...(logprobs ? { logprobs } : {}) };
}

/** A row's generated tokens padded with [PAD] to `length` (finished rows stop growing). */
function padTo(row: number[], length: number, pad: number): number[] {
  return row.length >= length ? row.slice(0, length) : [...row, ...new Array<number>(length - row.length).fill(pad)];
}

function repeat(x: Float32Array, times: number): Float32Array {
  if (times === 1) return x;
  const out = new Float32Array(x.length * times);
  for (let i = 0; i < times; i++) out.set(x, i * x.length);
  return out;
}
