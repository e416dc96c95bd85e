import { describe, expect, it } from 'vitest';
import { rotationQuestion } from '../games/rotation';
import { GAME_IDS, gameOf, isQuestionGameId } from '../games/registry';
import { createQuestionPlayStore } from './questionPlay';
import { defaultQuestionLink, formatLink, parseLink } from './url';

describe('question play store (any question game)', () => {
  it.each(GAME_IDS.filter(isQuestionGameId))('%s: the right answer scores 1.1, a wrong one 0.1; next asks the next seed', (id) => {
    const store = createQuestionPlayStore(defaultQuestionLink(id));
    // The answer a perfect response names, as a person would give it.
    const game = gameOf(id);
    const right = game.parse(game.perfectResponse(store.getState().truth));
    expect(right).not.toBeNull();
    store.getState().answerWith(right as string);
    expect(store.getState().answer?.verdict.overall).toBeCloseTo(1.1);
    expect(store.getState()).toMatchObject({ answered: 1, correct: 1 });
    store.getState().next();
    expect(store.getState().link.seed).toBe(2);
    expect(store.getState().answer).toBeNull();
    store.getState().answerWith('certainly not an option');
    expect(store.getState().answer?.verdict.overall).toBeCloseTo(0.1);
    expect(store.getState()).toMatchObject({ answered: 2, correct: 1 });
  });

  it('Rotation: the question is the one its link names, and settings change it (and the URL)', () => {
    const store = createQuestionPlayStore({ game: 'rotation', seed: 4, classSet: 'default', example: true });
    expect(store.getState().question).toEqual(rotationQuestion(4));
    store.getState().configure({ classSet: 'three', example: false });
    expect(store.getState().question).toEqual(rotationQuestion(4, { classes: ['clockwise 90', 'counter clockwise 90', '180'], example: false }));
    expect(formatLink(store.getState().link)).toBe('?game=rotation&seed=4&classes=three&example=0');
    expect(parseLink(formatLink(store.getState().link))).toEqual(store.getState().link);
  });
});
