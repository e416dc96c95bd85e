/**
 * Every registered game keeps the interface's promises (games/game.ts), so the generic code can rely on
 * them: a new game registered in games/all.ts is checked here with no test of its own to add.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../util/rng';
import { GAME_IDS, gameOf, isGameId, parseGameId, questionGame } from './registry';

describe.each(GAME_IDS)('registered game %s', (id) => {
  const game = gameOf(id);
  const states = game.heldOut(4, 1000);

  it('is registered under its own id, with words for people', () => {
    expect(game.id).toBe(id);
    expect(isGameId(id)).toBe(true);
    expect(game.title.length).toBeGreaterThan(0);
    expect(game.blurb.length).toBeGreaterThan(0);
    expect(['env', 'question']).toContain(game.kind);
  });

  it('documents its Play keys for the help overlay', () => {
    expect(game.playKeys.length).toBeGreaterThan(0);
    for (const k of game.playKeys) {
      expect(k.keys.length).toBeGreaterThan(0);
      expect(k.does.length).toBeGreaterThan(0);
    }
  });

  it('draws the same held-out states from the same seed, distinct by state key', () => {
    expect(game.heldOut(4, 1000)).toEqual(states);
    expect(new Set(states.map((s) => game.stateKey(s))).size).toBe(states.length);
    for (const s of states) expect(game.exclusionKeys(s).length).toBeGreaterThan(0);
  });

  it('scores a perfect response 1.1, parses its action, and an empty one 0', () => {
    for (const s of states) {
      const truth = game.truth(s);
      expect(game.parseTruth(JSON.parse(JSON.stringify(truth)))).toEqual(truth);
      const perfect = game.perfectResponse(truth);
      const v = game.score(perfect, truth);
      expect(v.overall).toBeCloseTo(1.1);
      expect(game.parse(perfect)).toBe(v.action);
      expect(game.score('', truth).overall).toBe(0);
      expect(game.truthText(truth).length).toBeGreaterThan(0);
    }
  });

  it("the solver's traces, where it has one, earn full marks", () => {
    if (!game.trace) return;
    for (const s of states) {
      const trace = game.trace(s);
      if (trace !== null) expect(game.score(trace, game.truth(s)).overall).toBeCloseTo(1.1);
    }
  });

  it('writes both prompt variants and at least one image per state', () => {
    for (const s of states) {
      for (const variant of ['full', 'compact'] as const) expect(game.prompt(s, variant).length).toBeGreaterThan(0);
      const scenes = game.scenes(s, { size: 64, axes: false });
      expect(scenes.length).toBeGreaterThan(0);
      expect(scenes[0]!.width).toBe(64);
      expect(game.imageOnlyPrompt(game.prompt(s, 'full')).length).toBeGreaterThan(0);
    }
  });

  it('round-trips its export truth, which names the game first', () => {
    for (const [i, s] of states.entries()) {
      const truth = game.truth(s);
      const exported = game.exportTruth(s, truth, 7 + i);
      expect(Object.keys(exported)[0]).toBe('game');
      expect(exported.game).toBe(id);
      const back = game.parseExportTruth(JSON.parse(JSON.stringify(exported)) as Record<string, unknown>);
      expect(game.truthOfExport(back)).toEqual(truth);
      expect(game.exportKey(s).length).toBeGreaterThan(0);
    }
  });

  it('bots answer in the game format', () => {
    for (const [name, play] of Object.entries(game.bots)) {
      const { action, text } = play(states[0], new Rng(1));
      expect(game.parse(text), name).toBe(action);
      expect(game.score(text, game.truth(states[0])).format, name).toBeCloseTo(0.1);
    }
  });

  it('a question game: questions are pure functions of seed and settings, and links round-trip', () => {
    const q = questionGame(id);
    if (!q) return;
    const settings = q.settings.default;
    expect(q.question(5, settings)).toEqual(q.question(5, settings));
    const state = q.question(5, settings);
    expect(q.settings.of(state)).toEqual(settings);
    const params = q.settings.format(settings);
    expect(q.settings.parse((key) => params[key] ?? null)).toEqual(settings);
    expect(q.bots['random']).toBeDefined();
    expect(q.view.last).toBeGreaterThan(0);
    expect(q.ask(state, q.scenes(state, { size: 32, axes: false }).length).length).toBeGreaterThan(0);
    const exported = q.exportTruth(state, q.truth(state), 5);
    expect(q.stateOfExport(q.parseExportTruth(JSON.parse(JSON.stringify(exported)) as Record<string, unknown>))).toEqual(state);
  });
});

describe('registry', () => {
  it('lists Snake first, and refuses an unknown id naming the valid ones', () => {
    expect(GAME_IDS[0]).toBe('snake');
    expect(() => parseGameId('chess')).toThrow(/'snake' or 'rotation'|'snake'/);
  });
});
