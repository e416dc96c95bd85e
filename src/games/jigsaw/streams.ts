/**
 * Which seeds Jigsaw questions come from, per use, through the project's stream registry
 * (src/util/streams.ts), mirroring Rotation: a question is a pure function of its seed, so a set of
 * questions is a list of seeds. Held-out and SFT held-out reuse the game-independent streams Rotation
 * uses ('heldOut', 'sftHeldOut'): the same seeds draw a different game's question, so nothing is shared.
 * Export and Watch have streams of their own ('exportJigsaw', 'watchJigsaw'), as Rotation's do.
 */
import { deriveSeed } from '../../util/rng';
import { streamSeed } from '../../util/streams';
import { jigsawQuestion, type JigsawOptions, type JigsawQuestion } from './task';

/** The question seeds of the held-out set (`vigal eval`, Evaluate, RL held-out), cheap: no question is drawn. */
export function jigsawHeldOutSeeds(n: number, seed: number): number[] {
  const base = streamSeed(seed, 'heldOut');
  return Array.from({ length: n }, (_, i) => deriveSeed(base, i));
}

/** The held-out questions of (n, seed). */
export function jigsawHeldOut(n: number, seed: number, opts: Partial<JigsawOptions> = {}): JigsawQuestion[] {
  return jigsawHeldOutSeeds(n, seed).map((s) => jigsawQuestion(s, opts));
}

/** SFT / RL training question i of a data seed (as rotationSource: deriveSeed(seed, i)). */
export function jigsawTrainSeed(seed: number, i: number): number {
  return deriveSeed(seed, i);
}

/** The supervised trainer's held-out question i of a data seed. */
export function jigsawSftHeldOutSeed(seed: number, i: number): number {
  return deriveSeed(streamSeed(seed, 'sftHeldOut'), i);
}

/** `vigal export`'s Jigsaw sample i of an export seed. */
export function jigsawExportSeed(seed: number, i: number): number {
  return deriveSeed(streamSeed(seed, 'exportJigsaw'), i);
}

/** Watch mode's Jigsaw question i of a game seed. */
export function jigsawWatchSeed(seed: number, i: number): number {
  return deriveSeed(streamSeed(seed, 'watchJigsaw'), i);
}
