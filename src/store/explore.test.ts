import { afterEach, describe, expect, it } from 'vitest';
import { SnakeEnv, snakeLabels, type Move } from '../games/snake';
import { BotPolicy } from '../policy/bots';
import { MemoryBackend, listRecords, setStorageBackend } from '../persist';
import type { EpisodeRecord } from '../records/types';
import { createEpisodesStore, watchEpisodeRecord } from './episodes';
import { branchStart, createExploreStore, reconstructSnake } from './explore';
import { createWatchStore, type WatchOpponent } from './watch';

afterEach(() => setStorageBackend(null));

/** A watched game, as its saved record. The random opponent makes the opponent's stream matter. */
async function recordedGame(opts: { seed?: number; opponent?: WatchOpponent; steps?: number; game?: 'snake' | 'rotation' } = {}): Promise<EpisodeRecord> {
  const watch = createWatchStore({ game: opts.game ?? 'snake', seed: opts.seed ?? 11, opponent: opts.opponent ?? 'random', delayMs: 0 });
  watch.getState().setPolicy(new BotPolicy(opts.game === 'rotation' ? 'random' : 'greedy', 3));
  for (let i = 0; i < (opts.steps ?? 12) && watch.getState().status !== 'done'; i++) await watch.getState().step();
  return watchEpisodeRecord(watch.getState(), { id: 'parent', createdAt: 1 });
}

describe('branch state reconstruction', () => {
  it('replays the seed exactly: the board at step k, and the opponent stream that played step k', async () => {
    const ep = await recordedGame();
    expect(ep.steps.length).toBeGreaterThan(6);
    for (const k of [0, 3, ep.steps.length - 1]) {
      const point = reconstructSnake(ep, k);
      expect(point.exact).toBe(true);
      const at = ep.steps[k]!.position;
      expect({ ...point.env.getState(), you: 1 }).toEqual(at.state);
      expect(point.opponentMove).toBe(ep.steps[k]!.opponentMove);
    }
  });

  it('replaying the stored moves from k gives the stored game (the apple stream is the original one)', async () => {
    const ep = await recordedGame();
    const k = 2;
    const point = reconstructSnake(ep, k);
    for (let i = k; i < ep.steps.length - 1; i++) {
      const s = ep.steps[i]!;
      point.env.step({ 1: s.applied!, 2: s.opponentMove! });
      expect({ ...point.env.getState(), you: 1 }).toEqual(ep.steps[i + 1]!.position.state);
    }
  });

  it('falls back to the stored position when the seed does not reproduce it (imported episodes)', async () => {
    const ep = await recordedGame();
    const wrongSeed: EpisodeRecord = { ...ep, seed: ep.seed + 1 };
    const point = reconstructSnake(wrongSeed, 4);
    expect(point.exact).toBe(false);
    expect({ ...point.env.getState(), you: 1 }).toEqual(ep.steps[4]!.position.state);
    expect(point.opponentMove).toBe(ep.steps[4]!.opponentMove);
  });

  it('a branch continues from the right state: history kept, the hand move applied, then a policy plays on', async () => {
    const ep = await recordedGame();
    const k = 3;
    const at = ep.steps[k]!.position;
    if (at.game !== 'snake') throw new Error('snake expected');
    // Pick a hand move that differs from the one played and does not kill.
    const safe = (['UP', 'DOWN', 'LEFT', 'RIGHT'] as Move[]).filter((m) => m !== ep.steps[k]!.applied);
    let hand: Move = safe[0]!;
    for (const m of safe) {
      const probe = SnakeEnv.fromState({ ...at.state, you: 1 });
      const out = probe.step({ 1: m, 2: ep.steps[k]!.opponentMove! });
      if (!out.info.deaths.some((d) => d.id === 1)) {
        hand = m;
        break;
      }
    }
    const expected = SnakeEnv.fromState({ ...at.state, you: 1 }).step({ 1: hand, 2: ep.steps[k]!.opponentMove! }).state;

    const watch = createWatchStore({ game: 'snake', seed: ep.seed, opponent: 'random', delayMs: 0, start: branchStart(ep, k, hand) });
    const s = watch.getState();
    expect(s.steps).toHaveLength(k + 1);
    expect(s.steps.slice(0, k).map((x) => x.text)).toEqual(ep.steps.slice(0, k).map((x) => x.text));
    expect(s.steps[k]).toMatchObject({ index: k, applied: hand, action: hand, source: 'human', opponentMove: ep.steps[k]!.opponentMove });
    // Apples may differ only where one was eaten (a new one spawns from the replayed stream).
    expect(s.board!.snakes).toEqual(expected.snakes);
    expect(s.board!.round).toBe(k + 1);

    s.setPolicy(new BotPolicy('lookahead', 1)); // setPolicy resets: back to the branch point
    expect(watch.getState().steps).toHaveLength(k + 1);
    await watch.getState().step();
    await watch.getState().step();
    const after = watch.getState();
    expect(after.steps.map((x) => x.index)).toEqual(Array.from({ length: k + 3 }, (_, i) => i));
    // The policy's first step is played from the board the hand move left.
    const obs = after.steps[k + 1]!.observation;
    expect(obs.game === 'snake' ? obs.state.snakes : null).toEqual(expected.snakes);
    watch.getState().reset();
    expect(watch.getState().steps).toHaveLength(k + 1);
    expect(watch.getState().board!.snakes).toEqual(expected.snakes);
  });

  it('Rotation: the hand answers step k, the next question is the original step k+1', async () => {
    const ep = await recordedGame({ game: 'rotation', steps: 4 });
    const k = 1;
    const q = ep.steps[k]!.position.state as { answer: string };
    const watch = createWatchStore({ game: 'rotation', seed: ep.seed, delayMs: 0, start: branchStart(ep, k, q.answer) });
    expect(watch.getState().steps[k]!.reward.overall).toBe(1.1);
    watch.getState().setPolicy(new BotPolicy('random', 9));
    await watch.getState().step();
    expect(watch.getState().steps[k + 1]!.observation.state).toEqual(ep.steps[k + 1]!.position.state);
  });
});

describe('explore store', () => {
  it('navigates within bounds and branches into a new saved episode that names its parent', async () => {
    setStorageBackend(new MemoryBackend());
    const episodes = createEpisodesStore();
    const ep = await recordedGame();
    const explore = createExploreStore();
    explore.getState().open(ep, 99);
    expect(explore.getState().index).toBe(ep.steps.length - 1);
    explore.getState().step(-2);
    expect(explore.getState().index).toBe(ep.steps.length - 3);
    explore.getState().go(-5);
    expect(explore.getState().index).toBe(0);

    const at2 = ep.steps[2]!.position;
    const hand = at2.game === 'snake' ? (['UP', 'DOWN', 'LEFT', 'RIGHT'] as Move[]).find((m) => !snakeLabels(at2.state, 1).worst.includes(m))! : 'UP';
    const branch = explore.getState().startBranch(2, hand, episodes)!;
    expect(explore.getState().live).toBe('branch');
    expect(explore.getState().index).toBe(2);
    expect(explore.getState().episode!.branchedFrom).toEqual({ id: 'parent', step: 2 });
    branch.watch.getState().setPolicy(new BotPolicy('greedy', 1));
    explore.getState().go(99); // at the end: follows new steps
    await branch.watch.getState().step();
    await new Promise((r) => setTimeout(r, 0));
    expect(explore.getState().episode!.steps).toHaveLength(4);
    expect(explore.getState().index).toBe(3);
    const saved = (await listRecords('episode')).find((r) => r.id === branch.id)!;
    expect(saved.steps).toHaveLength(4);
    expect(saved.steps[2]!.source).toBe('human');
    expect(saved.note).toContain(`Branched from parent at step 3: ${hand} by hand`);
    explore.getState().close();
  });
});
