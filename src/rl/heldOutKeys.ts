/**
 * The identities of every registered held-out set (heldOutSets.ts's STANDARD_HELD_OUT_SETS), for
 * training sources to exclude: Snake states by snakeStateKey, Rotation questions by seed and by object
 * (the polycube itself, whatever its roll, example pair or class set), so a held-out object is never
 * trained on, even turned or asked with other options.
 *
 * Drawing them costs ~15 s (a few thousand bot games and 3,000 objects), so each list of sets is drawn
 * once per process.
 */
import { rotationQuestion, type RotObject } from '../games/rotation';
import { snakeStateKey, type SnakeState } from '../games/snake';
import { heldOutPositions, heldOutRotationSeeds } from './evaluate';
import { STANDARD_HELD_OUT_SETS, type RegisteredHeldOut } from './heldOutSets';

/** A Rotation object's identity: its cubes and parts, not its pose. */
export const rotationObjectKey = (object: RotObject): string => JSON.stringify(object);

export interface RotationHeldOutKeys {
  seeds: ReadonlySet<number>;
  objects: ReadonlySet<string>;
}

const snakeMemo = new Map<readonly RegisteredHeldOut[], Set<string>>();
const rotationMemo = new Map<readonly RegisteredHeldOut[], RotationHeldOutKeys>();

/** Every Snake state of the sets' Snake entries. */
export function heldOutSnakeKeys(sets: readonly RegisteredHeldOut[] = STANDARD_HELD_OUT_SETS): ReadonlySet<string> {
  let keys = snakeMemo.get(sets);
  if (keys === undefined) {
    keys = new Set<string>();
    for (const s of sets) {
      if (s.game !== 'snake') continue;
      for (const p of heldOutPositions('snake', s.n, s.seed, s.set)) keys.add(snakeStateKey(p.state as SnakeState));
    }
    snakeMemo.set(sets, keys);
  }
  return keys;
}

/** Every question seed and object of the sets' Rotation entries (class sets share seeds: one draw covers all). */
export function heldOutRotationKeys(sets: readonly RegisteredHeldOut[] = STANDARD_HELD_OUT_SETS): RotationHeldOutKeys {
  let keys = rotationMemo.get(sets);
  if (keys === undefined) {
    const seeds = new Set<number>();
    const objects = new Set<string>();
    for (const s of sets) {
      if (s.game !== 'rotation') continue;
      for (const seed of heldOutRotationSeeds(s.n, s.seed)) {
        seeds.add(seed);
        // The test object only: the example pair is another object, shown as a worked example.
        objects.add(rotationObjectKey(rotationQuestion(seed, { example: false }).object));
      }
    }
    keys = { seeds, objects };
    rotationMemo.set(sets, keys);
  }
  return keys;
}
