/** `train rl --joint-pool`: the RL prompt pool over both games, none of it held out. */
import { describe, expect, it } from 'vitest';
import { snakeStateKey, type SnakeState } from '../games/snake';
import { defaultTokenizer } from '../model/tokenizer';
import { heldOutPositions } from '../rl/evaluate';
import { heldOutSnakeKeys } from '../rl/heldOutKeys';
import { checkRlOptions, DEFAULT_RL, PromptPool } from './rl';
import { gameConfig } from './sft.node.ts';
import { jointSource } from './traces/curriculum';
import { streamSeed } from '../util/streams';

describe('the joint RL prompt pool', () => {
  it("mixes both games, each prompt with its own verifier, and keeps out the registered and the run's held-out sets", { timeout: 180_000 }, () => {
    const config = gameConfig('joint');
    const o = { game: 'snake' as const, seed: 1, trainSize: 60, evalN: 30, evalSeed: 77, jointPool: true };
    const pool = new PromptPool(config, defaultTokenizer(), o);
    const prompts = pool.forStep(0, 24);
    const rotation = prompts.filter((p) => p.prompt.startsWith('Image 1'));
    expect(rotation.length).toBeGreaterThan(0);
    expect(rotation.length).toBeLessThan(prompts.length);
    for (const p of prompts) {
      expect(p.id).toMatch(/^joint\/train\/\d+$/);
      expect(p.patches.length).toBe(100 * 8 * 8 * 3);
      // A response the verifier of the prompt's own game accepts in format, whichever game it is.
      const reply = p.prompt.startsWith('Image 1')
        ? '<think>x</think><answer>180</answer>'
        : '<think>x</think><best_answer>UP</best_answer><worst_answer>None</worst_answer>';
      expect(p.score(reply).format).toBeGreaterThan(0);
    }
    const src = jointSource(config, { seed: streamSeed(1, 'rlPool'), trainSize: 60, evalSize: 2 });
    const runHeldOut = new Set(heldOutPositions('snake', 30, 77).map((p) => snakeStateKey(p.state as SnakeState)));
    const registered = heldOutSnakeKeys();
    for (const s of src.snake.trainStates) {
      expect(runHeldOut.has(snakeStateKey(s))).toBe(false);
      expect(registered.has(snakeStateKey(s))).toBe(false);
    }
    expect(() => checkRlOptions({ ...DEFAULT_RL, game: 'snake', jointPool: true, answerOnly: true })).toThrow(/does not take the joint pool/);
  });
});
