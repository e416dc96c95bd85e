/**
 * The identities of every registered held-out set (heldOutSets.ts's STANDARD_HELD_OUT_SETS), for
 * training sources to exclude. Every game works alike: a held-out state contributes its game's
 * `exclusionKeys` (games/game.ts) and a training state sharing any of them is dropped. Snake: the state
 * key; Rotation: the question seed and the object (the polycube itself, whatever its roll, example pair
 * or class set), so a held-out object is never trained on, even turned or asked with other options.
 *
 * Drawing them costs ~15 s (a few thousand bot games and 3,000 objects), so each (game, list of sets)
 * is drawn once per process.
 */
import { gameOf, type GameId } from '../games/registry';
import { heldOutPositions } from './evaluate';
import { STANDARD_HELD_OUT_SETS, type RegisteredHeldOut } from './heldOutSets';

export { rotationObjectKey } from '../games/rotation/game';

const memo = new Map<readonly RegisteredHeldOut[], Map<GameId, Set<string>>>();

/** Every exclusion key of the sets' entries for `game`. */
export function heldOutKeys(game: GameId, sets: readonly RegisteredHeldOut[] = STANDARD_HELD_OUT_SETS): ReadonlySet<string> {
  const byGame = memo.get(sets) ?? new Map<GameId, Set<string>>();
  memo.set(sets, byGame);
  let keys = byGame.get(game);
  if (keys === undefined) {
    keys = new Set<string>();
    const spec = gameOf(game);
    for (const s of sets) {
      if (s.game !== game) continue;
      for (const p of heldOutPositions(game, s.n, s.seed, s.set)) for (const key of spec.exclusionKeys(p.state)) keys.add(key);
    }
    byGame.set(game, keys);
  }
  return keys;
}

/** Whether a training state shares an identity with a held-out state of its game. */
export function isHeldOut(game: GameId, state: unknown, keys: ReadonlySet<string> = heldOutKeys(game)): boolean {
  return gameOf(game)
    .exclusionKeys(state)
    .some((key) => keys.has(key));
}

/** Every Snake state of the sets' Snake entries (its exclusion key is snakeStateKey). */
export function heldOutSnakeKeys(sets: readonly RegisteredHeldOut[] = STANDARD_HELD_OUT_SETS): ReadonlySet<string> {
  return heldOutKeys('snake', sets);
}

export interface RotationHeldOutKeys {
  seeds: ReadonlySet<number>;
  objects: ReadonlySet<string>;
}

/** Every question seed and object of the sets' Rotation entries, split out of the generic keys for the curriculum source. */
export function heldOutRotationKeys(sets: readonly RegisteredHeldOut[] = STANDARD_HELD_OUT_SETS): RotationHeldOutKeys {
  const seeds = new Set<number>();
  const objects = new Set<string>();
  for (const key of heldOutKeys('rotation', sets)) {
    if (key.startsWith('seed:')) seeds.add(Number(key.slice(5)));
    else if (key.startsWith('object:')) objects.add(key.slice(7));
  }
  return { seeds, objects };
}
