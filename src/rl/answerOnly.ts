/**
 * Answer-only RL (ViGaL's no-reasoning ablation), the Train demo's task: the response scaffold
 * `<think></think><best_answer>` is forced, and the model only chooses the move that follows, one of
 * UP, DOWN, LEFT, RIGHT (one token each). A sample is then one forward of the prompt: the group's G
 * samples are G draws from that one softmax over the four moves, so a step costs a handful of
 * forwards instead of hundreds of decode steps, and the rewards of a young policy spread within a group.
 *
 * The reward is the best-move half of ViGaL's Snake verifier: 1 when the move named is one of the best
 * moves (`snakeLabels(state).best`), else 0. Held-out accuracy is the same test on the greedy move
 * (the most likely of the four).
 */
import { MOVES, snakeLabels, type Move, type SnakeState } from '../games/snake';
import { patchDim } from '../model/config';
import type { Tokenizer } from '../model/tokenizer';
import { disposeCache, type NanoModel } from '../runtime/model';
import type { Rng } from '../util/rng';

/** Forced after the prompt: an empty think block and the opening answer tag. */
export const ANSWER_SCAFFOLD = '<think></think><best_answer>';

/** The four moves' token ids, in canonical order (UP, DOWN, LEFT, RIGHT). */
export function moveTokenIds(tok: Tokenizer): number[] {
  return MOVES.map((m) => {
    const ids = tok.encode(m);
    if (ids.length !== 1) throw new Error(`answer-only RL needs each move to be one token; the tokenizer splits ${m} into ${ids.length}`);
    return ids[0] as number;
  });
}

/** The forced scaffold's token ids (appended to the prompt ids). */
export function scaffoldIds(tok: Tokenizer): number[] {
  return tok.encode(ANSWER_SCAFFOLD);
}

/** Additive logit mask: 0 on the four move ids, -1e9 elsewhere (the trainer's softmax is over the moves). */
export function moveLogitMask(tok: Tokenizer, vocabSize: number): Float32Array {
  const mask = new Float32Array(vocabSize).fill(-1e9);
  for (const id of moveTokenIds(tok)) mask[id] = 0;
  return mask;
}

/** The text a choice stands for (the scaffold, the move and the closing tag). */
export function answerText(move: Move): string {
  return `${ANSWER_SCAFFOLD}${move}</best_answer>`;
}

/** 1 when `move` is one of the state's best moves (the best-move half of the Snake verifier). */
export function bestMoveReward(state: SnakeState, move: Move | null): number {
  return move !== null && snakeLabels(state).best.includes(move) ? 1 : 0;
}

/** The expected reward of a uniformly random move on these states (the chart's floor). */
export function randomMoveAccuracy(states: readonly SnakeState[]): number {
  if (states.length === 0) return 0;
  return states.reduce((s, st) => s + snakeLabels(st).best.length / MOVES.length, 0) / states.length;
}

/**
 * The four moves' logits after `promptIds` (which end with the scaffold): one forward, no cache kept.
 * Returned in canonical move order.
 */
export async function moveLogits(model: NanoModel, promptIds: readonly number[], patches: Float32Array, moveIds: readonly number[]): Promise<number[]> {
  const numPatches = patches.length / patchDim(model.config);
  const { logits, present } = await model.forward({ patches, numPatches, inputIds: [...promptIds], batch: 1, past: null });
  disposeCache(present);
  const V = model.config.vocabSize;
  const last = (promptIds.length - 1) * V;
  return moveIds.map((id) => logits[last + id] as number);
}

/** log-softmax of `logits / temperature`. */
export function logSoftmax(logits: readonly number[], temperature: number): number[] {
  const z = logits.map((l) => l / temperature);
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((s, x) => s + Math.exp(x - m), 0));
  return z.map((x) => x - lse);
}

/** Draws one index from exp(logp). */
export function sampleIndex(logp: readonly number[], rng: Rng): number {
  const u = rng.next();
  let acc = 0;
  for (const [i, lp] of logp.entries()) {
    acc += Math.exp(lp);
    if (u < acc) return i;
  }
  return logp.length - 1;
}

/** The most likely index (ties: the first, i.e. canonical order). */
export function argmax(xs: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if ((xs[i] as number) > (xs[best] as number)) best = i;
  return best;
}
