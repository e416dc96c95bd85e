/**
 * Play mode for any question game (games/game.ts, QuestionGame): one question per seed under the
 * link's settings, answered by hand and scored by the same verifier that scores models. The game's own
 * view (src/games/<id>/ui/Play.tsx) or the generic one (ui/QuestionPlay.tsx) drives it.
 */
import { createStore } from 'zustand/vanilla';
import type { GameVerdict } from '../games/game';
import { gameOf, questionGame } from '../games/registry';
import { linkSettings, type QuestionLink } from './url';

export interface QuestionAnswer {
  label: string;
  /** The response text the human's choice stands for, as a model would have to write it. */
  response: string;
  verdict: GameVerdict;
}

export interface QuestionPlayState {
  link: QuestionLink;
  question: unknown;
  /** The question's truth (what a right answer names). */
  truth: unknown;
  answer: QuestionAnswer | null;
  /** Running tally over the questions answered in this session. */
  answered: number;
  correct: number;

  load(link: QuestionLink): void;
  answerWith(label: string): void;
  next(): void;
  /** Changes settings (a new question at the same seed). */
  configure(settings: Record<string, unknown>): void;
}

function questionOf(link: QuestionLink): { question: unknown; truth: unknown } {
  const game = questionGame(link.game);
  if (!game) throw new Error(`questionPlay: ${link.game} is not a question game`);
  const question = game.question(link.seed, linkSettings(link));
  return { question, truth: game.truth(question) };
}

export function createQuestionPlayStore(initial: QuestionLink) {
  return createStore<QuestionPlayState>()((set, get) => ({
    link: initial,
    ...questionOf(initial),
    answer: null,
    answered: 0,
    correct: 0,

    load(link) {
      set({ link, ...questionOf(link), answer: null });
    },
    answerWith(label) {
      const { answer, link, truth } = get();
      if (answer) return;
      const game = gameOf(link.game);
      const response = game.handResponse(label);
      const verdict = game.score(response, truth);
      set((s) => ({
        answer: { label, response, verdict },
        answered: s.answered + 1,
        correct: s.correct + (verdict.accuracy > 0 ? 1 : 0),
      }));
    },
    next() {
      get().load({ ...get().link, seed: (get().link.seed + 1) >>> 0 });
    },
    configure(settings) {
      get().load({ ...get().link, ...settings });
    },
  }));
}

export type QuestionPlayStore = ReturnType<typeof createQuestionPlayStore>;
