/**
 * The OpenAI-compatible client against a local fault server (server/faultServer.ts): each way a server
 * can fail gets its own error code and a message that says what happened and what to do.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANNED_ANSWER, FAULT_MODELS, startFaultServer, type FaultServer } from '../server/faultServer';
import { EndpointError, chatCompletion, listModels, normalizeBaseURL, type ChatRequest, type RequestOptions } from './endpoint';

let fault: FaultServer;
let tag = 0;
const KEY = 'sk-test-0123456789abcdef';
const REQUEST: ChatRequest = { messages: [{ role: 'user', content: 'Which move?' }] };
/** Fast retries so a test with three of them stays in milliseconds. */
const FAST: RequestOptions = { backoffMs: 5, maxBackoffMs: 20, timeoutMs: 5_000, log: () => {} };

beforeAll(async () => {
  fault = await startFaultServer();
});
afterAll(async () => {
  await fault.close();
});

/** A fresh prefix per call, so `-once` counters start at zero. */
function base(mode: string): { baseURL: string; tag: string } {
  const t = `t${++tag}`;
  return { baseURL: fault.baseURL(mode, t), tag: t };
}

async function failure(p: Promise<unknown>): Promise<EndpointError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(EndpointError);
  return e as EndpointError;
}

describe('chatCompletion against a fault server', () => {
  it('reads a stream cut at awkward places (CRLF, comments, split UTF-8) and sends the key only in the header', async () => {
    const pieces: string[] = [];
    const r = await chatCompletion({ ...base('ok'), model: 'canned', apiKey: KEY }, REQUEST, { ...FAST, onText: (t) => pieces.push(t) });
    expect(r.text).toBe(CANNED_ANSWER);
    expect(pieces.join('')).toBe(CANNED_ANSWER);
    expect(pieces.length).toBeGreaterThan(5); // it streamed, not one lump
    expect(r.finishReason).toBe('stop');
    expect(r.attempts).toBe(1);
    expect(fault.authHeaders.at(-1)).toBe(`Bearer ${KEY}`);
    expect(fault.urls.some((u) => u.includes(KEY))).toBe(false);
  });

  it("wraps a separate reasoning channel (vLLM's reasoning_content) in <think> tags", async () => {
    const r = await chatCompletion({ ...base('reasoning'), model: 'canned' }, REQUEST, FAST);
    expect(r.text).toBe(CANNED_ANSWER);
  });

  it('401: says the key was refused, and never shows the key (the server echoed it)', async () => {
    const e = await failure(chatCompletion({ ...base('401'), model: 'canned', apiKey: KEY }, REQUEST, FAST));
    expect(e.code).toBe('auth');
    expect(e.message).toMatch(/HTTP 401.*did not accept the API key given.*Check the API key/);
    expect(e.message).toContain('Incorrect API key provided: ***');
    expect(e.message).not.toContain(KEY);
    const none = await failure(chatCompletion({ ...base('401'), model: 'canned' }, REQUEST, FAST));
    expect(none.message).toMatch(/wants an API key and none was given\. Enter the key\./);
  });

  it('404 for the model: lists the models the server has', async () => {
    const e = await failure(chatCompletion({ ...base('404'), model: 'missing-model' }, REQUEST, FAST));
    expect(e.code).toBe('model_not_found');
    expect(e.message).toContain(`model 'missing-model' is not served at`);
    expect(e.message).toContain(`available: ${FAULT_MODELS.join(', ')}`);
  });

  it('404 for the path: points at the base URL', async () => {
    const e = await failure(chatCompletion({ baseURL: `${fault.origin}/ok/v2`, model: 'canned' }, REQUEST, FAST));
    expect(e.code).toBe('not_found');
    expect(e.message).toMatch(/base URL is the API root \(usually ending in \/v1/);
  });

  it('429 then success: retried with backoff, and the retry is logged', async () => {
    const b = base('429-once');
    const logs: string[] = [];
    const r = await chatCompletion({ ...b, model: 'canned' }, REQUEST, { ...FAST, log: (m) => logs.push(m) });
    expect(r.text).toBe(CANNED_ANSWER);
    expect(r.attempts).toBe(2);
    expect(fault.chats('429-once', b.tag)).toBe(2);
    expect(logs.join('\n')).toMatch(/rate limited \(HTTP 429\).*retry 1 of 3 in 0 ms/); // Retry-After: 0 honoured
  });

  it('429 every time: gives up after the retries with a clear message', async () => {
    const b = base('429');
    const e = await failure(chatCompletion({ ...b, model: 'canned' }, REQUEST, { ...FAST, retries: 2 }));
    expect(e.code).toBe('rate_limited');
    expect(e.message).toMatch(/rate limited \(HTTP 429\).*wait and try again.*Rate limit reached.*gave up after 3 attempts/);
    expect(fault.chats('429', b.tag)).toBe(3);
  });

  it('500 once: retried, then the answer', async () => {
    const r = await chatCompletion({ ...base('500-once'), model: 'canned' }, REQUEST, FAST);
    expect(r.text).toBe(CANNED_ANSWER);
  });

  it('garbage in the stream: names the event and shows its start; not retried once text arrived', async () => {
    const b = base('garbage');
    const e = await failure(chatCompletion({ ...b, model: 'canned' }, REQUEST, FAST));
    expect(e.code).toBe('malformed');
    expect(e.message).toMatch(/malformed stream from .*: event 2 is not JSON: "\{\\"choices\\": \[ this is not json"/);
    expect(fault.chats('garbage', b.tag)).toBe(1);
  });

  it('an HTML page instead of a stream: says so and suggests the API root', async () => {
    const e = await failure(chatCompletion({ ...base('html'), model: 'canned' }, REQUEST, FAST));
    expect(e.code).toBe('malformed');
    expect(e.message).toMatch(/answered HTTP 200, text\/html, starting "<!doctype html>.*instead of an event stream.*ending in \/v1/);
  });

  it('connection dropped mid-stream: says so, keeps what streamed out of the result, does not retry', async () => {
    const b = base('drop');
    const pieces: string[] = [];
    const e = await failure(chatCompletion({ ...b, model: 'canned' }, REQUEST, { ...FAST, onText: (t) => pieces.push(t) }));
    expect(e.code).toBe('dropped');
    expect(e.message).toMatch(/dropped in the middle of the stream after 2 pieces of text.*try the step again/);
    expect(pieces.join('')).toBe('<think>My head is at');
    expect(fault.chats('drop', b.tag)).toBe(1);
  });

  it('connection dropped before any text: retried', async () => {
    const b = base('dropearly-once');
    const r = await chatCompletion({ ...b, model: 'canned' }, REQUEST, FAST);
    expect(r.text).toBe(CANNED_ANSWER);
    expect(fault.chats('dropearly-once', b.tag)).toBe(2);
  });

  it('a silent server: times out (and retries the timeout before giving up)', async () => {
    const b = base('hang');
    const e = await failure(chatCompletion({ ...b, model: 'canned' }, REQUEST, { ...FAST, timeoutMs: 150, retries: 1 }));
    expect(e.code).toBe('timeout');
    expect(e.message).toMatch(/no answer from .* within 0\.1 s.*gave up after 2 attempts/);
  });

  it('nothing listening: names the address and the connection error', async () => {
    const port = await freePort();
    const e = await failure(chatCompletion({ baseURL: `http://127.0.0.1:${port}/v1`, model: 'x' }, REQUEST, { ...FAST, retries: 1 }));
    expect(e.code).toBe('unreachable');
    expect(e.message).toMatch(new RegExp(`could not connect to http://127.0.0.1:${port}/v1/chat/completions \\(ECONNREFUSED\\)`));
  });

  it('cancellation: aborts a stream in flight with an AbortError, promptly', async () => {
    const ctrl = new AbortController();
    const t0 = Date.now();
    const p = chatCompletion({ ...base('slow'), model: 'canned' }, REQUEST, { ...FAST, signal: ctrl.signal, onText: () => ctrl.abort() });
    const e = await p.then(
      () => null,
      (err: Error) => err,
    );
    expect(e?.name).toBe('AbortError');
    expect(Date.now() - t0).toBeLessThan(1500); // the slow stream would take over 2 s
  });

  it('listModels: the ids, and a clear error for a bad key', async () => {
    expect(await listModels({ baseURL: base('ok').baseURL }, FAST)).toEqual(FAULT_MODELS);
    const e = await failure(listModels({ baseURL: base('401').baseURL, apiKey: KEY }, FAST));
    expect(e.code).toBe('auth');
    expect(e.message).not.toContain(KEY);
  });
});

describe('the API key never appears in an error message (issue 14)', () => {
  // Long enough that a message quoting 60 or 120 characters of a body would cut it in the middle, and
  // with a quote and a backslash, which JSON escapes (a JSON echo holds the key in another form).
  const KEY2 = 'sk-proj-"quoted"\\slash-0123456789abcdefghijklmnopqrstuvwxyz';
  /** The key or any 12-character piece of it. */
  const leaks = (text: string) => {
    const forms = [KEY2, JSON.stringify(KEY2).slice(1, -1)];
    return forms.some((f) => Array.from({ length: f.length - 11 }, (_, i) => f.slice(i, i + 12)).some((piece) => text.includes(piece)));
  };
  it.each([
    [
      '200 with text/plain quoting the Authorization header',
      'echo-text',
      'malformed',
      /answered HTTP 200, text\/plain, starting "debug: you sent Authorization: Bearer \*\*\*/,
    ],
    [
      '200 JSON of the wrong shape with the headers in it (non-streaming)',
      'echo-json',
      'malformed',
      /no choices\[0\]\.message: .*authorization.*Bearer \*\*\*/,
    ],
    ['a stream event that is not JSON quoting the header', 'echo-sse', 'malformed', /event 1 is not JSON: "proxy error for Authorization: Bearer \*\*\*"/],
    ['a stream event without choices, with the headers in it', 'echo-chunk', 'malformed', /event 1 has no "choices" list: .*Bearer \*\*\*/],
    [
      'a 4 MiB stream line whose quoted start would cut the key in two',
      'echo-line',
      'malformed',
      /a line of 41\d{5} characters without a line break \(starts "data: auth Bearer \*\*\* x+…"\)/,
    ],
  ])('%s', async (_name, mode, code, message) => {
    const logged: string[] = [];
    const stream = mode !== 'echo-json';
    const e = await failure(chatCompletion({ ...base(mode), model: 'canned', apiKey: KEY2 }, { ...REQUEST, stream }, { ...FAST, log: (m) => logged.push(m) }));
    expect(fault.authHeaders.at(-1)).toBe(`Bearer ${KEY2}`); // the server did get (and echo) the key
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(leaks(e.message)).toBe(false);
    expect(leaks(logged.join('\n'))).toBe(false);
  });

  it('a 401 HTML page of 60 000 unclosed tags: read in one pass (the error names the page)', async () => {
    const e = await failure(chatCompletion({ ...base('html-bomb'), model: 'canned', apiKey: KEY2 }, REQUEST, FAST));
    expect(e.code).toBe('auth');
    expect(e.message).toMatch(/Server says: an HTML page \("<<<</);
  });
});

describe('normalizeBaseURL', () => {
  it.each([
    ['http://127.0.0.1:8000', 'http://127.0.0.1:8000/v1'],
    ['http://127.0.0.1:8000/', 'http://127.0.0.1:8000/v1'],
    [' http://localhost:11434/v1/ ', 'http://localhost:11434/v1'],
    ['https://api.example.org/openai/v1', 'https://api.example.org/openai/v1'],
  ])('%s -> %s', (raw, expected) => {
    expect(normalizeBaseURL(raw)).toBe(expected);
  });

  it.each([
    ['localhost:8000', /must start with http/],
    ['not a url', /is not a URL/],
    ['http://user:sk-1@host/v1', /must not carry credentials/],
    ['http://host/v1?key=sk-1', /no query or fragment/],
  ])('refuses %s', (raw, message) => {
    expect(() => normalizeBaseURL(raw)).toThrow(message);
  });
});

/** A port with nothing listening: bind one, note it, close it. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
