/**
 * Saved episodes and the storage behind them: the conversion between Watch mode's steps and the
 * EpisodeRecord contract (src/records/types.ts), the autosave that writes a watched game after every
 * step (so a reload loses nothing), and a small store for the library and the storage panel (list,
 * delete, export, import with a per-line report, usage, the last storage error in words).
 *
 * Images are not stored: a step's images re-render from its position with the episode's `render`
 * settings, which `detectRender` reads off the first watched step by re-rendering both candidates
 * (with and without axes) and keeping the one that equals the pixels the policy was given.
 */
import { createStore } from 'zustand/vanilla';
import { gameOf } from '../games/registry';
import { observe } from '../policy/observe';
import type { Observation } from '../policy/types';
import type { Raster } from '../render/raster';
import { parseJsonl, serializeJsonl, checkpointLine, type CheckpointLine, type JsonlError } from '../records/jsonl';
import { RECORD_VERSION, type AnyRecord, type EpisodeRecord, type EpisodeStep } from '../records/types';
import {
  deleteRecord,
  listRecords,
  listSummaries,
  summarize,
  type RecordSummary,
  loadCheckpoint,
  recordBytes,
  saveCheckpoint,
  saveRecord,
  storageSummary,
  type RecordType,
  type StorageSummary,
} from '../persist';
import type { WatchState, WatchStep, WatchStore } from './watch';

// ---- conversion ------------------------------------------------------------------------------------

export function toEpisodeStep(ws: WatchStep): EpisodeStep {
  const { prompt, images: _images, ...position } = ws.observation;
  const step: EpisodeStep = {
    index: ws.index,
    position: position as EpisodeStep['position'],
    prompt,
    text: ws.text,
    action: ws.action,
    applied: ws.applied,
    truth: ws.truth,
    reward: { ...ws.reward },
    timings: { ...ws.timings },
  };
  if (ws.opponentMove !== undefined) step.opponentMove = ws.opponentMove;
  if (ws.source) step.source = ws.source;
  return step;
}

const sameRaster = (a: Raster, b: Raster): boolean =>
  a.width === b.width && a.height === b.height && a.data.length === b.data.length && a.data.every((v, i) => v === b.data[i]);

const detected = new WeakMap<WatchStep, EpisodeRecord['render'] | null>();

/** The render settings that reproduce the step's images exactly; undefined when it has none or none match. */
export function detectRender(ws: WatchStep): EpisodeRecord['render'] {
  if (detected.has(ws)) return detected.get(ws) ?? undefined;
  const r = detectRenderUncached(ws);
  detected.set(ws, r ?? null);
  return r;
}

function detectRenderUncached(ws: WatchStep): EpisodeRecord['render'] {
  const first = ws.observation.images[0];
  if (!first) return undefined;
  const { prompt: _p, images: _i, ...position } = ws.observation;
  // A game drawn with axes (its export render says so: Snake) was drawn with them or without; others have none.
  for (const axes of gameOf(ws.observation.game).exportRender.axes !== undefined ? [true, false] : [undefined]) {
    const opts = { variant: 'full' as const, imageSize: first.width, ...(axes === undefined ? {} : { axes }) };
    const again = observe(position as Observation, opts).images[0];
    if (again && sameRaster(again, first)) return axes === undefined ? { imageSize: first.width } : { imageSize: first.width, axes };
  }
  return undefined;
}

/** The images the policy saw at a step, re-rendered (none in text-only mode). */
export function stepImages(record: Pick<EpisodeRecord, 'render' | 'observationMode'>, step: Pick<EpisodeStep, 'position' | 'render'>): Raster[] {
  if (record.observationMode === 'text') return [];
  const r = step.render ?? record.render ?? { imageSize: 320, axes: true };
  return observe(step.position, { variant: 'full', imageSize: r.imageSize, ...(r.axes === undefined ? {} : { axes: r.axes }) }).images;
}

/** Back to a Watch step (for a branch's history): the observation with its images re-rendered. */
export function toWatchStep(step: EpisodeStep, record: Pick<EpisodeRecord, 'render' | 'observationMode'>): WatchStep {
  const ws: WatchStep = {
    index: step.index,
    observation: { ...step.position, prompt: step.prompt, images: stepImages(record, step) } as Observation,
    text: step.text,
    action: step.action,
    applied: step.applied,
    truth: step.truth,
    reward: { ...step.reward },
    timings: { ...step.timings },
  };
  if (step.opponentMove !== undefined) ws.opponentMove = step.opponentMove;
  if (step.source === 'human') ws.source = 'human';
  // The re-rendered images carry this step's own render settings: keep them with the step.
  detected.set(ws, step.render ?? record.render ?? null);
  return ws;
}

export interface EpisodeMeta {
  id: string;
  createdAt: number;
  branchedFrom?: { id: string; step: number };
  note?: string;
  /** Overrides the render settings read off the steps. */
  render?: EpisodeRecord['render'];
}

/** One detection per policy and image size: a policy observes every position alike. */
const byPolicy = new WeakMap<object, Map<string, EpisodeRecord['render'] | null>>();

function renderOf(ws: WatchStep, policy: object | null): EpisodeRecord['render'] {
  if (detected.has(ws) || ws.source === 'human' || !policy) return detectRender(ws);
  const key = `${ws.observation.game}:${ws.observation.images[0]?.width}`;
  let seen = byPolicy.get(policy);
  if (!seen) byPolicy.set(policy, (seen = new Map()));
  if (!seen.has(key)) seen.set(key, detectRender(ws) ?? null);
  const r = seen.get(key) ?? undefined;
  detected.set(ws, r ?? null);
  return r;
}

/** The record of what a watch store holds now. */
export function watchEpisodeRecord(
  w: Pick<WatchState, 'game' | 'seed' | 'opponent' | 'observationMode' | 'policy' | 'steps' | 'result'>,
  meta: EpisodeMeta,
): EpisodeRecord {
  const record: EpisodeRecord = {
    type: 'episode',
    version: RECORD_VERSION,
    id: meta.id,
    createdAt: meta.createdAt,
    game: w.game,
    policy: w.policy?.id ?? 'unknown',
    seed: w.seed,
    observationMode: w.observationMode,
    steps: [],
    result: w.result,
  };
  if (gameOf(w.game).kind === 'env') record.opponent = w.opponent;
  const firstWatched = w.steps.find((s) => s.source !== 'human' && s.observation.images.length > 0) ?? w.steps[0];
  const render = meta.render ?? (firstWatched ? renderOf(firstWatched, w.policy) : undefined);
  if (render) record.render = render;
  const key = (r: EpisodeRecord['render']) => JSON.stringify(r ?? null);
  record.steps = w.steps.map((ws) => {
    const step = toEpisodeStep(ws);
    if (ws.observation.images.length > 0) {
      const own = renderOf(ws, w.policy);
      if (own && key(own) !== key(render)) step.render = own;
    }
    return step;
  });
  if (meta.branchedFrom) record.branchedFrom = meta.branchedFrom;
  if (meta.note) record.note = meta.note;
  return record;
}

let idCounter = 0;
/** A fresh id: time-ordered, unique within the page (no Math.random needed). */
export function newEpisodeId(now = Date.now()): string {
  return `ep-${now.toString(36)}-${(idCounter++).toString(36)}`;
}

// ---- the store -------------------------------------------------------------------------------------

export interface ImportReport {
  file: string;
  added: { episode: number; evaluation: number; run: number; checkpoint: number };
  lines: number;
  verlLines: number;
  errors: JsonlError[];
}

export interface EpisodesState {
  /** Saved episodes (their summaries: open one with getRecord), newest first. */
  episodes: RecordSummary[];
  loaded: boolean;
  summary: StorageSummary | null;
  /** The last storage failure, in words (a QuotaError's message says how to make room); null after a good save. */
  error: string | null;
  errorKind: 'quota' | 'unavailable' | 'failed' | null;
  lastImport: ImportReport | null;
  /** The last autosave: bytes written and how long the put took. */
  lastSave: { id: string; steps: number; bytes: number; ms: number } | null;

  refresh(): Promise<void>;
  save(record: AnyRecord): Promise<boolean>;
  remove(type: RecordType, id: string): Promise<void>;
  /** JSONL of the given records of a type (all when ids is omitted); runs with their checkpoints when asked. */
  exportJsonl(type: RecordType, ids?: string[], opts?: { checkpoints?: boolean }): Promise<string>;
  importJsonl(text: string, fileName: string): Promise<ImportReport>;
  clearError(): void;
}

export function createEpisodesStore() {
  return createStore<EpisodesState>()((set, get) => {
    const fail = (e: unknown) => {
      const err = e as { message?: string; kind?: EpisodesState['errorKind'] };
      set({ error: err.message ?? String(e), errorKind: err.kind ?? 'failed' });
    };
    return {
      episodes: [],
      loaded: false,
      summary: null,
      error: null,
      errorKind: null,
      lastImport: null,
      lastSave: null,

      async refresh() {
        try {
          const [episodes, summary] = await Promise.all([listSummaries('episode'), storageSummary()]);
          set({ episodes: episodes.reverse(), summary, loaded: true });
        } catch (e) {
          set({ loaded: true });
          fail(e);
        }
      },

      async save(record) {
        const t0 = now();
        try {
          await saveRecord(record);
        } catch (e) {
          fail(e);
          return false;
        }
        const ms = now() - t0;
        const bytes = recordBytes(record);
        const patch: Partial<EpisodesState> = { error: null, errorKind: null };
        const summary = get().summary;
        const old = record.type === 'episode' ? get().episodes.find((r) => r.id === record.id) : undefined;
        if (summary) {
          // Keep the panel's counts current without re-reading the store on every step.
          const t = summary.types[record.type];
          const types = {
            ...summary.types,
            [record.type]: { count: t.count + (old || record.type !== 'episode' ? 0 : 1), bytes: t.bytes + bytes - (old?.bytes ?? 0) },
          };
          patch.summary = { ...summary, types };
        }
        if (record.type === 'episode') {
          const rest = get().episodes.filter((r) => r.id !== record.id);
          patch.episodes = [summarize(record), ...rest].sort((a, b) => b.createdAt - a.createdAt);
          patch.lastSave = { id: record.id, steps: record.steps.length, bytes, ms };
        }
        set(patch);
        return true;
      },

      async remove(type, id) {
        try {
          await deleteRecord(type, id);
        } catch (e) {
          fail(e);
        }
        if (type === 'episode') set({ episodes: get().episodes.filter((r) => r.id !== id) });
        await get().refresh();
      },

      async exportJsonl(type, ids, opts = {}) {
        const all = await listRecords(type);
        const chosen = ids ? all.filter((r) => ids.includes(r.id)) : all;
        const lines: (AnyRecord | CheckpointLine)[] = [...chosen];
        if (type === 'run' && opts.checkpoints) {
          for (const run of chosen) {
            for (const c of run.type === 'run' ? run.checkpoints : []) {
              const bytes = await loadCheckpoint(c.key);
              if (bytes) lines.push(checkpointLine(c.key, bytes));
            }
          }
        }
        return serializeJsonl(lines);
      },

      async importJsonl(text, fileName) {
        const parsed = parseJsonl(text, { fileName, now: Date.now() });
        const report: ImportReport = {
          file: fileName,
          added: { episode: 0, evaluation: 0, run: 0, checkpoint: 0 },
          lines: parsed.lines,
          verlLines: parsed.verlLines,
          errors: [...parsed.errors],
        };
        for (const c of parsed.checkpoints) {
          try {
            await saveCheckpoint(c.key, c.bytes);
            report.added.checkpoint++;
          } catch (e) {
            fail(e);
            report.errors.push({ line: 0, message: (e as Error).message });
            break;
          }
        }
        for (const r of parsed.records) {
          try {
            await saveRecord(r);
            report.added[r.type]++;
          } catch (e) {
            fail(e);
            report.errors.push({ line: 0, message: (e as Error).message });
            break; // a full store will refuse the rest too
          }
        }
        set({ lastImport: report });
        await get().refresh();
        return report;
      },

      clearError() {
        set({ error: null, errorKind: null });
      },
    };
  });
}

export type EpisodesStore = ReturnType<typeof createEpisodesStore>;

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

// ---- autosave --------------------------------------------------------------------------------------

export interface AutosaveOptions {
  /** Keep one id for the store's whole life (a branch: its resets rewrite the same episode). */
  meta?: EpisodeMeta;
  /** Told which episode is being written (the explorer marks it live), and null when the store starts over with no step yet. */
  onEpisode?: (meta: EpisodeMeta | null) => void;
}

/**
 * Saves the watch store's episode after every finished step. A new episode (new id) begins when the
 * steps start over (reset, new seed, new policy), unless `meta` fixes the id. Saves never overlap: while
 * one is in flight only the latest state waits. Returns the unsubscribe function.
 */
export function attachAutosave(watch: WatchStore, episodes: EpisodesStore, opts: AutosaveOptions = {}): () => void {
  let meta: EpisodeMeta | null = opts.meta ?? null;
  let firstStep: WatchStep | null = null;
  let saving = false;
  let pending: EpisodeRecord | null = null;

  const flush = async () => {
    if (saving) return;
    saving = true;
    while (pending) {
      const record = pending;
      pending = null;
      await episodes.getState().save(record);
    }
    saving = false;
  };

  const unsubscribe = watch.subscribe((s, prev) => {
    if (s.steps === prev.steps) return;
    if (s.steps.length === 0) {
      // Started over (restart, another game or seed): the saved episode is no longer the live one.
      if (prev.steps.length > 0 && !opts.meta) opts.onEpisode?.(null);
      return;
    }
    if (!opts.meta && (s.steps[0] !== firstStep || s.steps.length < prev.steps.length)) {
      meta = { id: newEpisodeId(), createdAt: Date.now() };
    }
    firstStep = s.steps[0] ?? null;
    if (!meta) meta = { id: newEpisodeId(), createdAt: Date.now() };
    opts.onEpisode?.(meta);
    pending = watchEpisodeRecord(s, meta);
    void flush();
  });
  return unsubscribe;
}
