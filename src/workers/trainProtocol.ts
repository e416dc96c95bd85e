/** The typed messages between the page and the RL training worker (train.worker.ts). */
import type { ExecutionProvider } from '../runtime/ort';
import type { AdvantageEstimator } from '../rl/advantages';
import type { EvalReport } from '../rl/evaluate';
import type { RlGame, RlGroupView, RlMetrics } from '../train/rl';

/** 'auto': WebGPU when the browser has it, else WASM; 'wasm': WASM only. */
export type TrainBackend = 'auto' | 'wasm';

/** What the Train view lets you set (the rest: the CLI's defaults, train/rl.ts DEFAULT_RL). */
export interface TrainSettings {
  /** Model folder under /models/ the run starts from (and the KL reference). */
  model: string;
  game: RlGame;
  algo: AdvantageEstimator;
  steps: number;
  /** Prompts per step; each gets `groupSize` samples. */
  prompts: number;
  groupSize: number;
  lr: number;
  maxNewTokens: number;
  temperature: number;
  klCoef: number;
  seed: number;
  backend: TrainBackend;
  /** Held-out evaluation (greedy) at the start and every this many steps; 0 turns it off. */
  evalEvery: number;
  /** Held-out states per evaluation (the first of the set `vigal eval` uses, never trained on). */
  evalN: number;
  /**
   * Focus: before step 1 the start model answers this many training prompts greedily and the run
   * trains mostly on those it gets wrong (train/rl.ts poolFilter 'greedy-wrong'); 0 turns it off.
   */
  focusScan: number;
  /**
   * Answer-only RL (the demo, rl/answerOnly.ts): `<think></think><best_answer>` forced, one move token
   * sampled, rewarded when it is a best move. Snake only; max new tokens is then not used.
   */
  answerOnly: boolean;
  /** Answer-only: score all four moves ('exact', the demo) or sample `groupSize` of them ('sampled'). */
  answerGradient: 'exact' | 'sampled';
  /** The parameters trained: all, or the top block with the final norm and the output layer ('top'). */
  trainable: 'all' | 'top';
}

export type TrainWorkerStatus = 'loading' | 'running' | 'paused' | 'stopped' | 'done';

export interface TrainBackendInfo {
  /** Where jax-js trains, and why not WebGPU when it does not. */
  trainer: 'webgpu' | 'wasm';
  trainerFallback: string | null;
  /** The WebGPU adapter jax-js runs on, e.g. 'google swiftshader (software)' (null on WASM). */
  adapter: string | null;
  /** Where the ORT rollouts run, and why not WebGPU when they do not. */
  rollout: ExecutionProvider;
  rolloutFallback: string | null;
  /** Training prompts available (held-out states removed). */
  poolSize: number;
}

/** A saved checkpoint: the weights with what is needed to rebuild the whole model folder. */
export interface TrainCheckpoint {
  step: number;
  /** model.safetensors bytes (config in its metadata). */
  safetensors: Uint8Array;
  /** config.json and tokenizer.json texts. */
  config: string;
  tokenizer: string;
}

export type ToTrainWorker =
  | { type: 'start'; settings: TrainSettings; folderUrl: string }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** Snapshot the current weights; answered by 'checkpoint' with the same id (after the running step). */
  | { type: 'save'; id: number };

export type FromTrainWorker =
  | { type: 'status'; status: TrainWorkerStatus; step: number; message?: string }
  | ({ type: 'backend' } & TrainBackendInfo)
  | { type: 'step'; metrics: RlMetrics; groups: RlGroupView[]; skipped: string | null }
  /** Held-out evaluation after `step` steps: progress while it runs, then its report. */
  | { type: 'eval-progress'; step: number; done: number; total: number }
  /** `elapsed`: seconds since the worker got 'start' when the evaluation ended (the charts' time axis). */
  | { type: 'eval'; step: number; report: EvalReport; elapsed: number }
  /** The focus scan before step 1: progress, then how many prompts it kept. */
  | { type: 'scan-progress'; done: number; total: number }
  /** `mix`: the share of each step's prompts still drawn from the whole pool. */
  | { type: 'focus'; kept: number; scanned: number; mix: number }
  | ({ type: 'checkpoint'; id: number } & TrainCheckpoint)
  | { type: 'error'; message: string; id?: number };
