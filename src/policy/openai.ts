/**
 * Any model behind an OpenAI-compatible chat server (vLLM, SGLang, Ollama, llama.cpp's server, or the
 * nano model behind `vigal serve`) as a Policy. It is shown what ViGaL's models were trained on: the full
 * prompt and the full-size images (Snake: the 320 px board with axes; Rotation: 320 px views), sent
 * as one user message with the images first as PNG data URLs, then the text. The reply streams into the
 * caller's streamer; the transport (timeouts, retries, error messages) is endpoint.ts.
 *
 * The API key lives in a private field: it is never part of `id`, `label`, an error or a record.
 */
import { encodePng } from '../render/png';
import type { Raster } from '../render/raster';
import { chatCompletion, normalizeBaseURL, type ChatMessage, type EndpointSettings, type RequestOptions } from './endpoint';
import { parseAction } from './nano';
import { FULL_OBSERVATION, observe } from './observe';
import type { ActOptions, Observation, Policy, PolicyResult, Position } from './types';
import { GAME_IDS } from '../games/registry';

export interface OpenAIPolicyOptions extends EndpointSettings, Omit<RequestOptions, 'signal'> {
  /** Sampling temperature (default 0: the model's best guess, reproducible where the server allows). */
  temperature?: number;
  /** Longest answer in tokens (default 2048: room for a long <think> trace). */
  maxTokens?: number;
  topP?: number;
  seed?: number;
  /** Stream the answer over SSE (default true). */
  stream?: boolean;
}

export const DEFAULT_MAX_TOKENS = 2048;

export class OpenAIPolicy implements Policy {
  readonly kind = 'remote' as const;
  readonly id: string;
  readonly label: string;
  // A VLM reads any game's prompt and images: every registered game.
  readonly games = GAME_IDS;
  readonly baseURL: string;
  readonly model: string;
  /** Private (#) so that no serialisation of the policy (records, exports, logs) can carry it. */
  readonly #apiKey: string | undefined;
  readonly #opts: OpenAIPolicyOptions;

  constructor(opts: OpenAIPolicyOptions) {
    this.baseURL = normalizeBaseURL(opts.baseURL);
    this.model = opts.model.trim();
    if (!this.model) throw new Error('OpenAIPolicy: no model name; give the name the server serves (GET /v1/models lists them)');
    for (const [name, v, lo, hi] of [
      ['temperature', opts.temperature, 0, 2],
      ['topP', opts.topP, 0, 1],
      ['maxTokens', opts.maxTokens, 1, 1_000_000],
    ] as const) {
      if (v !== undefined && !(v >= lo && v <= hi)) throw new Error(`OpenAIPolicy: ${name} must be in [${lo}, ${hi}], got ${v}`);
    }
    this.#apiKey = opts.apiKey?.trim() || undefined;
    this.#opts = { ...opts, apiKey: undefined };
    this.id = `openai:${this.model}@${this.baseURL}`;
    this.label = `${this.model} at ${new URL(this.baseURL).host}`;
  }

  observe(position: Position): Observation {
    return observe(position, FULL_OBSERVATION);
  }

  async act(obs: Observation, opts: ActOptions = {}): Promise<PolicyResult> {
    const o = this.#opts;
    try {
      const r = await chatCompletion(
        { baseURL: this.baseURL, model: this.model, apiKey: this.#apiKey },
        {
          messages: observationMessages(obs),
          temperature: o.temperature ?? 0,
          maxTokens: o.maxTokens ?? DEFAULT_MAX_TOKENS,
          topP: o.topP,
          seed: o.seed,
          stream: o.stream,
        },
        {
          signal: opts.signal,
          timeoutMs: o.timeoutMs,
          retries: o.retries,
          backoffMs: o.backoffMs,
          maxBackoffMs: o.maxBackoffMs,
          log: o.log,
          onText: (t) => opts.streamer?.put(t),
        },
      );
      // Tokens: the server's count when it reports usage, else one per streamed piece (servers send one
      // token per SSE event, give or take).
      const newTokens = r.completionTokens ?? r.textEvents;
      const decodeMs = r.firstTextMs !== undefined && r.lastTextMs !== undefined ? r.lastTextMs - r.firstTextMs : 0;
      return {
        text: r.text,
        action: parseAction(obs.game, r.text),
        timings: {
          totalMs: r.totalMs,
          ...(r.firstTextMs !== undefined ? { timeToFirstTokenMs: r.firstTextMs } : {}),
          newTokens,
          tokensPerSecond: decodeMs > 0 && newTokens > 1 ? (newTokens - 1) / (decodeMs / 1000) : 0,
        },
      };
    } finally {
      opts.streamer?.end();
    }
  }
}

/** One user message: the images first (as ViGaL's Qwen2.5-VL chat template places them), then the prompt. */
export function observationMessages(obs: Observation): ChatMessage[] {
  return [
    {
      role: 'user',
      content: [...obs.images.map((r) => ({ type: 'image_url' as const, image_url: { url: pngDataUrl(r) } })), { type: 'text' as const, text: obs.prompt }],
    },
  ];
}

export function pngDataUrl(raster: Raster): string {
  return `data:image/png;base64,${bytesToBase64(encodePng(raster))}`;
}

/** Base64 without Node's Buffer (the browser has none): btoa over binary strings, in slices. */
export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  // Slices whose length is a multiple of 3 encode independently (no padding in between).
  const step = 3 * 8192;
  for (let i = 0; i < bytes.length; i += step) {
    out += btoa(String.fromCharCode(...bytes.subarray(i, i + step)));
  }
  return out;
}

/** The inverse, for the server and tests. */
export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
