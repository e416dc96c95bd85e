/**
 * LocalVlmPolicy: with a fake engine (what it sends and how it scores), and for real: transformers.js on
 * onnxruntime-node loading the tiny SmolVLM-layout folder from disk, with no network, through
 * `resolvePolicy('local:...')` as `vigal eval` does.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLocalSpec, resolvePolicy } from '../cli/policies';
import { tinyVlmFiles } from '../model/vlm/tiny';
import { heldOutPositions } from '../rl/evaluate';
import type { LocalVlm, VlmRequest } from '../runtime/transformers';
import { describeVlm, LocalVlmPolicy } from './localvlm';

const INFO: LocalVlm['info'] = {
  name: 'fake',
  family: 'SmolVLM (Idefics3)',
  modelType: 'idefics3',
  device: 'wasm',
  dtypes: { vision_encoder: 'fp32', embed_tokens: 'q4', decoder_model_merged: 'q4' },
  available: { vision_encoder: ['fp32'], embed_tokens: ['q4'], decoder_model_merged: ['q4'] },
  fallbackReason: null,
  loadMs: 1,
};

function fakeVlm(reply: string): LocalVlm & { requests: VlmRequest[] } {
  const requests: VlmRequest[] = [];
  return {
    info: INFO,
    requests,
    async generate(req, opts) {
      requests.push(req);
      for (const piece of reply.match(/.{1,5}/gs) ?? []) opts?.onText?.(piece);
      return { text: reply, newTokens: 9, totalMs: 12, timeToFirstTokenMs: 3, tokensPerSecond: 100 };
    },
    async dispose() {},
  };
}

describe('LocalVlmPolicy', () => {
  const [snake] = heldOutPositions('snake', 1, 5);

  it('is shown the full ViGaL prompt and the 320 px board, streams, and parses the answer', async () => {
    const vlm = fakeVlm('<think>go</think><best_answer>LEFT</best_answer><worst_answer>None</worst_answer>');
    const policy = new LocalVlmPolicy(vlm, { maxNewTokens: 64 });
    const obs = policy.observe(snake!);
    expect(obs.prompt).toContain('You control a snake in a game of Snake');
    expect(obs.images[0]?.width).toBe(320);
    const pieces: string[] = [];
    let ended = 0;
    const r = await policy.act(obs, { streamer: { put: (t) => pieces.push(t), end: () => ended++ } });
    expect(pieces.join('')).toBe(vlm.requests[0] && r.text);
    expect(ended).toBe(1);
    expect(r.action).toBe('LEFT');
    expect(vlm.requests[0]).toMatchObject({ prompt: obs.prompt, maxNewTokens: 64, temperature: 0 });
    expect(policy.id).toBe('local:fake');
  });

  it('refuses bad sampling settings', () => {
    expect(() => new LocalVlmPolicy(fakeVlm(''), { temperature: 3 })).toThrow('temperature must be in [0, 2], got 3');
    expect(() => new LocalVlmPolicy(fakeVlm(''), { maxNewTokens: 0 })).toThrow('maxNewTokens must be a positive integer');
  });

  it('describes where it runs', () => {
    expect(describeVlm(INFO)).toBe('fake · vision fp32, embed q4, decoder q4 · WASM · transformers.js');
  });
});

describe('local VLM through transformers.js in Node (onnxruntime-node, no network)', () => {
  let dir = '';
  let folder = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigal-localvlm-'));
    folder = join(dir, 'tiny-vlm');
    for (const [rel, bytes] of tinyVlmFiles({ seed: 2 })) {
      mkdirSync(dirname(join(folder, rel)), { recursive: true });
      writeFileSync(join(folder, rel), bytes);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('parses local:PATH[@DTYPE]', () => {
    expect(parseLocalSpec(`local:${folder}@decoder_model_merged=q4`)).toEqual({ folder, dtypes: { decoder_model_merged: 'q4' } });
    expect(() => parseLocalSpec(`local:${folder}@q8`)).toThrow("unknown dtype 'q8'");
    expect(() => parseLocalSpec('local:/no/such/folder')).toThrow('no model folder at /no/such/folder');
  });

  it('loads the tiny folder, streams a greedy answer deterministically, and plays both games', async () => {
    // Any attempt to reach the network fails the test.
    const realFetch = globalThis.fetch;
    globalThis.fetch = (input: string | URL | Request) => Promise.reject(new Error(`network access attempted: ${String(input)}`));
    try {
      const policy = await resolvePolicy(`local:${folder}@decoder_model_merged=q4`, { maxTokens: 12 });
      expect(policy.id).toBe('local:tiny-vlm');
      for (const position of [...heldOutPositions('snake', 1, 1), ...heldOutPositions('rotation', 1, 1)]) {
        const obs = policy.observe(position);
        const pieces: string[] = [];
        const a = await policy.act(obs, { streamer: { put: (t) => pieces.push(t), end: () => {} } });
        const b = await policy.act(obs);
        // Random weights: the answer may end early on an end-of-turn token, never past the limit.
        expect(a.timings.newTokens).toBeGreaterThan(0);
        expect(a.timings.newTokens).toBeLessThanOrEqual(12);
        expect(b.text).toBe(a.text); // greedy: the same tokens twice
        expect(pieces.join('').length).toBeGreaterThan(0);
      }
      // An abort between tokens stops generation and rejects with AbortError (Watch mode's Restart).
      const controller = new AbortController();
      const aborted = policy.act(policy.observe(heldOutPositions('snake', 1, 2)[0]!), {
        signal: controller.signal,
        streamer: { put: () => controller.abort(), end: () => {} },
      });
      await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
      policy.dispose?.();
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
