/**
 * The Rotation play session: one question (a seeded object shown before and after an in-plane
 * rotation), answered with a button and scored by the same verifier that scores models.
 */
import { createStore } from 'zustand/vanilla';
import { ROTATION_CLASS_SETS, rotationQuestion, scoreRotation, type RotationQuestion, type RotationVerdict } from '../games/rotation';
import type { RotationClassSet, RotationLink } from './url';

export interface RotationAnswer {
  label: string;
  /** The response text the human's choice stands for, as a model would have to write it. */
  response: string;
  verdict: RotationVerdict;
}

export interface RotationPlayState {
  link: RotationLink;
  question: RotationQuestion;
  answer: RotationAnswer | null;
  /** Running tally over the questions answered in this session. */
  answered: number;
  correct: number;

  load(link: RotationLink): void;
  answerWith(label: string): void;
  next(): void;
  setClassSet(classSet: RotationClassSet): void;
  setExample(on: boolean): void;
}

export const classesFor = (link: RotationLink): string[] => [...ROTATION_CLASS_SETS[link.classSet]];

const makeQuestion = (link: RotationLink): RotationQuestion => rotationQuestion(link.seed, { classes: classesFor(link), example: link.example });

export function createRotationPlayStore(initial: RotationLink) {
  return createStore<RotationPlayState>()((set, get) => ({
    link: initial,
    question: makeQuestion(initial),
    answer: null,
    answered: 0,
    correct: 0,

    load(link) {
      set({ link, question: makeQuestion(link), answer: null });
    },
    answerWith(label) {
      if (get().answer) return;
      const response = `<think>I compared the two views.</think><answer>${label}</answer>`;
      const verdict = scoreRotation(response, get().question.answer);
      set((s) => ({
        answer: { label, response, verdict },
        answered: s.answered + 1,
        correct: s.correct + (verdict.accuracy > 0 ? 1 : 0),
      }));
    },
    next() {
      get().load({ ...get().link, seed: (get().link.seed + 1) >>> 0 });
    },
    setClassSet(classSet) {
      get().load({ ...get().link, classSet });
    },
    setExample(example) {
      get().load({ ...get().link, example });
    },
  }));
}

export type RotationPlayStore = ReturnType<typeof createRotationPlayStore>;
