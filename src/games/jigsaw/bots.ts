/**
 * Jigsaw's rule-based players, as decision functions a Policy wraps (src/policy/bots.ts does so for
 * Snake and Rotation). Like the Snake bots they read the question, not the image, and they write their
 * choice in the game's answer format, so the same verifier scores them as a model.
 * - solver: the exact answer (an upper bound, and a check of the whole pipeline: it must score 1.1);
 * - random: a uniformly random permutation of the tiles (the chance baseline: right 1 time in N!).
 */
import type { Rng } from '../../util/rng';
import { formatPermutation, type JigsawQuestion } from './task';
import { jigsawTrace } from './trace';

export const JIGSAW_BOT_NAMES = ['solver', 'random'] as const;
export type JigsawBotName = (typeof JIGSAW_BOT_NAMES)[number];

/** A bot's decision: the permutation it answers (1-based tile per restored position). */
export type JigsawBot = (q: JigsawQuestion, rng: Rng) => number[];

export const JIGSAW_BOTS: Readonly<Record<JigsawBotName, JigsawBot>> = {
  solver: (q) => [...q.answer],
  random: (q, rng) => rng.shuffle(Array.from({ length: q.grid * q.grid }, (_, i) => i + 1)),
};

/** A bot's full response, in the answer format: the solver writes its trace, the random bot says it guessed. */
export function jigsawBotResponse(bot: JigsawBotName, q: JigsawQuestion, rng: Rng): { text: string; action: number[] } {
  const decide = JIGSAW_BOTS[bot];
  if (decide === undefined) throw new Error(`unknown Jigsaw bot '${String(bot)}'; valid bots: ${JIGSAW_BOT_NAMES.join(', ')}`);
  const action = decide(q, rng);
  if (bot === 'solver') return { text: jigsawTrace(q).response, action };
  const n = q.grid * q.grid;
  return { text: `<think>A uniform guess among the ${n}! orders of ${n} tiles.</think><answer>${formatPermutation(action)}</answer>`, action };
}
