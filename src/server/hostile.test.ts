/**
 * `vigal serve` against hostile and careless clients (issue 14): each request here once froze the
 * server, blew its memory, answered 500, or put request content into the log. A real server on an
 * ephemeral port with the tiny random model, real HTTP, hand-built PNG files.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldOutPositions } from '../rl/evaluate';
import { EndpointError, chatCompletion } from '../policy/endpoint';
import { FULL_OBSERVATION, observe } from '../policy/observe';
import { observationMessages } from '../policy/openai';
import { SseParser } from '../policy/sse';
import { loadNanoModel, type NanoModel } from '../runtime/model';
import { craftPng } from './craftPng';
import { startServer, type VigalServer } from './server';
import { TINY_MODEL_NAME, writeTinyModel } from './testkit';

let dir = '';
let model: NanoModel;
let server: VigalServer;
const logs: string[] = [];
/** 16000 x 16000, 1 bit: 31 KB on the wire, 1 GB as RGBA (the request that froze the server for 18 s). */
let hugePng: Uint8Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigal-hostile-'));
  model = await loadNanoModel(await writeTinyModel(join(dir, 'tiny')), { executionProviders: ['wasm'], log: () => {} });
  server = await startServer({ model, port: 0, log: (l) => logs.push(l) }); // the default 8 MiB body limit
  hugePng = craftPng({ width: 16000, height: 16000, bitDepth: 1, colorType: 0 }); // deflating 32 MB: about a second
}, 60_000);
afterAll(async () => {
  await server?.close();
  await model?.dispose();
  await rm(dir, { recursive: true, force: true });
});

type ErrorBody = { error: { message: string; type: string; code: string; param: string | null } };
const post = (body: unknown, base = server.url) =>
  fetch(`${base}/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
async function errorOf(res: Response): Promise<{ status: number; error: ErrorBody['error'] }> {
  return { status: res.status, error: ((await res.json()) as ErrorBody).error };
}
const imagePart = (png: Uint8Array) => ({ type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from(png).toString('base64')}` } });
const userMessage = (content: unknown) => ({ model: TINY_MODEL_NAME, messages: [{ role: 'user', content }] });
/** The log lines written since `from`. */
const logSince = (from: number) => logs.slice(from).join('\n');

describe('vigal serve: hostile requests', () => {
  it('a 288 KB hostile Snake prompt line is refused by its length (400), not backtracked for seconds', async () => {
    const text = `You control a snake in a game of Snake with several apples. The board in the image is 10 by 10 cells.\n- You are snake 1, the red snake. Head: ${'. Body: '.repeat(36 * 1024)}`;
    const { status, error } = await errorOf(await post(userMessage(text)));
    expect(status).toBe(400);
    expect(error.code).toBe('invalid_prompt');
    expect(error.message).toMatch(/line 2 is 294\d{3} characters long; no line of a full prompt for a 10 by 10 board is longer than 1000/);
  });

  it('a 16000 x 16000 PNG is refused from its header (400 image_too_large), before decoding', async () => {
    expect(hugePng.length).toBeLessThan(40_000);
    const { status, error } = await errorOf(await post(userMessage([imagePart(hugePng), { type: 'text', text: 'hi' }])));
    expect(status).toBe(400);
    expect(error.code).toBe('image_too_large');
    expect(error.param).toBe('messages[0].content[0].image_url.url');
    expect(error.message).toMatch(/the image is 16000 x 16000 pixels, above this server's limit of 16777216 pixels \(4096 x 4096\)/);
  });

  it('a small header over pixel data that inflates far beyond it is refused (400 image_too_large)', async () => {
    const bomb = craftPng({ width: 64, height: 64, bitDepth: 8, colorType: 6, rawBytes: 64 * 1024 * 1024 });
    const { status, error } = await errorOf(await post(userMessage([imagePart(bomb)])));
    expect(status).toBe(400);
    expect(error.code).toBe('image_too_large');
    expect(error.message).toMatch(/inflates to more than the 16448 bytes its 64 x 64 header needs/);
    // The same header with honest data is an ordinary image.
    const honest = craftPng({ width: 64, height: 64, bitDepth: 8, colorType: 6 });
    const ok = await post({ ...userMessage([imagePart(honest), { type: 'text', text: 'hi' }]), max_tokens: 1 });
    expect(ok.status).toBe(200);
  }, 30_000); // megabytes through JSON and zlib: slow on a loaded machine, not a timing check

  it('images are counted before any is decoded: two huge ones get too_many_images, not image_too_large', async () => {
    const { status, error } = await errorOf(await post(userMessage([imagePart(hugePng), imagePart(hugePng), { type: 'text', text: 'hi' }])));
    expect(status).toBe(400);
    expect(error.code).toBe('too_many_images');
    expect(error.message).toMatch(/messages\[0\]\.content has 2 images; this model takes at most 1 per request/);
  });

  it('malformed percent-encoding in the path: 400 invalid_path, not 500', async () => {
    const { status, error } = await errorOf(await fetch(`${server.url}/models/%E0%A4%A`));
    expect(status).toBe(400);
    expect(error.code).toBe('invalid_path');
    expect(error.message).toMatch(/not valid percent-encoding/);
  });

  it.each([
    ['the whole body', () => '['.repeat(200_000) + ']'.repeat(200_000)],
    [
      'a field',
      () => `{"model": "${TINY_MODEL_NAME}", "temperature": ${'['.repeat(200_000)}${']'.repeat(200_000)}, "messages": [{"role": "user", "content": "hi"}]}`,
    ],
    ['a role', () => `{"model": "${TINY_MODEL_NAME}", "messages": [{"role": ${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}, "content": "hi"}]}`],
  ])('%s nested 200 000 levels deep: 400 too_deep, not 500', async (_name, body) => {
    const { status, error } = await errorOf(await post(body()));
    expect(status).toBe(400);
    expect(error.code).toBe('too_deep');
    expect(error.message).toMatch(/more than 64 levels deep/);
  });

  it('a nesting depth a real request has is accepted, and brackets inside strings do not count', async () => {
    const res = await post({ ...userMessage([{ type: 'text', text: '[[[[{{{{'.repeat(5) }]), max_tokens: 1 });
    expect(res.status).toBe(200);
  });
});

describe('vigal serve: request content never reaches the log, and errors echo it clipped', () => {
  it('a 6 MB model name or role: a short error, a log line of kinds and sizes', async () => {
    const from = logs.length;
    const huge = 'm'.repeat(6 * 1024 * 1024);
    const model = await errorOf(await post({ model: huge, messages: [{ role: 'user', content: 'hi' }] }));
    expect(model.status).toBe(404);
    expect(model.error.message).toMatch(/model 'm{80}… \(6291456 characters\)' is not served here/);
    expect(model.error.message.length).toBeLessThan(300);
    const role = await errorOf(await post({ model: TINY_MODEL_NAME, messages: [{ role: huge, content: 'hi' }] }));
    expect(role.status).toBe(400);
    expect(role.error.message).toMatch(/role must be one of .*, got "m{80}"… \(a string of 6291456 characters\)/);
    const log = logSince(from);
    expect(log).not.toContain('mmmm');
    expect(log).toMatch(/POST \/v1\/chat\/completions 404 \d+ ms body 629\d{4} bytes model_not_found \(model\)/);
    expect(log).toMatch(/POST \/v1\/chat\/completions 400 \d+ ms body 629\d{4} bytes invalid_value \(messages\[0\]\.role\)/);
    for (const line of logs.slice(from)) expect(line.length).toBeLessThan(200);
  }, 30_000); // megabytes through JSON and zlib: slow on a loaded machine, not a timing check

  it('a body that is not JSON: neither the error nor the log quotes it', async () => {
    const from = logs.length;
    const secret = 'sk-SECRETKEY-0123456789';
    for (const body of [`${secret} oops`, `{"model": "${secret}`, `{"model": ${secret}}`]) {
      const { status, error } = await errorOf(await post(body));
      expect(status).toBe(400);
      expect(error.code).toBe('invalid_json');
      expect(error.message).toMatch(/^the request body \(\d+ bytes\) is not valid JSON/);
      expect(error.message).not.toMatch(/SECRET|sk-/);
    }
    expect(logSince(from)).not.toMatch(/SECRET|sk-/);
    expect(logSince(from)).toMatch(/POST \/v1\/chat\/completions 400 \d+ ms body \d+ bytes invalid_json/);
  });

  it('unknown paths are logged by their length, not their text', async () => {
    const from = logs.length;
    const res = await fetch(`${server.url}/private-${'x'.repeat(500)}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/unknown path \/v1\/private-x+… \(\d+ characters\)/);
    expect(logSince(from)).toMatch(/^GET \(unknown path of 512 characters\) 404 \d+ ms unknown_path$/);
  });
});

describe('vigal serve: shutting down during a stream', () => {
  /** A fresh server per test: the test closes it. */
  async function freshServer(): Promise<{ s: VigalServer; logs: string[] }> {
    const own: string[] = [];
    return { s: await startServer({ model, port: 0, log: (l) => own.push(l) }), logs: own };
  }
  const snakeRequest = () => ({ model: TINY_MODEL_NAME, messages: observationMessages(observe(heldOutPositions('snake', 1, 1000)[0]!, FULL_OBSERVATION)) });

  it('an SSE error event (server_shutting_down), then the stream ends without [DONE]', async () => {
    const { s, logs: own } = await freshServer();
    const res = await post({ ...snakeRequest(), stream: true, max_tokens: 150 }, s.url);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    const events: string[] = [];
    let closed: Promise<void> | undefined;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const ev of parser.push(decoder.decode(value, { stream: true }))) {
        events.push(ev.data);
        // The first generated text: shut the server down while it is generating (as SIGTERM does).
        if (!closed && ev.data.includes('"content":"') && !ev.data.includes('"content":""')) closed = s.close();
      }
    }
    await closed;
    expect(closed).toBeDefined();
    expect(events).not.toContain('[DONE]');
    const last = JSON.parse(events.at(-1)!) as ErrorBody;
    expect(last.error).toMatchObject({ code: 'server_shutting_down', type: 'server_error' });
    expect(last.error.message).toMatch(/shutting down/);
    expect(own.join('\n')).toMatch(/POST \/v1\/chat\/completions 200 \d+ ms body \d+ bytes server_shutting_down/);
  });

  it("OpenAI's client reads it as the server's error, not as a dropped connection", async () => {
    const { s } = await freshServer();
    let closed: Promise<void> | undefined;
    const e = await chatCompletion({ baseURL: s.url, model: TINY_MODEL_NAME }, { ...snakeRequest(), maxTokens: 150 } as Parameters<typeof chatCompletion>[1], {
      retries: 0,
      onText: () => void (closed ??= s.close()),
    }).then(
      () => null,
      (err: unknown) => err,
    );
    await closed;
    expect(e).toBeInstanceOf(EndpointError);
    expect((e as EndpointError).code).toBe('server_error');
    expect((e as EndpointError).message).toMatch(/error in the middle of the stream after \d+ pieces of text: the server is shutting down/);
  });
});
