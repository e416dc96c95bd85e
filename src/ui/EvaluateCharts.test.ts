/** The bar charts' axis names: short, yet the SFT, RL and saved checkpoints stay apart (they were all "vigal-nano…"). */
import { describe, expect, it } from 'vitest';
import { shortPolicies } from './EvaluateCharts';

describe('shortPolicies', () => {
  it('keeps the distinguishing end of long names', () => {
    expect(shortPolicies(['nano:vigal-nano-snake-rl', 'nano:vigal-nano-snake-sft', 'nano:vigal-nano-snake-rl-step4', 'bot:greedy', 'human'])).toEqual([
      'snake-rl',
      'snake-sft',
      'rl-step4',
      'greedy',
      'human',
    ]);
  });
  it('numbers names that are still alike', () => {
    expect(shortPolicies(['nano:a-very-long-name-x', 'nano:other-long-name-x'])).toEqual(['1. long-name', '2. long-name']);
  });
});
