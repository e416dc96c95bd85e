/**
 * A real VLM from a local folder (SmolVLM, Qwen2-VL exports) run by transformers.js, as a Policy. Like
 * the OpenAI-compatible route it is shown ViGaL's interface: the full prompt (src/games/*\/prompt.ts) and
 * the full-size images, as one user turn with the images first; the reply streams into the caller's
 * streamer and is parsed by the game's own reader. The engine (runtime/transformers.ts) runs in-process:
 * in Node for the CLI, inside the local-VLM worker in the browser.
 */
import type { LocalVlm } from '../runtime/transformers';
import { parseAction } from './nano';
import { FULL_OBSERVATION, observe } from './observe';
import type { ActOptions, Observation, Policy, PolicyResult, Position } from './types';
import { GAME_IDS } from '../games/registry';

export interface LocalVlmSampling {
  /** 0 = greedy (default). */
  temperature?: number;
  topP?: number;
  /** Longest answer in tokens (default 1024: room for a <think> trace). */
  maxNewTokens?: number;
}

export const DEFAULT_LOCAL_MAX_TOKENS = 1024;

/** The policy id for a local folder name (URLs, evaluation tables, the CLI's `local:` syntax). */
export const localPolicyId = (name: string): string => `local:${name}`;

export function localVlmObservation(position: Position): Observation {
  return observe(position, FULL_OBSERVATION);
}

export class LocalVlmPolicy implements Policy {
  readonly kind = 'local' as const;
  readonly id: string;
  readonly label: string;
  // A VLM reads any game's prompt and images: every registered game.
  readonly games = GAME_IDS;

  constructor(
    readonly vlm: LocalVlm,
    private readonly sampling: LocalVlmSampling = {},
  ) {
    const t = sampling.temperature ?? 0;
    if (!(t >= 0 && t <= 2)) throw new Error(`local VLM: temperature must be in [0, 2], got ${t}`);
    const m = sampling.maxNewTokens ?? DEFAULT_LOCAL_MAX_TOKENS;
    if (!(Number.isInteger(m) && m >= 1)) throw new Error(`local VLM: maxNewTokens must be a positive integer, got ${m}`);
    this.id = localPolicyId(vlm.info.name);
    this.label = `${vlm.info.name} (local)`;
  }

  observe(position: Position): Observation {
    return localVlmObservation(position);
  }

  async act(obs: Observation, opts: ActOptions = {}): Promise<PolicyResult> {
    try {
      const r = await this.vlm.generate(
        {
          prompt: obs.prompt,
          images: obs.images,
          maxNewTokens: this.sampling.maxNewTokens ?? DEFAULT_LOCAL_MAX_TOKENS,
          temperature: this.sampling.temperature ?? 0,
          topP: this.sampling.topP,
        },
        { signal: opts.signal, onText: (t) => opts.streamer?.put(t) },
      );
      return {
        text: r.text,
        action: parseAction(obs.game, r.text),
        timings: { totalMs: r.totalMs, timeToFirstTokenMs: r.timeToFirstTokenMs, tokensPerSecond: r.tokensPerSecond, newTokens: r.newTokens },
      };
    } finally {
      opts.streamer?.end();
    }
  }

  dispose(): void {
    void this.vlm.dispose();
  }
}

/** One line for the UI header: "SmolVLM-256M · decoder q4 · WebGPU". */
export function describeVlm(info: LocalVlm['info']): string {
  const d = info.dtypes;
  const same = d.vision_encoder === d.embed_tokens && d.embed_tokens === d.decoder_model_merged;
  const dtypes = same ? d.decoder_model_merged : `vision ${d.vision_encoder}, embed ${d.embed_tokens}, decoder ${d.decoder_model_merged}`;
  const device = info.device === 'webgpu' ? 'WebGPU' : info.device === 'wasm' ? 'WASM' : 'CPU (onnxruntime-node)';
  return `${info.name} · ${dtypes} · ${device} · transformers.js`;
}
