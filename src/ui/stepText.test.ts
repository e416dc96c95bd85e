/** The game-over line and the reward line in words, as Watch, Explore and Play show them. */
import { describe, expect, it } from 'vitest';
import { resultText, rewardPartsText } from './stepText';

describe('resultText', () => {
  const scores = { 1: 3, 2: 1 };
  it('names the winner and the reason', () => {
    expect(resultText({ winner: 1, reason: 'death', scores, rounds: 12 }, 'The model', 'the greedy bot')).toBe(
      'The model wins: the greedy bot crashed (round 12, 3 to 1).',
    );
    expect(resultText({ winner: 2, reason: 'death', scores, rounds: 4 }, 'The model', 'the greedy bot')).toBe(
      'The greedy bot wins: the model crashed (round 4, 3 to 1).',
    );
    expect(resultText({ winner: 1, reason: 'max-rounds', scores, rounds: 100 }, 'The model', 'its copy')).toBe(
      'The model wins on apples: the round limit was reached (round 100, 3 to 1).',
    );
    expect(resultText({ winner: null, reason: 'max-rounds', scores: { 1: 2, 2: 2 }, rounds: 100 }, 'The model', 'its copy')).toMatch(/^Tie on apples/);
  });
  it('says "all-dead" in plain words', () => {
    const text = resultText({ winner: null, reason: 'all-dead', scores, rounds: 7 }, 'The model', 'the lookahead bot');
    expect(text).toBe('Tie: both snakes crashed in the same round (round 7, 3 to 1).');
    expect(text).not.toContain('all-dead');
  });
});

describe('rewardPartsText', () => {
  it('writes the reward and its parts to one decimal, as every view shows them', () => {
    expect(rewardPartsText({ overall: 1.1, format: 0.1, accuracy: 1 })).toBe('1.1 = format 0.1 + accuracy 1.0');
    expect(rewardPartsText({ overall: 0, format: 0, accuracy: 0 })).toBe('0.0 = format 0.0 + accuracy 0.0');
  });
});
