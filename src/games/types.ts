/** Types every game shares. Game-specific types live in the game's own folder. */

/**
 * The verifiable reward of one model response, as ViGaL computes it: `format` is 0 or 0.1, `accuracy`
 * 0 or 1, `overall` their sum (0, 0.1, 1 or 1.1).
 */
export interface RewardParts {
  format: number;
  accuracy: number;
  overall: number;
}
