/**
 * Every random stream of the registry (streams.ts), derived as the project derives it, shares no state
 * with any other: Snake states compared by snakeStateKey (the key the RL pool drops held-out states by),
 * Rotation questions by rotationQuestionKey. Each stream is cut to CAP items (the trainers draw tens of
 * thousands; a Snake state or Rotation question costs milliseconds to draw): an overlap between two
 * streams, the failure this guards against, shows in their first items, as the old deriveSeed's did.
 * Streams a user seeds are also derived at the next seed (`--seed 2`, `--seed 1001`): nearby seeds must
 * not give the same items reordered.
 */
import { describe, expect, it } from 'vitest';
import { ROTATION_CLASS_SETS, rotationQuestion, rotationQuestionKey, type RotationQuestion } from '../games/rotation';
import { SNAKE_BOTS, playSnakeGame, sampleSnakeStates, snakeStateKey, type SnakeState } from '../games/snake';
import { buildChunk, type BuildOptions } from '../data/build.node.ts';
import { heldOutPositions } from '../rl/evaluate';
import { gameConfig } from '../train/sft.node.ts';
import { rotationSource } from '../train/traces/rotation';
import { snakeSource } from '../train/traces/snake';
import { DEFAULT_RL } from '../train/rl';
import { deriveSeed } from './rng';
import { DEFAULT_SEEDS, streamSeed } from './streams';

/** Items drawn per stream (the realistic size is in each stream's name). */
const CAP = 120;
/** `vigal eval --games` default: games per pairing and seat. */
const MATCH_GAMES = 10;

type Keyed = { name: string; keys: string[] };

const snakeKeys = (states: readonly SnakeState[]): string[] => states.map(snakeStateKey);
const rotationKeys = (questions: readonly RotationQuestion[]): string[] => questions.map(rotationQuestionKey);
const cap = (n: number): number => Math.min(n, CAP);

function exportOptions(seed: number): BuildOptions {
  // Image sizes do not change which states are drawn; small ones keep the test quick.
  return {
    seed,
    promptVariant: 'full',
    snake: { board: 10, minLength: 1, maxLength: 5, imageSize: 64 },
    rotation: { classSet: 'default', example: true, imageSize: 16, supersample: 1 },
  };
}

function snakeExport(seed: number, n: number): string[] {
  const keys: string[] = [];
  for (let chunk = 0; keys.length < n; chunk++) keys.push(...buildChunk(exportOptions(seed), 'snake', chunk).map((c) => snakeStateKey(c.state as SnakeState)));
  return keys.slice(0, n);
}

function rotationExport(seed: number, n: number): string[] {
  const keys: string[] = [];
  for (let chunk = 0; keys.length < n; chunk++)
    keys.push(...buildChunk(exportOptions(seed), 'rotation', chunk).map((c) => rotationQuestionKey(c.state as RotationQuestion)));
  return keys.slice(0, n);
}

/** Every state of bot-vs-bot games from seed, seed + 1, ... (matches, Watch and Play), from each snake's seat. */
function gameStates(firstSeed: number, games: number): string[] {
  const keys: string[] = [];
  for (let g = 0; g < games; g++) {
    const { states } = playSnakeGame([SNAKE_BOTS.lookahead, SNAKE_BOTS.greedy], (firstSeed + g) >>> 0);
    for (const s of states) keys.push(snakeStateKey({ ...s, you: 1 }), snakeStateKey({ ...s, you: 2 }));
  }
  return keys;
}

function snakeStreams(): Keyed[] {
  const sft = (seed: number): ReturnType<typeof snakeSource> => snakeSource(gameConfig('snake'), { seed, trainSize: cap(30_000), evalSize: cap(128) });
  const sft1 = sft(DEFAULT_SEEDS.sftData);
  const sft2 = sft(DEFAULT_SEEDS.sftData + 1);
  const rlPool = (seed: number): SnakeState[] => sampleSnakeStates(streamSeed(seed, 'rlPool'), cap(DEFAULT_RL.trainSize));
  const heldOut = (seed: number, n: number): string[] => heldOutPositions('snake', cap(n), seed).map((p) => snakeStateKey(p.state as SnakeState));
  const longHeldOut = (seed: number, minLength: number): string[] =>
    heldOutPositions('snake', cap(500), seed, { minLength }).map((p) => snakeStateKey(p.state as SnakeState));
  return [
    { name: 'SFT training states, seed 1 (30,000)', keys: snakeKeys(sft1.trainStates) },
    { name: 'SFT held-out states, seed 1 (128)', keys: snakeKeys(sft1.evalStates) },
    { name: 'SFT training states, seed 2', keys: snakeKeys(sft2.trainStates) },
    { name: 'RL pool, seed 1 (20,000; GPU 40,000)', keys: snakeKeys(rlPool(DEFAULT_SEEDS.rlData)) },
    { name: 'RL pool, seed 2', keys: snakeKeys(rlPool(DEFAULT_SEEDS.rlData + 1)) },
    { name: 'held-out, seed 1000 (200)', keys: heldOut(DEFAULT_SEEDS.evalDefault, 200) },
    { name: 'held-out, seed 1001', keys: heldOut(DEFAULT_SEEDS.evalDefault + 1, 200) },
    { name: 'held-out, seed 2000 (500)', keys: heldOut(DEFAULT_SEEDS.evalIndependent, 500) },
    { name: 'validation, seed 3000 (1,000)', keys: heldOut(DEFAULT_SEEDS.evalValidation, 1000) },
    // --min-length 2 overlaps the default set's lengths (1-5), so only the streams keep them apart.
    { name: 'long-snake held-out, seed 1000, length >= 2', keys: longHeldOut(DEFAULT_SEEDS.evalDefault, 2) },
    { name: 'long-snake held-out, seed 2000, length >= 8 (500)', keys: longHeldOut(DEFAULT_SEEDS.evalIndependent, 8) },
    { name: 'export, seed 0 (36,000)', keys: snakeExport(DEFAULT_SEEDS.export, cap(36_000)) },
    { name: 'export, seed 1', keys: snakeExport(DEFAULT_SEEDS.export + 1, cap(36_000)) },
    { name: `match games, seeds 1000-${1000 + MATCH_GAMES - 1}`, keys: gameStates(DEFAULT_SEEDS.match, MATCH_GAMES) },
    { name: 'Watch and Play, seed 1', keys: gameStates(DEFAULT_SEEDS.app, 1) },
  ];
}

function rotationStreams(): Keyed[] {
  const questions = (source: ReturnType<typeof rotationSource>, n: number): RotationQuestion[] =>
    Array.from({ length: n }, (_, i) => rotationQuestion(source.trainSeed(i)));
  const sft = (seed: number): ReturnType<typeof rotationSource> => rotationSource(gameConfig('rotation'), { seed, trainSize: 10_000, evalSize: 128 });
  // The SFT held-out questions: rotationSource's eval stream (its examples hold no seed, so re-derive them).
  const sftHeldOut = (seed: number, n: number): RotationQuestion[] =>
    Array.from({ length: n }, (_, i) => rotationQuestion(deriveSeed(streamSeed(seed, 'sftHeldOut'), i)));
  const heldOut = (seed: number, n: number): string[] =>
    heldOutPositions('rotation', cap(n), seed).map((p) => rotationQuestionKey(p.state as RotationQuestion));
  const classes = [...ROTATION_CLASS_SETS.default];
  return [
    { name: 'SFT training questions, seed 1 (10,000)', keys: rotationKeys(questions(sft(DEFAULT_SEEDS.sftData), cap(10_000))) },
    { name: 'SFT held-out questions, seed 1 (128)', keys: rotationKeys(sftHeldOut(DEFAULT_SEEDS.sftData, cap(128))) },
    { name: 'SFT training questions, seed 2', keys: rotationKeys(questions(sft(DEFAULT_SEEDS.sftData + 1), cap(10_000))) },
    {
      name: 'RL pool, seed 1 (20,000)',
      keys: rotationKeys(
        questions(rotationSource(gameConfig('rotation'), { seed: streamSeed(DEFAULT_SEEDS.rlData, 'rlPool'), trainSize: 20_000, evalSize: 1 }), cap(20_000)),
      ),
    },
    { name: 'held-out, seed 1000 (200)', keys: heldOut(DEFAULT_SEEDS.evalDefault, 200) },
    { name: 'held-out, seed 1001', keys: heldOut(DEFAULT_SEEDS.evalDefault + 1, 200) },
    { name: 'held-out, seed 2000 (500)', keys: heldOut(DEFAULT_SEEDS.evalIndependent, 500) },
    { name: 'validation, seed 3000 (1,000)', keys: heldOut(DEFAULT_SEEDS.evalValidation, 1000) },
    { name: 'export, seed 0 (36,000)', keys: rotationExport(DEFAULT_SEEDS.export, cap(36_000)) },
    { name: 'export, seed 1', keys: rotationExport(DEFAULT_SEEDS.export + 1, cap(36_000)) },
    // Watch: question i of the game's seed; Play: one question per seed, "next" goes to seed + 1.
    {
      name: 'Watch questions, seed 1',
      keys: rotationKeys(
        Array.from({ length: cap(100) }, (_, i) => rotationQuestion(deriveSeed(streamSeed(DEFAULT_SEEDS.app, 'watchRotation'), i), { classes })),
      ),
    },
    {
      name: 'Play questions, seeds 1, 2, ...',
      keys: rotationKeys(Array.from({ length: cap(100) }, (_, i) => rotationQuestion(DEFAULT_SEEDS.app + i, { classes }))),
    },
  ];
}

/** Pairs of streams that share a key, with how many keys they share. */
function overlaps(streams: readonly Keyed[]): string[] {
  const owner = new Map<string, string>();
  const shared = new Map<string, number>();
  for (const { name, keys } of streams) {
    for (const key of new Set(keys)) {
      const first = owner.get(key);
      if (first === undefined) owner.set(key, name);
      else shared.set(`${first} / ${name}`, (shared.get(`${first} / ${name}`) ?? 0) + 1);
    }
  }
  return [...shared].map(([pair, n]) => `${pair}: ${n}`);
}

describe('the stream registry', () => {
  it('no two Snake streams share a state', { timeout: 120_000 }, () => {
    const streams = snakeStreams();
    for (const s of streams) expect(s.keys.length, s.name).toBeGreaterThan(0);
    expect(overlaps(streams)).toEqual([]);
  });

  it('no two Rotation streams share a question', { timeout: 120_000 }, () => {
    const streams = rotationStreams();
    for (const s of streams) expect(s.keys.length, s.name).toBeGreaterThan(0);
    expect(overlaps(streams)).toEqual([]);
  });

  it('the checker sees an overlap: the same stream listed twice shares every item', () => {
    const keys = heldOutPositions('rotation', 5, 7).map((p) => rotationQuestionKey(p.state as RotationQuestion));
    expect(
      overlaps([
        { name: 'a', keys },
        { name: 'b', keys },
      ]),
    ).toEqual(['a / b: 5']);
  });
});

describe('issue 14 item 7: vigal sample at seeds 1 and 2', () => {
  it('Rotation: 40 questions each, none shared (they were the same 40 reordered)', () => {
    // What `vigal sample rotation --seed S --count 40` draws (src/cli/commands/sample.ts).
    const sample = (seed: number): string[] =>
      Array.from({ length: 40 }, (_, i) => rotationQuestionKey(rotationQuestion(deriveSeed(seed, i), { classes: [...ROTATION_CLASS_SETS.default] })));
    const one = new Set(sample(1));
    expect(sample(2).filter((k) => one.has(k))).toEqual([]);
  });

  it('Snake: 200 states each, none shared', () => {
    const one = new Set(snakeKeys(sampleSnakeStates(1, 200)));
    expect(snakeKeys(sampleSnakeStates(2, 200)).filter((k) => one.has(k))).toEqual([]);
  });
});
