import { GAME_IDS, gameOf } from '../games/registry';

/**
 * Whether a key event belongs to a form control (typing a seed, moving a slider, choosing an option), in
 * which case the game's global shortcuts must leave it alone. Checkboxes and buttons do not use arrows.
 */
export function keyBelongsToControl(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA') return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
  return false;
}

export type AppMode = 'watch' | 'play' | 'evaluate' | 'explore' | 'train';

/** One keyboard shortcut as the help overlay lists it. */
export interface KeyHelp {
  keys: string[];
  does: string;
}

/**
 * Every shortcut of the app, by mode: the one list the help overlay (`?`) shows. Each view binds its own
 * keys; keep this list in step with those handlers (WatchView, ExploreView, TrainView; the games' Play keys come from the registry).
 */
export const KEY_HELP: Record<AppMode | 'everywhere', { title: string; keys: KeyHelp[] }> = {
  everywhere: {
    title: 'Everywhere',
    keys: [
      { keys: ['?'], does: 'Open this help' },
      { keys: ['Esc'], does: 'Close this help' },
    ],
  },
  watch: {
    title: 'Watch the model',
    keys: [
      { keys: ['Space'], does: 'Play / pause' },
      { keys: ['N'], does: 'Play one step' },
      { keys: ['R'], does: 'Restart the game' },
    ],
  },
  play: {
    title: 'Play yourself',
    // Each game lists its own Play keys (games/<id>/game.ts), so a new game's view documents itself here.
    keys: GAME_IDS.flatMap((id) => {
      const game = gameOf(id);
      return game.playKeys.map((k) => ({ keys: [...k.keys], does: `${game.title}: ${k.does}` }));
    }),
  },
  evaluate: { title: 'Evaluate', keys: [{ keys: ['Enter'], does: 'Run the evaluation (in the set-up form)' }] },
  explore: {
    title: 'Explore',
    keys: [
      { keys: ['←', '→'], does: 'Previous / next step' },
      { keys: ['Home', 'End'], does: 'First / last step' },
      { keys: ['B'], does: 'Branch here, then arrows choose the move (Esc cancels)' },
    ],
  },
  train: {
    title: 'Train',
    keys: [
      { keys: ['Space'], does: 'Start, pause, resume' },
      { keys: ['Esc'], does: 'Stop the run' },
    ],
  },
};
