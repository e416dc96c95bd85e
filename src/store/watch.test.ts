import { describe, expect, it } from 'vitest';
import { BotPolicy } from '../policy/bots';
import { FULL_OBSERVATION, observe } from '../policy/observe';
import type { ActOptions, Observation, Policy, PolicyResult, Position } from '../policy/types';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODEL } from '../model/files';
import { NanoPolicy } from '../policy/nano';
import { loadNanoModel } from '../runtime/model';
import { createWatchStore, WATCH_DECODE_MEASURE, type WatchDecodeDetail } from './watch';

/** A policy that writes a fixed text: lets the tests steer malformed and failing answers. */
class ScriptedPolicy implements Policy {
  readonly kind = 'bot' as const;
  readonly id = 'scripted';
  readonly label = 'scripted';
  readonly games = ['snake', 'rotation'] as const;
  constructor(private readonly reply: (obs: Observation) => string | Error) {}
  observe(position: Position): Observation {
    return observe(position, { variant: 'compact', imageSize: 80, axes: false });
  }
  async act(obs: Observation, opts: ActOptions = {}): Promise<PolicyResult> {
    const text = this.reply(obs);
    if (text instanceof Error) throw text;
    for (const piece of text.match(/.{1,5}/gs) ?? []) opts.streamer?.put(piece);
    opts.streamer?.end();
    return { text, action: null, timings: { totalMs: 1 } };
  }
}

describe('watch session', () => {
  it('records each step with its observation, text, truth and reward, and plays a Snake game to the end', async () => {
    const store = createWatchStore({ game: 'snake', seed: 3, opponent: 'greedy', delayMs: 0 });
    store.getState().setPolicy(new BotPolicy('lookahead', 1));
    for (let i = 0; i < 500 && store.getState().status !== 'done'; i++) await store.getState().step();
    const s = store.getState();
    expect(s.status).toBe('done');
    expect(s.result).not.toBeNull();
    expect(s.steps.length).toBe(s.result!.rounds);
    const first = s.steps[0]!;
    expect(first.observation.prompt).toBe(observe({ game: 'snake', state: { ...first.observation.state } } as Position, FULL_OBSERVATION).prompt);
    // The bot writes the static worst moves exactly, so its format part is always earned.
    expect(s.steps.every((st) => st.reward.format === 0.1)).toBe(true);
  });

  it('a malformed answer keeps the snake going straight and scores 0; the text still streams', async () => {
    const store = createWatchStore({ game: 'snake', seed: 5, opponent: 'random', delayMs: 0 });
    store.getState().setPolicy(new ScriptedPolicy(() => 'I refuse to answer in tags.'));
    await store.getState().step();
    const step = store.getState().steps[0]!;
    expect(step.text).toBe('I refuse to answer in tags.');
    expect(step.action).toBeNull();
    expect(step.applied).toBe('UP'); // a snake that never moved has no direction: UP by convention
    expect(step.reward).toEqual({ format: 0, accuracy: 0, overall: 0 });
  });

  it('a failing policy reports the error, keeps the board, and the step can be retried', async () => {
    let fail = true;
    const store = createWatchStore({ game: 'rotation', seed: 2, delayMs: 0 });
    store
      .getState()
      .setPolicy(
        new ScriptedPolicy((obs) =>
          fail ? new Error('worker crashed') : `<think>x</think><answer>${obs.game === 'rotation' ? obs.state.answer : ''}</answer>`,
        ),
      );
    await store.getState().step();
    expect(store.getState().status).toBe('error');
    expect(store.getState().error).toBe('worker crashed');
    expect(store.getState().steps).toHaveLength(0);
    fail = false;
    await store.getState().step();
    expect(store.getState().steps[0]!.reward.overall).toBe(1.1);
  });

  it('a new player plays at once even while the last one is still finishing an abandoned step', async () => {
    let finish = (): void => {};
    // A slow policy that ignores the abort signal, as a model mid-generation in its worker does.
    const slow: Policy = {
      kind: 'bot',
      id: 'slow',
      label: 'slow',
      games: ['snake', 'rotation'],
      observe: (p) => observe(p, FULL_OBSERVATION),
      act: () => new Promise<PolicyResult>((r) => (finish = () => r({ text: 'late', action: null, timings: { totalMs: 1 } }))),
    };
    const store = createWatchStore({ game: 'snake', seed: 4, delayMs: 0 });
    store.getState().setPolicy(slow);
    store.getState().play();
    await Promise.resolve();
    expect(store.getState().live).not.toBeNull();
    // Switch game and player mid-step (Watch's Rotation tab), then play.
    store.getState().configure({ game: 'rotation' });
    store.getState().setPolicy(new BotPolicy('random', 1));
    store.getState().play();
    finish();
    for (let i = 0; i < 500 && store.getState().steps.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    store.getState().pause();
    expect(store.getState().steps.length).toBeGreaterThanOrEqual(2);
    expect(store.getState().steps.every((s) => s.observation.game === 'rotation' && s.text !== 'late')).toBe(true);
  });

  it('reset cancels nothing but starts the same seed over', async () => {
    const store = createWatchStore({ game: 'snake', seed: 9, delayMs: 0 });
    store.getState().setPolicy(new BotPolicy('greedy', 1));
    const board = store.getState().board;
    await store.getState().step();
    expect(store.getState().board).not.toEqual(board);
    store.getState().reset();
    expect(store.getState().board).toEqual(board);
    expect(store.getState().steps).toHaveLength(0);
  });

  it("leaves one decode measure per streamed step: tokens/s as the page received them, next to the policy's own", async () => {
    const folder = fileURLToPath(new URL(`../../models/${DEFAULT_MODEL}/`, import.meta.url));
    const policy = new NanoPolicy(await loadNanoModel(folder, { quant: 'fp32', executionProviders: ['wasm'] }), { maxNewTokens: 24 });
    try {
      performance.clearMeasures(WATCH_DECODE_MEASURE);
      const store = createWatchStore({ game: 'snake', seed: 3, opponent: 'greedy', delayMs: 0 });
      store.getState().setPolicy(policy);
      await store.getState().step();
      await store.getState().step();
      const entries = performance.getEntriesByName(WATCH_DECODE_MEASURE) as PerformanceMeasure[];
      expect(entries).toHaveLength(2);
      for (const [i, e] of entries.entries()) {
        const d = e.detail as WatchDecodeDetail;
        expect(d.newTokens).toBe(store.getState().steps[i]?.timings.newTokens);
        expect(d.pageTokensPerSecond).toBeGreaterThan(0);
        expect(d.pageTokensPerSecond).toBeCloseTo(((d.newTokens - 1) * 1000) / e.duration, 6);
        expect(d.policyTokensPerSecond).toBe(store.getState().steps[i]?.timings.tokensPerSecond);
      }
      // A bot streams nothing and leaves no measure.
      store.getState().setPolicy(new BotPolicy('greedy', 1));
      await store.getState().step();
      expect(performance.getEntriesByName(WATCH_DECODE_MEASURE)).toHaveLength(2);
    } finally {
      policy.dispose();
    }
  });
});
