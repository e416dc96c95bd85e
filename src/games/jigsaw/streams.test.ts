/**
 * Jigsaw's streams (streams.ts) share no question: the held-out sets at the default evaluation seeds,
 * the SFT training and held-out questions, the export, Watch and Play, compared by jigsawQuestionKey
 * (the Rotation and Snake counterpart is src/util/streams.test.ts). Cut to CAP items per stream.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEEDS } from '../../util/streams';
import { jigsawExportSeed, jigsawHeldOutSeeds, jigsawSftHeldOutSeed, jigsawTrainSeed, jigsawWatchSeed } from './streams';
import { jigsawQuestion, jigsawQuestionKey, type JigsawGrid } from './task';

const CAP = 60;

function keys(seeds: number[], grid: JigsawGrid): string[] {
  return seeds.map((s) => jigsawQuestionKey(jigsawQuestion(s, { grid })));
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('jigsaw streams', () => {
  it.each<JigsawGrid>([2, 3])('no two streams share a question (grid %i)', { timeout: 60_000 }, (grid) => {
    const streams: [string, number[]][] = [
      ['held-out, seed 1000', jigsawHeldOutSeeds(CAP, DEFAULT_SEEDS.evalDefault)],
      ['held-out, seed 1001', jigsawHeldOutSeeds(CAP, DEFAULT_SEEDS.evalDefault + 1)],
      ['held-out, seed 2000', jigsawHeldOutSeeds(CAP, DEFAULT_SEEDS.evalIndependent)],
      ['validation, seed 3000', jigsawHeldOutSeeds(CAP, DEFAULT_SEEDS.evalValidation)],
      ['SFT training, seed 1', range(CAP).map((i) => jigsawTrainSeed(DEFAULT_SEEDS.sftData, i))],
      ['SFT training, seed 2', range(CAP).map((i) => jigsawTrainSeed(DEFAULT_SEEDS.sftData + 1, i))],
      ['SFT held-out, seed 1', range(CAP).map((i) => jigsawSftHeldOutSeed(DEFAULT_SEEDS.sftData, i))],
      ['export, seed 0', range(CAP).map((i) => jigsawExportSeed(DEFAULT_SEEDS.export, i))],
      ['export, seed 1', range(CAP).map((i) => jigsawExportSeed(DEFAULT_SEEDS.export + 1, i))],
      ['Watch, seed 1', range(CAP).map((i) => jigsawWatchSeed(DEFAULT_SEEDS.app, i))],
      ['Play, seeds 1, 2, ...', range(CAP).map((i) => DEFAULT_SEEDS.app + i)],
    ];
    const owner = new Map<string, string>();
    const shared: string[] = [];
    for (const [name, seeds] of streams) {
      for (const key of new Set(keys(seeds, grid))) {
        const first = owner.get(key);
        if (first === undefined) owner.set(key, name);
        else shared.push(`${first} / ${name}`);
      }
    }
    expect(shared).toEqual([]);
    expect(owner.size).toBe(streams.length * CAP);
  });
});
