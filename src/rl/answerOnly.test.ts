import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MOVES, parseSnakeAnswer, sampleSnakeStates, snakeLabels } from '../games/snake';
import { Tokenizer } from '../model/tokenizer';
import { Rng } from '../util/rng';
import { answerText, argmax, bestMoveReward, logSoftmax, moveLogitMask, moveTokenIds, randomMoveAccuracy, sampleIndex, scaffoldIds } from './answerOnly';

const tok = Tokenizer.fromJSON(readFileSync(new URL('../../models/vigal-nano-snake-rl/tokenizer.json', import.meta.url), 'utf8'));

describe('answer-only Snake answers', () => {
  it('each move is one token of the shipped tokenizer, and the mask leaves exactly those four', () => {
    const ids = moveTokenIds(tok);
    expect(ids).toHaveLength(4);
    expect(ids.map((id) => tok.decode([id]))).toEqual([...MOVES]);
    const mask = moveLogitMask(tok, 256);
    expect(
      [...mask.entries()]
        .filter(([, v]) => v === 0)
        .map(([i]) => i)
        .sort((a, b) => a - b),
    ).toEqual([...ids].sort((a, b) => a - b));
    expect(tok.decode(scaffoldIds(tok))).toBe('<think></think><best_answer>');
  });

  it('a choice reads back as its move, and the reward is 1 exactly for the best moves', () => {
    const states = sampleSnakeStates(7, 40);
    for (const s of states) {
      const best = snakeLabels(s).best;
      for (const m of MOVES) {
        expect(parseSnakeAnswer(answerText(m)).bestMove).toBe(m);
        expect(bestMoveReward(s, m)).toBe(best.includes(m) ? 1 : 0);
      }
    }
    expect(bestMoveReward(states[0]!, null)).toBe(0);
  });

  it("a random move's accuracy is the mean share of best moves", () => {
    const states = sampleSnakeStates(3, 30);
    const byHand = states.map((s) => MOVES.filter((m) => bestMoveReward(s, m) === 1).length / 4).reduce((a, b) => a + b, 0) / states.length;
    expect(randomMoveAccuracy(states)).toBeCloseTo(byHand, 12);
    expect(randomMoveAccuracy([])).toBe(0);
  });

  it('samples follow the softmax at the temperature; greedy is the first largest', () => {
    const logits = [2, 0, 1, 0];
    const lp = logSoftmax(logits, 1);
    expect(lp.reduce((s, x) => s + Math.exp(x), 0)).toBeCloseTo(1, 12);
    const hot = logSoftmax(logits, 100);
    expect(Math.max(...hot) - Math.min(...hot)).toBeLessThan(0.03);
    const rng = new Rng(5);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[sampleIndex(lp, rng)]!++;
    counts.forEach((c, i) => expect(c / 20000).toBeCloseTo(Math.exp(lp[i]!), 1));
    expect(argmax([1, 3, 3, 0])).toBe(1);
  });
});
