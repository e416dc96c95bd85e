/**
 * `--game joint` in the jax-js trainer: Snake and Rotation examples in the same micro-batches (the joint
 * config tiles Rotation's four views into one raster, so both cost the same patches), a few steps, a
 * resumable checkpoint whose config plays both games. The held-out exclusion is the source's own test
 * (traces/curriculum.test.ts); here it is switched off to keep the run short.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from './checkpoint.node.ts';
import { gameConfig, runSft, type SftOptions, type SourceFactory } from './sft.node.ts';
import { jointSource, type HeldOutExclusion } from './traces/curriculum';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const none: HeldOutExclusion = { snake: new Set(), rotation: { seeds: new Set(), objects: new Set() } };
const options = (out: string): SftOptions => ({
  game: 'joint',
  out,
  steps: 2,
  batch: 4,
  accum: 1,
  lr: 1e-3,
  minLr: 1e-4,
  warmup: 1,
  weightDecay: 0.1,
  gradClip: 1,
  evalEvery: 2,
  evalSize: 4,
  trainSize: 20,
  seed: 1,
  model: { dModel: 16, nLayer: 1, nHead: 2, dFF: 32 },
});
const unexcluded: SourceFactory = (config, o) => jointSource(config, { seed: o.seed, trainSize: o.trainSize, evalSize: o.evalSize, exclude: none });

describe('SFT on both games at once', () => {
  it('the joint config and source: mixed batches train, and the checkpoint plays snake and rotation', { timeout: 300_000 }, async () => {
    expect(gameConfig('joint')).toMatchObject({ games: ['snake', 'rotation'], imageSize: 80, maxImages: 4, imageGrid: 2 });
    const out = await mkdtemp(join(tmpdir(), 'vigal-sft-joint-'));
    dirs.push(out);
    const source = unexcluded(gameConfig('joint'), options(out));
    // Indices 0..19 hold both games, so batches drawn from them mix them.
    const games = Array.from({ length: 20 }, (_, i) => (source as ReturnType<typeof jointSource>).locate('train', i).game);
    expect(games.filter((g) => g === 'rotation')).toHaveLength(7);
    const steps: number[] = [];
    const result = await runSft(options(out), { onStep: (m) => steps.push(m.loss) }, undefined, unexcluded);
    expect(steps).toHaveLength(2);
    expect(steps.every(Number.isFinite)).toBe(true);
    expect(result.lastEval?.n).toBe(4);
    const ck = await loadCheckpoint(out);
    expect(ck.config.games).toEqual(['snake', 'rotation']);
    expect(ck.config.imageGrid).toBe(2);
    expect(ck.state.step).toBe(2);
  });
});
