/**
 * Which held-out set an evaluation answers. The default set is the one `vigal eval` has always drawn
 * (Snake: own length 1-5, the sampler's default; Rotation: ViGaL's two classes). Issue 16's targets need
 * two more kinds, selected here and drawn by rl/evaluate.ts's heldOutPositions:
 *
 *   minLength N (Snake)  states whose own snake has length >= N, from the 'heldOutLong' stream of the
 *                        seed (util/streams.ts): its own stream, so a long set never repeats the
 *                        default set's draws and training pools can exclude it by state key;
 *   classes (Rotation)   the same question seeds asked over another class set (task.ts's
 *                        ROTATION_CLASS_SETS: 'default', 'three', 'clockwise');
 *   grid (Jigsaw)        the same question seeds cut into a 3x3 grid instead of 2x2.
 *
 * A report carries the set it answered (`min_length`, `class_set`, `grid`), so two reports compare
 * state by state only when they answered the same set.
 */
import { GAME_IDS, gameOf, type GameId } from '../games/registry';
import type { RotationClassSet } from '../games/rotation/game';

export { ROTATION_CLASS_SET_NAMES, type RotationClassSet } from '../games/rotation/game';
export { LONG_SNAKE_CAP, LONG_SNAKE_MAX, LONG_SNAKE_MIN } from '../games/snake/game';

export interface HeldOutSet {
  /** Snake: only states whose own snake has at least this length (LONG_SNAKE_MIN..LONG_SNAKE_MAX). */
  minLength?: number;
  /** Rotation: the class set asked (default 'default'). */
  classes?: RotationClassSet;
  /** Jigsaw: the grid (default 2). */
  grid?: number;
}

/** The report fields naming a non-default set (none for the default set, so old reports read the same). */
export function heldOutSetFields(set: HeldOutSet): { min_length?: number; class_set?: string; grid?: number } {
  return {
    ...(set.minLength !== undefined ? { min_length: set.minLength } : {}),
    ...(set.classes !== undefined && set.classes !== 'default' ? { class_set: set.classes } : {}),
    ...(set.grid !== undefined && set.grid !== 2 ? { grid: set.grid } : {}),
  };
}

/** The set a report answered, from its fields (the inverse of heldOutSetFields). */
export function heldOutSetOf(report: { min_length?: number; class_set?: string; grid?: number }): HeldOutSet {
  return {
    ...(report.min_length !== undefined ? { minLength: report.min_length } : {}),
    ...(report.class_set !== undefined ? { classes: report.class_set as RotationClassSet } : {}),
    ...(report.grid !== undefined ? { grid: report.grid } : {}),
  };
}

/** Whether two selectors name the same set (the default class set and grid are the standard set). */
export function sameHeldOutSet(a: HeldOutSet, b: HeldOutSet): boolean {
  return JSON.stringify(heldOutSetFields(a)) === JSON.stringify(heldOutSetFields(b));
}

/** Words for headings: '' for the default set, else e.g. ', own length >= 8' or ', classes three'. */
export function heldOutSetLabel(set: HeldOutSet): string {
  if (set.minLength !== undefined) return `, own length >= ${set.minLength}`;
  if (set.classes !== undefined && set.classes !== 'default') return `, classes ${set.classes}`;
  if (set.grid !== undefined && set.grid !== 2) return `, ${set.grid}x${set.grid} grid`;
  return '';
}

/** The games that offer a held-out variant, in words for a message: 'Snake', 'Rotation and Jigsaw', 'no game'. */
export function gamesOffering(variant: string): string {
  return (
    GAME_IDS.filter((g) => variant in gameOf(g).heldOutVariants)
      .map((g) => gameOf(g).title)
      .join(' and ') || 'no game'
  );
}

/** The long-snake sets Evaluate offers: issue 16's target (own length >= 8) and the longer ones reported beside it. */
export const EVALUATE_LONG_SNAKE_MINS: readonly number[] = [8, 12, 16];

/**
 * The held-out sets a person can pick for a game (Evaluate): the standard set first, then each variant
 * the game lists in `heldOutVariants` (Snake: the long-snake sets of EVALUATE_LONG_SNAKE_MINS; Rotation:
 * every other class set; Jigsaw: every other grid). `label` is heldOutSetLabel's words, capitalised.
 */
export function heldOutSetChoices(game: GameId): { label: string; set: HeldOutSet }[] {
  const v = gameOf(game).heldOutVariants;
  const sets: HeldOutSet[] = [
    {},
    ...EVALUATE_LONG_SNAKE_MINS.filter((m) => v.minLength && m >= v.minLength.min && m <= v.minLength.max).map((minLength) => ({ minLength })),
    ...(v.classes ?? []).filter((c) => c !== 'default').map((c) => ({ classes: c as RotationClassSet })),
    ...(v.grid ?? []).filter((g) => g !== 2).map((grid) => ({ grid })),
  ];
  const words = (set: HeldOutSet): string => heldOutSetLabel(set).replace(/^, /, '') || 'standard';
  return sets.map((set) => ({ label: words(set).charAt(0).toUpperCase() + words(set).slice(1), set }));
}

/** A held-out set the project reports on; training data never draws from it (train/traces/heldOutKeys.ts). */
export interface RegisteredHeldOut {
  game: GameId;
  seed: number;
  /**
   * States drawn. A set of n states is the first n of a larger draw at the same seed (the sampler fills
   * in draw order), so this entry covers every evaluation of up to n states at this seed and set.
   */
  n: number;
  set: HeldOutSet;
  /** Who evaluates on it. */
  use: string;
}

/**
 * The held-out sets of the README, the model cards and issue 16's targets, at sizes above any the
 * project uses. Rotation entries are by question seed, which fixes the object and its pose whatever
 * the class set, so one entry per seed covers `--classes default|three|clockwise` alike.
 */
export const STANDARD_HELD_OUT_SETS: readonly RegisteredHeldOut[] = [
  { game: 'snake', seed: 1000, n: 1000, set: {}, use: "vigal eval's default set (200), train rl's held-out evaluation" },
  { game: 'snake', seed: 2000, n: 1000, set: {}, use: 'the independent test set (500)' },
  { game: 'snake', seed: 3000, n: 1000, set: {}, use: "the GPU runs' validation set (1,000)" },
  { game: 'snake', seed: 1000, n: 500, set: { minLength: 8 }, use: 'issue 16: accuracy on own length >= 8' },
  { game: 'snake', seed: 2000, n: 500, set: { minLength: 8 }, use: 'issue 16: the second seed of the long-snake target' },
  { game: 'snake', seed: 3000, n: 500, set: { minLength: 8 }, use: 'long-snake validation (checkpoint selection)' },
  { game: 'snake', seed: 1000, n: 300, set: { minLength: 12 }, use: 'longer snakes, reported' },
  { game: 'snake', seed: 1000, n: 200, set: { minLength: 16 }, use: 'longer snakes, reported' },
  { game: 'rotation', seed: 1000, n: 1000, set: {}, use: "vigal eval's default set, every class set" },
  { game: 'rotation', seed: 2000, n: 1000, set: {}, use: 'the independent test set, every class set' },
  { game: 'rotation', seed: 3000, n: 1000, set: {}, use: 'validation, every class set' },
];
