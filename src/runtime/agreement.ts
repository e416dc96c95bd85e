/**
 * How often two models (fp32 and 4-bit) pick the same greedy token. Teacher-forced: model A generates
 * greedily, then both models score A's sequence in one forward and their argmaxes are compared at every
 * generated position, so one early disagreement does not count as all the later ones (free-running
 * agreement is reported too). The bar: >= 95% for the shipped checkpoint.
 */
import { generate } from './generate';
import type { NanoModel } from './model';
import { disposeCache } from './model';
import { argmax } from './sampling';

export interface AgreementPrompt {
  inputIds: readonly number[];
  patches?: Float32Array;
}

export interface AgreementResult {
  /** Generated positions compared. */
  positions: number;
  /** Positions where B's argmax equals A's token (given A's prefix). */
  agree: number;
  rate: number;
  /** Free-running: fraction of prompts whose whole greedy output is identical. */
  identicalSequences: number;
}

export async function greedyAgreement(a: NanoModel, b: NanoModel, prompts: readonly AgreementPrompt[], maxNewTokens = 64): Promise<AgreementResult> {
  let positions = 0;
  let agree = 0;
  let identical = 0;
  for (const p of prompts) {
    const patches = p.patches ?? new Float32Array(0);
    const ga = await generate(a, { inputIds: p.inputIds, patches, maxNewTokens, stopTokens: [] });
    const gb = await generate(b, { inputIds: p.inputIds, patches, maxNewTokens, stopTokens: [] });
    const seqA = ga.tokens[0] as number[];
    if (seqA.join() === (gb.tokens[0] as number[]).join()) identical++;
    // Teacher forcing: B scores prompt + A's tokens (all but the last, which predicts nothing we compare).
    const ids = [...p.inputIds, ...seqA.slice(0, -1)];
    const numPatches = patches.length / (b.config.patchSize * b.config.patchSize * 3);
    const { logits, present } = await b.forward({ patches, numPatches, inputIds: ids, batch: 1, past: null });
    disposeCache(present);
    const V = b.config.vocabSize;
    for (let k = 0; k < seqA.length; k++) {
      const row = p.inputIds.length - 1 + k; // the position whose logits predict generated token k
      positions++;
      if (argmax(logits.subarray(row * V, (row + 1) * V)) === seqA[k]) agree++;
    }
  }
  return { positions, agree, rate: positions ? agree / positions : 1, identicalSequences: prompts.length ? identical / prompts.length : 1 };
}
