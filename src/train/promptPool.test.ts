/**
 * The RL prompt pool never trains on a held-out state or question. The pool and the held-out set come
 * from different streams, so they share nothing by chance; here the pool's seed is built backwards
 * (rng.testkit) so that its stream IS the held-out stream, and the pool must drop exactly those items.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { snakeStateKey, type SnakeState } from '../games/snake';
import { rotationQuestionKey, type RotationQuestion } from '../games/rotation';
import { Tokenizer } from '../model/tokenizer';
import { heldOutPositions } from '../rl/evaluate';
import { baseForDerivedSeed } from '../util/rng.testkit';
import { STREAMS, streamSeed } from '../util/streams';
import { PromptPool } from './rl';
import { gameConfig } from './sft.node.ts';
import { rotationSource } from './traces/rotation';
import { snakeSource } from './traces/snake';

const tokenizer = Tokenizer.fromJSON(readFileSync(new URL('../../models/vigal-nano-snake-sft/tokenizer.json', import.meta.url), 'utf8'));
const evalSeed = 1000;
/** An RL seed whose pool stream equals the held-out stream of evalSeed. */
const meetingSeed = baseForDerivedSeed(streamSeed(evalSeed, 'heldOut'), STREAMS.rlPool);

describe('PromptPool drops held-out items', () => {
  it('the meeting seed really makes the pool stream the held-out stream', () => {
    expect(streamSeed(meetingSeed, 'rlPool')).toBe(streamSeed(evalSeed, 'heldOut'));
  });

  it('Snake: a pool drawn from the held-out stream keeps only the states past the held-out set', () => {
    const config = gameConfig('snake');
    const evalN = 6,
      trainSize = 10;
    const pool = new PromptPool(config, tokenizer, { game: 'snake', seed: meetingSeed, trainSize, evalN, evalSeed });
    const states = snakeSource(config, { seed: streamSeed(meetingSeed, 'rlPool'), trainSize, evalSize: 1 }).trainStates;
    const heldOut = new Set(heldOutPositions('snake', evalN, evalSeed).map((p) => snakeStateKey(p.state as SnakeState)));
    expect(states.slice(0, evalN).every((s) => heldOut.has(snakeStateKey(s)))).toBe(true);
    expect(pool.size).toBe(trainSize - evalN);
    expect(pool.scanIndices(trainSize)).toEqual([6, 7, 8, 9]);
  });

  it('Rotation: the same, by question (before, the Rotation pool kept every question)', () => {
    const config = gameConfig('rotation');
    const evalN = 6,
      trainSize = 10;
    const pool = new PromptPool(config, tokenizer, { game: 'rotation', seed: meetingSeed, trainSize, evalN, evalSeed });
    const source = rotationSource(config, { seed: streamSeed(meetingSeed, 'rlPool'), trainSize, evalSize: 1 });
    const heldOut = heldOutPositions('rotation', evalN, evalSeed).map((p) => rotationQuestionKey(p.state as RotationQuestion));
    // The pool's first questions are the held-out questions (the trainer adds the example pair; the question is the same).
    const trained = Array.from({ length: evalN }, (_, i) => source.trainSeed(i));
    expect(trained).toEqual(heldOutPositions('rotation', evalN, evalSeed).map((p) => (p.state as RotationQuestion).seed));
    expect(new Set(heldOut).size).toBe(evalN);
    expect(pool.size).toBe(trainSize - evalN);
    expect(pool.scanIndices(trainSize)).toEqual([6, 7, 8, 9]);
  });
});
