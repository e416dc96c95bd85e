/** A position of any registered game, as a policy is asked to play it (policy/types.ts and records/types.ts use it). */
export type { Position } from './registry';
