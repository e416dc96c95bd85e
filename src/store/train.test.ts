import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../model/config';
import { paramsToSafetensors } from '../model/export';
import { initParams } from '../train/model';
import { defaultTokenizer } from '../model/tokenizer';
import { Rng } from '../util/rng';
import type { MetricsRow, RunRecord } from '../records/types';
import type { RlGroupView } from '../train/rl';
import type { TrainEvents, TrainRunner } from '../workers/trainClient';
import type { TrainCheckpoint, TrainSettings } from '../workers/trainProtocol';
import type { EvalReport } from '../rl/evaluate';
import {
  checkpointName,
  createTrainStore,
  DEFAULT_TRAIN_SETTINGS,
  metricSeries,
  reduceMessage,
  runRecordOf,
  settingsOf,
  type TrainData,
  type TrainPersistence,
} from './train';

const group = (adv: number[]): RlGroupView => ({
  promptId: 'snake/train/1',
  prompt: 'p',
  samples: adv.map((a) => ({
    text: 't',
    reward: { format: 0.1, accuracy: a > 0 ? 1 : 0, overall: a > 0 ? 1.1 : 0.1 },
    advantage: a,
    pieces: ['<think>'],
    logprobs: [-0.5],
    stopReason: 'eos',
  })),
});

/** A store wired to a fake worker and memory persistence; `events` drives it as the worker would. */
function setup(opts: { failSave?: boolean } = {}) {
  const runs = new Map<string, RunRecord>();
  const bytes = new Map<string, Uint8Array>();
  const persist: TrainPersistence = {
    saveRun: async (r) => void runs.set(r.id, structuredClone(r)),
    saveCheckpoint: async (k, b) => {
      if (opts.failSave) throw new Error('The browser storage is full');
      bytes.set(k, b);
    },
    loadCheckpoint: async (k) => bytes.get(k),
    listRecords: async () => [...runs.values()],
  };
  const calls: string[] = [];
  let events: TrainEvents | null = null;
  let started: TrainSettings | null = null;
  const checkpoint = (step: number): TrainCheckpoint => {
    const params = initParams(TINY_CONFIG, new Rng(1));
    return {
      step,
      safetensors: paramsToSafetensors(TINY_CONFIG, new Map(Object.entries(params))),
      config: JSON.stringify(TINY_CONFIG),
      tokenizer: defaultTokenizer().toString(),
    };
  };
  let stepNow = 0;
  const runner: TrainRunner = {
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
    stop: () => calls.push('stop'),
    save: async () => checkpoint(stepNow),
    dispose: () => calls.push('dispose'),
  };
  const played: string[] = [];
  const store = createTrainStore({
    startRun: (settings, _url, ev) => {
      started = settings;
      events = ev;
      return runner;
    },
    persist,
    playModelBytes: async (name, b) => void played.push(`${name}:${b.model.length > 0}`),
    now: () => 1_700_000_000_000,
  });
  return { store, runs, bytes, calls, played, events: () => events as TrainEvents, started: () => started, setStep: (s: number) => (stepNow = s) };
}

const TINY_CONFIG = { ...DEFAULT_CONFIG, name: 'tiny', dModel: 16, nLayer: 1, nHead: 2, dFF: 32 };

const base = (): TrainData => ({
  settings: DEFAULT_TRAIN_SETTINGS,
  status: 'running',
  message: null,
  error: null,
  backend: null,
  runId: 'r',
  createdAt: 1,
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

describe('reduceMessage', () => {
  it('appends step rows in step order, replacing a repeated step, and keeps the latest groups', () => {
    let s = base();
    for (const step of [0, 1, 1])
      s = { ...s, ...reduceMessage(s, { type: 'step', metrics: { step, reward: step }, groups: [group([1, -1])], skipped: null }, 0) };
    expect(s.metrics.map((r) => r.step)).toEqual([0, 1]);
    expect(s.groupsStep).toBe(1);
    expect(s.groups).toHaveLength(1);
  });

  it('keeps the selection only while the new groups have that sample', () => {
    const s = { ...base(), selected: { group: 0, sample: 2 } };
    expect(reduceMessage(s, { type: 'step', metrics: { step: 0 }, groups: [group([1, -1, 0])], skipped: null }, 0).selected).toEqual({ group: 0, sample: 2 });
    expect(reduceMessage(s, { type: 'step', metrics: { step: 0 }, groups: [group([1, -1])], skipped: null }, 0).selected).toBeNull();
  });

  it.each([
    // [worker status, step, store status, message]
    ['running', 0, 'running', null],
    ['done', 3, 'done', 'finished 3 steps'],
    ['stopped', 2, 'stopped', 'stopped after 2 steps'],
  ] as const)('status %s at step %d -> %s', (status, step, expected, message) => {
    const r = reduceMessage(base(), { type: 'status', status, step }, 42);
    expect(r.status).toBe(expected);
    expect(r.message).toBe(message);
    expect(r.stepStartedAt).toBe(status === 'running' ? 42 : null);
  });

  it('held-out evaluations: progress while one runs, then its report in step order (a repeat replaces)', () => {
    const report = (accuracy: number): EvalReport => ({
      game: 'snake',
      policy: 'nano:x',
      n: 4,
      seed: 1000,
      accuracy,
      format_rate: 1,
      mean_reward: accuracy + 0.1,
      seconds: 1,
    });
    let s = base();
    s = { ...s, ...reduceMessage(s, { type: 'eval-progress', step: 0, done: 1, total: 4 }, 0) };
    expect(s.evaluating).toEqual({ step: 0, done: 1, total: 4 });
    for (const [step, acc] of [
      [5, 0.75],
      [0, 0.5],
      [5, 1],
    ] as const)
      s = { ...s, ...reduceMessage(s, { type: 'eval', step, report: report(acc), elapsed: step * 2 }, 0) };
    expect(s.evals.map((e) => [e.step, e.report.accuracy, e.elapsed])).toEqual([
      [0, 0.5, 0],
      [5, 1, 10],
    ]);
    expect(s.evaluating).toBeNull();
    // Stopping mid-evaluation clears the progress; the reports stay.
    s = { ...s, ...reduceMessage({ ...s, evaluating: { step: 10, done: 2, total: 4 } }, { type: 'status', status: 'stopped', step: 10 }, 0) };
    expect(s.evaluating).toBeNull();
    expect(s.evals).toHaveLength(2);
    expect(runRecordOf(s).evals).toEqual(s.evals);
  });

  it('the focus scan: progress while it runs, then what it kept; a stop mid-scan clears the progress', () => {
    let s = base();
    s = { ...s, ...reduceMessage(s, { type: 'scan-progress', done: 3, total: 40 }, 0) };
    expect(s.scanning).toEqual({ done: 3, total: 40 });
    expect({ ...s, ...reduceMessage(s, { type: 'status', status: 'stopped', step: 0 }, 0) }.scanning).toBeNull();
    s = { ...s, ...reduceMessage(s, { type: 'focus', kept: 14, scanned: 40, mix: 0.25 }, 0) };
    expect(s.scanning).toBeNull();
    expect(s.focus).toEqual({ kept: 14, scanned: 40, mix: 0.25 });
    // The setting travels with the run record and comes back with it.
    const saved = runRecordOf({ ...s, settings: { ...s.settings, focusScan: 40 } });
    expect(settingsOf(saved).focusScan).toBe(40);
  });

  it('an error keeps the metrics received so far', () => {
    const s = { ...base(), metrics: [{ step: 0, reward: 0.5 }] };
    const next = { ...s, ...reduceMessage(s, { type: 'error', message: 'WebGPU device lost' }, 0) };
    expect(next.status).toBe('error');
    expect(next.error).toBe('WebGPU device lost');
    expect(next.metrics).toEqual([{ step: 0, reward: 0.5 }]);
  });
});

describe('metric series and records', () => {
  it('aligns each metric with the steps (counted from 1), with gaps where a row lacks it', () => {
    const rows: MetricsRow[] = [{ step: 0, kl: 0.1 }, { step: 1 }, { step: 2, kl: Number.NaN }, { step: 3, kl: 0.3 }];
    expect(metricSeries(rows, 'kl')).toEqual({ steps: [1, 2, 3, 4], values: [0.1, null, null, 0.3] });
  });

  it('on the time axis, x is the seconds since Start, and rows without a time are left out', () => {
    const rows: MetricsRow[] = [
      { step: 0, kl: 0.1, elapsed_s: 12.34 },
      { step: 1, kl: 0.2 },
      { step: 2, kl: 0.3, elapsed_s: 20.06 },
    ];
    expect(metricSeries(rows, 'kl', 'time')).toEqual({ steps: [12.3, 20.1], values: [0.1, 0.3] });
  });

  it('writes the run as the shared RunRecord and reads its settings back', () => {
    const s: TrainData = {
      ...base(),
      status: 'paused',
      settings: { ...DEFAULT_TRAIN_SETTINGS, algo: 'grpo', groupSize: 3, backend: 'wasm', evalEvery: 0, evalN: 20 },
      metrics: [{ step: 0, reward: 1 }],
    };
    const r = runRecordOf(s);
    expect(r).toMatchObject({ type: 'run', version: 1, id: 'r', kind: 'grpo', game: 'snake', init: DEFAULT_TRAIN_SETTINGS.model, status: 'paused', evals: [] });
    expect(r.settings).toMatchObject({ groupSize: 3, backend: 'wasm', source: 'app' });
    expect(settingsOf(r)).toEqual(s.settings);
  });

  it('names checkpoints after the start model', () => {
    expect(checkpointName('vigal-nano-snake-sft', 4)).toBe('vigal-nano-snake-rl-step4');
    expect(checkpointName('my-model', 0)).toBe('my-model-rl-step0');
    // RL from an RL model (the demo's start) does not stack the suffix.
    expect(checkpointName('vigal-nano-snake-rl', 7)).toBe('vigal-nano-snake-rl-step7');
  });
});

describe('the train store', () => {
  it('runs: start, streamed steps persisted, pause/resume/stop go to the worker', async () => {
    const t = setup();
    const st = t.store.getState();
    st.setSettings({ groupSize: 3, steps: 2 });
    st.start();
    expect(t.store.getState().status).toBe('loading');
    expect(t.started()?.groupSize).toBe(3);
    t.events().message({
      type: 'backend',
      trainer: 'wasm',
      trainerFallback: 'no adapter',
      adapter: null,
      rollout: 'wasm',
      rolloutFallback: 'no adapter',
      poolSize: 10,
    });
    t.events().message({ type: 'status', status: 'running', step: 0 });
    t.events().message({ type: 'step', metrics: { step: 0, reward: 0.4 }, groups: [group([1, -1, 0])], skipped: null });
    await Promise.resolve();
    expect(t.store.getState().backend?.trainerFallback).toBe('no adapter');
    const saved = [...t.runs.values()][0];
    expect(saved?.metrics).toEqual([{ step: 0, reward: 0.4 }]);
    t.store.getState().pause();
    expect(t.store.getState().message).toBe('pausing after this step');
    t.store.getState().resume();
    t.store.getState().stop();
    expect(t.calls).toEqual(['pause', 'resume', 'stop']);
  });

  it('a crashed worker gives an error state and keeps the curves', async () => {
    const t = setup();
    t.store.getState().start();
    t.events().message({ type: 'step', metrics: { step: 0, reward: 0.4 }, groups: [], skipped: null });
    t.events().crash('the training worker crashed: out of memory');
    const s = t.store.getState();
    expect(s.status).toBe('error');
    expect(s.error).toContain('out of memory');
    expect(s.metrics).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 0));
    expect([...t.runs.values()][0]?.status).toBe('error');
  });

  it('saves a checkpoint, restores the run after a "reload", and watches the checkpoint', async () => {
    const t = setup();
    t.store.getState().start();
    t.events().message({ type: 'backend', trainer: 'wasm', trainerFallback: null, adapter: null, rollout: 'wasm', rolloutFallback: null, poolSize: 4000 });
    t.events().message({ type: 'focus', kept: 12, scanned: 40, mix: 0.25 });
    t.events().message({ type: 'step', metrics: { step: 0, reward: 0.4 }, groups: [], skipped: null });
    t.events().message({
      type: 'eval',
      step: 1,
      report: { game: 'snake', policy: 'nano:x', n: 2, seed: 1000, accuracy: 0.5, format_rate: 1, mean_reward: 0.6, seconds: 1 },
      elapsed: 3,
    });
    t.events().message({ type: 'status', status: 'done', step: 1 });
    t.setStep(1);
    const meta = await t.store.getState().save();
    expect(meta?.step).toBe(1);
    expect(t.bytes.has(meta!.key)).toBe(true);
    const files = await t.store.getState().folderFiles(meta!.key);
    expect(files.name).toBe('vigal-nano-snake-rl-step1');
    expect([...files.files.keys()]).toEqual(['config.json', 'tokenizer.json', 'model.onnx', 'model_q4.onnx', 'model.safetensors', 'README.md']);
    expect(JSON.parse(new TextDecoder().decode(files.files.get('config.json'))).name).toBe('vigal-nano-snake-rl-step1');
    await t.store.getState().watch(meta!.key);
    expect(t.played).toEqual(['vigal-nano-snake-rl-step1:true']);

    // A new page: a fresh store over the same storage finds the run, its curves and checkpoint.
    const again = createTrainStore({
      startRun: () => {
        throw new Error('not started');
      },
      persist: {
        saveRun: async () => {},
        saveCheckpoint: async () => {},
        loadCheckpoint: async (k) => t.bytes.get(k),
        listRecords: async () => [...t.runs.values()],
      },
    });
    await again.getState().restore();
    expect(again.getState()).toMatchObject({ status: 'done', metrics: [{ step: 0, reward: 0.4 }], checkpoints: [meta] });
    expect(again.getState().evals.map((e) => [e.step, e.report.accuracy])).toEqual([[1, 0.5]]);
    // Where it ran and what it trained on come back too (the view showed "–" for both after a reload).
    expect(again.getState().backend).toMatchObject({ trainer: 'wasm', rollout: 'wasm', poolSize: 4000 });
    expect(again.getState().focus).toEqual({ kept: 12, scanned: 40, mix: 0.25 });
  });

  it('a checkpoint is listed only once its weights and the run record naming it are stored (a reload at once keeps it)', async () => {
    const t = setup();
    t.store.getState().start();
    t.events().message({ type: 'step', metrics: { step: 0, reward: 0.4 }, groups: [], skipped: null });
    t.setStep(1);
    // Whenever the list shows a checkpoint, storage already holds its weights and a run record naming it.
    const seen: boolean[] = [];
    const unsubscribe = t.store.subscribe((s) => {
      for (const c of s.checkpoints) seen.push(t.bytes.has(c.key) && [...t.runs.values()].some((r) => r.checkpoints.some((k) => k.key === c.key)));
    });
    const meta = await t.store.getState().save();
    unsubscribe();
    expect(meta).not.toBeNull();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every(Boolean)).toBe(true);
    expect(t.runs.get(t.store.getState().runId!)?.checkpoints.map((c) => c.key)).toEqual([meta!.key]);
  });

  it('a new page finds a saved checkpoint by its Watch name in storage (a reloaded Watch link)', async () => {
    const t = setup();
    t.store.getState().start();
    t.setStep(2);
    const meta = await t.store.getState().save();
    // A new page: no run in memory, only storage; the starting model's folder serves config and tokenizer.
    const fetched: string[] = [];
    const fetchFn = async (url: string | URL | Request): Promise<Response> => {
      fetched.push(String(url));
      if (String(url).endsWith('/config.json')) return new Response(JSON.stringify(TINY_CONFIG));
      if (String(url).endsWith('/tokenizer.json')) return new Response(defaultTokenizer().toString());
      return new Response('not found', { status: 404 });
    };
    const again = createTrainStore({
      startRun: () => {
        throw new Error('not started');
      },
      persist: {
        saveRun: async () => {},
        saveCheckpoint: async () => {},
        loadCheckpoint: async (k) => t.bytes.get(k),
        listRecords: async () => [...t.runs.values()],
      },
      fetchFn: fetchFn as typeof fetch,
    });
    const bytes = await again.getState().savedModel('vigal-nano-snake-rl-step2');
    expect(bytes?.modelName).toBe('vigal-nano-snake-rl-step2/model.onnx');
    expect(JSON.parse(bytes!.config).name).toBe('vigal-nano-snake-rl-step2');
    expect(bytes!.model).toEqual((await t.store.getState().folderFiles(meta!.key)).files.get('model.onnx'));
    const start = DEFAULT_TRAIN_SETTINGS.model; // the run's starting model serves config and tokenizer
    expect(fetched).toEqual([`/models/${start}/config.json`, `/models/${start}/tokenizer.json`]);
    expect(await again.getState().savedModel('vigal-nano-snake-rl-step9')).toBeUndefined();
    expect(await again.getState().savedModel('vigal-nano-snake-rl')).toBeUndefined();
  });

  it('a full disk is said in words and the checkpoint stays usable in the tab', async () => {
    const t = setup({ failSave: true });
    t.store.getState().start();
    const meta = await t.store.getState().save();
    expect(meta).not.toBeNull();
    expect(t.store.getState().storageError).toContain('storage is full');
    expect(t.store.getState().checkpoints).toHaveLength(1);
  });
});
