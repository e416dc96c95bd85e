/**
 * Test support: a tiny OpenAI-compatible server that misbehaves on request, for the error paths of the
 * OpenAI policy (Vitest) and of the app (Playwright). It is no part of `vigal serve`: the product server
 * has no fault hooks.
 *
 * The fault is chosen by the base URL: http://127.0.0.1:PORT/<mode>[-once][.tag]/v1. The tag only keeps
 * counters apart, so each test gets fresh ones. `-once` makes the fault hit the first chat request of
 * that prefix only; later ones get the good answer (a retry, automatic or by the user, then succeeds).
 *
 *   ok        streams CANNED_ANSWER in awkward pieces (CRLF line ends, keep-alive comments, an event
 *             split across writes, a UTF-8 character split across writes), then [DONE]
 *   slow      like ok, one piece every SLOW_MS (to watch streaming, or cancel mid-way)
 *   reasoning the reasoning on vLLM's separate `reasoning_content` channel, then the answer as content
 *   401       401 with an OpenAI error body that echoes the key it got (clients must not show it)
 *   404       chat answers vLLM's 404 for an unknown model; /models lists FAULT_MODELS
 *   429       429 with Retry-After: 0
 *   500       500
 *   garbage   a stream whose second event is not JSON
 *   html      200 with an HTML page instead of a stream
 *   drop      streams a few pieces of text, then destroys the socket (no finish_reason, no [DONE])
 *   dropearly destroys the socket after the headers, before any text
 *   hang      never answers
 *   nocors    like ok, without any CORS headers (browsers refuse to read it)
 *   echo-text   200 text/plain that quotes the Authorization header it got (clients must not show the key)
 *   echo-json   200 JSON of the wrong shape (no choices) with the request's headers in it, key included
 *   echo-sse    a stream whose first event is not JSON and quotes the Authorization header
 *   echo-chunk  a stream whose first event is JSON without "choices", with the request's headers in it
 *   echo-line   a stream line over 4 MiB without a break, starting with the Authorization header
 *   html-bomb   401 with an HTML page of 60 000 unclosed '<' (a tag-stripping pattern must stay linear)
 * Everything but nocors reflects the Origin header and answers preflights.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CANNED_ANSWER =
  '<think>My head is at (5, 5). UP leads to (5, 6), away from danger — safe.</think><best_answer>UP</best_answer><worst_answer>None</worst_answer>';
export const FAULT_MODELS = ['canned', 'other-model'];
export /** How long 'drop' waits after its text is written before it cuts the connection. */
const DROP_AFTER_MS = 400;
const SLOW_MS = 150;

export interface FaultServer {
  /** http://127.0.0.1:PORT (add /<mode>/v1). */
  origin: string;
  /** Base URL for a mode, e.g. baseURL('429-once', 't1'). */
  baseURL(mode: string, tag?: string): string;
  /** Chat requests seen for a prefix (mode plus tag). */
  chats(mode: string, tag?: string): number;
  /** The Authorization headers seen, to check that keys travel only there. */
  readonly authHeaders: string[];
  /** The request URLs seen (keys must never appear in them). */
  readonly urls: string[];
  close(): Promise<void>;
}

export async function startFaultServer(): Promise<FaultServer> {
  const counts = new Map<string, number>();
  const authHeaders: string[] = [];
  const urls: string[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const server = createServer((req, res) => void handle(req, res));
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    urls.push(req.url ?? '');
    if (req.headers.authorization) authHeaders.push(req.headers.authorization);
    const m = /^\/([^/]+)(\/v1\/.*)$/.exec((req.url ?? '').split('?')[0] ?? '');
    const prefix = m?.[1] ?? '';
    const rest = m?.[2] ?? '';
    const [modeOnce = ''] = prefix.split('.');
    const once = modeOnce.endsWith('-once');
    const mode = once ? modeOnce.slice(0, -5) : modeOnce;
    if (mode !== 'nocors' && req.headers.origin) {
      res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
      res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    }
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    await drain(req);
    if (rest === '/v1/models') {
      if (mode === '401') return json(res, 401, keyError(req));
      return json(res, 200, { object: 'list', data: FAULT_MODELS.map((id) => ({ id, object: 'model', owned_by: 'fault' })) });
    }
    if (rest !== '/v1/chat/completions' || req.method !== 'POST')
      return json(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'not_found_error', code: null } });
    const n = (counts.get(prefix) ?? 0) + 1;
    counts.set(prefix, n);
    const faulty = !once || n === 1;
    if (!faulty || mode === 'ok' || mode === 'nocors') return streamCanned(res, 0);
    switch (mode) {
      case 'slow':
        return streamCanned(res, SLOW_MS);
      case 'reasoning': {
        sse(res);
        const [, think = '', answer = ''] = /^<think>([\s\S]*)<\/think>([\s\S]*)$/.exec(CANNED_ANSWER) ?? [];
        res.write(`data: ${chunk({ role: 'assistant', reasoning_content: think.slice(0, 10) })}\n\n`);
        res.write(`data: ${chunk({ reasoning_content: think.slice(10), content: null })}\n\n`);
        res.write(`data: ${chunk({ content: answer })}\n\n`);
        res.write(`data: ${chunk({}, 'stop')}\n\n`);
        return void res.end('data: [DONE]\n\n');
      }
      case '401':
        return json(res, 401, keyError(req));
      case '404':
        return json(res, 404, { object: 'error', message: 'The model `missing-model` does not exist.', type: 'NotFoundError', param: null, code: 404 });
      case '429':
        res.setHeader('Retry-After', '0');
        return json(res, 429, { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } });
      case '500':
        return json(res, 500, { error: { message: 'CUDA out of memory', type: 'server_error', code: null } });
      case 'garbage':
        sse(res);
        res.write(`data: ${chunk({ role: 'assistant', content: '<think>' })}\n\n`);
        return void res.end('data: {"choices": [ this is not json\n\n');
      case 'html':
        res.writeHead(200, { 'Content-Type': 'text/html' });
        return void res.end('<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>');
      case 'drop':
        sse(res);
        res.write(`data: ${chunk({ role: 'assistant', content: '<think>My head' })}\n\n`);
        // Cut only once the text is out and the client has had time to read it: a browser busy on a
        // loaded machine can take the text and the closed connection in one go and report the drop
        // before the text, which the client rightly retries as a drop before the first token.
        res.write(`data: ${chunk({ content: ' is at' })}\n\n`, () => setTimeout(() => res.socket?.destroy(), DROP_AFTER_MS));
        return;
      case 'dropearly':
        sse(res);
        return void setTimeout(() => res.socket?.destroy(), 20);
      case 'hang':
        return;
      case 'echo-text':
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        return void res.end(`debug: you sent Authorization: ${req.headers.authorization ?? '(none)'}; this is not an API`);
      case 'echo-json':
        return json(res, 200, { received: { authorization: req.headers.authorization, method: req.method, headers: req.headers } });
      case 'echo-sse':
        sse(res);
        return void res.end(`data: proxy error for Authorization: ${req.headers.authorization ?? '(none)'}\n\n`);
      case 'echo-chunk':
        sse(res);
        return void res.end(`data: ${JSON.stringify({ debug: { authorization: req.headers.authorization, headers: req.headers } })}\n\n`);
      case 'echo-line':
        sse(res);
        return void res.end(`data: auth ${req.headers.authorization ?? '(none)'} ${'x'.repeat(4 * 1024 * 1024 + 1)}`);
      case 'html-bomb':
        res.writeHead(401, { 'Content-Type': 'text/html' });
        return void res.end(`<!doctype html>${'<'.repeat(60_000)}`);
      default:
        return json(res, 400, { error: { message: `fault server: unknown mode '${mode}'`, type: 'invalid_request_error', code: null } });
    }
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const prefixOf = (mode: string, tag?: string) => (tag ? `${mode}.${tag}` : mode);
  return {
    origin,
    baseURL: (mode, tag) => `${origin}/${prefixOf(mode, tag)}/v1`,
    chats: (mode, tag) => counts.get(prefixOf(mode, tag)) ?? 0,
    authHeaders,
    urls,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function keyError(req: IncomingMessage): object {
  const sent = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
  return { error: { message: `Incorrect API key provided: ${sent || '(none)'}.`, type: 'invalid_request_error', code: 'invalid_api_key' } };
}

function chunk(delta: object, finish: string | null = null): string {
  return JSON.stringify({
    id: 'chatcmpl-fault',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'canned',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
}

function sse(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
}

/** The canned answer, written the awkward ways real servers and proxies split streams. */
async function streamCanned(res: ServerResponse, delayMs: number): Promise<void> {
  sse(res);
  const pieces = CANNED_ANSWER.match(/.{1,12}/gsu) ?? [];
  const wire = [
    ': keep-alive comment\r\n\r\n',
    `data: ${chunk({ role: 'assistant', content: '' })}\r\n\r\n`,
    ...pieces.map((p) => `data: ${chunk({ content: p })}\r\n\r\n`),
    `data: ${chunk({}, 'stop')}\r\n\r\n`,
    'data: [DONE]\r\n\r\n',
  ].join('');
  // Cut the bytes (not the characters) into uneven slices: lines, CRLF pairs and the UTF-8 bytes of
  // the dash all end up split across writes.
  const bytes = Buffer.from(wire, 'utf8');
  const sizes = [7, 1, 13, 2, 31, 5, 64, 3];
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const size = delayMs > 0 ? Math.max(1, Math.ceil(bytes.length / pieces.length)) : sizes[k % sizes.length]!;
    res.write(bytes.subarray(i, i + size));
    i += size;
    await new Promise((r) => setTimeout(r, delayMs > 0 ? delayMs : 1));
  }
  res.end();
}

function json(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    req.on('data', () => {});
    req.on('end', resolve);
    req.on('error', () => resolve());
  });
}
