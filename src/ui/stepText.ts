/** One-line summaries of a step's answer and ground truth, as Watch and Explore show them. */
import type { SnakeResult } from '../games/snake';
import { gameOf, type GameId, type GameTruth } from '../games/registry';
import type { RewardParts } from '../games/types';

/** A reward and its parts, as every view shows them: "1.1 = format 0.1 + accuracy 1.0". */
export function rewardPartsText(r: RewardParts): string {
  return `${r.overall.toFixed(1)} = format ${r.format.toFixed(1)} + accuracy ${r.accuracy.toFixed(1)}`;
}

/** The truth in the game's words (Snake: best and worst moves; a question game: its answer). */
export function truthText(game: GameId, truth: GameTruth): string {
  return gameOf(game).truthText(truth);
}

/** Snake: the best move the answer names and its worst list as written; a question game: the answer named. */
export function answerText(game: GameId, step: { text: string; action: string | null }): string {
  if (gameOf(game).kind === 'question') return step.action ?? '(no answer)';
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
