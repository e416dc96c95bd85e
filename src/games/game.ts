/**
 * The game interface: one object per game (Gymnasium's env spec is the model), holding everything the
 * generic code needs to play, show, score, evaluate and export the game from the registry alone
 * (games/registry.ts). It is games-level on purpose: plain data and pure functions over util/ and
 * render/ types, so every layer above (policy, rl, data, records, store, ui, cli) may read it, and the
 * DOM-free core type-checks it. What belongs higher lives in the game's own folder too (a React play
 * view in `src/games/<id>/ui/`, the ui layer, found by ui/gameViews.ts) or in the trainer's table
 * (train/traces/games.ts: the SFT sources over `trace`, since the nano model's vocabulary is per game).
 *
 * Two kinds. An 'env' game (Snake) is played over many steps against opponents; its stores and views
 * are its own and the generic code handles its positions through this interface. A 'question' game
 * (Rotation) is one question per seed: `QuestionGame` adds the generator and its settings, and with them
 * every view, store and command works for it unchanged. Generic code branches on `kind` or on an
 * optional capability, never on a game's name.
 */
import type { Scene } from '../render/scene';
import type { Rng } from '../util/rng';
import type { StreamName } from '../util/streams';
import type { RewardParts } from './types';

/** The prompt variants every game writes: ViGaL's full interface (real VLMs, exports) and the nano model's compact one. */
export type PromptVariant = 'full' | 'compact';
export const PROMPT_VARIANTS: readonly PromptVariant[] = ['full', 'compact'];

/** A question's exclusion key by its seed: the seed fixes the question, so a training pool need not draw it to exclude it. */
export const questionSeedKey = (seed: number): string => `seed:${seed}`;

/** A scored response: the reward parts, and the action it names (what the game acts on), null when none. */
export interface GameVerdict extends RewardParts {
  action: string | null;
}

/**
 * How a position is drawn: the image side in pixels; `axes` is the full look's ticks (games without them
 * ignore it); `marks` adds what a person watching needs and a model's image leaves out (Jigsaw: the tile
 * numbers the prompt defines). Model images, exports and datasets never set `marks`.
 */
export interface SceneOptions {
  size: number;
  axes: boolean;
  marks?: boolean;
}

/**
 * A held-out set's selector beyond (n, seed): a game may offer variants (Snake: own length >= minLength;
 * Rotation: another class set; Jigsaw: the 3x3 grid). heldOutPositions (rl/evaluate.ts) refuses a
 * variant the game does not list in `heldOutVariants`; the game checks the value.
 */
export interface HeldOutSelector {
  minLength?: number;
  classes?: string;
  grid?: number;
}

/** A game's figures for a whole held-out report beyond accuracy (Snake: best/worst accuracy; Rotation: confusion). */
export interface ReportTally<S, T> {
  /** Adds one scored answer to a state. */
  add(verdict: GameVerdict, truth: T, state: S): void;
  /** The report fields (names as rl/evaluate.ts's EvalReport). */
  fields(answers: number): Record<string, unknown>;
}

/** An exported ground truth: plain JSON, `game` first (data/record.ts serialises it once for every engine). */
export interface ExportTruth {
  game: string;
}

/** One keyboard shortcut in words: the keys (any of them) and what they do. */
export interface KeyShortcut {
  keys: readonly string[];
  does: string;
}

export interface Game<S, T, E extends ExportTruth = ExportTruth> {
  /** The id in URLs, records, CLI arguments and the Python reward table. */
  readonly id: string;
  readonly title: string;
  /** One line saying what the player does. */
  readonly blurb: string;
  /** The keyboard shortcuts of the game's Play view, as the help overlay (`?`) lists them; keep in step with its handlers. */
  readonly playKeys: readonly KeyShortcut[];
  readonly kind: 'env' | 'question';
  /** `data_source` of exported rows (verl; OpenRLHF's `datasource`). */
  readonly dataSource: string;
  /** `vigal sample`'s default image side (the game's own look). */
  readonly defaultImageSize: number;
  /** How `vigal export` draws the game by default (and how imported rollouts re-render): image side, axes where the game has them. */
  readonly exportRender: { imageSize: number; axes?: boolean };
  /** `vigal export`'s stream (util/streams.ts): chunk or question k is item k of it. */
  readonly exportStream: StreamName;
  /** Samples per export work unit (a Snake chunk is one seeded sampler run; questions are cheap). */
  readonly exportChunk: number;

  /** Reads a state from JSON (CLI, datasets, records), validating it; throws an Error naming the field. */
  parseState(json: unknown): S;
  /** The state's identity for disjointness (training pools, exports, the stream test). */
  stateKey(state: S): string;
  /**
   * Identities a held-out state excludes from training: any training state sharing one is dropped
   * (Snake: the state key; Rotation: the question seed and the object, however turned or asked).
   */
  exclusionKeys(state: S): string[];
  /** The held-out variants the game offers (`vigal eval --min-length`, `--classes`, `--grid`): the range, names or values. */
  readonly heldOutVariants: { minLength?: { min: number; max: number }; classes?: readonly string[]; grid?: readonly number[] };
  /** The held-out states of (n, seed) from the `heldOut` stream (or a variant the selector names). */
  heldOut(n: number, seed: number, set?: HeldOutSelector): S[];

  /** The ground truth of a state, as plain JSON. */
  truth(state: S): T;
  /** Reads a truth back from JSON (an episode record's step), or throws. */
  parseTruth(json: unknown): T;
  /** The verifier: ViGaL's reward parts and the action the response names. Never throws. */
  score(response: string, truth: T): GameVerdict;
  /** The action a response names (what the game acts on), without scoring it. */
  parse(response: string): string | null;
  /** The truth in words, for tables and step panels. */
  truthText(truth: T): string;
  /** A response that scores full marks (the dataset checker scores it). */
  perfectResponse(truth: T): string;
  /** The response a hand-chosen action stands for, as a model would have to write it. */
  handResponse(action: string): string;

  prompt(state: S, variant: PromptVariant): string;
  /** The images, in prompt order. */
  scenes(state: S, opts: SceneOptions): Scene[];
  /** The prompt with every line that states the position removed (the image-only ablation); identity if it states none. */
  imageOnlyPrompt(prompt: string): string;

  /**
   * The game's solver: a reasoning trace that ends in the right answer, in the answer format (the SFT
   * data the nano model learns from, train/traces/); null where the solver cannot trace a state. Absent:
   * the game has no solver yet.
   */
  trace?(state: S): string | null;
  /**
   * Rule-based players by bot name (policy/bots.ts seats them): each reads the state and writes its
   * choice in the answer format, so the verifier scores it like a model. A question game offers at
   * least `random`, a uniform guess (Evaluate's baseline).
   */
  readonly bots: Readonly<Record<string, (state: S, rng: Rng) => { action: string; text: string }>>;
  /** Per-report figures beyond accuracy, format rate and reward (absent: none). */
  tally?(): ReportTally<S, T>;

  /** The export's ground truth: plain JSON with `game` first, byte-identical in every engine's files. */
  exportTruth(state: S, truth: T, seed: number): E;
  /** Reads an exported ground truth (its fields, `game` among them), validating it; throws naming the field. */
  parseExportTruth(t: Record<string, unknown>): E;
  /** The truth a reward compares with, from an exported ground truth. */
  truthOfExport(e: E): T;
  /** The state an exported ground truth regenerates (a question game: from its seed and settings), or null when it carries too little. */
  stateOfExport(e: E): S | null;
  /** The export's duplicate key of what the model is shown (hashed by the export when `hashExportKey`). */
  exportKey(state: S): string;
  /** Hash `exportKey` (long keys, e.g. Rotation's objects) or use it as it is (Snake's key is short and readable). */
  readonly hashExportKey: boolean;
  /**
   * Reading a state back from a full prompt (rollout dumps whose truth carries no state); absent where
   * the prompt does not state the position. `looksLike` says the prompt is this game's at all.
   */
  readonly fromPrompt?: { looksLike(prompt: string): boolean; read(prompt: string): S | null };
}

/**
 * A question game: one question per seed, a pure function of the seed and its settings (a plain-JSON
 * object the URL carries). With this the generic views play it: Play shows its scenes and takes an
 * answer, Watch asks question i of its stream, Evaluate scores the held-out questions.
 */
export interface QuestionGame<S, T, O, E extends ExportTruth = ExportTruth> extends Game<S, T, E> {
  readonly kind: 'question';
  readonly settings: {
    readonly default: O;
    /** Reads settings from URL parameters (`get` returns null when absent); invalid values fall back to the default. */
    parse(get: (key: string) => string | null): O;
    /** The URL parameters of non-default settings. */
    format(settings: O): Record<string, string>;
    /** Parameters with a fixed set of values (`vigal sample` checks them; the URL falls back to the default). */
    readonly choices?: Readonly<Record<string, readonly string[]>>;
    /** The settings a question was asked under (Explore's branches ask on from it). */
    of(state: S): O;
  };
  /** Question `seed` under `settings`. */
  question(seed: number, settings: O): S;
  /** What a person watching sees of a question (Watch, Explore): its last `last` images, captioned. */
  readonly view: { last: number; captions: readonly string[] };
  /** The question in words for a person answering it by hand (Evaluate's "You"), shown with its `images` scenes. */
  ask(state: S, images: number): string;
  /** The answers to offer as buttons, in order (a short list); null: the answer is typed. */
  options(state: S): readonly string[] | null;
  /** `vigal watch`/Watch mode: question i of the seed is item i of this stream. */
  readonly watchStream: StreamName;
}

/** An env game: many steps, opponents; its own stores and views drive it. */
export interface EnvGame<S, T, E extends ExportTruth = ExportTruth> extends Game<S, T, E> {
  readonly kind: 'env';
}

/** The state, truth and export-truth types of a game object. */
export type StateOf<G> = G extends Game<infer S, infer _T, infer _E> ? S : never;
export type TruthOf<G> = G extends Game<infer _S, infer T, infer _E> ? T : never;
export type ExportTruthOf<G> = G extends Game<infer _S, infer _T, infer E> ? E : never;
