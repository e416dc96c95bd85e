/**
 * One interface for everything that plays: bots, the human at the keyboard, the nano model (ORT), and
 * later bring-your-own models. Each step has two halves:
 *   observe(position) -> Observation: the exact prompt and images this policy is shown (the nano model
 *     wants the compact prompt and an 80 px raster, a 7B VLM the full ViGaL prompt), recorded with the
 *     step so it can be inspected later;
 *   act(observation) -> the response text it wrote, the action parsed from it, and timings.
 * Text streams through a `put`/`end` streamer as it is produced.
 */
import type { Move } from '../games/snake';
import type { Position } from '../games/position';
import type { PolicyTimings } from '../records/types';
import type { Raster } from '../render/raster';
import type { GameId } from '../games/registry';

export type { Position } from '../games/position';
export type { PolicyTimings } from '../records/types';

export type Observation = Position & {
  prompt: string;
  images: Raster[];
};

export interface TextStreamer {
  put(text: string): void;
  end(): void;
}

export interface PolicyResult {
  /** The full response, in the game's answer format (bots write one too, so every policy is scored alike). */
  text: string;
  /** The move (Snake) or the rotation label; null when the response names none (the game then decides). */
  action: Move | string | null;
  timings: PolicyTimings;
}

export interface ActOptions {
  signal?: AbortSignal;
  streamer?: TextStreamer;
}

/** 'remote': a model behind a server; 'local': a VLM run in this process/tab by transformers.js. */
export type PolicyKind = 'bot' | 'human' | 'nano' | 'remote' | 'local';

export interface Policy {
  /** Stable id used in URLs, evaluation tables and the CLI (e.g. 'bot:greedy', 'nano:vigal-nano-snake-sft'). */
  readonly id: string;
  readonly label: string;
  readonly kind: PolicyKind;
  readonly games: readonly GameId[];
  observe(position: Position): Observation;
  act(obs: Observation, opts?: ActOptions): Promise<PolicyResult>;
  dispose?(): void;
}
