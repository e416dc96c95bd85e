/**
 * The games' own views, found by file name: a game's folder may hold `ui/Play.tsx` exporting `Play`
 * (Rotation's does), the ui layer inside the game's folder (.dependency-cruiser.cjs, tsconfig.core.json).
 * Vite resolves the glob at build time, so a new game's view needs no line here; a question game without
 * one is played with the generic QuestionPlay.
 */
import type { ComponentType } from 'react';
import type { GameId } from '../games/registry';
import type { QuestionPlayStore } from '../store/questionPlay';
import { QuestionPlay } from './QuestionPlay';

type PlayView = ComponentType<{ store: QuestionPlayStore }>;

const PLAY_VIEWS = import.meta.glob<{ Play: PlayView }>('../games/*/ui/Play.tsx', { eager: true });

/** The Play view of a question game: its own, or the generic one. */
export function questionPlayView(game: GameId): PlayView {
  return PLAY_VIEWS[`../games/${game}/ui/Play.tsx`]?.Play ?? QuestionPlay;
}
