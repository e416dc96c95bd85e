/**
 * The person at the keyboard as a policy: `act` waits until the UI calls `provide` with a choice (or
 * the signal aborts), so a human can take any seat a bot or a model can.
 */
import { FULL_OBSERVATION, observe } from './observe';
import type { ActOptions, Observation, Policy, PolicyResult, Position } from './types';

export class HumanPolicy implements Policy {
  readonly kind = 'human' as const;
  readonly id = 'human';
  readonly label = 'You';
  readonly games = ['snake', 'rotation'] as const;
  private pending: { resolve: (action: string) => void; started: number; game: Observation['game'] } | null = null;

  /** True while a choice is awaited. */
  get waiting(): boolean {
    return this.pending !== null;
  }

  observe(position: Position): Observation {
    return observe(position, FULL_OBSERVATION);
  }

  act(obs: Observation, opts: ActOptions = {}): Promise<PolicyResult> {
    if (this.pending) return Promise.reject(new Error('HumanPolicy: already waiting for a choice'));
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const onAbort = () => {
        this.pending = null;
        reject(new DOMException('the human move was cancelled', 'AbortError'));
      };
      if (opts.signal?.aborted) return onAbort();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending = {
        started,
        game: obs.game,
        resolve: (action) => {
          opts.signal?.removeEventListener('abort', onAbort);
          this.pending = null;
          const text = obs.game === 'snake'
            ? `<think>Chosen by hand.</think><best_answer>${action}</best_answer><worst_answer>None</worst_answer>`
            : `<think>Chosen by hand.</think><answer>${action}</answer>`;
          opts.streamer?.put(text);
          opts.streamer?.end();
          resolve({ text, action, timings: { totalMs: Date.now() - started } });
        },
      };
    });
  }

  /** Hands the awaited choice over; returns false when nothing was awaited. */
  provide(action: string): boolean {
    if (!this.pending) return false;
    this.pending.resolve(action);
    return true;
  }
}
