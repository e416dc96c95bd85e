/**
 * Train mode: one RL run at a time in a worker (workers/trainClient.ts), its settings, status, metrics
 * rows, the latest step's groups, the selected sample, and saved checkpoints. The run is kept as a
 * RunRecord in IndexedDB (src/persist) after every step, and checkpoints' weights under their keys, so a
 * reload keeps the curves and the saved weights (the worker itself does not survive a reload).
 *
 * Pure parts (reduceMessage, metricSeries, runRecordOf, checkpointName) are exported for tests; the
 * store wires them to the worker, persistence and the models store.
 */
import { createStore } from 'zustand/vanilla';
import { validateConfig, type ModelConfig } from '../model/config';
import { modelFolderFiles, paramsFromSafetensors } from '../model/export';
import { MODEL_FILES } from '../model/files';
import { RL_PRESETS, type RlPreset } from '../train/rlPresets';
import { Tokenizer } from '../model/tokenizer';
import type { MetricsRow, RunRecord } from '../records/types';
import { RECORD_VERSION } from '../records/types';
import type { RlGroupView } from '../train/rl';
import type { NanoModelBytes } from '../workers/protocol';
import type { StartRun, TrainRunner } from '../workers/trainClient';
import type { FromTrainWorker, TrainBackendInfo, TrainCheckpoint, TrainSettings } from '../workers/trainProtocol';

export type TrainStatus = 'idle' | 'loading' | 'running' | 'paused' | 'stopped' | 'done' | 'error';
export type HeatMode = 'logprob' | 'advantage';

/** Train mode starts on the demo preset (train/rlPresets.ts): answer-only RL that shows a rise in minutes. */
const DEMO = RL_PRESETS.demo as RlPreset;
export const DEFAULT_TRAIN_SETTINGS: TrainSettings = {
  model: DEMO.model,
  game: 'snake',
  algo: 'rloo',
  steps: DEMO.steps,
  prompts: DEMO.prompts,
  groupSize: DEMO.group,
  lr: DEMO.lr,
  maxNewTokens: 256,
  temperature: DEMO.temperature,
  klCoef: 0,
  seed: 1,
  backend: 'auto',
  evalEvery: DEMO.evalEvery,
  evalN: DEMO.evalN,
  focusScan: 0,
  answerOnly: DEMO.answerOnly,
  answerGradient: DEMO.answerGradient,
  trainable: DEMO.trainable,
};

/** A saved checkpoint of the run: its weights live in IndexedDB under `key`. */
export interface CheckpointMeta {
  step: number;
  key: string;
  bytes: number;
}

export interface TrainData {
  settings: TrainSettings;
  status: TrainStatus;
  /** What the worker is doing (loading phases), or why the run ended. */
  message: string | null;
  error: string | null;
  backend: TrainBackendInfo | null;
  runId: string | null;
  createdAt: number;
  /** One row per completed step (TRL/verl metric names). */
  metrics: MetricsRow[];
  /** Held-out evaluations so far (step = steps completed before it), and the one running. */
  evals: RunRecord['evals'];
  evaluating: { step: number; done: number; total: number } | null;
  /** The focus scan while it runs, and what it kept (null: no focus, or not yet). */
  scanning: { done: number; total: number } | null;
  focus: { kept: number; scanned: number; mix: number } | null;
  /** The latest step's groups, and its step number. */
  groups: RlGroupView[];
  groupsStep: number | null;
  /** Why the latest step left the weights unchanged, if it did. */
  skipped: string | null;
  selected: { group: number; sample: number } | null;
  heat: HeatMode;
  checkpoints: CheckpointMeta[];
  saving: boolean;
  /** A persistence problem (quota...), said in words; the run goes on. */
  storageError: string | null;
  /** Started at (ms) of the running step, for the elapsed clock. */
  stepStartedAt: number | null;
}

export interface TrainActions {
  setSettings(patch: Partial<TrainSettings>): void;
  start(): void;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Saves the current weights as a checkpoint (IndexedDB) and returns it. */
  save(): Promise<CheckpointMeta | null>;
  select(group: number, sample: number): void;
  setHeat(mode: HeatMode): void;
  /** The model folder of a checkpoint (config, tokenizer, ONNX fp32 + q4, safetensors, card). */
  folderFiles(key: string): Promise<{ name: string; files: Map<string, Uint8Array> }>;
  /** Loads a checkpoint into the models store as the watched player. */
  watch(key: string): Promise<void>;
  /**
   * The model a Watch link's `nano:NAME` names when NAME is a checkpoint saved in this browser (any run
   * in IndexedDB, newest first), or undefined when none is: what makes such a link survive a reload.
   */
  savedModel(name: string): Promise<NanoModelBytes | undefined>;
  /** Reopens the latest saved RL run (after a reload). */
  restore(): Promise<void>;
}

export type TrainState = TrainData & TrainActions;

/** What the store needs from persistence (src/persist in the app; memory in tests). */
export interface TrainPersistence {
  saveRun(run: RunRecord): Promise<void>;
  saveCheckpoint(key: string, bytes: Uint8Array): Promise<void>;
  loadCheckpoint(key: string): Promise<Uint8Array | undefined>;
  listRecords(type: 'run'): Promise<RunRecord[]>;
}

export interface TrainStoreOptions {
  startRun: StartRun;
  persist: TrainPersistence;
  /** Where the watched model goes (the app's models store). */
  playModelBytes?: (name: string, bytes: NanoModelBytes) => Promise<void>;
  /** Model folders' base URL (default '/models/'). */
  base?: string;
  fetchFn?: typeof fetch;
  now?: () => number;
}

// ---------------------------------------------------------------------------------------------------
// Pure parts
// ---------------------------------------------------------------------------------------------------

/** The state change one worker message makes. */
export function reduceMessage(s: TrainData, msg: FromTrainWorker, now: number): Partial<TrainData> {
  switch (msg.type) {
    case 'status': {
      const status: TrainStatus = msg.status;
      const message = msg.message ?? (status === 'done' ? `finished ${msg.step} steps` : status === 'stopped' ? `stopped after ${msg.step} steps` : null);
      return { status, message, stepStartedAt: status === 'running' ? now : null, ...(status === 'running' ? {} : { evaluating: null, scanning: null }) };
    }
    case 'backend': {
      const { type: _t, ...info } = msg;
      return { backend: info };
    }
    case 'step': {
      const row: MetricsRow = { ...msg.metrics };
      const metrics = [...s.metrics.filter((r) => r.step !== row.step), row].sort((a, b) => a.step - b.step);
      // Keep the selection when the new groups have that sample, else select nothing.
      const sel = s.selected && msg.groups[s.selected.group]?.samples[s.selected.sample] ? s.selected : null;
      return { metrics, groups: msg.groups, groupsStep: row.step, skipped: msg.skipped, selected: sel };
    }
    case 'scan-progress':
      return { scanning: { done: msg.done, total: msg.total } };
    case 'focus':
      return { focus: { kept: msg.kept, scanned: msg.scanned, mix: msg.mix }, scanning: null };
    case 'eval-progress':
      return { evaluating: { step: msg.step, done: msg.done, total: msg.total } };
    case 'eval':
      return {
        evals: [...s.evals.filter((e) => e.step !== msg.step), { step: msg.step, report: msg.report, elapsed: msg.elapsed }].sort((a, b) => a.step - b.step),
        evaluating: null,
      };
    case 'error':
      return { status: 'error', error: msg.message, stepStartedAt: null, evaluating: null, scanning: null };
    case 'checkpoint':
      return {};
  }
}

/** The charts' x axis: steps done, or seconds since Start (`elapsed_s` of a row). */
export type ChartAxis = 'step' | 'time';

/**
 * One metric along the x axis, aligned with `steps` (the x values; null where a row lacks the metric:
 * uPlot leaves a gap). On the time axis, rows without `elapsed_s` (runs saved before it) are left out.
 */
export function metricSeries(rows: readonly MetricsRow[], key: string, axis: ChartAxis = 'step'): { steps: number[]; values: (number | null)[] } {
  const kept = axis === 'time' ? rows.filter((r) => typeof r.elapsed_s === 'number') : rows;
  return {
    steps: kept.map((r) => (axis === 'time' ? Math.round((r.elapsed_s as number) * 10) / 10 : r.step + 1)),
    values: kept.map((r) => (typeof r[key] === 'number' && Number.isFinite(r[key]) ? (r[key] as number) : null)),
  };
}

/** The run as the shared record (src/records/types.ts). */
export function runRecordOf(s: TrainData): RunRecord {
  const status: RunRecord['status'] =
    s.status === 'error' ? 'error' : s.status === 'done' ? 'done' : s.status === 'paused' ? 'paused' : s.status === 'stopped' ? 'stopped' : 'running';
  const { model, ...rest } = s.settings;
  return {
    type: 'run',
    version: RECORD_VERSION,
    id: s.runId ?? 'run',
    createdAt: s.createdAt,
    kind: s.settings.algo,
    game: s.settings.game,
    init: model,
    settings: { ...rest, source: 'app' },
    metrics: s.metrics,
    evals: s.evals,
    status,
    checkpoints: s.checkpoints,
    // What the view shows after a reload (Backend, Prompts), not just the curves.
    ...(s.backend ? { backend: s.backend } : {}),
    ...(s.focus ? { focus: s.focus } : {}),
  };
}

/** The name a checkpoint's model folder gets: '<init without -sft or -rl>-rl-step<N>'. */
export function checkpointName(init: string, step: number): string {
  return `${init.replace(/-(sft|rl)$/, '')}-rl-step${step}`;
}

/** A model folder's files as the bytes the nano worker loads. */
function nanoBytesOf(name: string, files: Map<string, Uint8Array>): NanoModelBytes {
  const dec = new TextDecoder();
  return {
    config: dec.decode(files.get(MODEL_FILES.config)),
    tokenizer: dec.decode(files.get(MODEL_FILES.tokenizer)),
    model: files.get(MODEL_FILES.onnx) as Uint8Array,
    modelName: `${name}/${MODEL_FILES.onnx}`,
  };
}

/** Settings of a saved run, over the defaults (anything unknown or malformed is left at its default). */
export function settingsOf(run: RunRecord): TrainSettings {
  const s = { ...DEFAULT_TRAIN_SETTINGS, model: run.init, game: run.game, algo: run.kind === 'grpo' ? 'grpo' : 'rloo' } as TrainSettings;
  const numbers = ['steps', 'prompts', 'groupSize', 'lr', 'maxNewTokens', 'temperature', 'klCoef', 'seed', 'evalEvery', 'evalN', 'focusScan'] as const;
  for (const k of numbers) if (typeof run.settings[k] === 'number') s[k] = run.settings[k] as number;
  if (run.settings.backend === 'wasm') s.backend = 'wasm';
  // Runs saved before answer-only existed sampled whole traces.
  s.answerOnly = run.settings.answerOnly === true;
  // Runs saved before these settings existed sampled their answers and trained every parameter.
  s.answerGradient = run.settings.answerGradient === 'exact' ? 'exact' : 'sampled';
  s.trainable = run.settings.trainable === 'top' ? 'top' : 'all';
  return s;
}

const initialData = (): TrainData => ({
  settings: DEFAULT_TRAIN_SETTINGS,
  status: 'idle',
  message: null,
  error: null,
  backend: null,
  runId: null,
  createdAt: 0,
  metrics: [],
  evals: [],
  evaluating: null,
  scanning: null,
  focus: null,
  groups: [],
  groupsStep: null,
  skipped: null,
  selected: null,
  heat: 'logprob',
  checkpoints: [],
  saving: false,
  storageError: null,
  stepStartedAt: null,
});

// ---------------------------------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------------------------------

export function createTrainStore(opts: TrainStoreOptions) {
  const base = opts.base ?? '/models/';
  const now = opts.now ?? (() => Date.now());
  const fetchFn = opts.fetchFn ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  let runner: TrainRunner | null = null;
  // Checkpoint key -> config/tokenizer texts and weights (this tab); a restored run reads them back.
  const cache = new Map<string, TrainCheckpoint>();

  return createStore<TrainState>()((set, get) => {
    // Only a later successful run save clears a run-save error (a checkpoint's error stays said).
    let runSaveFailed = false;
    /** Writes the run record of `data` (default: the state now). */
    const persistRun = async (data: TrainData = get()): Promise<void> => {
      if (!data.runId) return;
      try {
        await opts.persist.saveRun(runRecordOf(data));
        if (runSaveFailed) set({ storageError: null });
        runSaveFailed = false;
      } catch (e) {
        runSaveFailed = true;
        set({ storageError: (e as Error).message });
      }
    };

    const onMessage = (msg: FromTrainWorker): void => {
      set(reduceMessage(get(), msg, now()));
      if (msg.type === 'step' || (msg.type === 'status' && msg.status !== 'running' && msg.status !== 'loading') || msg.type === 'error') void persistRun();
    };

    /** A checkpoint's weights (this tab's cache, else IndexedDB) with its starting model's config and tokenizer. */
    const checkpointOf = async (key: string, init = get().settings.model, step?: number): Promise<TrainCheckpoint> => {
      const hit = cache.get(key);
      if (hit) return hit;
      const atStep = step ?? get().checkpoints.find((c) => c.key === key)?.step;
      if (atStep === undefined) throw new Error(`no checkpoint ${key} in this run`);
      const bytes = await opts.persist.loadCheckpoint(key);
      if (!bytes) throw new Error(`the checkpoint ${key} is no longer in this browser's storage`);
      // The config and tokenizer are the starting model's (RL changes only the weights).
      const folder = `${base}${init}/`;
      const text = async (file: string): Promise<string> => {
        const res = await fetchFn(folder + file);
        if (!res.ok) throw new Error(`${folder}${file}: HTTP ${res.status} (the run's starting model is needed to rebuild its checkpoints)`);
        return res.text();
      };
      const ck: TrainCheckpoint = { step: atStep, safetensors: bytes, config: await text(MODEL_FILES.config), tokenizer: await text(MODEL_FILES.tokenizer) };
      cache.set(key, ck);
      return ck;
    };

    /** The model folder of a checkpoint of a run that started from `init`. */
    const folderOf = (ck: TrainCheckpoint, init: string, algo: string): { name: string; files: Map<string, Uint8Array> } => {
      const original = validateConfig(JSON.parse(ck.config));
      const name = checkpointName(init, ck.step);
      const config: ModelConfig = { ...original, name };
      const params = paramsFromSafetensors(original, ck.safetensors);
      const files = modelFolderFiles({
        config,
        params,
        tokenizer: Tokenizer.fromJSON(ck.tokenizer),
        card: { description: `RL checkpoint of ${init} after ${ck.step} ${algo.toUpperCase()} steps in the ViGaL Playground's Train view.`, steps: ck.step },
      });
      return { name, files };
    };

    return {
      ...initialData(),

      setSettings(patch) {
        set({ settings: { ...get().settings, ...patch } });
      },

      start() {
        const s = get();
        if (s.status === 'loading' || s.status === 'running' || s.status === 'paused') return;
        runner?.dispose();
        const createdAt = now();
        const runId = `rl-${new Date(createdAt).toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${Math.floor(createdAt % 1000)}`;
        set({ ...initialData(), settings: s.settings, heat: s.heat, status: 'loading', message: 'starting the training worker', runId, createdAt });
        const mine = opts.startRun(s.settings, `${base}${s.settings.model}/`, {
          message: (msg) => runner === mine && onMessage(msg),
          crash: (reason) => {
            if (runner !== mine) return;
            set({ status: 'error', error: reason, stepStartedAt: null });
            void persistRun();
          },
        });
        runner = mine;
        void persistRun();
      },

      pause() {
        if (get().status === 'running' || get().status === 'loading') {
          runner?.pause();
          set({ message: 'pausing after this step' });
        }
      },

      resume() {
        if (get().status === 'paused' || get().message === 'pausing after this step') {
          runner?.resume();
          set({ message: null });
        }
      },

      stop() {
        const st = get().status;
        if (st === 'running' || st === 'paused' || st === 'loading') {
          runner?.stop();
          set({ message: 'stopping' });
        }
      },

      async save() {
        if (!runner || get().saving) return null;
        set({ saving: true });
        try {
          const ck = await runner.save();
          const key = `${get().runId}/step-${ck.step}`;
          cache.set(key, ck);
          const meta: CheckpointMeta = { step: ck.step, key, bytes: ck.safetensors.byteLength };
          // Stored before it is listed: the weights, then the run record naming them, so a checkpoint on
          // show survives a reload at once (it was listed while both writes were still under way).
          try {
            await opts.persist.saveCheckpoint(key, ck.safetensors);
          } catch (e) {
            set({ storageError: `${(e as Error).message} (the checkpoint stays available in this tab)` });
          }
          const checkpoints = [...get().checkpoints.filter((c) => c.key !== key), meta];
          await persistRun({ ...get(), checkpoints });
          set({ checkpoints });
          // A step's record written meanwhile did not name it yet: write once more from the state now.
          await persistRun();
          return meta;
        } catch (e) {
          set({ error: `saving failed: ${(e as Error).message}` });
          return null;
        } finally {
          set({ saving: false });
        }
      },

      select(group, sample) {
        set({ selected: { group, sample } });
      },

      setHeat(mode) {
        set({ heat: mode });
      },

      async folderFiles(key) {
        return folderOf(await checkpointOf(key), get().settings.model, get().settings.algo);
      },

      async watch(key) {
        if (!opts.playModelBytes) throw new Error('no models store to watch the checkpoint with');
        const { name, files } = await get().folderFiles(key);
        await opts.playModelBytes(name, nanoBytesOf(name, files));
      },

      async savedModel(name) {
        // Newest run first: its checkpoint is the one a fresh "Watch it" link names.
        const runs = (await opts.persist.listRecords('run')).sort((a, b) => b.createdAt - a.createdAt);
        for (const run of runs) {
          const meta = run.checkpoints.find((c) => checkpointName(run.init, c.step) === name);
          if (!meta) continue;
          const ck = await checkpointOf(meta.key, run.init, meta.step);
          return nanoBytesOf(name, folderOf(ck, run.init, run.kind).files);
        }
        return undefined;
      },

      async restore() {
        if (get().runId) return;
        try {
          const runs = (await opts.persist.listRecords('run')).filter((r) => r.kind !== 'sft' && r.settings.source === 'app');
          const run = runs.sort((a, b) => a.createdAt - b.createdAt).at(-1);
          if (!run || get().runId) return;
          const wasLive = run.status === 'running' || run.status === 'paused';
          set({
            settings: settingsOf(run),
            runId: run.id,
            createdAt: run.createdAt,
            metrics: run.metrics,
            evals: run.evals,
            checkpoints: run.checkpoints,
            backend: run.backend ?? null,
            focus: run.focus ?? null,
            status: run.status === 'error' ? 'error' : run.status === 'done' ? 'done' : 'stopped',
            message: wasLive ? 'the page was reloaded: this run stopped; its curves and saved checkpoints are kept' : null,
          });
        } catch (e) {
          set({ storageError: (e as Error).message });
        }
      },
    };
  });
}

export type TrainStore = ReturnType<typeof createTrainStore>;
