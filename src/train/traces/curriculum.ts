/**
 * Issue 16's training data, as SftSources the existing pipeline (sft.node.ts's runSft, the RL prompt pool,
 * scripts/gpu/dump-*.ts) takes like snakeSource and rotationSource:
 *
 *   curriculumSnakeSource   Snake states with a length curriculum (games/snake/curriculum.ts: own length
 *                           1-5, 6-10, 11-15, 16-20, 21+, near walls, beside the enemy head), the same
 *                           solver traces and compact prompt as snakeSource;
 *   rotationClassesSource   Rotation questions over the three class sets (default, three, clockwise),
 *                           the same feature-point traces as rotationSource;
 *   jointSource             both, interleaved by index (a `rotationShare` of the indices are Rotation),
 *                           for a model whose config plays both games.
 *
 * Disjoint from every registered held-out set by construction (rl/heldOutKeys.ts): Snake states are
 * drawn with the held-out keys excluded, Rotation questions whose seed or object is held out are
 * replaced by the next candidate seed of their index. The sources' own held-out split (teacher-forced
 * SFT evaluation) comes from the 'curriculumHeldOut' stream with the training items excluded too.
 * None of this changes snakeSource or rotationSource: `vigal train sft` uses these only when asked
 * (`--data curriculum`, `--game joint`).
 */
import { rotationQuestion, rotationPrompt, ROTATION_CLASS_SETS, type RotationQuestion } from '../../games/rotation';
import { sampleCurriculumStates, snakePrompt, snakeStateKey, type CurriculumOptions, type SnakeState } from '../../games/snake';
import type { ModelConfig } from '../../model/config';
import { heldOutRotationKeys, heldOutSnakeKeys, rotationObjectKey, type RotationHeldOutKeys } from '../../rl/heldOutKeys';
import type { RotationClassSet } from '../../rl/heldOutSets';
import { deriveSeed, Rng } from '../../util/rng';
import { streamSeed } from '../../util/streams';
import type { SftSource } from '../data';
import { rotationExample, rotationTrace, traceable } from './rotation';
import { snakeExample, snakeTrace } from './snake';
import type { GameId } from '../../games/registry';
import { questionSeedKey } from '../../games/game';

/** What the sources keep out of training; default: every registered held-out set. */
export interface HeldOutExclusion {
  snake: ReadonlySet<string>;
  rotation: RotationHeldOutKeys;
}

export function standardExclusion(): HeldOutExclusion {
  return { snake: heldOutSnakeKeys(), rotation: heldOutRotationKeys() };
}

export interface CurriculumSourceOptions {
  seed: number;
  trainSize: number;
  evalSize: number;
  /** Test seam and extension point: what to exclude (default standardExclusion()). */
  exclude?: HeldOutExclusion;
}

// ---- Snake -----------------------------------------------------------------------------------------

export type CurriculumSnakeSource = SftSource & { trainStates: SnakeState[]; evalStates: SnakeState[] };

export function curriculumSnakeSource(c: ModelConfig, o: CurriculumSourceOptions & { curriculum?: Omit<CurriculumOptions, 'exclude'> }): CurriculumSnakeSource {
  const heldOut = (o.exclude ?? standardExclusion()).snake;
  const trainStates = sampleCurriculumStates(streamSeed(o.seed, 'curriculumSnake'), o.trainSize, { ...o.curriculum, exclude: heldOut });
  const notEval = new Set(heldOut);
  for (const s of trainStates) notEval.add(snakeStateKey(s));
  const evalStates = sampleCurriculumStates(streamSeed(o.seed, 'curriculumHeldOut'), o.evalSize, { ...o.curriculum, exclude: notEval });
  const pick = (split: 'train' | 'eval', i: number): SnakeState => (split === 'train' ? trainStates : evalStates)[i] as SnakeState;
  return {
    game: 'snake',
    trainSize: trainStates.length,
    evalSize: evalStates.length,
    train: (i) => snakeExample(c, pick('train', i)),
    evalExample: (i) => snakeExample(c, pick('eval', i)),
    text: (split, i) => {
      const state = pick(split, i);
      return { prompt: snakePrompt(state, { variant: 'compact' }), response: snakeTrace(state).response };
    },
    trainStates,
    evalStates,
  };
}

// ---- Rotation --------------------------------------------------------------------------------------

/**
 * Shares of the class sets. The default set is what ViGaL and the app ask; three classes is the harder
 * target (>= 90%); clockwise is the default's mirror, a smaller share so that '180' stays learnt apart
 * from both quarter turns.
 */
export const ROTATION_CLASS_WEIGHTS: Readonly<Record<RotationClassSet, number>> = { default: 0.4, three: 0.4, clockwise: 0.2 };

/** Candidate seeds tried per index before giving up (a held-out or untraceable question is ~1e-3 likely). */
const MAX_TRIES = 16;

// traceable() lives beside rotationTrace (rotation.ts); re-exported here for this module's users.
export { traceable };

export type RotationClassesSource = SftSource & {
  /** The question of training index i (seed, classes and, when the config fits four images, the example pair). */
  trainQuestion(i: number): RotationQuestion;
  evalQuestion(i: number): RotationQuestion;
};

export function rotationClassesSource(
  c: ModelConfig,
  o: CurriculumSourceOptions & { classWeights?: Readonly<Record<RotationClassSet, number>> },
): RotationClassesSource {
  const heldOut = (o.exclude ?? standardExclusion()).rotation;
  const weights = o.classWeights ?? ROTATION_CLASS_WEIGHTS;
  const names = Object.keys(ROTATION_CLASS_SETS) as RotationClassSet[];
  const total = names.reduce((sum, n) => sum + (weights[n] ?? 0), 0);
  if (!(total > 0) || names.some((n) => !((weights[n] ?? 0) >= 0))) {
    throw new Error(`rotation classes: weights must be >= 0 with a positive sum, got ${JSON.stringify(weights)}`);
  }
  const example = c.maxImages >= 4;
  const trainBase = streamSeed(o.seed, 'curriculumRotation');
  const evalBase = streamSeed(o.seed, 'curriculumHeldOut');
  // The held-out split also avoids the training seeds (cheap: no question is drawn to list them).
  const trainSeeds = new Set(Array.from({ length: o.trainSize }, (_, i) => deriveSeed(trainBase, i)));
  const question = (base: number, i: number, avoid: ReadonlySet<number> | null): RotationQuestion => {
    // Try k: item i of the k-th sub-stream (k = 0 is the stream itself), until neither the seed nor the
    // object is held out and the solver can trace it. The class set is drawn from the index alone, so a
    // replacement keeps its set.
    const u = new Rng(deriveSeed(deriveSeed(base, 0xc1a55e7), i)).next() * total;
    let acc = 0;
    const set = names.find((n) => (acc += weights[n] ?? 0) > u) ?? (names[names.length - 1] as RotationClassSet);
    for (let k = 0; k < MAX_TRIES; k++) {
      const seed = deriveSeed(k === 0 ? base : deriveSeed(base, 0x7e7 + k), i);
      if (heldOut.seeds.has(seed) || avoid?.has(seed)) continue;
      const q = rotationQuestion(seed, { classes: [...ROTATION_CLASS_SETS[set]], example, imageSize: c.imageSize });
      if (!heldOut.objects.has(rotationObjectKey(q.object)) && traceable(q)) return q;
    }
    throw new Error(`rotation classes: ${MAX_TRIES} candidate questions for index ${i} were all held out or untraceable`);
  };
  const trainQuestion = (i: number): RotationQuestion => question(trainBase, i, null);
  const evalQuestion = (i: number): RotationQuestion => question(evalBase, i, trainSeeds);
  return {
    game: 'rotation',
    trainSize: o.trainSize,
    evalSize: o.evalSize,
    train: (i) => rotationExample(c, trainQuestion(i)),
    evalExample: (i) => rotationExample(c, evalQuestion(i)),
    text: (split, i) => {
      const q = split === 'train' ? trainQuestion(i) : evalQuestion(i);
      return { prompt: rotationPrompt(q, { variant: 'compact' }), response: rotationTrace(q).response };
    },
    trainQuestion,
    evalQuestion,
  };
}

// ---- both games ------------------------------------------------------------------------------------

export interface JointSourceOptions extends CurriculumSourceOptions {
  /** Share of the training (and held-out) indices that are Rotation questions (default 0.35). */
  rotationShare?: number;
}

export type JointSource = SftSource & {
  snake: CurriculumSnakeSource;
  rotation: RotationClassesSource;
  /** The held-out exclusion key of training index i (games/game.ts `exclusionKeys`: a Snake state's key, a question's seed key). */
  trainKey(i: number): string;
  /** Which game and which index of its source a joint index is. */
  locate(split: 'train' | 'eval', i: number): { game: GameId; index: number };
  text(split: 'train' | 'eval', i: number): { prompt: string; response: string };
};

/**
 * Both games in one index space: index i is Rotation when floor((i + 1) s) > floor(i s) for the share s
 * (an even spread, no runs), else Snake; each game's items are its own source's in order. Batches drawn
 * uniformly from the indices are then mixed in about that ratio, and a model config with both games
 * (and one patch count for both, see model/patchify.ts's imageGrid) trains on them in one batch.
 */
export function jointSource(c: ModelConfig, o: JointSourceOptions): JointSource {
  const share = o.rotationShare ?? 0.35;
  if (!(share > 0 && share < 1)) throw new Error(`joint source: rotationShare must be in (0, 1), got ${share}`);
  if (!c.games.includes('snake') || !c.games.includes('rotation')) {
    throw new Error(`joint source: config '${c.name}' plays ${c.games.join(', ')}; a joint model's games are snake and rotation`);
  }
  const rotationBefore = (i: number): number => Math.floor(i * share);
  const isRotation = (i: number): boolean => Math.floor((i + 1) * share) > Math.floor(i * share);
  const sizes = (n: number): { rotation: number; snake: number } => ({ rotation: rotationBefore(n), snake: n - rotationBefore(n) });
  const train = sizes(o.trainSize);
  const held = sizes(o.evalSize);
  const exclude = o.exclude ?? standardExclusion();
  const snake = curriculumSnakeSource(c, { seed: o.seed, trainSize: train.snake, evalSize: held.snake, exclude });
  const rotation = rotationClassesSource(c, { seed: o.seed, trainSize: train.rotation, evalSize: held.rotation, exclude });
  const locate = (_split: 'train' | 'eval', i: number): { game: GameId; index: number } =>
    isRotation(i) ? { game: 'rotation', index: rotationBefore(i) } : { game: 'snake', index: i - rotationBefore(i) };
  const sources: Partial<Record<GameId, SftSource>> = { snake, rotation };
  const sourceOf = (game: GameId): SftSource => sources[game] as SftSource;
  return {
    game: 'joint',
    trainSize: o.trainSize,
    evalSize: o.evalSize,
    train: (i) => {
      const at = locate('train', i);
      return sourceOf(at.game).train(at.index);
    },
    evalExample: (i) => {
      const at = locate('eval', i);
      return sourceOf(at.game).evalExample(at.index);
    },
    text: (split, i) => {
      const at = locate(split, i);
      const src = sourceOf(at.game);
      if (!src.text) throw new Error('joint source: both games give text');
      return src.text(split, at.index);
    },
    trainKey: (i) => {
      const at = locate('train', i);
      return isRotation(i) ? questionSeedKey(rotation.trainQuestion(at.index).seed) : snakeStateKey(snake.trainStates[at.index] as SnakeState);
    },
    snake,
    rotation,
    locate,
  };
}
