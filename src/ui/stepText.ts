/** One-line summaries of a step's answer and ground truth, as Watch and Explore show them. */
import type { SnakeLabels } from '../games/snake';

export function truthText(truth: SnakeLabels | string): string {
  if (typeof truth === 'string') return truth;
  return `best ${truth.best.join(' / ') || '(none)'} · worst ${truth.worst.join(', ') || 'None'}`;
}

/** Snake: the best move the answer names and its worst list as written; Rotation: the label named. */
export function answerText(game: 'snake' | 'rotation', step: { text: string; action: string | null }): string {
  if (game === 'rotation') return step.action ?? '(no answer)';
  const worst = /<worst_answer>([\s\S]*?)<\/worst_answer>/.exec(step.text)?.[1]?.trim();
  return `best ${step.action ?? '(none)'} · worst ${worst || '(missing)'}`;
}
