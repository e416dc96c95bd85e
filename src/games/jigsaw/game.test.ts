/**
 * Jigsaw through the registry: the game object's contract (games/game.ts) on its own questions, beyond
 * what registry.test.ts checks of every game: truth, score and perfect response round trip, the export
 * truth round trip and the question it regenerates, the bots' scores, settings and links, scenes at any
 * side, and the generic Play store and URL playing it.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../util/rng';
import { GAME_IDS, gameOf, gamesOfKind, questionGame } from '../registry';
import { createQuestionPlayStore } from '../../store/questionPlay';
import { formatLink, parseLink } from '../../store/url';
import { jigsawGame, jigsawScenesAt } from './game';
import { jigsawPrompt } from './prompt';
import { jigsawHeldOutSeeds } from './streams';
import { evaluatePolicy, heldOutPositions } from '../../rl/evaluate';
import { BotPolicy } from '../../policy/bots';
import { heldOutSetFields, heldOutSetLabel, heldOutSetOf } from '../../rl/heldOutSets';
import { formatPermutation, jigsawQuestion, jigsawScene } from './task';
import { jigsawTrace } from './trace';

const grids = [2, 3] as const;

describe('Jigsaw in the registry', () => {
  it('is registered as a question game after Snake and Rotation', () => {
    expect(GAME_IDS).toEqual(['snake', 'rotation', 'jigsaw']);
    expect(gameOf('jigsaw')).toBe(jigsawGame);
    expect(questionGame('jigsaw')).toBe(jigsawGame);
    expect(gamesOfKind('question')).toContain('jigsaw');
  });
});

describe.each(grids)('jigsawGame, %i x %i', (grid) => {
  const questions = Array.from({ length: 12 }, (_, i) => jigsawGame.question(100 + i, { grid }));

  it('asks the question of its seed and grid, and reads the grid back from it', () => {
    for (const q of questions) {
      expect(q).toEqual(jigsawQuestion(q.seed, { grid }));
      expect(jigsawGame.settings.of(q)).toEqual({ grid });
    }
  });

  it('truth, perfect response and score round-trip; a wrong order scores 0.1', () => {
    for (const q of questions) {
      const truth = jigsawGame.truth(q);
      expect(truth).toEqual(q.answer);
      expect(jigsawGame.truthText(truth)).toBe(formatPermutation(q.answer));
      expect(jigsawGame.parseTruth(JSON.parse(JSON.stringify(truth)))).toEqual(truth);
      expect(jigsawGame.parseTruth({ answer: truth })).toEqual(truth);
      const perfect = jigsawGame.perfectResponse(truth);
      expect(jigsawGame.score(perfect, truth)).toEqual({ format: 0.1, accuracy: 1, overall: 1.1, action: formatPermutation(truth), inPlace: truth.length });
      expect(jigsawGame.parse(perfect)).toBe(formatPermutation(truth));
      const identity = formatPermutation(truth.map((_, i) => i + 1));
      // The shuffle is never the identity, so leaving the tiles as shown is wrong.
      expect(jigsawGame.score(jigsawGame.handResponse(identity), truth)).toMatchObject({ format: 0.1, accuracy: 0, action: identity });
      // A person's typed answer in any accepted spelling is the same action.
      expect(jigsawGame.score(jigsawGame.handResponse(truth.join(' ')), truth).overall).toBeCloseTo(1.1);
      expect(jigsawGame.score('', truth)).toMatchObject({ overall: 0, action: null });
    }
  });

  it('the export truth round-trips and regenerates the very question from its seed and grid', () => {
    for (const q of questions) {
      const e = jigsawGame.exportTruth(q, jigsawGame.truth(q), q.seed);
      expect(JSON.stringify(e)).toBe(JSON.stringify({ game: 'jigsaw', answer: q.answer, grid, seed: q.seed }));
      const back = jigsawGame.parseExportTruth(JSON.parse(JSON.stringify(e)) as Record<string, unknown>);
      expect(back).toEqual(e);
      expect(jigsawGame.truthOfExport(back)).toEqual(q.answer);
      expect(jigsawGame.stateOfExport(back)).toEqual(q);
      // Without a seed the truth still scores, but regenerates nothing.
      expect(jigsawGame.stateOfExport(jigsawGame.parseExportTruth({ game: 'jigsaw', answer: q.answer }))).toBeNull();
    }
  });

  it('refuses export truths that are not a permutation or disagree with their grid', () => {
    expect(() => jigsawGame.parseExportTruth({ game: 'jigsaw', answer: [1, 1, 2, 3] })).toThrow(/permutation/);
    expect(() => jigsawGame.parseExportTruth({ game: 'jigsaw', answer: '[1, 2, 3, 4]' })).toThrow(/permutation/);
    expect(() => jigsawGame.parseExportTruth({ game: 'jigsaw', answer: [2, 1, 4, 3], grid: 3 })).toThrow(/grid/);
    expect(() => jigsawGame.parseState({ seed: 1 })).toThrow(/Jigsaw state/);
    expect(jigsawGame.parseState(JSON.parse(JSON.stringify(questions[0])))).toEqual(questions[0]);
  });

  it('bots: the solver always scores 1.1 with its trace, random guesses in the answer format', () => {
    const rng = new Rng(3);
    for (const q of questions) {
      const solver = jigsawGame.bots['solver']!(q, rng);
      expect(solver.text).toBe(jigsawTrace(q).response);
      expect(solver.action).toBe(formatPermutation(q.answer));
      expect(jigsawGame.score(solver.text, jigsawGame.truth(q)).overall).toBeCloseTo(1.1);
      const random = jigsawGame.bots['random']!(q, rng);
      const v = jigsawGame.score(random.text, jigsawGame.truth(q));
      expect(v.format).toBeCloseTo(0.1);
      expect(v.action).toBe(random.action);
      expect(jigsawGame.trace!(q)).toBe(solver.text);
    }
  });

  it('prompts are the game prompts; scenes are exact at multiples of the grid and scaled elsewhere', () => {
    const q = questions[0]!;
    for (const variant of ['full', 'compact'] as const) expect(jigsawGame.prompt(q, variant)).toBe(jigsawPrompt(q, { variant }));
    expect(jigsawGame.scenes(q, { size: 72, axes: true })).toEqual([jigsawScene(q, 72)]);
    const odd = jigsawScenesAt(q, 101)[0]!;
    expect([odd.width, odd.height]).toEqual([101, 101]);
    for (const item of odd.items) if (item.kind === 'rect') expect(item.x + item.w).toBeLessThanOrEqual(101 + 1e-9);
  });

  it('marks number the tiles 1..N in reading order for a person; without marks (every model image) no text is drawn', () => {
    const q = questions[0]!;
    for (const size of [150, 200, 101]) {
      const plain = jigsawGame.scenes(q, { size, axes: true })[0]!;
      expect(plain.items.some((i) => i.kind === 'text')).toBe(false);
      const marked = jigsawGame.scenes(q, { size, axes: false, marks: true })[0]!;
      expect(marked.items.slice(0, plain.items.length)).toEqual(plain.items);
      const numbers = marked.items.filter((i) => i.kind === 'text');
      expect(numbers.map((t) => t.text)).toEqual(Array.from({ length: grid * grid }, (_, i) => String(i + 1)));
      const tile = size / grid;
      numbers.forEach((t, i) => {
        // Each number sits inside the top-left quarter of its own tile.
        expect(Math.floor(t.x / tile)).toBe(i % grid);
        expect(Math.floor(t.y / tile)).toBe(Math.floor(i / grid));
        expect((t.x % tile) / tile).toBeLessThan(0.5);
      });
    }
  });
});

describe('jigsawGame report tally: tiles right', () => {
  it('is the mean share of positions whose tile is right; no permutation places none', () => {
    const q = jigsawQuestion(5, { grid: 2 });
    const t = q.answer;
    const tally = jigsawGame.tally!();
    const say = (list: string) => jigsawGame.score(`<think></think><answer>${list}</answer>`, t);
    tally.add(say(formatPermutation(t)), t, q); // 4 of 4
    tally.add(say(formatPermutation([t[1]!, t[0]!, t[2]!, t[3]!])), t, q); // 2 of 4
    tally.add(say('[1, 1, 2, 3]'), t, q); // not a permutation: 0
    tally.add(jigsawGame.score('no answer', t), t, q); // 0
    expect(tally.fields(4)).toEqual({ tiles_right: (1 + 0.5) / 4 });
  });

  it('reaches the report: the solver places every tile, the random bot about one in four', async () => {
    const solver = await evaluatePolicy(new BotPolicy('solver', 1), 'jigsaw', 40, 1000);
    const random = await evaluatePolicy(new BotPolicy('random', 1), 'jigsaw', 40, 1000);
    expect(solver.tiles_right).toBe(1);
    expect(random.tiles_right).toBeGreaterThan(0.1);
    expect(random.tiles_right).toBeLessThan(0.45);
  });
});

describe('jigsawGame held-out set and keys', () => {
  it('draws the held-out questions from the shared heldOut stream, 2 x 2, and rejects other games’ variants', () => {
    const held = jigsawGame.heldOut(5, 1000);
    expect(held.map((q) => q.seed)).toEqual(jigsawHeldOutSeeds(5, 1000));
    expect(held.every((q) => q.grid === 2)).toBe(true);
    expect(() => heldOutPositions('jigsaw', 5, 1000, { minLength: 3 })).toThrow(/minLength is a held-out variant of Snake; Jigsaw has none/);
    expect(() => heldOutPositions('jigsaw', 5, 1000, { classes: 'three' })).toThrow(/Jigsaw has none/);
  });

  it('the 3 x 3 variant asks the same question seeds over the larger grid; the report names it', () => {
    const held = heldOutPositions('jigsaw', 5, 1000, { grid: 3 }).map((p) => p.state as ReturnType<typeof jigsawQuestion>);
    expect(held.map((q) => q.seed)).toEqual(jigsawHeldOutSeeds(5, 1000));
    expect(held.every((q) => q.grid === 3 && q.answer.length === 9)).toBe(true);
    expect(held.map((q) => q.answer)).toEqual(held.map((q) => jigsawQuestion(q.seed, { grid: 3 }).answer));
    expect(heldOutPositions('jigsaw', 5, 1000, { grid: 2 }).map((p) => p.state)).toEqual(jigsawGame.heldOut(5, 1000));
    expect(() => jigsawGame.heldOut(5, 1000, { grid: 4 })).toThrow(/grid must be one of 2, 3, got 4/);
    expect(heldOutSetFields({ grid: 3 })).toEqual({ grid: 3 });
    expect(heldOutSetFields({ grid: 2 })).toEqual({});
    expect(heldOutSetOf(heldOutSetFields({ grid: 3 }))).toEqual({ grid: 3 });
    expect(heldOutSetLabel({ grid: 3 })).toBe(', 3x3 grid');
  });

  it('excludes the seed and the picture: another shuffle of the same picture shares a key', () => {
    const q = jigsawQuestion(9);
    const reshuffled = { ...q, seed: 10, shown: [...q.shown].reverse() };
    expect(jigsawGame.exclusionKeys(q)).toContain('seed:9');
    expect(jigsawGame.exclusionKeys(reshuffled).filter((k) => jigsawGame.exclusionKeys(q).includes(k))).toHaveLength(1);
    expect(jigsawGame.stateKey(reshuffled)).not.toBe(jigsawGame.stateKey(q));
    expect(jigsawGame.exportKey(q)).toBe(jigsawGame.stateKey(q));
  });
});

describe('Jigsaw through the generic Play store and URL', () => {
  it('a link carries the grid; the store plays it and the right answer scores 1.1', () => {
    const link = parseLink('?game=jigsaw&seed=7&grid=3');
    expect(link).toEqual({ game: 'jigsaw', seed: 7, grid: 3 });
    expect(formatLink(link)).toBe('?game=jigsaw&seed=7&grid=3');
    expect(parseLink('?game=jigsaw&seed=7&grid=5')).toEqual({ game: 'jigsaw', seed: 7, grid: 2 });
    expect(formatLink({ game: 'jigsaw', seed: 7, grid: 2 })).toBe('?game=jigsaw&seed=7');
    const store = createQuestionPlayStore(link as Parameters<typeof createQuestionPlayStore>[0]);
    const q = store.getState().question as ReturnType<typeof jigsawQuestion>;
    expect(q).toEqual(jigsawQuestion(7, { grid: 3 }));
    store.getState().answerWith(formatPermutation(q.answer));
    expect(store.getState().answer?.verdict.overall).toBeCloseTo(1.1);
    store.getState().configure({ grid: 2 });
    expect(store.getState().question).toEqual(jigsawQuestion(7, { grid: 2 }));
  });
});
