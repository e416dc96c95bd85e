/**
 * What a first visit needs to read the page: one line per mode saying what it is for, a one-time hint
 * of what Watch mode shows (dismissed once, remembered in localStorage), and the keyboard help (`?`).
 */
import { useEffect, useRef, useState } from 'react';
import { KEY_HELP, type AppMode } from './keys';

export const MODE_INTRO: Record<AppMode, string> = {
  watch: 'Watch a model play: the pixels it sees, its reasoning as it writes it, its answer against the truth, and the reward.',
  play: 'Play the game yourself, and see the exact prompt and pixels a model would get for the same position.',
  evaluate: 'Compare models, bots and yourself on the same held-out questions, and (Snake) in head-to-head games.',
  explore: 'Step through every saved game: what the player saw, wrote and earned at each step; branch off anywhere.',
  train: 'Train the nano model with RL on the game’s reward, in this tab, and watch its rewards, answers and held-out accuracy change.',
};

/** localStorage key of the dismissed Watch hint. */
export const WATCH_HINT_KEY = 'vigal.hint.watch.dismissed';

function storedFlag(key: string): boolean {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false; // storage disabled: the hint shows each visit, and can still be closed
  }
}

export function WatchHint() {
  const [dismissed, setDismissed] = useState(() => storedFlag(WATCH_HINT_KEY));
  if (dismissed) return null;
  const dismiss = () => {
    setDismissed(true);
    try {
      localStorage.setItem(WATCH_HINT_KEY, '1');
    } catch {
      // storage disabled: closed for this visit only
    }
  };
  return (
    <aside className="watch-hint" aria-label="What is on screen" data-testid="watch-hint">
      <ol>
        <li>
          <b>The game</b>: the model plays it, against a bot in Snake.
        </li>
        <li>
          <b>The model’s pixels</b>: the small image is exactly what it is shown, with the prompt below.
        </li>
        <li>
          <b>Its trace</b>: the reasoning it writes, token by token.
        </li>
        <li>
          <b>Answer against truth</b>, and the <b>reward</b>: 0.1 for the right format + 1.0 when right.
        </li>
      </ol>
      <button onClick={dismiss} aria-label="Dismiss the hint">
        Got it
      </button>
    </aside>
  );
}

/** The keyboard help: a modal dialog (the page behind is inert), closed by Escape, the button or a click outside. */
export function HelpOverlay({ open, mode, onClose }: { open: boolean; mode: AppMode; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  const sections = [
    KEY_HELP[mode],
    ...(['watch', 'play', 'evaluate', 'explore', 'train'] as const).filter((m) => m !== mode).map((m) => KEY_HELP[m]),
    KEY_HELP.everywhere,
  ];
  return (
    <dialog
      ref={dialog}
      className="help"
      aria-labelledby="help-title"
      data-testid="help"
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      // Keys pressed here are the dialog's: none reaches the views' shortcuts (Space would start a training run).
      // Tab cycles through the dialog's own controls (the page behind is inert, but Tab could leave for the browser's).
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key !== 'Tab' || !dialog.current) return;
        const focusable = [...dialog.current.querySelectorAll<HTMLElement>('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])')];
        const first = focusable[0];
        const last = focusable.at(-1);
        if (!first || !last) return;
        if (e.shiftKey ? document.activeElement === first : document.activeElement === last) {
          e.preventDefault();
          (e.shiftKey ? last : first).focus();
        }
      }}
      onClick={(e) => e.target === dialog.current && onClose()}
    >
      <header className="panel-head">
        <h2 id="help-title">Keyboard shortcuts</h2>
        <button onClick={onClose} autoFocus>
          Close
        </button>
      </header>
      <p className="note">The mode on screen first. Shortcuts pause while you type in a field.</p>
      <div className="help-sections">
        {sections.map((s) => (
          <section key={s.title} aria-label={s.title}>
            <h3>{s.title}</h3>
            <dl>
              {s.keys.map((k) => (
                <div key={k.does}>
                  <dt>
                    {k.keys.map((key) => (
                      <kbd key={key}>{key}</kbd>
                    ))}
                  </dt>
                  <dd>{k.does}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </dialog>
  );
}
