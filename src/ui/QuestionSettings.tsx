/**
 * The Question panel of a question game's Play view: the seed, then the game's own settings (its
 * children). Shared by the generic QuestionPlay and the games' own views (src/games/<id>/ui/).
 */
import type { ReactNode } from 'react';
import type { QuestionPlayStore } from '../store/questionPlay';
import type { QuestionLink } from '../store/url';

export function QuestionSettings({ store, link, children }: { store: QuestionPlayStore; link: QuestionLink; children?: ReactNode }) {
  return (
    <section className="panel" aria-label="Question settings">
      <header className="panel-head">
        <h2>Question</h2>
      </header>
      <div className="form-grid">
        <label>
          Seed
          <input
            type="number"
            min={0}
            value={link.seed}
            onChange={(e) => e.target.value !== '' && store.getState().load({ ...link, seed: Number(e.target.value) >>> 0 })}
          />
        </label>
        {children}
      </div>
    </section>
  );
}
