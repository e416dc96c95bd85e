/**
 * The person at the keyboard as an evaluated policy: Evaluate mode asks them the held-out questions one
 * by one and scores their answers like any model's. Unlike a move chosen in Play mode (no worst-move
 * list), a Snake answer here names the best move AND the set of fatal moves, so the human is judged on
 * the same two halves as a model (best-move and worst-move accuracy).
 */
import type { Move } from '../games/snake';
import { GAME_IDS, gameOf, type QuestionGameId } from '../games/registry';
import { FULL_OBSERVATION, observe } from '../policy/observe';
import type { ActOptions, Observation, Policy, PolicyResult, Position } from '../policy/types';

/** Snake's answer names both halves; a question game's is its answer, written in its own format. */
export type HumanAnswer = { game: 'snake'; best: Move; worst: Move[] } | { game: QuestionGameId; answer: string };

/** The answer written in the game's answer format (so the game's own reward scores it). */
export function humanAnswerText(a: HumanAnswer): string {
  if ('answer' in a) return gameOf(a.game).handResponse(a.answer);
  return `<think>Answered by hand.</think><best_answer>${a.best}</best_answer><worst_answer>${a.worst.length ? a.worst.join(', ') : 'None'}</worst_answer>`;
}

export class EvalHumanPolicy implements Policy {
  readonly kind = 'human' as const;
  readonly id = 'human';
  readonly label = 'You';
  readonly games = GAME_IDS;
  private pending: { obs: Observation; resolve: (a: HumanAnswer) => void; started: number } | null = null;

  /** `onAsk(obs)` when a question waits for an answer, `onAsk(null)` once it is answered or cancelled. */
  constructor(private readonly onAsk: (obs: Observation | null) => void) {}

  observe(position: Position): Observation {
    return observe(position, FULL_OBSERVATION);
  }

  act(obs: Observation, opts: ActOptions = {}): Promise<PolicyResult> {
    if (this.pending) return Promise.reject(new Error('EvalHumanPolicy: already waiting for an answer'));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.pending = null;
        this.onAsk(null);
        reject(new DOMException('the question was cancelled', 'AbortError'));
      };
      if (opts.signal?.aborted) return onAbort();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending = {
        obs,
        started: Date.now(),
        resolve: (answer) => {
          const started = this.pending?.started ?? Date.now();
          opts.signal?.removeEventListener('abort', onAbort);
          this.pending = null;
          this.onAsk(null);
          const text = humanAnswerText(answer);
          resolve({ text, action: 'answer' in answer ? answer.answer : answer.best, timings: { totalMs: Date.now() - started } });
        },
      };
      this.onAsk(obs);
    });
  }

  /** Hands over the answer to the waiting question; false when none waits or it is for the other game. */
  answer(a: HumanAnswer): boolean {
    if (!this.pending || this.pending.obs.game !== a.game) return false;
    this.pending.resolve(a);
    return true;
  }
}
