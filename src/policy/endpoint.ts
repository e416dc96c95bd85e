/**
 * A client for OpenAI-compatible chat servers (vLLM, SGLang, Ollama, llama.cpp's server, `vigal serve`),
 * for Node 20 (global fetch) and the browser alike. It does one thing well: send a chat completion and
 * hand back the text, streamed as it arrives, or fail with a message that says what went wrong and what
 * to do about it.
 *
 *   request  POST {baseURL}/chat/completions, `stream: true` by default (SSE, sse.ts)
 *   timeout  `timeoutMs` for the response headers and for every gap between stream chunks: a long answer
 *            may take minutes, a silent server may not
 *   retries  429, 408, 5xx, network errors, timeouts and a connection dropped before the first token are
 *            retried with exponential backoff (Retry-After honoured); never once text has arrived, since
 *            the streamer has already shown it
 *   errors   EndpointError with a `code` (below) and a message naming the URL, the server's own words
 *            and the fix; the API key is never part of a URL, a log line or a message
 */
import { SseLineTooLongError, SseParser, readSse } from './sse';
import { webGlobals } from '../util/web';

export interface EndpointSettings {
  /** The API root, e.g. http://127.0.0.1:8000/v1 (a bare origin gets /v1 appended; see normalizeBaseURL). */
  baseURL: string;
  /** The model name the server knows (GET {baseURL}/models lists them). */
  model: string;
  /** Sent as `Authorization: Bearer <key>`; omit for servers without authentication. */
  apiKey?: string;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers and between stream chunks (default 60 000). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First backoff delay; doubled each retry up to maxBackoffMs (defaults 500 and 8 000). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Where retries are reported (default console.warn): they are logged, not hidden. */
  log?: (message: string) => void;
}

export type EndpointErrorCode =
  | 'bad_settings' // the base URL or model name cannot be used as given
  | 'cors' // the browser refused the response: the server does not allow this page's origin
  | 'unreachable' // no connection (nothing listening, DNS, TLS); in a browser possibly CORS as well
  | 'timeout'
  | 'auth' // 401 / 403: missing or wrong API key
  | 'model_not_found'
  | 'not_found' // 404 for the path itself: usually a base URL without /v1
  | 'rate_limited' // 429 after the retries
  | 'bad_request' // 400 / 413 / 422: the server refused the request (context too long, image too big)
  | 'server_error' // 5xx after the retries, or an error event in the stream
  | 'malformed' // the answer is not what the protocol says (not SSE/JSON, no choices, ...)
  | 'dropped'; // the connection closed in the middle of the stream

export class EndpointError extends Error {
  override name = 'EndpointError';
  readonly code: EndpointErrorCode;
  readonly status: number | undefined;
  /** Worth another attempt (before any text arrived). */
  readonly retryable: boolean;
  /** From a Retry-After header. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, code: EndpointErrorCode, opts: { status?: number; retryable?: boolean; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.status = opts.status;
    this.retryable = opts.retryable ?? false;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

export type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | ContentPart[];
}

export interface ChatRequest {
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  seed?: number;
  /** SSE streaming (default true); false asks for one JSON answer. */
  stream?: boolean;
}

export interface ChatResult {
  /** The answer; a separate reasoning channel (vLLM's `reasoning_content`) is wrapped in <think>...</think> before it. */
  text: string;
  finishReason: string | null;
  /** Tokens the server reports, when it does. */
  promptTokens?: number;
  completionTokens?: number;
  /** Stream events that carried text (a proxy for tokens when the server reports no usage). */
  textEvents: number;
  /** Milliseconds from the call (retries included) to the first text, and to the last. */
  firstTextMs?: number;
  lastTextMs?: number;
  totalMs: number;
  attempts: number;
}

export interface ChatCallbacks {
  /** Each piece of text as it arrives (SSE) or the whole answer at once (non-streaming). */
  onText?: (text: string) => void;
}

const DEFAULTS = { timeoutMs: 60_000, retries: 3, backoffMs: 500, maxBackoffMs: 8_000 };
/** Longest Retry-After honoured; a server asking for more gets the error instead of a frozen step. */
const MAX_RETRY_AFTER_MS = 30_000;
/** Longest error body read (servers sometimes answer with a whole HTML page). */
const MAX_ERROR_BODY = 64 * 1024;

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * The API root from what a user typed: trailing slashes dropped, `/v1` added to a bare origin (what
 * every supported server expects), credentials, query strings and fragments refused (a key in a URL ends
 * up in logs and histories). Throws EndpointError('bad_settings') naming the value and the fix.
 */
export function normalizeBaseURL(raw: string): string {
  const typed = raw.trim();
  let url: URL;
  try {
    url = new URL(typed);
  } catch {
    throw new EndpointError(`base URL '${typed}' is not a URL; write it like http://127.0.0.1:8000/v1`, 'bad_settings');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EndpointError(`base URL '${typed}' must start with http:// or https://, e.g. http://127.0.0.1:8000/v1`, 'bad_settings');
  }
  if (url.username || url.password) {
    throw new EndpointError('the base URL must not carry credentials (user:password@); put the key in the API key field instead', 'bad_settings');
  }
  if (url.search || url.hash) {
    throw new EndpointError(
      `base URL '${url.origin}${url.pathname}' must have no query or fragment (got '${url.search}${url.hash}'); keys go in the API key field`,
      'bad_settings',
    );
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path === '' ? '/v1' : path}`;
}

/** The model ids GET {baseURL}/models lists. */
export async function listModels(settings: Omit<EndpointSettings, 'model'>, opts: RequestOptions = {}): Promise<string[]> {
  const base = normalizeBaseURL(settings.baseURL);
  const url = `${base}/models`;
  const ctx: Ctx = { base, url, apiKey: settings.apiKey, model: null, opts };
  return withRetries(ctx, async () => {
    const attempt = startAttempt(ctx);
    try {
      const res = await send(ctx, attempt, { method: 'GET', headers: headers(settings.apiKey) });
      if (!res.ok) throw await httpError(ctx, res);
      const body = await readText(ctx, attempt, res);
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        throw new EndpointError(
          `GET ${url} did not answer JSON (${describeBody(res, body)}); is ${base} an OpenAI-compatible API root (ending in /v1)?`,
          'malformed',
          { status: res.status },
        );
      }
      const data = (json as { data?: unknown }).data;
      if (!Array.isArray(data)) throw new EndpointError(`GET ${url} answered JSON without a "data" list of models: ${snippet(body)}`, 'malformed');
      return data.map((m) => (m as { id?: unknown }).id).filter((id): id is string => typeof id === 'string');
    } finally {
      attempt.done();
    }
  });
}

/** One chat completion, streamed through `onText`; see the header for timeouts, retries and errors. */
export async function chatCompletion(settings: EndpointSettings, request: ChatRequest, opts: RequestOptions & ChatCallbacks = {}): Promise<ChatResult> {
  const base = normalizeBaseURL(settings.baseURL);
  const model = settings.model.trim();
  if (!model) throw new EndpointError('no model name: give the name the server serves (its GET /v1/models lists them)', 'bad_settings');
  const url = `${base}/chat/completions`;
  const ctx: Ctx = { base, url, apiKey: settings.apiKey, model, opts };
  const stream = request.stream ?? true;
  const body = JSON.stringify({
    model,
    messages: request.messages,
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
    ...(request.topP !== undefined ? { top_p: request.topP } : {}),
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
  });
  const t0 = now();
  const out = new TextAssembler((text) => {
    const t = now() - t0;
    out.firstTextMs ??= t;
    out.lastTextMs = t;
    opts.onText?.(text);
  });
  let attempts = 0;
  const result = await withRetries(
    ctx,
    async () => {
      attempts++;
      const attempt = startAttempt(ctx);
      try {
        const res = await send(ctx, attempt, { method: 'POST', headers: { ...headers(settings.apiKey), 'Content-Type': 'application/json' }, body });
        if (!res.ok) throw await httpError(ctx, res);
        const type = res.headers.get('content-type') ?? '';
        if (type.includes('text/event-stream') && res.body) return await readStream(ctx, attempt, res.body, out);
        const text = await readText(ctx, attempt, res);
        if (!type.includes('json') && !(text.trimStart().startsWith('{') && !type.includes('html'))) {
          throw new EndpointError(
            `POST ${url} answered ${describeBody(res, text)} instead of ${stream ? 'an event stream (text/event-stream)' : 'JSON'}; is ${base} an OpenAI-compatible API root (ending in /v1)?`,
            'malformed',
            { status: res.status },
          );
        }
        return readWhole(ctx, text, out);
      } finally {
        attempt.done();
      }
    },
    () => out.pieces > 0,
  );
  return { ...result, text: out.finish(), textEvents: out.pieces, firstTextMs: out.firstTextMs, lastTextMs: out.lastTextMs, totalMs: now() - t0, attempts };
}

// ---------------------------------------------------------------------------------------------------
// helpers

interface Ctx {
  base: string;
  url: string;
  apiKey: string | undefined;
  model: string | null;
  opts: RequestOptions;
}

function headers(apiKey: string | undefined): Record<string, string> {
  const key = apiKey?.trim();
  return { Accept: 'application/json, text/event-stream', ...(key ? { Authorization: `Bearer ${key}` } : {}) };
}

/** Collects the answer text; reasoning sent on a separate channel is wrapped in <think> tags. */
class TextAssembler {
  private parts: string[] = [];
  private thinking = false;
  pieces = 0;
  firstTextMs: number | undefined;
  lastTextMs: number | undefined;

  constructor(private readonly emit: (text: string) => void) {}

  add(content: string | null | undefined, reasoning: string | null | undefined): void {
    if (reasoning) {
      this.put(this.thinking ? reasoning : `<think>${reasoning}`);
      this.thinking = true;
    }
    if (content) {
      this.put(this.thinking ? `</think>${content}` : content);
      this.thinking = false;
    }
  }

  finish(): string {
    if (this.thinking) this.put('</think>');
    this.thinking = false;
    return this.parts.join('');
  }

  private put(text: string): void {
    this.parts.push(text);
    this.pieces++;
    this.emit(text);
  }
}

interface Attempt {
  signal: AbortSignal;
  /** Restarts the inactivity timer (each chunk received). */
  touch(): void;
  timedOut(): boolean;
  done(): void;
}

/** One try's abort signal: the caller's cancel, or `timeoutMs` of silence. */
function startAttempt(ctx: Ctx): Attempt {
  const ms = ctx.opts.timeoutMs ?? DEFAULTS.timeoutMs;
  const ctrl = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort(new DOMException(`no data for ${ms} ms`, 'TimeoutError'));
    }, ms);
  };
  const outer = ctx.opts.signal;
  const onAbort = () => ctrl.abort(outer?.reason);
  if (outer?.aborted) ctrl.abort(outer.reason);
  else outer?.addEventListener('abort', onAbort, { once: true });
  touch();
  return {
    signal: ctrl.signal,
    touch,
    timedOut: () => timedOut,
    done: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error && reason.name === 'AbortError' ? reason : new DOMException('the request was cancelled', 'AbortError');
}

async function withRetries<T>(ctx: Ctx, attempt: () => Promise<T>, progressed: () => boolean = () => false): Promise<T> {
  const retries = ctx.opts.retries ?? DEFAULTS.retries;
  const backoff = ctx.opts.backoffMs ?? DEFAULTS.backoffMs;
  const maxBackoff = ctx.opts.maxBackoffMs ?? DEFAULTS.maxBackoffMs;
  const log = ctx.opts.log ?? ((m: string) => console.warn(m));
  const t0 = now();
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (raw) {
      // The one point every error of an attempt passes through, before it is logged or thrown.
      const e = redactError(ctx, raw);
      if (ctx.opts.signal?.aborted) throw abortError(ctx.opts.signal);
      if (!(e instanceof EndpointError) || !e.retryable || progressed()) throw e;
      if (n > retries) {
        if (n === 1) throw e;
        const secs = ((now() - t0) / 1000).toFixed(1);
        throw new EndpointError(`${e.message} (gave up after ${n} attempts over ${secs} s)`, e.code, { status: e.status, cause: e });
      }
      const wait = e.retryAfterMs ?? Math.min(maxBackoff, backoff * 2 ** (n - 1));
      log(`${ctx.url}: ${e.message}; retry ${n} of ${retries} in ${wait} ms`);
      await sleep(wait, ctx.opts.signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const inBrowser = (): boolean => typeof webGlobals.document !== 'undefined' || typeof webGlobals.self?.importScripts === 'function';

async function send(ctx: Ctx, attempt: Attempt, init: RequestInit): Promise<Response> {
  try {
    return await fetch(ctx.url, { ...init, signal: attempt.signal });
  } catch (e) {
    throw await fetchFailure(ctx, attempt, e);
  }
}

/** Why fetch() itself failed: cancelled, timed out, refused by CORS (browser), or no connection. */
async function fetchFailure(ctx: Ctx, attempt: Attempt, e: unknown): Promise<Error> {
  if (ctx.opts.signal?.aborted) return abortError(ctx.opts.signal);
  const ms = ctx.opts.timeoutMs ?? DEFAULTS.timeoutMs;
  if (attempt.timedOut()) {
    return new EndpointError(
      `no answer from ${ctx.url} within ${(ms / 1000).toFixed(1)} s; is the server overloaded or still loading the model? (raise the timeout if it is just slow)`,
      'timeout',
      { retryable: true, cause: e },
    );
  }
  if (inBrowser()) {
    const origin = webGlobals.location?.origin ?? 'this page';
    const fix =
      `If the server is running, let it accept requests from ${origin}: ` +
      `vLLM: --allowed-origins '["${origin}"]'; Ollama: OLLAMA_ORIGINS=${origin}; ` +
      `vigal serve: --allow-origin ${origin}; other servers: their CORS setting, or a reverse proxy adding Access-Control-Allow-Origin.`;
    // A no-cors request succeeds where a CORS one was refused, if the server answers at all (servers
    // that send no Cross-Origin-Resource-Policy cannot be probed from a cross-origin isolated page).
    const reachable = await fetch(`${ctx.base}/models`, { mode: 'no-cors', signal: AbortSignal.timeout(3000) }).then(
      () => true,
      () => false,
    );
    if (reachable) {
      return new EndpointError(
        `the server at ${ctx.base} answered, but the browser refused to let this page read it (CORS: the server does not allow the origin ${origin}). ${fix}`,
        'cors',
        { cause: e },
      );
    }
    return new EndpointError(
      `could not reach ${ctx.url} from this page: either nothing is listening there (check the address and that the server runs), or the server refused this page's origin (CORS). ${fix}`,
      'unreachable',
      { retryable: true, cause: e },
    );
  }
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (e as Error).message;
  return new EndpointError(`could not connect to ${ctx.url} (${why}); check the address and that the server is running`, 'unreachable', {
    retryable: true,
    cause: e,
  });
}

/** The body as text, under the attempt's timeout. */
async function readText(ctx: Ctx, attempt: Attempt, res: Response): Promise<string> {
  try {
    return redact(ctx, await res.text());
  } catch (e) {
    if (ctx.opts.signal?.aborted) throw abortError(ctx.opts.signal);
    if (attempt.timedOut())
      throw new EndpointError(`${ctx.url} stopped sending its answer for ${ctx.opts.timeoutMs ?? DEFAULTS.timeoutMs} ms`, 'timeout', {
        retryable: true,
        cause: e,
      });
    throw new EndpointError(`the connection to ${ctx.url} dropped while reading the answer (${causeText(e)})`, 'dropped', { retryable: true, cause: e });
  }
}

/** Reads the SSE stream into `out`; every way it can go wrong gets its own message. */
async function readStream(
  ctx: Ctx,
  attempt: Attempt,
  body: ReadableStream<Uint8Array>,
  out: TextAssembler,
): Promise<Pick<ChatResult, 'finishReason' | 'promptTokens' | 'completionTokens'>> {
  const parser = new SseParser();
  let events = 0;
  let finishReason: string | null = null;
  let usage: { prompt_tokens?: unknown; completion_tokens?: unknown } | undefined;
  let sawDone = false;
  const got = () => (out.pieces === 0 ? 'before any text arrived' : `after ${out.pieces} pieces of text`);
  try {
    for await (const event of readSse(body, parser, attempt.touch)) {
      events++;
      // Redacted before any piece of it is quoted (or cut) in a message.
      const ev = { data: redact(ctx, event.data) };
      if (ev.data.trim() === '[DONE]') {
        sawDone = true;
        break;
      }
      let json: unknown;
      try {
        json = JSON.parse(ev.data);
      } catch {
        throw new EndpointError(`malformed stream from ${ctx.url}: event ${events} is not JSON: ${snippet(ev.data)}`, 'malformed');
      }
      if (!json || typeof json !== 'object')
        throw new EndpointError(`malformed stream from ${ctx.url}: event ${events} is ${snippet(ev.data)}, not a JSON object`, 'malformed');
      const chunk = json as { error?: unknown; choices?: unknown; usage?: typeof usage };
      if (chunk.error !== undefined) {
        throw new EndpointError(`the server reported an error in the middle of the stream ${got()}: ${errorText(chunk.error)}`, 'server_error', {
          retryable: out.pieces === 0,
        });
      }
      if (chunk.usage && typeof chunk.usage === 'object') usage = chunk.usage;
      if (!Array.isArray(chunk.choices)) {
        throw new EndpointError(`malformed stream from ${ctx.url}: event ${events} has no "choices" list: ${snippet(ev.data)}`, 'malformed');
      }
      const choice = chunk.choices[0] as { delta?: unknown; finish_reason?: unknown } | undefined;
      if (!choice) continue; // the usage-only chunk at the end
      const delta = choice.delta as { content?: unknown; reasoning_content?: unknown; reasoning?: unknown } | undefined;
      if (delta !== undefined && (delta === null || typeof delta !== 'object')) {
        throw new EndpointError(
          `malformed stream from ${ctx.url}: event ${events}'s choices[0].delta is ${snippet(JSON.stringify(delta))}, not an object`,
          'malformed',
        );
      }
      const content = delta?.content;
      const reasoning = delta?.reasoning_content ?? delta?.reasoning;
      for (const [name, v] of [
        ['content', content],
        ['reasoning_content', reasoning],
      ] as const) {
        if (v !== undefined && v !== null && typeof v !== 'string') {
          throw new EndpointError(
            `malformed stream from ${ctx.url}: event ${events}'s choices[0].delta.${name} is ${snippet(JSON.stringify(v))}, not a string`,
            'malformed',
          );
        }
      }
      out.add(content as string | undefined, reasoning as string | undefined);
      if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
    }
  } catch (e) {
    if (e instanceof EndpointError) throw e;
    if (ctx.opts.signal?.aborted) throw abortError(ctx.opts.signal);
    if (attempt.timedOut()) {
      throw new EndpointError(
        `the stream from ${ctx.url} stalled: no data for ${((ctx.opts.timeoutMs ?? DEFAULTS.timeoutMs) / 1000).toFixed(1)} s ${got()}`,
        'timeout',
        { retryable: out.pieces === 0, cause: e },
      );
    }
    if (e instanceof SseLineTooLongError) {
      // Quoted from its redacted start, and without the parser's error as the cause (its message quotes the raw line).
      throw new EndpointError(
        `malformed stream from ${ctx.url}: a line of ${e.lineLength} characters without a line break (starts ${snippet(redact(ctx, e.head), 60)}); not an event stream`,
        'malformed',
      );
    }
    throw new EndpointError(
      `the connection to ${ctx.url} dropped in the middle of the stream ${got()} (${causeText(e)}); the partial answer was discarded, try the step again`,
      'dropped',
      { retryable: out.pieces === 0, cause: e },
    );
  }
  if (!sawDone && finishReason === null) {
    const unterminated = parser.finish().unterminated;
    const tail = unterminated === null ? null : redact(ctx, unterminated);
    throw new EndpointError(
      `the connection to ${ctx.url} closed in the middle of the stream ${got()}: no finish_reason and no "data: [DONE]"${tail ? ` (last, unfinished event: ${snippet(tail)})` : ''}; the partial answer was discarded, try the step again`,
      'dropped',
      { retryable: out.pieces === 0 },
    );
  }
  return { finishReason, ...usageNumbers(usage) };
}

/** A non-streaming answer (or a server that ignored `stream: true` and sent JSON). */
function readWhole(ctx: Ctx, text: string, out: TextAssembler): Pick<ChatResult, 'finishReason' | 'promptTokens' | 'completionTokens'> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new EndpointError(`malformed answer from ${ctx.url}: not JSON: ${snippet(text)}`, 'malformed');
  }
  const body = json as { choices?: unknown; usage?: { prompt_tokens?: unknown; completion_tokens?: unknown }; error?: unknown };
  if (body.error !== undefined) throw new EndpointError(`the server reported an error: ${errorText(body.error)}`, 'server_error');
  const choice = Array.isArray(body.choices)
    ? (body.choices[0] as { message?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown }; finish_reason?: unknown } | undefined)
    : undefined;
  const message = choice?.message;
  if (!message || typeof message !== 'object')
    throw new EndpointError(`malformed answer from ${ctx.url}: no choices[0].message: ${snippet(text)}`, 'malformed');
  const content = message.content;
  const reasoning = message.reasoning_content ?? message.reasoning;
  if ((content !== null && content !== undefined && typeof content !== 'string') || (reasoning != null && typeof reasoning !== 'string')) {
    throw new EndpointError(`malformed answer from ${ctx.url}: choices[0].message.content is not a string: ${snippet(text)}`, 'malformed');
  }
  out.add(content as string | undefined, reasoning as string | undefined);
  return { finishReason: typeof choice?.finish_reason === 'string' ? choice.finish_reason : null, ...usageNumbers(body.usage) };
}

function usageNumbers(usage: { prompt_tokens?: unknown; completion_tokens?: unknown } | undefined): { promptTokens?: number; completionTokens?: number } {
  return {
    ...(typeof usage?.prompt_tokens === 'number' ? { promptTokens: usage.prompt_tokens } : {}),
    ...(typeof usage?.completion_tokens === 'number' ? { completionTokens: usage.completion_tokens } : {}),
  };
}

/** An HTTP error status as an EndpointError: which one, in the server's words, and the fix. */
async function httpError(ctx: Ctx, res: Response): Promise<EndpointError> {
  const raw = await readCapped(ctx, res);
  const said = serverMessage(raw, res);
  const status = res.status;
  const where = `${ctx.model === null ? 'GET' : 'POST'} ${ctx.url}`;
  if (status === 401 || status === 403) {
    const why = ctx.apiKey?.trim()
      ? 'the server did not accept the API key given. Check the API key.'
      : 'the server wants an API key and none was given. Enter the key.';
    return new EndpointError(`${where} was refused with HTTP ${status}: ${why} Server says: ${said}`, 'auth', { status });
  }
  if (status === 404) {
    if (ctx.model !== null) {
      // Ask which models exist: the difference between a wrong model name and a wrong base URL.
      const models = await listModels(
        { baseURL: ctx.base, apiKey: ctx.apiKey },
        { retries: 0, timeoutMs: 10_000, signal: ctx.opts.signal, log: ctx.opts.log },
      ).catch(() => null);
      if (models && !models.includes(ctx.model)) {
        return new EndpointError(
          `model '${ctx.model}' is not served at ${ctx.base} (HTTP 404); available: ${models.length ? models.join(', ') : '(the server lists none)'}. Use one of those as the model name. Server says: ${said}`,
          'model_not_found',
          { status },
        );
      }
      if (models)
        return new EndpointError(
          `${where} answered HTTP 404 although the server lists model '${ctx.model}'; does it serve chat completions under ${ctx.base}? Server says: ${said}`,
          'not_found',
          { status },
        );
    }
    return new EndpointError(
      `${where} answered HTTP 404: check the model name and that the base URL is the API root (usually ending in /v1, e.g. http://127.0.0.1:8000/v1). Server says: ${said}`,
      'not_found',
      { status },
    );
  }
  if (status === 429) {
    return new EndpointError(
      `${where} was rate limited (HTTP 429): the server is busy or the quota is used up; wait and try again. Server says: ${said}`,
      'rate_limited',
      { status, retryable: true, retryAfterMs: retryAfter(res) },
    );
  }
  if (status === 408 || status >= 500) {
    return new EndpointError(`${where} failed with HTTP ${status} on the server's side. Server says: ${said}`, status === 408 ? 'timeout' : 'server_error', {
      status,
      retryable: true,
      retryAfterMs: retryAfter(res),
    });
  }
  return new EndpointError(`${where} was refused with HTTP ${status}. Server says: ${said}`, 'bad_request', { status });
}

async function readCapped(ctx: Ctx, res: Response): Promise<string> {
  try {
    const text = redact(ctx, await res.text()); // before cutting: a cut could leave part of the key
    return text.length > MAX_ERROR_BODY ? text.slice(0, MAX_ERROR_BODY) : text;
  } catch {
    return '';
  }
}

/** The message inside an error body: OpenAI's {error:{message}}, vLLM's {message}, FastAPI's {detail}, or the text. */
function serverMessage(body: string, res: Response): string {
  const trimmed = body.trim();
  if (trimmed === '') return `(empty body, HTTP ${res.status} ${res.statusText})`;
  try {
    const json = JSON.parse(trimmed) as Record<string, unknown>;
    for (const key of ['error', 'message', 'detail']) {
      if (json[key] !== undefined) return errorText(json[key]);
    }
  } catch {
    // not JSON: fall through to the text itself
  }
  // [^<>]: a tag match cannot run past the next '<', so a page of 64 K unclosed '<' costs one pass, not 13 s.
  if (/^<(!doctype|html)/i.test(trimmed))
    return `an HTML page (${snippet(
      trimmed
        .replace(/<[^<>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    )})`;
  return snippet(trimmed, 300);
}

function errorText(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object') {
    const m = (e as { message?: unknown }).message;
    if (typeof m === 'string') return m;
  }
  return snippet(JSON.stringify(e), 300);
}

function retryAfter(res: Response): number | undefined {
  const h = res.headers.get('retry-after');
  if (h === null) return undefined;
  const secs = Number(h);
  const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(h) - Date.now();
  return Number.isFinite(ms) ? Math.max(0, Math.min(MAX_RETRY_AFTER_MS, ms)) : undefined;
}

function describeBody(res: Response, body: string): string {
  const type = res.headers.get('content-type') || 'no content type';
  return `HTTP ${res.status}, ${type}, starting ${snippet(body, 60)}`;
}

/**
 * A server that echoes the key back (in a 401 message, a debug page, a JSON dump of the request's
 * headers) must not put it on screen or in a log: the key as sent, and as JSON writes it (a key with a
 * quote or backslash is escaped inside a JSON text), become ***. Applied to every body as it is read
 * (before any of it is quoted or cut short, which could leave a piece of the key) and again to every
 * error message in withRetries, which all of them pass through.
 */
function redact(ctx: Ctx, text: string): string {
  const key = ctx.apiKey?.trim();
  if (!key || key.length < 4) return text;
  let out = text;
  for (const form of new Set([key, JSON.stringify(key).slice(1, -1), JSON.stringify(JSON.stringify(key).slice(1, -1)).slice(1, -1)])) {
    if (out.includes(form)) out = out.split(form).join('***');
  }
  return out;
}

/** An error whose message mentions the key, rebuilt without it (same code, status and retry advice). */
function redactError(ctx: Ctx, e: unknown): unknown {
  if (!(e instanceof EndpointError)) return e;
  const message = redact(ctx, e.message);
  if (message === e.message) return e;
  return new EndpointError(message, e.code, { status: e.status, retryable: e.retryable, retryAfterMs: e.retryAfterMs });
}

function causeText(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const msg = (e as Error).message ?? String(e);
  return cause?.code ? `${msg}: ${cause.code}` : cause?.message ? `${msg}: ${cause.message}` : msg;
}

function snippet(text: string, max = 120): string {
  const one = text.replace(/\s+/g, ' ');
  return JSON.stringify(one.length > max ? `${one.slice(0, max)}…` : one);
}
