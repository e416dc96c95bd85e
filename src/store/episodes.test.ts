import { afterEach, describe, expect, it } from 'vitest';
import { BotPolicy } from '../policy/bots';
import { observe } from '../policy/observe';
import type { ActOptions, Observation, Policy, PolicyResult, Position } from '../policy/types';
import {
  MemoryBackend,
  QuotaError,
  listRecords,
  saveCheckpoint,
  saveRecord,
  setStorageBackend,
  loadCheckpoint,
  deleteRecord,
  storageSummary,
} from '../persist';
import { parseJsonl } from '../records/jsonl';
import type { EpisodeRecord, RunRecord } from '../records/types';
import { attachAutosave, createEpisodesStore, detectRender, stepImages, toEpisodeStep, toWatchStep, watchEpisodeRecord } from './episodes';
import { createWatchStore } from './watch';

/** A bot that sees what the nano model sees (80 px, no axes, compact prompt). */
class CompactBot extends BotPolicy {
  override observe(position: Position): Observation {
    return observe(position, { variant: 'compact', imageSize: 80, axes: false });
  }
}

afterEach(() => setStorageBackend(null));

/** Byte equality without a deep-equal walk over 400 KB. */
const sameBytes = (a: ArrayLike<number>, b: ArrayLike<number>) => Buffer.from(a as Uint8Array).equals(Buffer.from(b as Uint8Array));

async function playedWatch(steps: number, policy: Policy = new BotPolicy('greedy', 1), game: 'snake' | 'rotation' = 'snake') {
  const watch = createWatchStore({ game, seed: 6, opponent: 'random', delayMs: 0 });
  watch.getState().setPolicy(policy);
  for (let i = 0; i < steps; i++) await watch.getState().step();
  return watch;
}

describe('WatchStep -> EpisodeStep', () => {
  it('keeps position, prompt, text, answer, truth, reward and timings; images re-render exactly', async () => {
    for (const policy of [new BotPolicy('greedy', 1), new CompactBot('greedy', 1)]) {
      const watch = await playedWatch(3, policy);
      const ws = watch.getState().steps[1]!;
      const step = toEpisodeStep(ws);
      expect(step).toMatchObject({
        index: 1,
        prompt: ws.observation.prompt,
        text: ws.text,
        action: ws.action,
        applied: ws.applied,
        truth: ws.truth,
        reward: ws.reward,
        opponentMove: ws.opponentMove,
      });
      expect(step.position).toEqual({ game: 'snake', state: ws.observation.state });
      expect(Object.keys(step)).not.toContain('images');
      const render = detectRender(ws);
      expect(render).toEqual(policy instanceof CompactBot ? { imageSize: 80, axes: false } : { imageSize: 320, axes: true });
      const images = stepImages({ render, observationMode: 'image+text' }, step);
      expect(sameBytes(images[0]!.data, ws.observation.images[0]!.data)).toBe(true);
      // And back: the same observation.
      const back = toWatchStep(step, { render, observationMode: 'image+text' }).observation;
      expect({ ...back, images: [] }).toEqual({ ...ws.observation, images: [] });
      expect(sameBytes(back.images[0]!.data, ws.observation.images[0]!.data)).toBe(true);
    }
  });

  it('a record holds the game settings and the detected render; a saved step costs about 3 KiB', async () => {
    const watch = await playedWatch(4);
    const record = watchEpisodeRecord(watch.getState(), { id: 'e', createdAt: 1 });
    expect(record).toMatchObject({
      type: 'episode',
      id: 'e',
      game: 'snake',
      policy: 'bot:greedy',
      opponent: 'random',
      seed: 6,
      observationMode: 'image+text',
      render: { imageSize: 320, axes: true },
    });
    expect(record.steps).toHaveLength(4);
    const perStep = JSON.stringify(record).length / 4;
    // The full ViGaL prompt (~2.4 KB) dominates; the trace, state and truth add a few hundred bytes.
    expect(perStep).toBeGreaterThan(2000);
    expect(perStep).toBeLessThan(4000);
    // The record passes the importer's validation as is.
    expect(parseJsonl(JSON.stringify(record)).errors).toEqual([]);
  });

  it('text-only episodes have no images to re-render', async () => {
    const watch = createWatchStore({ game: 'snake', seed: 6, observationMode: 'text', delayMs: 0 });
    watch.getState().setPolicy(new BotPolicy('greedy', 1));
    await watch.getState().step();
    const record = watchEpisodeRecord(watch.getState(), { id: 't', createdAt: 1 });
    expect(record.observationMode).toBe('text');
    expect(record.render).toBeUndefined();
    expect(stepImages(record, record.steps[0]!)).toEqual([]);
  });
});

describe('persistence API over an injected store', () => {
  it('saves, lists, deletes records; a run takes its checkpoints with it', async () => {
    setStorageBackend(new MemoryBackend());
    const run: RunRecord = {
      type: 'run',
      version: 1,
      id: 'r',
      createdAt: 1,
      kind: 'sft',
      game: 'snake',
      init: 'x',
      settings: {},
      metrics: [{ step: 1, loss: 2 }],
      evals: [],
      status: 'done',
      checkpoints: [{ step: 1, key: 'r/1', bytes: 3 }],
    };
    await saveRecord(run);
    await saveCheckpoint('r/1', new Uint8Array([1, 2, 3]));
    expect(await loadCheckpoint('r/1')).toEqual(new Uint8Array([1, 2, 3]));
    const summary = await storageSummary();
    expect(summary.types.run.count).toBe(1);
    expect(summary.types.checkpoint).toEqual({ count: 1, bytes: 3 });
    await deleteRecord('run', 'r');
    expect(await listRecords('run')).toEqual([]);
    expect(await loadCheckpoint('r/1')).toBeUndefined();
  });

  it('a full store rejects with a QuotaError that says what and how to make room', async () => {
    setStorageBackend(new MemoryBackend({ quotaBytes: 100 }));
    const err = await saveCheckpoint('big', new Uint8Array(500)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuotaError);
    expect((err as QuotaError).message).toMatch(/^Storage is full: saving the checkpoint big \(about 500 B\)/);
    expect((err as QuotaError).message).toContain('Storage');
  });
});

describe('autosave', () => {
  it('writes the episode after every step, under one id, and a new id after a reset; says which one is live', async () => {
    setStorageBackend(new MemoryBackend());
    const episodes = createEpisodesStore();
    const watch = createWatchStore({ game: 'snake', seed: 2, delayMs: 0 });
    const live: (string | null)[] = [];
    const stop = attachAutosave(watch, episodes, { onEpisode: (meta) => live.push(meta?.id ?? null) });
    watch.getState().setPolicy(new BotPolicy('lookahead', 1));
    for (let i = 0; i < 3; i++) {
      await watch.getState().step();
      await new Promise((r) => setTimeout(r, 0));
      const saved = await listRecords('episode');
      expect(saved).toHaveLength(1);
      expect(saved[0]!.steps).toHaveLength(i + 1);
    }
    const first = (await listRecords('episode'))[0]!;
    expect(episodes.getState().lastSave).toMatchObject({ id: first.id, steps: 3 });
    expect(live).toEqual([first.id, first.id, first.id]);
    // Started over: until its first step, no saved episode is the live one (the explorer must not follow the old id).
    watch.getState().reset();
    expect(live.at(-1)).toBeNull();
    await watch.getState().step();
    await new Promise((r) => setTimeout(r, 0));
    const all = await listRecords('episode');
    expect(all).toHaveLength(2);
    const second = all.find((r) => r.id !== first.id)!;
    expect(second.steps).toHaveLength(1);
    expect(live.at(-1)).toBe(second.id);
    stop();
  });

  it('a failing or full store is reported in words, never dropped, and the game goes on', async () => {
    setStorageBackend(new MemoryBackend({ quotaBytes: 4500 }));
    const episodes = createEpisodesStore();
    const watch = createWatchStore({ game: 'snake', seed: 2, delayMs: 0 });
    attachAutosave(watch, episodes);
    watch.getState().setPolicy(new BotPolicy('greedy', 1));
    await watch.getState().step();
    await new Promise((r) => setTimeout(r, 0));
    expect(episodes.getState().error).toBeNull(); // one step (~3 KB) fits, two do not
    await watch.getState().step();
    await new Promise((r) => setTimeout(r, 0));
    expect(episodes.getState().errorKind).toBe('quota');
    expect(episodes.getState().error).toMatch(/^Storage is full: saving the episode ep-\S+ \(2 steps\)/);
    expect(watch.getState().steps).toHaveLength(2);

    setStorageBackend(new MemoryBackend({ failWith: new Error('disk on fire') }));
    await episodes.getState().save(watchEpisodeRecord(watch.getState(), { id: 'z', createdAt: 1 }));
    expect(episodes.getState().error).toBe('Could not save the episode z (2 steps): disk on fire');
  });

  it('imports JSONL: good lines saved, bad ones listed by line', async () => {
    setStorageBackend(new MemoryBackend());
    const episodes = createEpisodesStore();
    const watch = await playedWatch(2);
    const record: EpisodeRecord = watchEpisodeRecord(watch.getState(), { id: 'imp', createdAt: 3 });
    const report = await episodes.getState().importJsonl(`${JSON.stringify(record)}\nnot json\n`, 'x.jsonl');
    expect(report.added.episode).toBe(1);
    expect(report.errors).toEqual([{ line: 2, message: expect.stringMatching(/^not JSON/) }]);
    expect(episodes.getState().episodes.map((e) => e.id)).toEqual(['imp']);
    const out = await episodes.getState().exportJsonl('episode');
    expect(parseJsonl(out).records).toEqual([record]);
  });
});

/** Keeps TS quiet about the unused helper type when a test is skipped. */
export type _Unused = ActOptions | PolicyResult;

describe('summaries', () => {
  it('a list reads summaries (id, steps, bytes, origin), never whole episodes', async () => {
    setStorageBackend(new MemoryBackend());
    const episodes = createEpisodesStore();
    const watch = await playedWatch(3);
    const record = watchEpisodeRecord(watch.getState(), { id: 's', createdAt: 5, branchedFrom: { id: 'p', step: 1 } });
    await episodes.getState().save(record);
    await episodes.getState().refresh();
    const [s] = episodes.getState().episodes;
    expect(s).toEqual({
      type: 'episode',
      id: 's',
      createdAt: 5,
      game: 'snake',
      bytes: JSON.stringify(record).length,
      policy: 'bot:greedy',
      opponent: 'random',
      steps: 3,
      observationMode: 'image+text',
      imported: false,
      branchedFrom: { id: 'p', step: 1 },
    });
    expect(episodes.getState().summary!.types.episode).toEqual({ count: 1, bytes: s!.bytes });
  });
});
