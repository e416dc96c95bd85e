/**
 * OpenAIPolicy against a real `vigal serve` (a child process on an ephemeral 127.0.0.1 port, serving a
 * tiny random model), and `vigal eval --policy openai:...` through it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldOutPositions } from '../rl/evaluate';
import { loadNanoModel } from '../runtime/model';
import { TINY_MODEL_NAME, writeTinyModel } from '../server/testkit';
import { EndpointError, listModels } from './endpoint';
import { NanoPolicy } from './nano';
import { OpenAIPolicy } from './openai';

const BIN = join(__dirname, '../../bin/vigal.js');
let dir = '';
let folder = '';
let child: ChildProcess;
let url = '';
let stderr = '';

/** Starts `vigal serve` and resolves with the URL from its first stdout line. */
function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string }> {
  const p = spawn(process.execPath, [BIN, 'serve', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  p.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: p.stdout! });
    lines.once('line', (line) => resolve({ child: p, url: (JSON.parse(line) as { url: string }).url }));
    p.once('exit', (code) => reject(new Error(`vigal serve exited with ${code}: ${stderr}`)));
  });
}

function stop(p: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (p.exitCode !== null) return resolve(p.exitCode);
    p.once('exit', (code) => resolve(code));
    p.kill('SIGTERM');
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigal-openai-'));
  folder = await writeTinyModel(join(dir, 'tiny'));
  ({ child, url } = await serve(['--model', `nano:${folder}`, '--port', '0']));
}, 60_000);
afterAll(async () => {
  if (child) await stop(child);
  await rm(dir, { recursive: true, force: true });
});

const quiet = { log: () => {} };
const position = (i: number) => heldOutPositions('snake', i + 1, 1000)[i]!;

describe('OpenAIPolicy against vigal serve', () => {
  it('lists the served model', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(await listModels({ baseURL: url })).toEqual([TINY_MODEL_NAME]);
  });

  it('streams the answer, and plays what the in-process nano policy plays (the server rebuilds its input)', async () => {
    const remote = new OpenAIPolicy({ baseURL: url, model: TINY_MODEL_NAME, ...quiet });
    const local = new NanoPolicy(await loadNanoModel(folder, { executionProviders: ['wasm'], log: () => {} }));
    try {
      for (const i of [0, 1]) {
        const pieces: string[] = [];
        let ended = 0;
        const obs = remote.observe(position(i));
        expect(obs.images[0]?.width).toBe(320); // the full ViGaL observation goes out
        const r = await remote.act(obs, { streamer: { put: (t) => pieces.push(t), end: () => ended++ } });
        expect(pieces.join('')).toBe(r.text);
        expect(pieces.length).toBeGreaterThan(1);
        expect(ended).toBe(1);
        expect(r.timings.newTokens).toBeGreaterThan(0);
        expect(r.timings.timeToFirstTokenMs).toBeGreaterThan(0);
        const direct = await local.act(local.observe(position(i)));
        expect(r.text).toBe(direct.text);
        expect(r.action).toBe(direct.action);
      }
    } finally {
      local.dispose();
    }
  });

  it('non-streaming gives the same answer as streaming (greedy)', async () => {
    const streamed = await new OpenAIPolicy({ baseURL: url, model: TINY_MODEL_NAME, ...quiet }).act(
      new OpenAIPolicy({ baseURL: url, model: 'x' }).observe(position(2)),
    );
    const whole = new OpenAIPolicy({ baseURL: url, model: TINY_MODEL_NAME, stream: false, ...quiet });
    const r = await whole.act(whole.observe(position(2)));
    expect(r.text).toBe(streamed.text);
  });

  it('cancellation: abort mid-stream rejects with AbortError, and the server goes on serving', async () => {
    const p = new OpenAIPolicy({ baseURL: url, model: TINY_MODEL_NAME, ...quiet });
    const ctrl = new AbortController();
    const e = await p.act(p.observe(position(3)), { signal: ctrl.signal, streamer: { put: () => ctrl.abort(), end: () => {} } }).then(
      () => null,
      (err: Error) => err,
    );
    expect(e?.name).toBe('AbortError');
    await expect.poll(() => stderr.includes('cancelled by the client'), { timeout: 10_000 }).toBe(true);
    const again = await p.act(p.observe(position(3)));
    expect(again.text.length).toBeGreaterThan(0);
  });

  it('the wrong model name: the error lists the one served', async () => {
    const p = new OpenAIPolicy({ baseURL: url, model: 'ViGaL-7B', ...quiet });
    const e = await p.act(p.observe(position(0))).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(EndpointError);
    expect((e as EndpointError).code).toBe('model_not_found');
    expect((e as EndpointError).message).toContain(`available: ${TINY_MODEL_NAME}`);
  });

  it('keeps the API key out of its id, label and JSON', () => {
    const p = new OpenAIPolicy({ baseURL: url, model: TINY_MODEL_NAME, apiKey: 'sk-secret-123' });
    expect(`${p.id} ${p.label} ${JSON.stringify(p)}`).not.toContain('sk-secret-123');
  });
});

describe('vigal eval --policy openai:...', () => {
  /** Runs the CLI asynchronously (spawnSync would block the event loop the test's own server needs). */
  const vigal = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
      let out = '';
      let err = '';
      p.stdout.on('data', (b: Buffer) => (out += b.toString()));
      p.stderr.on('data', (b: Buffer) => (err += b.toString()));
      p.on('exit', (code) => resolve({ code, out, err }));
    });

  it('scores the served model exactly as it scores the model folder directly', async () => {
    const [remote, local] = await Promise.all([
      vigal(['eval', 'snake', '--policy', `openai:${TINY_MODEL_NAME}@${url}`, '--n', '4', '--json']),
      vigal(['eval', 'snake', '--policy', `nano:${folder}`, '--n', '4', '--json']),
    ]);
    expect(remote.code, remote.err).toBe(0);
    expect(local.code, local.err).toBe(0);
    const r = JSON.parse(remote.out.trim().split('\n').at(-1)!) as Record<string, number | string>;
    const l = JSON.parse(local.out.trim().split('\n').at(-1)!) as Record<string, number | string>;
    expect(r.policy).toBe(`openai:${TINY_MODEL_NAME}@${url}`);
    for (const k of ['n', 'accuracy', 'format_rate', 'mean_reward', 'best_accuracy', 'worst_accuracy']) expect(r[k]).toBe(l[k]);
  });

  it('takes the key from VIGAL_API_KEY, never from the command line', async () => {
    const keyed = await serve(['--model', `nano:${folder}`, '--port', '0'], { VIGAL_SERVE_API_KEY: 'sk-eval-key' });
    try {
      const spec = `openai:${TINY_MODEL_NAME}@${keyed.url}`;
      const without = await vigal(['eval', 'snake', '--policy', spec, '--n', '1', '--json'], { VIGAL_API_KEY: '', OPENAI_API_KEY: '' });
      expect(without.code).toBe(1);
      expect(without.err).toMatch(/HTTP 401.*wants an API key and none was given/);
      const withKey = await vigal(['eval', 'snake', '--policy', spec, '--n', '1', '--json'], { VIGAL_API_KEY: 'sk-eval-key' });
      expect(withKey.code, withKey.err).toBe(0);
      expect(withKey.out + withKey.err).not.toContain('sk-eval-key');
    } finally {
      await stop(keyed.child);
    }
  });

  it('a malformed spec is a usage error naming the fix', () => {
    const r = spawnSync(process.execPath, [BIN, 'eval', 'snake', '--policy', 'openai:@'], {
      encoding: 'utf8',
      env: { ...process.env, VIGAL_BASE_URL: '', OPENAI_BASE_URL: '' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/names no model; write openai:MODEL@BASE_URL/);
  });
});

describe('vigal serve process', () => {
  it('stops cleanly on SIGTERM', async () => {
    const s = await serve(['--model', `nano:${folder}`, '--port', '0']);
    expect(await stop(s.child)).toBe(0);
  });
});
