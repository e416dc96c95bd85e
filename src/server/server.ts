/**
 * An OpenAI-compatible HTTP server for the nano model (`vigal serve`), on node:http alone:
 *
 *   GET  /v1/models               the one model, by its config name (or --served-model-name)
 *   GET  /v1/models/{id}
 *   POST /v1/chat/completions     text and image_url (PNG data URL) parts; stream true (SSE chunks in
 *                                 OpenAI's chat.completion.chunk format, then `data: [DONE]`) or false
 *   GET  /health                  {"status": "ok"} (no key needed), for scripts waiting on start-up
 *
 * Safe defaults: bound to 127.0.0.1; request bodies capped (8 MiB, 413 above); browsers may call it only
 * from allowed origins (default: pages on localhost / 127.0.0.1 / [::1]), others get 403 before any work
 * is done, so an unrelated web page cannot make the model run; optional API key (401 without it). Every
 * error is an OpenAI-style body `{"error": {"message", "type", "param", "code"}}`.
 *
 * Generations run one at a time (one ORT session), in arrival order; a client that disconnects cancels
 * its own. How a request becomes the nano model's input is chat.ts.
 */
import { createHash, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodePrompt } from '../model/inputs';
import { patchDim } from '../model/config';
import { generate, type StopReason } from '../runtime/generate';
import type { NanoModel } from '../runtime/model';
import { nanoInput, parseChatRequest, type ChatInput } from './chat';
import { ApiError, badRequest, clip, jsonDepth, MAX_JSON_DEPTH } from './errors';

export interface ServeOptions {
  model: NanoModel;
  /** Default 127.0.0.1 (this machine only). */
  host?: string;
  /** Default 8000; 0 picks a free port. */
  port?: number;
  /** The id clients use (default: the model's config name). */
  servedModelName?: string;
  /** Required as `Authorization: Bearer <key>` when set. */
  apiKey?: string;
  /**
   * Origins browsers may call from: exact ('http://example.org:8080'), with any port
   * ('http://localhost:*'), or '*' (any). Default DEFAULT_ALLOWED_ORIGINS.
   */
  allowOrigins?: readonly string[];
  /** Largest request body in bytes (default 8 MiB). */
  maxBodyBytes?: number;
  /** One line per request (default: stderr); never carries keys or bodies. */
  log?: (line: string) => void;
}

export const DEFAULT_ALLOWED_ORIGINS: readonly string[] = [
  'http://localhost:*',
  'http://127.0.0.1:*',
  'http://[::1]:*',
  'https://localhost:*',
  'https://127.0.0.1:*',
  'https://[::1]:*',
];
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
/** SSE comment sent while a request waits for the model, so clients' idle timeouts do not fire. */
const KEEP_ALIVE_MS = 15_000;

export interface VigalServer {
  /** The API root clients use, e.g. http://127.0.0.1:8000/v1. */
  readonly url: string;
  readonly port: number;
  readonly modelId: string;
  /** Stops accepting, cancels generations in flight, closes connections. */
  close(): Promise<void>;
}

export async function startServer(opts: ServeOptions): Promise<VigalServer> {
  const model = opts.model;
  const modelId = opts.servedModelName ?? model.config.name;
  const host = opts.host ?? '127.0.0.1';
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const origins = opts.allowOrigins ?? DEFAULT_ALLOWED_ORIGINS;
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const keyDigest = opts.apiKey ? sha256(opts.apiKey) : null;
  const created = Math.floor(Date.now() / 1000);
  const inflight = new Set<AbortController>();
  /** Set by close(): generations still running end with an error saying so (an SSE error event mid-stream). */
  let closing = false;
  // Generations run one after another: the model has one ORT session.
  let queue: Promise<unknown> = Promise.resolve();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const t0 = Date.now();
    const path = trimSlashes((req.url ?? '/').split('?')[0]!) || '/';
    const origin = req.headers.origin;
    // Shutting down: the connection closes as soon as this answer is out, not a second later.
    res.on('finish', () => void (closing && setImmediate(() => server.closeIdleConnections())));
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin'); // lets the app tell "CORS refused" from "down"
    // The log names what was asked and how it went, by kinds and sizes: never request content.
    let shownPath = path === '/health' ? path : `(unknown path of ${path.length} characters)`;
    let bodyBytes: number | undefined;
    let note = '';
    try {
      if (origin !== undefined) {
        if (!originAllowed(origin, origins)) {
          throw new ApiError(
            403,
            `origin ${clip(origin)} may not call this server; start vigal serve with --allow-origin ${clip(origin)} (allowed now: ${origins.join(', ')})`,
            'origin_not_allowed',
            null,
            'invalid_request_error',
          );
        }
        res.setHeader('Access-Control-Allow-Origin', origins.includes('*') ? '*' : origin);
        res.setHeader('Vary', 'Origin');
      }
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? 'authorization, content-type');
        res.setHeader('Access-Control-Max-Age', '600');
        // Chrome's private network access: a public page asking for a localhost server.
        if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('Access-Control-Allow-Private-Network', 'true');
        res.writeHead(204).end();
        return;
      }
      if (path === '/health') return void sendJson(res, 200, { status: 'ok', model: modelId });
      const route = ROUTES.find((r) => r.path.test(path));
      if (!route) {
        throw new ApiError(
          404,
          `unknown path ${clip(path)}; this server answers GET /v1/models and POST /v1/chat/completions (use http://${clip(req.headers.host ?? host)}/v1 as the base URL)`,
          'unknown_path',
        );
      }
      shownPath = route.shown;
      if (req.method !== route.method) {
        res.setHeader('Allow', `${route.method}, OPTIONS`);
        throw new ApiError(405, `${req.method} is not allowed on ${route.shown}; use ${route.method}`, 'method_not_allowed');
      }
      checkKey(req, keyDigest);
      if (route.name === 'models') return void sendJson(res, 200, { object: 'list', data: [modelCard(modelId, created)] });
      if (route.name === 'model') {
        let id: string;
        try {
          id = decodeURIComponent(path.slice('/v1/models/'.length));
        } catch {
          throw badRequest(
            `the model id in the path is not valid percent-encoding (${path.length} characters); encode it with encodeURIComponent`,
            'invalid_path',
            'model',
          );
        }
        if (id !== modelId) throw new ApiError(404, `model '${clip(id)}' is not served here; available: ${modelId}`, 'model_not_found', 'model');
        return void sendJson(res, 200, modelCard(modelId, created));
      }
      const body = await readBody(req, maxBody);
      bodyBytes = body.length;
      const text = body.toString('utf8');
      // Before parsing: no step after it (validation, an echo in an error) may recurse through a deep value.
      const depth = jsonDepth(text, MAX_JSON_DEPTH);
      if (depth > MAX_JSON_DEPTH)
        throw badRequest(`the request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep; a chat request needs about 6`, 'too_deep');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        // The parser's message quotes the body (a key sent by mistake would be echoed and logged): only where.
        const at = /position (\d+)/.exec((e as Error).message)?.[1];
        throw badRequest(`the request body (${body.length} bytes) is not valid JSON${at ? ` (at position ${at})` : ' (it ends too early)'}`, 'invalid_json');
      }
      const chat = parseChatRequest(json, { maxImages: model.config.maxImages });
      if (chat.model !== modelId) throw new ApiError(404, `model '${clip(chat.model)}' is not served here; available: ${modelId}`, 'model_not_found', 'model');
      note = await complete(req, res, chat);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(500, `internal error: ${clip((e as Error).message ?? String(e), 200)}`, 'internal_error');
      if (!res.headersSent) {
        if (err.status === 413) res.setHeader('Connection', 'close'); // the rest of the upload is not read
        sendJson(res, err.status, err.body());
      } else if (!res.writableEnded) {
        // Mid-stream: the error as an SSE event (what OpenAI's clients read), and no [DONE].
        res.end(`data: ${JSON.stringify(err.body())}\n\n`);
      }
      // The code and the field, not the message: messages quote (clipped) request values.
      note = `${err.code}${err.param ? ` (${clip(err.param, 40)})` : ''}${e instanceof ApiError ? '' : ` ${internalWhere(e)}`}`;
    } finally {
      log(
        `${req.method} ${shownPath} ${res.statusCode} ${Date.now() - t0} ms${bodyBytes !== undefined ? ` body ${bodyBytes} bytes` : ''}${note ? ` ${note}` : ''}`,
      );
    }
  };

  /** One chat completion; returns the log note. */
  const complete = async (req: IncomingMessage, res: ServerResponse, chat: ChatInput): Promise<string> => {
    if (closing) throw shuttingDown();
    const input = nanoInput(chat, model.config);
    const { inputIds, patches } = encodePrompt(model.config, model.tokenizer, input.prompt, input.images);
    const patchCount = patches.length / patchDim(model.config);
    const promptTokens = inputIds.length + patchCount;
    if (promptTokens >= model.config.maxSeqLen) {
      throw badRequest(
        `the prompt is ${inputIds.length} tokens + ${patchCount} image patches = ${promptTokens}, but model '${modelId}' has a context of ${model.config.maxSeqLen}; send the compact prompt or ViGaL's full Snake prompt (which the server shortens)`,
        'context_length_exceeded',
        'messages',
      );
    }
    const id = `chatcmpl-${randomUUID().replace(/-/g, '')}`;
    const stamp = Math.floor(Date.now() / 1000);
    const ctrl = new AbortController();
    inflight.add(ctrl);
    // The client went away (cancelled, closed the tab): stop generating for it.
    res.on('close', () => {
      if (!res.writableFinished) ctrl.abort(new DOMException('client disconnected', 'AbortError'));
    });
    res.setHeader('x-vigal-input', input.source);
    const chunk = (delta: Record<string, unknown>, finish: string | null = null, usage?: object) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: stamp, model: modelId, choices: usage ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
    let keepAlive: ReturnType<typeof setInterval> | undefined;
    if (chat.stream) {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.write(chunk({ role: 'assistant', content: '' }));
      keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    }
    try {
      const run = queue.then(() => {
        clearInterval(keepAlive);
        ctrl.signal.throwIfAborted();
        return generate(model, {
          inputIds,
          patches,
          temperature: chat.temperature,
          topP: chat.topP,
          maxNewTokens: chat.maxTokens,
          seed: chat.seed ?? randomInt(0, 0xffffffff),
          signal: ctrl.signal,
          streamer: chat.stream ? { put: (_ids, text) => void (text && res.write(chunk({ content: text }))), end: () => {} } : undefined,
        });
      });
      queue = run.catch(() => {});
      const out = await run;
      const text = out.texts[0] ?? '';
      const finish = finishReason(out.stopReasons[0]);
      const usage = { prompt_tokens: promptTokens, completion_tokens: out.timings.newTokens, total_tokens: promptTokens + out.timings.newTokens };
      if (chat.stream) {
        res.write(chunk({}, finish));
        if (chat.includeUsage) res.write(chunk({}, null, usage));
        res.end('data: [DONE]\n\n');
      } else {
        sendJson(res, 200, {
          id,
          object: 'chat.completion',
          created: stamp,
          model: modelId,
          choices: [{ index: 0, message: { role: 'assistant', content: text }, logprobs: null, finish_reason: finish }],
          usage,
        });
      }
      return `${chat.stream ? 'stream' : 'json'} input=${input.source} ${out.timings.newTokens} tokens, first after ${out.timings.timeToFirstTokenMs.toFixed(0)} ms, ${out.timings.tokensPerSecond.toFixed(0)} tokens/s`;
    } catch (e) {
      // Shutting down: the client gets an error (an SSE error event when the stream has begun; OpenAI's
      // clients read that, where a bare close looks like a network fault), then the stream ends.
      if (closing) throw shuttingDown();
      if (ctrl.signal.aborted) return 'cancelled by the client';
      throw e;
    } finally {
      clearInterval(keepAlive);
      inflight.delete(ctrl);
    }
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`port ${opts.port} on ${host} is in use; pick another with --port (0 picks a free one)`) : e),
    );
    server.listen(opts.port ?? 8000, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/v1`,
    port,
    modelId,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const c of inflight) c.abort(new DOMException('the server is shutting down', 'AbortError'));
        server.close(() => resolve());
        server.closeIdleConnections();
        // Streams cancelled above end on their own; anything still open after a moment is cut.
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      }),
  };
}

const ROUTES = [
  { name: 'models', method: 'GET', path: /^\/v1\/models$/, shown: '/v1/models' },
  { name: 'model', method: 'GET', path: /^\/v1\/models\/[^/]+$/, shown: '/v1/models/{id}' },
  { name: 'chat', method: 'POST', path: /^\/v1\/chat\/completions$/, shown: '/v1/chat/completions' },
] as const;

/** The path without trailing slashes, by a scan (the pattern /\/+$/ backtracks quadratically on a run of slashes). */
function trimSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47 /* / */) end--;
  return path.slice(0, end);
}

/** An internal error for the log: its kind and the code line that threw, not its message (which may quote the request). */
function internalWhere(e: unknown): string {
  const name = e instanceof Error ? e.name : typeof e;
  // The stack's first line is "Name: message"; the frames follow it.
  const head = e instanceof Error ? `${e.name}: ${e.message}` : '';
  const stack = e instanceof Error ? (e.stack ?? '') : '';
  const frame = stack.startsWith(head)
    ? stack
        .slice(head.length)
        .split('\n')
        .find((l) => l.trim() !== '')
        ?.trim()
    : undefined;
  return frame ? `${name} ${clip(frame, 160)}` : name;
}

function shuttingDown(): ApiError {
  return new ApiError(503, 'the server is shutting down; the answer was cut off. Send the request again once it is back', 'server_shutting_down');
}

function modelCard(id: string, created: number) {
  return { id, object: 'model', created, owned_by: 'vigal' };
}

function finishReason(r: StopReason | undefined): 'stop' | 'length' {
  return r === 'max_new_tokens' || r === 'max_length' ? 'length' : 'stop';
}

/** Exact origins, scheme://host:* patterns, or '*'. */
export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  for (const a of allowed) {
    if (a === '*' || a === origin) return true;
    if (a.endsWith(':*')) {
      const base = a.slice(0, -2);
      if (origin === base || (origin.startsWith(`${base}:`) && /^\d+$/.test(origin.slice(base.length + 1)))) return true;
    }
  }
  return false;
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

function checkKey(req: IncomingMessage, digest: Buffer | null): void {
  if (!digest) return;
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(header);
  // Digests have equal length, so the comparison takes the same time whatever was sent.
  if (!m || !timingSafeEqual(sha256(m[1]!.trim()), digest)) {
    throw new ApiError(
      401,
      m
        ? 'wrong API key: send the key vigal serve was started with, as Authorization: Bearer <key>'
        : 'missing API key: this server was started with one; send it as Authorization: Bearer <key>',
      'invalid_api_key',
    );
  }
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > max) return Promise.reject(tooLarge(declared, max, true));
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (b: Buffer) => {
      size += b.length;
      if (size > max) {
        req.pause();
        reject(tooLarge(size, max, false));
      } else parts.push(b);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

function tooLarge(bytes: number, max: number, exact: boolean): ApiError {
  const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
  return new ApiError(
    413,
    `the request body is ${exact ? `${bytes} bytes (${mib(bytes)})` : `over ${max} bytes`}, above this server's limit of ${mib(max)}; send smaller images, or start vigal serve with a larger --max-body-mb`,
    'request_too_large',
  );
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
