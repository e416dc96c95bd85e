/** One-line summaries of a step's answer and ground truth, as Watch and Explore show them. */
import type { SnakeLabels, SnakeResult } from '../games/snake';
import type { GameId } from '../games/registry';

export function truthText(truth: SnakeLabels | string): string {
  if (typeof truth === 'string') return truth;
  return `best ${truth.best.join(' / ') || '(none)'} · worst ${truth.worst.join(', ') || 'None'}`;
}

/** Snake: the best move the answer names and its worst list as written; Rotation: the label named. */
export function answerText(game: GameId, step: { text: string; action: string | null }): string {
  if (game === 'rotation') return step.action ?? '(no answer)';
  const worst = /<worst_answer>([\s\S]*?)<\/worst_answer>/.exec(step.text)?.[1]?.trim();
  return `best ${step.action ?? '(none)'} · worst ${worst || '(missing)'}`;
}

/** A finished Snake game in words: who won and why ("The model wins: the greedy bot crashed (round 12, 3 to 1)."). */
export function resultText(result: SnakeResult, me: string, them: string): string {
  const score = `round ${result.rounds}, ${result.scores[1] ?? 0} to ${result.scores[2] ?? 0}`;
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  if (result.reason === 'all-dead') return `Tie: both snakes crashed in the same round (${score}).`;
  if (result.reason === 'death') {
    if (result.winner === 1) return `${me} wins: ${them} crashed (${score}).`;
    if (result.winner === 2) return `${cap(them)} wins: ${me.charAt(0).toLowerCase() + me.slice(1)} crashed (${score}).`;
    return `Game over: the snake crashed (${score}).`;
  }
  if (result.winner === 1) return `${me} wins on apples: the round limit was reached (${score}).`;
  if (result.winner === 2) return `${cap(them)} wins on apples: the round limit was reached (${score}).`;
  return `Tie on apples: the round limit was reached (${score}).`;
}
