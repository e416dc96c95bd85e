/**
 * What the app keeps and exchanges: episodes (every step a policy played), evaluations (a set of
 * policies on one seeded held-out set), and training runs (metrics and checkpoints). One shape for
 * IndexedDB, JSONL export/import and the CLI's `--jsonl` output, so a file written by `vigal eval` opens
 * in the app and a run saved in the app exports to the same lines.
 *
 * Images are never stored: every observation is re-rendered from its position (rendering is
 * deterministic), which keeps an episode of hundreds of steps a few hundred KiB.
 */
import type { Move, SnakeBotName, SnakeResult } from '../games/snake';
import type { Position } from '../games/position';
import type { RewardParts } from '../games/types';
import type { GameId, GameTruth } from '../games/registry';

/** Bump when a record's meaning changes; importers refuse versions they do not know. */
export const RECORD_VERSION = 1;

/** What a policy was shown: image and prompt (default), the image alone, or the text alone. */
export type ObservationMode = 'image+text' | 'image' | 'text';

/** How long a policy took over one step (policy/types.ts re-exports it). */
export interface PolicyTimings {
  totalMs: number;
  /** Model policies only. */
  timeToFirstTokenMs?: number;
  tokensPerSecond?: number;
  newTokens?: number;
}

export interface EpisodeStep {
  index: number;
  /** The position the policy played from (re-rendered to get the exact pixels it saw). */
  position: Position;
  /** The exact prompt text it was given ('' in image-only mode). */
  prompt: string;
  /** Its full response (trace and answer). */
  text: string;
  /** What the answer names; null when it names nothing usable. */
  action: string | null;
  /** Snake: the move played (the snake keeps its direction when the answer names none). */
  applied: Move | null;
  /** The game's truth (games/game.ts `truth`): Snake's labels, a question's answer. */
  truth: GameTruth;
  reward: RewardParts;
  timings: PolicyTimings;
  /** Snake: the opponent's move this round. */
  opponentMove?: Move;
  /** Present when this step was chosen by hand after a branch, or imported from elsewhere. */
  source?: 'human' | 'import';
  /** This step's images were drawn unlike the episode's `render` (a branch continued by another policy). */
  render?: { imageSize: number; axes?: boolean };
}

export interface EpisodeRecord {
  type: 'episode';
  version: number;
  id: string;
  /** ms since the epoch. */
  createdAt: number;
  game: GameId;
  /** Policy id ('nano:vigal-nano-snake-sft', 'bot:greedy', 'openai:<model>', 'verl'...). */
  policy: string;
  /** Snake: the opponent ('greedy', 'self', ...). */
  opponent?: string;
  seed: number;
  observationMode: ObservationMode;
  steps: EpisodeStep[];
  result?: SnakeResult | null;
  /** Set when this episode was branched from another: the parent's id and the step it left at. */
  branchedFrom?: { id: string; step: number };
  /** Free text, e.g. the file it was imported from. */
  note?: string;
  /**
   * How the policy's images re-render from each step's position: `observe(position, { imageSize, axes })`
   * (the nano model: 80 px without axes; bots and remote models: 320 px with axes). Absent: the full
   * ViGaL look of FULL_OBSERVATION (320 px, Snake with axes). Not used in 'text' mode (no image was shown).
   */
  render?: { imageSize: number; axes?: boolean };
}

export interface EloRow {
  policy: string;
  rating: number;
  games: number;
  wins: number;
  ties: number;
  losses: number;
}

/** One policy's held-out evaluation (computed by rl/evaluate.ts). */
export interface EvalReport {
  game: GameId;
  policy: string;
  n: number;
  seed: number;
  /** Answers per state when more than one (rates are over all n x samples answers). */
  samples?: number;
  /** Snake, the long-snake set (`--min-length`): every state's own snake has at least this length. */
  min_length?: number;
  /** Rotation: the class set asked when not the default (`--classes`). */
  class_set?: string;
  /** Jigsaw: the grid when not the default 2x2 (`--grid 3`). */
  grid?: number;
  accuracy: number;
  format_rate: number;
  mean_reward: number;
  /** Snake: the best move named is one of the best moves (or both empty). */
  best_accuracy?: number;
  /** Snake: the worst list is exactly right. */
  worst_accuracy?: number;
  /** Jigsaw: the mean share of positions whose tile is right (an answer that is no permutation places none). */
  tiles_right?: number;
  /** Rotation: confusion[truth][answer] counts; answers outside the classes under '(other)'. */
  confusion?: Record<string, Record<string, number>>;
  mean_new_tokens?: number;
  /** Answer-only Snake: the expected accuracy of a uniformly random move on these states (a reference level). */
  random_accuracy?: number;
  seconds: number;
  /**
   * Per held-out state, in order, how many of its answers were fully right: one digit each (so '0'/'1'
   * with one answer per state). Two reports on the same states compare state by state (rl/paired.ts).
   * Absent above 9 samples per state.
   */
  right?: string;
}

/** Head-to-head Snake games of one policy against a bot or another policy (rl/evaluate.ts, rl/suite.ts). */
export interface MatchReport {
  /** The policy in seat 1 (snake 1); every number below is from its side. */
  policy: string;
  /** A bot name (playMatches) or a policy id (suite.ts, policy against policy). */
  opponent: SnakeBotName | string;
  games: number;
  wins: number;
  ties: number;
  losses: number;
  win_rate: number;
  mean_score: number;
  mean_opponent_score: number;
  mean_rounds: number;
  /** Rounds where the policy's answer named no move (the snake then kept its direction). */
  unparsed_moves: number;
  /** Each game's result in play order ('W' = the policy won), for Elo (rl/elo.ts). */
  outcomes?: ('W' | 'T' | 'L')[];
  /** Rounds each snake survived, on average (the game's rounds, less the round it died in). */
  mean_survival?: number;
  mean_opponent_survival?: number;
  /** Policy against policy: the opponent's rounds without a readable move. */
  opponent_unparsed_moves?: number;
  /** The first game's seed (game g uses seed + g). */
  seed?: number;
}

export interface EvaluationRecord {
  type: 'evaluation';
  version: number;
  id: string;
  createdAt: number;
  game: GameId;
  n: number;
  seed: number;
  observationMode: ObservationMode;
  /** One report per policy, same held-out set. */
  reports: EvalReport[];
  /** Snake: head-to-head games (ViGaL's protocol: 10 games per pairing). */
  matches: MatchReport[];
  elo?: EloRow[];
}

/** One line of RL/SFT metrics, named as the engines name them (see the trainer). */
export type MetricsRow = { step: number } & Record<string, number>;

export interface RunRecord {
  type: 'run';
  version: number;
  id: string;
  createdAt: number;
  kind: 'sft' | 'grpo' | 'rloo';
  game: GameId;
  /** The model it started from (folder name) and every setting, as the CLI would take them. */
  init: string;
  settings: Record<string, string | number | boolean>;
  metrics: MetricsRow[];
  /** Held-out evaluations made during the run. */
  evals: { step: number; report: EvalReport; /** Seconds since Start when it ended (runs before the time axis lack it). */ elapsed?: number }[];
  status: 'running' | 'paused' | 'stopped' | 'done' | 'error';
  /** Saved checkpoints: the key under which the weights (safetensors bytes) are stored. */
  checkpoints: { step: number; key: string; bytes: number }[];
  /** Where it ran (the app's runs; absent in older records): trainer and rollout backends, the training prompts. */
  backend?: {
    trainer: 'webgpu' | 'wasm';
    trainerFallback: string | null;
    adapter: string | null;
    rollout: 'webgpu' | 'wasm';
    rolloutFallback: string | null;
    poolSize: number;
  };
  /** The focus scan's outcome: prompts kept of those scanned, and the share of each step drawn from all. */
  focus?: { kept: number; scanned: number; mix: number };
}

export type AnyRecord = EpisodeRecord | EvaluationRecord | RunRecord;
