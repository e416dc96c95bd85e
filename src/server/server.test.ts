/**
 * The nano model's OpenAI-compatible server, in-process on an ephemeral 127.0.0.1 port with a tiny
 * random model: the wire format, what the model is fed, and every refusal as an OpenAI-style error.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleSnakeStates } from '../games/snake';
import { heldOutPositions } from '../rl/evaluate';
import { nanoObservation, NanoPolicy } from '../policy/nano';
import { FULL_OBSERVATION, observe } from '../policy/observe';
import { observationMessages, pngDataUrl } from '../policy/openai';
import { SseParser } from '../policy/sse';
import { encodePng } from '../render/png';
import { rasterHash } from '../render/raster';
import { loadNanoModel, type NanoModel } from '../runtime/model';
import { fitImage, nanoInput } from './chat';
import { startServer, type VigalServer } from './server';
import { TINY_MODEL_NAME, writeTinyModel } from './testkit';

let dir = '';
let model: NanoModel;
let server: VigalServer;
const logs: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigal-serve-'));
  model = await loadNanoModel(await writeTinyModel(join(dir, 'tiny')), { executionProviders: ['wasm'], log: () => {} });
  server = await startServer({ model, port: 0, maxBodyBytes: 64 * 1024, log: (l) => logs.push(l) });
});
afterAll(async () => {
  await server?.close();
  await model?.dispose();
  await rm(dir, { recursive: true, force: true });
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** A full ViGaL observation of held-out state `i`, as an OpenAI policy sends it. */
const fullRequest = (i = 0, extra: object = {}) => {
  const position = heldOutPositions('snake', i + 1, 1000)[i]!;
  return { position, body: { model: TINY_MODEL_NAME, messages: observationMessages(observe(position, FULL_OBSERVATION)), ...extra } };
};

async function errorOf(res: Response): Promise<{ status: number; error: { message: string; type: string; code: string; param: string | null } }> {
  const body = (await res.json()) as { error: { message: string; type: string; code: string; param: string | null } };
  return { status: res.status, error: body.error };
}

describe('vigal serve: API', () => {
  it('lists its model', async () => {
    const list = (await (await fetch(`${server.url}/models`)).json()) as { object: string; data: { id: string; object: string }[] };
    expect(list.object).toBe('list');
    expect(list.data.map((m) => m.id)).toEqual([TINY_MODEL_NAME]);
    expect((await fetch(`${server.url}/models/${TINY_MODEL_NAME}`)).status).toBe(200);
    expect((await errorOf(await fetch(`${server.url}/models/gpt-4`))).error.code).toBe('model_not_found');
  });

  it('streams chat.completion.chunk events, then the usage, then [DONE]; the text equals the non-streamed one', async () => {
    const { body } = fullRequest(0, { max_tokens: 40 });
    const res = await post('/chat/completions', { ...body, stream: true, stream_options: { include_usage: true } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('x-vigal-input')).toBe('rebuilt');
    const events = new SseParser().push(await res.text()).map((e) => e.data);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map(
      (d) =>
        JSON.parse(d) as {
          object: string;
          model: string;
          id: string;
          choices: { delta: { role?: string; content?: string }; finish_reason: string | null }[];
          usage?: { completion_tokens: number; prompt_tokens: number };
        },
    );
    expect(new Set(chunks.map((c) => c.object))).toEqual(new Set(['chat.completion.chunk']));
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    const usage = chunks.at(-1)?.usage;
    expect(chunks.at(-1)?.choices).toEqual([]);
    const finish = chunks.at(-2)?.choices[0]?.finish_reason;
    expect(['stop', 'length']).toContain(finish);
    const streamed = chunks.flatMap((c) => c.choices.map((ch) => ch.delta.content ?? '')).join('');
    // One content chunk per generated token that adds text (spacing markers add none).
    const textChunks = chunks.filter((c) => c.choices[0]?.delta.content).length;
    expect(textChunks).toBeGreaterThan(0);
    expect(textChunks).toBeLessThanOrEqual(usage?.completion_tokens ?? 0);
    // The tiny model sees the compact prompt's tokens + 16 patches (32 px image, 8 px patches).
    expect(usage?.prompt_tokens).toBeGreaterThan(16);

    const whole = (await (await post('/chat/completions', body)).json()) as {
      object: string;
      choices: { message: { role: string; content: string }; finish_reason: string }[];
      usage: { completion_tokens: number };
    };
    expect(whole.object).toBe('chat.completion');
    expect(whole.choices[0]?.message.role).toBe('assistant');
    expect(whole.choices[0]?.message.content).toBe(streamed); // greedy by default: the same answer
    expect(whole.usage.completion_tokens).toBe(usage?.completion_tokens);
  });

  it('answers a full ViGaL Snake prompt exactly as the nano policy answers in-process', async () => {
    const direct = new NanoPolicy(model);
    for (const i of [0, 1, 2]) {
      const { position, body } = fullRequest(i);
      const served = (await (await post('/chat/completions', body)).json()) as { choices: { message: { content: string } }[] };
      const local = await direct.act(direct.observe(position));
      expect(served.choices[0]?.message.content).toBe(local.text);
    }
  });

  it('a client that disconnects cancels its generation, and the next request is served', async () => {
    const ctrl = new AbortController();
    const { body } = fullRequest(1);
    const res = await post('/chat/completions', { ...body, stream: true });
    const reader = res.body!.getReader();
    await reader.read(); // the role chunk
    ctrl.abort();
    await reader.cancel();
    await expect.poll(() => logs.some((l) => l.includes('cancelled by the client')), { timeout: 5000 }).toBe(true);
    expect((await post('/chat/completions', { ...body, max_tokens: 3 })).status).toBe(200);
  });

  it.each([
    ['bad JSON', () => post('/chat/completions', '{"model": '), 400, 'invalid_json', /not valid JSON/],
    ['missing messages', () => post('/chat/completions', { model: TINY_MODEL_NAME }), 400, 'missing_messages', /missing "messages"/],
    ['empty messages', () => post('/chat/completions', { model: TINY_MODEL_NAME, messages: [] }), 400, 'missing_messages', /non-empty list/],
    ['missing model', () => post('/chat/completions', { messages: [{ role: 'user', content: 'hi' }] }), 400, 'missing_model', /GET \/v1\/models lists them/],
    [
      'unknown model',
      () => post('/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      404,
      'model_not_found',
      /'gpt-4o' is not served here; available: nano-tiny/,
    ],
    [
      'no user message',
      () => post('/chat/completions', { model: TINY_MODEL_NAME, messages: [{ role: 'system', content: 'hi' }] }),
      400,
      'missing_user_message',
      /no message with role "user"/,
    ],
    [
      'a bad role',
      () => post('/chat/completions', { model: TINY_MODEL_NAME, messages: [{ role: 'robot', content: 'hi' }] }),
      400,
      'invalid_value',
      /role must be one of/,
    ],
    [
      'a remote image URL',
      () =>
        post('/chat/completions', {
          model: TINY_MODEL_NAME,
          messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.org/a.png' } }] }],
        }),
      400,
      'unsupported_image_url',
      /does not fetch images from URLs/,
    ],
    [
      'a JPEG data URL',
      () =>
        post('/chat/completions', {
          model: TINY_MODEL_NAME,
          messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } }] }],
        }),
      400,
      'unsupported_image_format',
      /only base64 PNG/,
    ],
    [
      'a corrupt PNG',
      () =>
        post('/chat/completions', {
          model: TINY_MODEL_NAME,
          messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,aGVsbG8=' } }] }],
        }),
      400,
      'invalid_image',
      /content\[0\]\.image_url\.url: not a PNG/,
    ],
    [
      'an audio part',
      () => post('/chat/completions', { model: TINY_MODEL_NAME, messages: [{ role: 'user', content: [{ type: 'input_audio' }] }] }),
      400,
      'unsupported_content',
      /"text" or "image_url"/,
    ],
    [
      'temperature out of range',
      () => post('/chat/completions', { model: TINY_MODEL_NAME, temperature: 3, messages: [{ role: 'user', content: 'hi' }] }),
      400,
      'invalid_value',
      /"temperature" must be a number in \[0, 2\], got 3/,
    ],
    [
      'n > 1',
      () => post('/chat/completions', { model: TINY_MODEL_NAME, n: 2, messages: [{ role: 'user', content: 'hi' }] }),
      400,
      'unsupported_value',
      /"n" must be 1/,
    ],
    [
      'a prompt longer than the context',
      () => post('/chat/completions', { model: TINY_MODEL_NAME, messages: [{ role: 'user', content: 'left '.repeat(500) }] }),
      400,
      'context_length_exceeded',
      /context of 384/,
    ],
    [
      'a truncated ViGaL prompt',
      () =>
        post('/chat/completions', {
          model: TINY_MODEL_NAME,
          messages: [{ role: 'user', content: 'You control a snake in a game of Snake with several apples. The board in the image is 10 by 10 cells.' }],
        }),
      400,
      'invalid_prompt',
      /could not be read.*You are snake/,
    ],
    [
      'a body over the limit',
      () => post('/chat/completions', { model: TINY_MODEL_NAME, messages: [{ role: 'user', content: 'x'.repeat(100_000) }] }),
      413,
      'request_too_large',
      /above this server's limit of 0\.1 MiB.*--max-body-mb/,
    ],
    ['a wrong path', () => post('/completions', {}), 404, 'unknown_path', /unknown path \/v1\/completions.*POST \/v1\/chat\/completions/],
    ['a wrong method', () => fetch(`${server.url}/chat/completions`), 405, 'method_not_allowed', /GET is not allowed on \/v1\/chat\/completions; use POST/],
  ])('%s: OpenAI-style error', async (_name, call, status, code, message) => {
    const { status: got, error } = await errorOf(await call());
    expect(got).toBe(status);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(typeof error.type).toBe('string');
  });

  it('a body over the limit without Content-Length (chunked) is cut off with 413 too', async () => {
    const big = new TextEncoder().encode(JSON.stringify({ model: TINY_MODEL_NAME, messages: [{ role: 'user', content: 'x'.repeat(100_000) }] }));
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < big.length; i += 8192) c.enqueue(big.subarray(i, i + 8192));
        c.close();
      },
    });
    const init = { method: 'POST', body, duplex: 'half' } as RequestInit; // duplex: Node's fetch needs it for a stream body (not yet in the DOM types)
    const res = await fetch(`${server.url}/chat/completions`, init).catch((e: Error) => e);
    // The server answers 413 and closes; a client still uploading may see the close first.
    if (res instanceof Response) expect((await errorOf(res)).error.code).toBe('request_too_large');
    expect(logs.some((l) => l.includes(' 413 ') && l.includes('request_too_large'))).toBe(true);
  });

  it('browsers: allowed origins get CORS headers, others 403 before any work', async () => {
    const pre = await fetch(`${server.url}/chat/completions`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:4173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:4173');
    expect(pre.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    const ok = await fetch(`${server.url}/models`, { headers: { Origin: 'http://localhost:5173' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const { status, error } = await errorOf(await post('/chat/completions', fullRequest(0).body, { Origin: 'https://evil.example' }));
    expect(status).toBe(403);
    expect(error.message).toMatch(/origin https:\/\/evil\.example may not call this server; start vigal serve with --allow-origin https:\/\/evil\.example/);
  });
});

describe('vigal serve: API key', () => {
  it('401 without the key or with a wrong one; 200 with it', async () => {
    const keyed = await startServer({ model, port: 0, apiKey: 'sk-local-1', log: () => {} });
    try {
      const missing = await errorOf(await fetch(`${keyed.url}/models`));
      expect(missing.status).toBe(401);
      expect(missing.error).toMatchObject({ code: 'invalid_api_key', type: 'authentication_error' });
      expect(missing.error.message).toMatch(/missing API key/);
      const wrong = await errorOf(await fetch(`${keyed.url}/models`, { headers: { Authorization: 'Bearer sk-nope' } }));
      expect(wrong.error.message).toMatch(/wrong API key/);
      expect((await fetch(`${keyed.url}/models`, { headers: { Authorization: 'Bearer sk-local-1' } })).status).toBe(200);
      expect((await fetch(`${keyed.url.replace('/v1', '')}/health`)).status).toBe(200);
    } finally {
      await keyed.close();
    }
  });
});

describe('nanoInput', () => {
  it('rebuilds the nano observation from a full Snake prompt, pixel for pixel (one-cell enemies included)', () => {
    const config = model.config;
    let oneCell = 0;
    for (const s of sampleSnakeStates(9, 40).flatMap((st) => st.snakes.map((me) => ({ ...st, you: me.id })))) {
      const full = observe({ game: 'snake', state: s }, FULL_OBSERVATION);
      const input = nanoInput({ text: full.prompt, images: full.images }, config);
      const want = nanoObservation({ game: 'snake', state: s }, config.imageSize);
      expect(input.source).toBe('rebuilt');
      expect(input.prompt).toBe(want.prompt);
      expect(rasterHash(input.images[0]!)).toBe(rasterHash(want.images[0]!));
      if (s.snakes.some((x) => x.id !== s.you && x.body.length === 1 && x.lastMove)) oneCell++;
    }
    expect(oneCell).toBeGreaterThan(0);
  });

  it('feeds any other text as sent, with the image scaled to the model size', () => {
    const obs = nanoObservation({ game: 'snake', state: sampleSnakeStates(3, 1)[0]! }, 64);
    const input = nanoInput({ text: obs.prompt, images: obs.images }, model.config);
    expect(input.source).toBe('as-sent');
    expect(input.prompt).toBe(obs.prompt);
    // 64 px is a multiple of the model's 32: passed on as is (patchify box-filters it).
    expect(input.images[0]?.width).toBe(64);
    const odd = fitImage({ width: 3, height: 2, data: new Uint8ClampedArray(24).fill(200) }, 32);
    expect([odd.width, odd.height, odd.data[0]]).toEqual([32, 32, 200]);
    expect(pngDataUrl(obs.images[0]!)).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(encodePng(obs.images[0]!).length).toBeGreaterThan(0);
  });
});
