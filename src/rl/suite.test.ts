import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gameOf } from '../games/registry';
import { snakeLabels } from '../games/snake';
import { DEFAULT_MODEL } from '../model/files';
import { BotPolicy } from '../policy/bots';
import { NanoPolicy } from '../policy/nano';
import { FULL_OBSERVATION, observe } from '../policy/observe';
import type { Policy } from '../policy/types';
import { loadNanoModel } from '../runtime/model';
import { eloRatings } from './elo';
import { eloOfMatches, headToHeadTotals, matchGames, roundRobin, runSuite, suiteNumbers } from './suite';

/**
 * The set the Node/browser parity check runs: the shipped nano model (fp32 on WASM, as the CLI and the
 * app's Evaluate mode load it) and the random bot, 4 held-out Snake states from seed 1000, one game per
 * pairing and seat. e2e/evaluate.spec.ts runs the same set in Chromium and compares what Evaluate mode
 * shows with the golden file; this test holds Node to the same file. `UPDATE_GOLDEN=1` rewrites it.
 */
export const PARITY_SET = { game: 'snake', n: 4, seed: 1000, gamesPerPairing: 1, policies: [`nano:${DEFAULT_MODEL}`, 'bot:random'] } as const;
const GOLDEN = fileURLToPath(new URL('./suite.golden.json', import.meta.url));
const MODEL_DIR = fileURLToPath(new URL(`../../models/${DEFAULT_MODEL}/`, import.meta.url));

/** A 'human' that always answers the true labels (the suite must let it answer but keep it out of games). */
function oracleHuman(): Policy {
  return {
    id: 'human',
    label: 'Oracle',
    kind: 'human',
    games: ['snake', 'rotation'],
    observe: (p) => observe(p, FULL_OBSERVATION),
    act: async (obs) => {
      if (obs.game !== 'snake') {
        const game = gameOf(obs.game);
        const text = game.perfectResponse(game.truth(obs.state));
        return { text, action: game.parse(text), timings: { totalMs: 0 } };
      }
      const t = snakeLabels(obs.state);
      return {
        text: `<think>x</think><best_answer>${t.best[0] ?? ''}</best_answer><worst_answer>${t.worst.join(', ') || 'None'}</worst_answer>`,
        action: t.best[0] ?? null,
        timings: { totalMs: 0 },
      };
    },
  };
}

const bots = (seed: number) => [new BotPolicy('greedy', seed), new BotPolicy('lookahead', seed), new BotPolicy('random', seed)];

describe('roundRobin', () => {
  it('every pair in both seats, in list order', () => {
    expect(roundRobin(['a', 'b', 'c'])).toEqual([
      ['a', 'b'],
      ['b', 'a'],
      ['a', 'c'],
      ['c', 'a'],
      ['b', 'c'],
      ['c', 'b'],
    ]);
    expect(roundRobin(['a'])).toEqual([]);
  });
});

describe('runSuite', () => {
  it('bots on one held-out set and a round robin: one report each, both seats per pair, Elo over every game', async () => {
    const record = await runSuite([...bots(7), oracleHuman()], { game: 'snake', n: 12, seed: 3, gamesPerPairing: 3, id: 'x', createdAt: 0 });
    expect(record).toMatchObject({ type: 'evaluation', id: 'x', createdAt: 0, game: 'snake', n: 12, seed: 3, observationMode: 'image+text' });
    expect(record.reports.map((r) => r.policy)).toEqual(['bot:greedy', 'bot:lookahead', 'bot:random', 'human']);
    // The oracle names a best move and the exact fatal set on every state: all right.
    expect(record.reports[3]).toMatchObject({ accuracy: 1, format_rate: 1, best_accuracy: 1, worst_accuracy: 1 });
    expect(record.reports[3]!.mean_reward).toBeCloseTo(1.1, 12);
    // Bots write the static fatal set, so worst-move accuracy is 1; the greedy bot's pick is a greedy best.
    for (const r of record.reports.slice(0, 3)) expect(r.worst_accuracy).toBe(1);
    expect(record.reports[0]!.best_accuracy).toBe(1);
    // 3 bots (the human sits out): 3 pairs x 2 seats, 3 games each.
    expect(record.matches.map((m) => `${m.policy}>${m.opponent}`)).toEqual([
      'bot:greedy>bot:lookahead',
      'bot:lookahead>bot:greedy',
      'bot:greedy>bot:random',
      'bot:random>bot:greedy',
      'bot:lookahead>bot:random',
      'bot:random>bot:lookahead',
    ]);
    for (const m of record.matches) {
      expect(m.games).toBe(3);
      expect(m.wins + m.ties + m.losses).toBe(3);
      expect(m.outcomes).toHaveLength(3);
      expect(m.outcomes!.filter((o) => o === 'W')).toHaveLength(m.wins);
      expect(m.mean_survival).toBeLessThanOrEqual(m.mean_rounds);
      expect(m.seed).toBe(3);
    }
    expect(record.elo).toEqual(eloOfMatches(record.matches, ['bot:greedy', 'bot:lookahead', 'bot:random']));
    expect(record.elo!.map((r) => r.games)).toEqual([12, 12, 12]);
    expect(record.elo!.reduce((s, r) => s + r.rating, 0)).toBeCloseTo(3000, 9);
    const totals = headToHeadTotals(record.matches);
    expect(totals.reduce((s, t) => s + t.wins, 0)).toBe(totals.reduce((s, t) => s + t.losses, 0));
    for (const t of totals) expect(t.games).toBe(12);
  });

  it('is deterministic: the same seeds give the same numbers (timings aside)', async () => {
    const opts = { game: 'snake', n: 8, seed: 11, gamesPerPairing: 2 } as const;
    const a = await runSuite(bots(11), opts);
    const b = await runSuite(bots(11), opts);
    expect(suiteNumbers(a)).toEqual(suiteNumbers(b));
    expect(a.id).not.toBe(b.id);
  });

  it('seats swap over the same boards: game g of (a, b) and of (b, a) both start from seed + g', async () => {
    const record = await runSuite([new BotPolicy('greedy', 1), new BotPolicy('lookahead', 1)], { game: 'snake', n: 1, seed: 20, gamesPerPairing: 4 });
    expect(record.matches.map((m) => m.seed)).toEqual([20, 20]);
    // Each Elo game is read from seat 1's side; the totals per policy count both seats.
    expect(matchGames(record.matches)).toHaveLength(8);
    expect(eloRatings(matchGames(record.matches)).map((r) => r.games)).toEqual([8, 8]);
  });

  it('Rotation: a confusion matrix per policy and no games', async () => {
    const record = await runSuite([new BotPolicy('random', 2), oracleHuman()], { game: 'rotation', n: 10, seed: 5, gamesPerPairing: 10 });
    expect(record.matches).toEqual([]);
    expect(record.elo).toBeUndefined();
    const [random, human] = record.reports;
    const cells = (c: Record<string, Record<string, number>>) =>
      Object.values(c)
        .flatMap((row) => Object.values(row))
        .reduce((s, x) => s + x, 0);
    expect(cells(random!.confusion!)).toBe(10);
    // The oracle's confusion matrix is diagonal.
    for (const [truth, row] of Object.entries(human!.confusion!)) expect(Object.keys(row)).toEqual([truth]);
  });

  it('partial records and progress arrive as it runs; a stop rejects with AbortError', async () => {
    const partial: number[] = [];
    let last = 0;
    await runSuite(bots(1).slice(0, 2), {
      game: 'snake',
      n: 3,
      seed: 1,
      gamesPerPairing: 1,
      onPartial: (r) => partial.push(r.reports.length * 10 + r.matches.length),
      onProgress: (p) => {
        expect(p.overallDone).toBeGreaterThanOrEqual(last);
        expect(p.overallTotal).toBe(2 * 3 + 2 * 1);
        last = p.overallDone;
      },
    });
    expect(partial).toEqual([10, 20, 21, 22]);
    expect(last).toBe(8);

    const controller = new AbortController();
    const run = runSuite(bots(1), { game: 'snake', n: 50, seed: 1, signal: controller.signal, onProgress: (p) => p.overallDone === 5 && controller.abort() });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('shows every policy its observation under the mode (the modality-gap ablation) and records the mode', async () => {
    const seen: { images: number; prompt: string }[] = [];
    const spy: Policy = { ...oracleHuman(), id: 'spy', kind: 'bot' };
    const inner = spy.act;
    spy.act = (obs, o) => (seen.push({ images: obs.images.length, prompt: obs.prompt }), inner(obs, o));
    const text = await runSuite([spy], { game: 'snake', n: 3, seed: 2, observationMode: 'text' });
    expect(text.observationMode).toBe('text');
    expect(seen.map((x) => x.images)).toEqual([0, 0, 0]);
    expect(seen[0]!.prompt).toContain('Current board:'); // the text keeps the position
    seen.length = 0;
    const image = await runSuite([spy], { game: 'snake', n: 3, seed: 2, observationMode: 'image' });
    expect(image.observationMode).toBe('image');
    expect(seen.map((x) => x.images)).toEqual([1, 1, 1]);
    expect(seen[0]!.prompt).not.toContain('Current board:');
    // The oracle reads the state, so the ablation does not change its numbers.
    expect(image.reports[0]!.accuracy).toBe(1);
  });

  it('refuses a policy listed twice or one that does not play the game', async () => {
    await expect(runSuite([new BotPolicy('greedy'), new BotPolicy('greedy')], { game: 'snake', n: 1, seed: 1 })).rejects.toThrow(
      /'bot:greedy' is listed twice/,
    );
    await expect(runSuite([new BotPolicy('greedy')], { game: 'rotation', n: 1, seed: 1 })).rejects.toThrow(/'bot:greedy' \(plays snake\) cannot play rotation/);
  });
});

describe('parity set (the numbers e2e/evaluate.spec.ts expects Chromium to show)', () => {
  it('nano (fp32, WASM) and the random bot on 4 held-out states and 2 games match the golden file', { timeout: 180_000 }, async () => {
    const nano = new NanoPolicy(await loadNanoModel(MODEL_DIR, { quant: 'fp32', executionProviders: ['wasm'] }), { seed: PARITY_SET.seed });
    try {
      const record = await runSuite([nano, new BotPolicy('random', PARITY_SET.seed)], PARITY_SET);
      const numbers = suiteNumbers(record);
      if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, JSON.stringify(numbers, null, 2) + '\n');
      expect(numbers).toEqual(JSON.parse(readFileSync(GOLDEN, 'utf8')));
      // What the numbers say (so a changed golden file is read, not just accepted): the model writes
      // well-formed answers on every state and plays both games.
      expect(numbers.reports[0]).toMatchObject({ policy: `nano:${DEFAULT_MODEL}`, format_rate: 1 });
      expect(numbers.matches.map((m) => m.games)).toEqual([1, 1]);
    } finally {
      nano.dispose();
    }
  });
});
