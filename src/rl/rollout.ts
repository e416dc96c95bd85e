/**
 * The rollout engine: the ORT runtime with its KV cache samples G responses per prompt (one batched
 * generate call per group), as vLLM does for verl. The trainer owns the weights; after every update it
 * pushes them here (`sync`), which rebuilds the fp32 ONNX graph from them and swaps the session, so the
 * next rollouts come from exactly the trainer's policy (their log-probs agree to float precision).
 */
import type { ModelConfig } from '../model/config';
import { buildNanoGraph } from '../model/onnx/nano';
import type { Params } from '../model/params';
import type { Tokenizer } from '../model/tokenizer';
import { generate, type StopReason } from '../runtime/generate';
import { loadNanoModel, type LoadOptions, type NanoModel } from '../runtime/model';
import { deriveSeed } from '../util/rng';
import type { RewardParts } from '../games/types';

/** One prompt of a step: what the model sees and how its answers are scored. */
export interface RlPrompt {
  /** Stable id for logs (e.g. 'snake/train/123'). */
  id: string;
  /** [Np, patchDim] flattened (empty in text-only mode). */
  patches: Float32Array;
  /** Prompt token ids as the runtime feeds them (BOS, prompt, newline). */
  promptIds: number[];
  /** The prompt text (for traces shown to people). */
  prompt: string;
  score(response: string): RewardParts;
}

export interface Rollout {
  /** Index of the prompt in the step, and of the sample in its group. */
  group: number;
  sample: number;
  /** Generated token ids (stop token included) and their text. */
  tokens: number[];
  text: string;
  /** Behaviour log-probs of `tokens` under softmax(logits / temperature). */
  logprobs: number[];
  stopReason: StopReason;
  reward: RewardParts;
}

export interface CollectOptions {
  groupSize: number;
  temperature: number;
  maxNewTokens: number;
  /** Prompt + response tokens never exceed this (a long prompt gets fewer new tokens); default: no cap. */
  maxLength?: number;
  /** Group g samples with seed deriveSeed(seed, g): the caller passes a per-step seed. */
  seed: number;
  signal?: AbortSignal;
  /** Called after each group (for progress and live traces). */
  onGroup?(group: Rollout[], index: number): void;
}

export interface CollectResult {
  rollouts: Rollout[];
  /** Tokens generated over all samples. */
  tokens: number;
  ms: number;
}

export class RolloutEngine {
  private constructor(
    private model: NanoModel,
    readonly config: ModelConfig,
    readonly tokenizer: Tokenizer,
    private readonly loadOptions: LoadOptions,
  ) {}

  static async create(config: ModelConfig, tokenizer: Tokenizer, params: Params, opts: LoadOptions = {}): Promise<RolloutEngine> {
    return new RolloutEngine(await RolloutEngine.load(config, tokenizer, params, opts), config, tokenizer, opts);
  }

  private static load(config: ModelConfig, tokenizer: Tokenizer, params: Params, opts: LoadOptions): Promise<NanoModel> {
    const model = buildNanoGraph(config, params, { quant: 'fp32' });
    return loadNanoModel({ config, tokenizer, model, modelName: 'rollout weights' }, opts);
  }

  /** Where rollouts run ('webgpu' or 'wasm') and why not WebGPU when it was asked for. */
  get provider(): { name: string; fallbackReason: string | null } {
    return { name: this.model.provider, fallbackReason: this.model.fallbackReason };
  }

  /** The session holding the latest synced weights (for greedy evaluation between steps). */
  get currentModel(): NanoModel {
    return this.model;
  }

  /** Pushes fresh weights: the next rollouts sample from them. */
  async sync(params: Params): Promise<void> {
    const next = await RolloutEngine.load(this.config, this.tokenizer, params, this.loadOptions);
    const old = this.model;
    this.model = next;
    await old.dispose();
  }

  async collect(prompts: readonly RlPrompt[], o: CollectOptions): Promise<CollectResult> {
    const t0 = performance.now();
    const rollouts: Rollout[] = [];
    let tokens = 0;
    for (const [g, prompt] of prompts.entries()) {
      if (o.signal?.aborted) throw new DOMException('rollouts aborted', 'AbortError');
      const out = await generate(this.model, {
        inputIds: prompt.promptIds,
        ...(prompt.patches.length > 0 ? { patches: prompt.patches } : {}),
        batchSize: o.groupSize,
        temperature: o.temperature,
        maxNewTokens: Math.max(1, Math.min(o.maxNewTokens, (o.maxLength ?? Infinity) - prompt.promptIds.length)),
        seed: deriveSeed(o.seed, g),
        returnLogprobs: true,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      const group: Rollout[] = out.texts.map((text, i) => {
        tokens += (out.tokens[i] as number[]).length;
        return {
          group: g,
          sample: i,
          tokens: out.tokens[i] as number[],
          text,
          logprobs: (out.logprobs as number[][])[i] as number[],
          stopReason: out.stopReasons[i] as StopReason,
          reward: prompt.score(text),
        };
      });
      rollouts.push(...group);
      o.onGroup?.(group, g);
    }
    return { rollouts, tokens, ms: performance.now() - t0 };
  }

  dispose(): Promise<void> {
    return this.model.dispose();
  }
}
