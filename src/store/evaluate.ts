/**
 * Evaluate mode: pick a game, a held-out set (n, seed), games per pairing and a set of policies; run the
 * suite (rl/suite.ts, the same code as `vigal eval --policies`); watch progress; keep every finished
 * evaluation (IndexedDB through src/persist), and import the CLI's JSONL lines.
 *
 * Policies are named by spec: 'nano:<folder>' (a model under /models/, run in its own worker, fp32 as the
 * CLI runs it so the numbers agree), 'bot:<name>', 'openai' (the server connected in Watch mode), 'local'
 * (the transformers.js model loaded in Watch mode) and 'human' (the user answers the held-out questions;
 * sits out the games). They run in a fixed order (nano checkpoints, bots, server, local, human), so a
 * selection gives the same record whatever order it was ticked in, and the CLI given the same list in
 * that order prints the same numbers.
 */
import { createStore } from 'zustand/vanilla';
import { deleteRecord, listRecords, saveRecord } from '../persist';
import { tryParsePolicySpec } from '../policy/spec';
import { BotPolicy } from '../policy/bots';
import { OpenAIPolicy } from '../policy/openai';
import type { Observation, Policy } from '../policy/types';
import { parseJsonl, serializeJsonl } from '../records/jsonl';
import type { EvaluationRecord, ObservationMode } from '../records/types';
import { GAMES_PER_PAIRING, runSuite, type SuiteProgress } from '../rl/suite';
import { heldOutSetChoices, sameHeldOutSet, type HeldOutSet } from '../rl/heldOutSets';
import { WorkerNanoPolicy } from '../workers/nanoClient';
import { runtimeLoadOptions, type RuntimeChoice } from '../runtime/choice';
import { EvalHumanPolicy, type HumanAnswer } from './evaluateHuman';
import { unplayableReason, type ModelsStore } from './models';
import { ALL_BOT_NAMES as BOT_NAMES, type GameId } from '../games/registry';

export type EvalGame = GameId;

/** What policies can be shown (policy/observe.ts, the modality-gap ablation); bots read the state. */
export const SUPPORTED_OBSERVATION_MODES: readonly ObservationMode[] = ['image+text', 'image', 'text'];

export interface EvaluateSettings {
  game: EvalGame;
  /** Held-out states per policy. */
  n: number;
  seed: number;
  /** Snake: games per pairing and seat (ViGaL: 10); 0 skips head-to-head. */
  gamesPerPairing: number;
  observationMode: ObservationMode;
  /** Which held-out set (rl/heldOutSets.ts: heldOutSetChoices); {} is the standard one. */
  set: HeldOutSet;
}

export const DEFAULT_EVALUATE_SETTINGS: EvaluateSettings = {
  game: 'snake',
  n: 20,
  seed: 1000,
  gamesPerPairing: GAMES_PER_PAIRING,
  observationMode: 'image+text',
  set: {},
};

export interface PolicyOption {
  spec: string;
  label: string;
  /** Why it cannot be chosen now (null = it can). */
  unavailable: string | null;
}

/** Where finished evaluations are kept (the app: IndexedDB via src/persist; tests: memory). */
export interface EvaluationArchive {
  save(record: EvaluationRecord): Promise<void>;
  list(): Promise<EvaluationRecord[]>;
  remove(id: string): Promise<void>;
}

export const persistArchive: EvaluationArchive = {
  save: (r) => saveRecord(r),
  list: () => listRecords('evaluation'),
  remove: (id) => deleteRecord('evaluation', id),
};

export interface EvaluateState extends EvaluateSettings {
  selected: string[];
  status: 'idle' | 'loading' | 'running' | 'done' | 'stopped' | 'error';
  /** What is being loaded (status 'loading'). */
  loadingWhat: string | null;
  progress: SuiteProgress | null;
  error: string | null;
  /** The evaluation on show: the one running (partial), just finished, or picked from the history. */
  current: EvaluationRecord | null;
  /** Saved evaluations, newest first. */
  history: EvaluationRecord[];
  /** Why the history could not be read or written (the run itself is still shown). */
  archiveError: string | null;
  /** The held-out question waiting for the human's answer. */
  question: Observation | null;
  /** Per nano spec: where it ran ('WASM', 'WebGPU'), for the table's note. */
  backends: Record<string, string>;

  configure(patch: Partial<EvaluateSettings>): void;
  toggle(spec: string, on?: boolean): void;
  options(): PolicyOption[];
  run(): Promise<void>;
  stop(): void;
  answer(a: HumanAnswer): boolean;
  show(id: string): void;
  remove(id: string): Promise<void>;
  loadHistory(): Promise<void>;
  /** Imports evaluation lines (the CLI's --jsonl output); returns what happened, for a status line. */
  importJsonl(text: string, fileName?: string): Promise<{ imported: number; skipped: number; errors: string[] }>;
  /** The record on show as one JSONL line (what `vigal eval --jsonl` writes). */
  exportJsonl(): string | null;
}

export interface EvaluateStoreOptions {
  models: ModelsStore;
  /** Folder URL of the model folders. */
  base?: string;
  archive?: EvaluationArchive | null;
  /** Builds a policy for a spec (tests replace the worker). */
  makePolicy?: (spec: string, ctx: MakePolicyContext) => Promise<Policy>;
}

export interface MakePolicyContext {
  seed: number;
  runtime: RuntimeChoice;
  base: string;
  models: ModelsStore;
  human: EvalHumanPolicy;
}

/** The canonical run order of specs: nano checkpoints (by name), bots (BOT_NAMES order), server, local VLM, human. */
export function orderSpecs(specs: readonly string[]): string[] {
  const rank = (s: string): [number, number, string] => {
    const spec = tryParsePolicySpec(s);
    switch (spec?.kind) {
      case 'nano':
        return [0, 0, s];
      case 'bot':
        return [1, BOT_NAMES.indexOf(spec.bot), s];
      case 'openai':
        return [2, 0, s];
      case 'local':
        return [2, 1, s];
      default:
        return [3, 0, s];
    }
  };
  return [...new Set(specs)].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2].localeCompare(y[2]);
  });
}

/** The default builder: bots seeded with the set's seed (as the CLI), nano in a worker, the server from Watch mode. */
export async function defaultMakePolicy(text: string, ctx: MakePolicyContext): Promise<Policy> {
  const valid = `nano:<model folder>, ${BOT_NAMES.map((b) => `bot:${b}`).join(', ')}, openai, local, human`;
  const spec = tryParsePolicySpec(text);
  if (spec === null) throw new Error(`unknown policy '${text}'; valid: ${valid}`);
  switch (spec.kind) {
    case 'bot':
      return new BotPolicy(spec.bot, ctx.seed);
    case 'human':
      return ctx.human;
    case 'openai': {
      if (spec.model !== null) break; // Evaluate runs the server connected in Watch mode, not one named here
      const m = ctx.models.getState();
      if (m.policy?.kind === 'remote') return shared(m.policy);
      const e = m.endpoint;
      if (!e.model) throw new Error('no OpenAI-compatible server is connected: connect one in Watch mode (Player, OpenAI-compatible server…)');
      if (e.hasKey) throw new Error('the server needs its API key: choose it as the Player in Watch mode once, then come back');
      return new OpenAIPolicy({ baseURL: e.baseURL, model: e.model, temperature: e.temperature, maxTokens: e.maxTokens });
    }
    case 'local': {
      if (spec.path !== null) break; // the local VLM loaded in Watch mode
      const p = ctx.models.getState().policy;
      if (p?.kind !== 'local') throw new Error('no local VLM is loaded: load one in Watch mode (Player, local transformers.js model), then come back');
      return shared(p);
    }
    case 'nano':
      if (spec.model === null) break;
      return WorkerNanoPolicy.load(`${ctx.base}${spec.model}/`, {
        ...runtimeLoadOptions(ctx.runtime),
        // fp32, as the CLI loads it: the same weights give the same greedy answers in Node and here.
        quant: 'fp32',
        sampling: { seed: ctx.seed },
      });
    case 'local-picked':
      break;
  }
  throw new Error(`unknown policy '${text}'; valid: ${valid}`);
}

export function createEvaluateStore(opts: EvaluateStoreOptions) {
  const { models } = opts;
  const base = opts.base ?? '/models/';
  const archive = opts.archive === undefined ? persistArchive : opts.archive;
  const makePolicy = opts.makePolicy ?? defaultMakePolicy;
  let controller: AbortController | null = null;

  return createStore<EvaluateState>()((set, get) => {
    const human = new EvalHumanPolicy((question) => set({ question }));
    const addToHistory = (r: EvaluationRecord) =>
      set({ history: [r, ...get().history.filter((h) => h.id !== r.id)].sort((a, b) => b.createdAt - a.createdAt) });

    return {
      ...DEFAULT_EVALUATE_SETTINGS,
      selected: [],
      status: 'idle',
      loadingWhat: null,
      progress: null,
      error: null,
      current: null,
      history: [],
      archiveError: null,
      question: null,
      backends: {},

      configure(patch) {
        if (get().status === 'running' || get().status === 'loading') return;
        const next = { ...patch };
        if (next.n !== undefined) next.n = clampInt(next.n, 1, 100_000);
        if (next.seed !== undefined) next.seed = clampInt(next.seed, 0, 0xffffffff);
        if (next.gamesPerPairing !== undefined) next.gamesPerPairing = clampInt(next.gamesPerPairing, 0, 1000);
        if (next.observationMode !== undefined && !SUPPORTED_OBSERVATION_MODES.includes(next.observationMode)) delete next.observationMode;
        // A set is a game's own: another game starts on its standard set; a set the game does not offer is refused.
        const game = next.game ?? get().game;
        if (next.game !== undefined && next.game !== get().game && next.set === undefined) next.set = {};
        if (next.set !== undefined && !heldOutSetChoices(game).some((c) => sameHeldOutSet(c.set, next.set as HeldOutSet))) delete next.set;
        // A record of the other game leaves the screen with its game.
        set({ ...next, ...(next.game && get().current && get().current?.game !== next.game ? { current: null } : {}) });
        // Bots that do not play the new game drop out of the selection.
        if (next.game)
          set({
            selected: get().selected.filter((s) =>
              get()
                .options()
                .some((o) => o.spec === s && o.unavailable === null),
            ),
          });
      },

      toggle(spec, on) {
        const has = get().selected.includes(spec);
        const want = on ?? !has;
        if (want === has) return;
        set({ selected: want ? [...get().selected, spec] : get().selected.filter((s) => s !== spec) });
      },

      options() {
        const { game } = get();
        const m = models.getState();
        // What cannot play the game (a model's config `games`, a bot's rules) is shown but cannot be ticked.
        const nanos = m.available.map((name): PolicyOption => ({
          spec: `nano:${name}`,
          label: `nano model: ${name}`,
          unavailable: unplayableReason(`nano:${name}`, game, m),
        }));
        const bots = BOT_NAMES.map((b): PolicyOption => ({ spec: `bot:${b}`, label: `${b} bot`, unavailable: unplayableReason(`bot:${b}`, game, m) }));
        const serverReady = m.policy?.kind === 'remote' || (m.endpoint.model !== '' && !m.endpoint.hasKey);
        const server: PolicyOption = {
          spec: 'openai',
          label: m.endpoint.model ? `server: ${m.endpoint.model}` : 'OpenAI-compatible server',
          unavailable: serverReady ? null : 'connect one in Watch mode first',
        };
        const local: PolicyOption =
          m.policy?.kind === 'local'
            ? { spec: 'local', label: `local VLM: ${m.policy.label}`, unavailable: null }
            : { spec: 'local', label: 'Local VLM (transformers.js)', unavailable: 'load one in Watch mode first' };
        return [...nanos, ...bots, server, local, { spec: 'human', label: 'You (answer the questions yourself)', unavailable: null }];
      },

      async run() {
        const s = get();
        if (s.status === 'running' || s.status === 'loading') return;
        const specs = orderSpecs(s.selected);
        if (specs.length === 0) return set({ status: 'error', error: 'Choose at least one policy to evaluate.' });
        controller = new AbortController();
        const signal = controller.signal;
        const policies: Policy[] = [];
        const owned: Policy[] = [];
        const backends: Record<string, string> = {};
        set({ status: 'loading', error: null, progress: null, current: null, question: null, backends });
        try {
          const ctx: MakePolicyContext = { seed: s.seed, runtime: models.getState().runtime, base, models, human };
          for (const spec of specs) {
            set({ loadingWhat: spec });
            let p: Policy;
            try {
              p = await makePolicy(spec, ctx);
            } catch (e) {
              throw new Error(`${spec}: ${(e as Error).message}`);
            }
            if (p !== human && !isShared(p)) owned.push(p);
            if (signal.aborted) throw new DOMException('stopped', 'AbortError');
            if (!p.games.includes(s.game)) throw new Error(`${p.id} plays ${p.games.join(', ')}, not ${s.game}; untick it or switch game`);
            if (p instanceof WorkerNanoPolicy) {
              const { quant, provider, fallbackReason } = p.loaded;
              backends[p.id] =
                `${quant} · ${provider === 'webgpu' ? 'WebGPU' : 'WASM'}${fallbackReason && ctx.runtime !== 'wasm' ? ` (WebGPU not used: ${fallbackReason})` : ''}`;
            }
            policies.push(paced(p));
          }
          set({ status: 'running', loadingWhat: null, backends: { ...backends } });
          const record = await runSuite(policies, {
            game: s.game,
            n: s.n,
            seed: s.seed,
            gamesPerPairing: s.gamesPerPairing,
            observationMode: s.observationMode,
            set: s.set,
            signal,
            onProgress: (progress) => set({ progress }),
            onPartial: (current) => set({ current }),
          });
          set({ status: 'done', current: record, question: null });
          addToHistory(record);
          if (archive) {
            try {
              await archive.save(record);
              set({ archiveError: null });
            } catch (e) {
              set({ archiveError: `Not saved: ${(e as Error).message}` });
            }
          }
        } catch (e) {
          const stopped = (e as Error).name === 'AbortError' || signal.aborted;
          set({ status: stopped ? 'stopped' : 'error', error: stopped ? null : (e as Error).message, loadingWhat: null, question: null });
        } finally {
          for (const p of owned) p.dispose?.();
          if (controller?.signal === signal) controller = null;
        }
      },

      stop() {
        controller?.abort();
      },

      answer(a) {
        return human.answer(a);
      },

      show(id) {
        const r = get().history.find((h) => h.id === id);
        if (r && get().status !== 'running' && get().status !== 'loading') set({ current: r, status: 'idle', progress: null, error: null });
      },

      async remove(id) {
        set({ history: get().history.filter((h) => h.id !== id), ...(get().current?.id === id ? { current: null } : {}) });
        try {
          await archive?.remove(id);
        } catch (e) {
          set({ archiveError: `Not deleted: ${(e as Error).message}` });
        }
      },

      async loadHistory() {
        if (!archive) return;
        try {
          const saved = await archive.list();
          const byId = new Map([...saved, ...get().history].map((r) => [r.id, r]));
          set({ history: [...byId.values()].sort((a, b) => b.createdAt - a.createdAt), archiveError: null });
        } catch (e) {
          set({ archiveError: `Saved evaluations could not be read: ${(e as Error).message}` });
        }
      },

      async importJsonl(text, fileName) {
        const parsed = parseJsonl(text, { fileName });
        const evals = parsed.records.filter((r): r is EvaluationRecord => r.type === 'evaluation');
        const errors = parsed.errors.map((e) => `line ${e.line}: ${e.message}`);
        for (const r of evals) {
          addToHistory(r);
          try {
            await archive?.save(r);
          } catch (e) {
            errors.push(`${r.id}: not saved (${(e as Error).message})`);
          }
        }
        if (evals[0] && get().status !== 'running' && get().status !== 'loading') set({ current: evals.at(-1)!, status: 'idle', progress: null, error: null });
        return { imported: evals.length, skipped: parsed.records.length - evals.length, errors };
      },

      exportJsonl() {
        const r = get().current;
        return r ? serializeJsonl([r]) : null;
      },
    };
  });
}

export type EvaluateStore = ReturnType<typeof createEvaluateStore>;

function clampInt(x: number, min: number, max: number): number {
  return Number.isFinite(x) ? Math.min(max, Math.max(min, Math.trunc(x))) : min;
}

const SHARED = new WeakSet<Policy>();
/** Marks a policy owned elsewhere (the models store's server policy): used, never disposed here. */
function shared(p: Policy): Policy {
  SHARED.add(p);
  return p;
}
function isShared(p: Policy): boolean {
  return SHARED.has(p);
}

/**
 * The policy, yielding to the page between steps: bots answer in microseconds, and a loop of resolved
 * promises alone would never let the browser paint or take a click (Stop) until the suite ended.
 */
function paced(p: Policy): Policy {
  let last = now();
  return {
    id: p.id,
    label: p.label,
    kind: p.kind,
    games: p.games,
    observe: (position) => p.observe(position),
    act: async (obs, o) => {
      if (now() - last > 30) {
        await yieldToPage();
        last = now();
      }
      const result = await p.act(obs, o);
      return result;
    },
  };
}

/** One turn of the event loop; a MessageChannel, not setTimeout, which background tabs slow to 1/s. */
function yieldToPage(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((r) => setTimeout(r, 0));
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());
