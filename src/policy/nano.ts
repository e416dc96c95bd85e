/**
 * The nano model as a policy: the compact prompt and small rasters its config names, generation with
 * the ORT runtime (KV cache, streaming), and the answer parsed by the game's own reader. Runs wherever
 * the runtime runs: directly in Node (CLI, tests) and inside the model worker in the browser.
 */
import { encodePrompt } from '../model/inputs';
import { generate } from '../runtime/generate';
import type { NanoModel } from '../runtime/model';
import { Rng } from '../util/rng';
import { observe } from './observe';
import type { ActOptions, Observation, Policy, PolicyResult, Position } from './types';
import { gameOf, type GameId } from '../games/registry';

export interface NanoSampling {
  /** 0 = greedy (default: the model's best guess, reproducible). */
  temperature?: number;
  topP?: number;
  seed?: number;
  maxNewTokens?: number;
}

/** The observation the nano model is trained on, for a config's image size. */
export function nanoObservation(position: Position, imageSize: number): Observation {
  return observe(position, { variant: 'compact', imageSize, axes: false });
}

/** The action a response names (Snake: the best move; a question game: the answer text). */
export function parseAction(game: Position['game'], text: string): string | null {
  return gameOf(game).parse(text);
}

export class NanoPolicy implements Policy {
  readonly kind = 'nano' as const;
  readonly id: string;
  readonly label: string;
  readonly games: readonly GameId[];
  private readonly rng: Rng;

  constructor(
    readonly model: NanoModel,
    private readonly sampling: NanoSampling = {},
  ) {
    this.id = `nano:${model.config.name}`;
    this.label = model.config.name;
    this.games = model.config.games;
    this.rng = new Rng(sampling.seed ?? 0);
  }

  observe(position: Position): Observation {
    return nanoObservation(position, this.model.config.imageSize);
  }

  async act(obs: Observation, opts: ActOptions = {}): Promise<PolicyResult> {
    if (!this.games.includes(obs.game)) {
      throw new Error(`${this.label} was trained for ${this.games.join(', ')}, not ${obs.game}`);
    }
    const { inputIds, patches } = encodePrompt(this.model.config, this.model.tokenizer, obs.prompt, obs.images);
    const out = await generate(this.model, {
      inputIds,
      patches,
      temperature: this.sampling.temperature ?? 0,
      topP: this.sampling.topP,
      maxNewTokens: this.sampling.maxNewTokens,
      seed: this.rng.nextUint32(),
      signal: opts.signal,
      streamer: opts.streamer && {
        put: (_ids, text) => opts.streamer?.put(text),
        end: () => opts.streamer?.end(),
      },
    });
    const text = out.texts[0] ?? '';
    const t = out.timings;
    return {
      text,
      action: parseAction(obs.game, text),
      timings: { totalMs: t.totalMs, timeToFirstTokenMs: t.timeToFirstTokenMs, tokensPerSecond: t.tokensPerSecond, newTokens: t.newTokens },
    };
  }

  dispose(): void {
    void this.model.dispose();
  }
}
