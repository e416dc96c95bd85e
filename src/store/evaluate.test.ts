import { describe, expect, it } from 'vitest';
import { snakeLabels } from '../games/snake';
import { BotPolicy } from '../policy/bots';
import type { EvaluationRecord } from '../records/types';
import { heldOutSetChoices } from '../rl/heldOutSets';
import { runSuite, suiteNumbers } from '../rl/suite';
import { createEvaluateStore, orderSpecs, type EvaluationArchive } from './evaluate';
import { createModelsStore } from './models';

function memoryArchive(): EvaluationArchive & { saved: Map<string, EvaluationRecord> } {
  const saved = new Map<string, EvaluationRecord>();
  return {
    saved,
    save: async (r) => void saved.set(r.id, r),
    list: async () => [...saved.values()],
    remove: async (id) => void saved.delete(id),
  };
}

const setup = () => {
  const archive = memoryArchive();
  const models = createModelsStore('/models/', { storage: null });
  return { archive, models, store: createEvaluateStore({ models, archive }) };
};

/** Waits until `cond` holds for the store's state (the run is async). */
async function until<S>(store: { getState(): S }, cond: (s: S) => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond(store.getState())) {
    if (Date.now() > end) throw new Error('timed out waiting for the store');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('evaluate store', () => {
  it('orders specs canonically: nano, bots in BOT_NAMES order, server, local VLM, human', () => {
    expect(orderSpecs(['human', 'local', 'bot:lookahead', 'openai', 'nano:b', 'bot:random', 'nano:a', 'bot:random'])).toEqual([
      'nano:a',
      'nano:b',
      'bot:random',
      'bot:lookahead',
      'openai',
      'local',
      'human',
    ]);
  });

  it("runs the suite on the ticked bots (in canonical order) with the CLI's numbers, and saves the record", async () => {
    const { store, archive } = setup();
    store.getState().configure({ n: 6, seed: 9, gamesPerPairing: 1 });
    store.getState().toggle('bot:lookahead');
    store.getState().toggle('bot:greedy');
    await store.getState().run();
    const s = store.getState();
    expect(s.status).toBe('done');
    expect(s.current?.reports.map((r) => r.policy)).toEqual(['bot:greedy', 'bot:lookahead']);
    const direct = await runSuite([new BotPolicy('greedy', 9), new BotPolicy('lookahead', 9)], { game: 'snake', n: 6, seed: 9, gamesPerPairing: 1 });
    expect(suiteNumbers(s.current!)).toEqual(suiteNumbers(direct));
    expect(s.progress).toMatchObject({ overallDone: 14, overallTotal: 14 });
    expect([...archive.saved.keys()]).toEqual([s.current!.id]);
    expect(s.history.map((h) => h.id)).toEqual([s.current!.id]);
  });

  it('asks the human each held-out question and scores the answers; the human sits out the games', async () => {
    const { store } = setup();
    store.getState().configure({ n: 3, seed: 4, gamesPerPairing: 1 });
    store.getState().toggle('human');
    store.getState().toggle('bot:random');
    const run = store.getState().run();
    let asked = 0;
    while (asked < 3) {
      await until(store, (s) => s.question !== null);
      const q = store.getState().question!;
      if (q.game !== 'snake') throw new Error('expected a Snake question');
      const truth = snakeLabels(q.state);
      // Right on the first two, the wrong worst set on the third.
      expect(store.getState().answer({ game: 'snake', best: truth.best[0] ?? 'UP', worst: asked < 2 ? truth.worst : truth.worst.length ? [] : ['UP'] })).toBe(
        true,
      );
      asked++;
      await until(store, (s) => s.question === null || s.question !== q);
    }
    await run;
    const human = store.getState().current!.reports.find((r) => r.policy === 'human')!;
    expect(human.best_accuracy).toBe(1);
    expect(human.worst_accuracy).toBeCloseTo(2 / 3, 12);
    expect(store.getState().current!.matches).toEqual([]); // one bot left: no pairing
  });

  it('Stop ends a run as "stopped" without saving; a policy that cannot play the game is an error', async () => {
    const { store, archive } = setup();
    store.getState().configure({ n: 3 });
    store.getState().toggle('human');
    const run = store.getState().run();
    await until(store, (s) => s.question !== null);
    store.getState().stop();
    await run;
    expect(store.getState()).toMatchObject({ status: 'stopped', question: null, error: null });
    expect(archive.saved.size).toBe(0);

    store.getState().configure({ game: 'rotation' });
    store.getState().toggle('bot:greedy', true);
    await store.getState().run();
    expect(store.getState().status).toBe('error');
    expect(store.getState().error).toContain('bot:greedy plays snake, not rotation');
  });

  it('the server and the local VLM are offered only once Watch mode has one; unavailable ones say why', async () => {
    const { store, models } = setup();
    const opt = (spec: string) =>
      store
        .getState()
        .options()
        .find((o) => o.spec === spec)!;
    expect(opt('openai').unavailable).toBe('connect one in Watch mode first');
    expect(opt('local').unavailable).toBe('load one in Watch mode first');
    models.setState({ endpoint: { ...models.getState().endpoint, model: 'm', hasKey: false } });
    expect(opt('openai')).toMatchObject({ label: 'server: m', unavailable: null });
    store.getState().toggle('local');
    await store.getState().run();
    expect(store.getState().error).toContain('local: no local VLM is loaded');
  });

  it('runs the held-out set picked among the game’s own (the CLI’s numbers); another game starts on its standard set', async () => {
    const { store } = setup();
    expect(heldOutSetChoices('snake').map((c) => c.label)).toEqual(['Standard', 'Own length >= 8', 'Own length >= 12', 'Own length >= 16']);
    expect(heldOutSetChoices('jigsaw').map((c) => c.label)).toEqual(['Standard', '3x3 grid']);
    store.getState().configure({ game: 'jigsaw', n: 5, seed: 3 });
    store.getState().configure({ set: { classes: 'three' } }); // not Jigsaw's: refused
    expect(store.getState().set).toEqual({});
    store.getState().configure({ set: { grid: 3 } });
    store.getState().toggle('bot:solver');
    await store.getState().run();
    const record = store.getState().current!;
    expect(record.reports.map((r) => [r.policy, r.grid, r.accuracy])).toEqual([['bot:solver', 3, 1]]);
    const direct = await runSuite([new BotPolicy('solver', 3)], { game: 'jigsaw', n: 5, seed: 3, set: { grid: 3 } });
    expect(suiteNumbers(record)).toEqual(suiteNumbers(direct));
    store.getState().configure({ game: 'snake' });
    expect(store.getState().set).toEqual({});
  });

  it('switching to Rotation drops the Snake-only bots from the selection', () => {
    const { store } = setup();
    for (const b of ['bot:greedy', 'bot:random', 'human']) store.getState().toggle(b);
    store.getState().configure({ game: 'rotation' });
    expect(store.getState().selected).toEqual(['bot:random', 'human']);
  });

  it("imports the CLI's JSONL lines into the history and exports the shown record as the same line", async () => {
    const { store, archive } = setup();
    const record = await runSuite([new BotPolicy('greedy', 1)], { game: 'snake', n: 2, seed: 1, id: 'from-cli', createdAt: 5 });
    const res = await store.getState().importJsonl(`${JSON.stringify(record)}\nnot json\n`, 'out.jsonl');
    expect(res.imported).toBe(1);
    expect(res.errors).toHaveLength(1);
    expect(res.errors[0]).toContain('line 2');
    expect(store.getState().current?.id).toBe('from-cli');
    expect(archive.saved.has('from-cli')).toBe(true);
    expect(store.getState().exportJsonl()).toBe(JSON.stringify(record) + '\n');
    await store.getState().remove('from-cli');
    expect(store.getState().history).toEqual([]);
    expect(archive.saved.size).toBe(0);
  });
});
