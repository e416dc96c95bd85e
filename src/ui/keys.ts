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
