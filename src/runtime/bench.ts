/**
 * Inference benchmark: time to first token and decode tokens/s for fp32 vs 4-bit, with and without the
 * KV cache, on one real prompt (images + compact text). Returns plain JSON rows so `npm run bench:infer`
 * (Node, WASM) and the browser page (WebGPU, WASM) print the same table.
 */
import { generate, type GenerateOptions } from './generate';
import type { NanoModel } from './model';

export interface BenchRow {
  quant: string;
  provider: string;
  cache: boolean;
  promptPositions: number;
  newTokens: number;
  timeToFirstTokenMs: number;
  tokensPerSecond: number;
  totalMs: number;
  modelBytes: number;
}

export interface BenchOptions {
  inputIds: readonly number[];
  patches?: Float32Array;
  /** Tokens generated per run (stop tokens off, so every run does the same work). Default 64. */
  newTokens?: number;
  /** Timed runs per setting; the median is reported. Default 3 (plus one warm-up). */
  runs?: number;
  /** Which settings to time (default both: with and without the KV cache). */
  cacheModes?: readonly boolean[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

export async function benchmarkModel(model: NanoModel, opts: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const newTokens = opts.newTokens ?? 64;
  const runs = opts.runs ?? 3;
  const base: GenerateOptions = { inputIds: opts.inputIds, patches: opts.patches, maxNewTokens: newTokens, stopTokens: [] };
  const patchValues = model.config.patchSize * model.config.patchSize * 3;
  for (const cache of opts.cacheModes ?? [true, false]) {
    await generate(model, { ...base, useCache: cache, maxNewTokens: 4 }); // warm-up: kernels, allocations
    const results = [];
    for (let r = 0; r < runs; r++) results.push(await generate(model, { ...base, useCache: cache }));
    rows.push({
      quant: model.quant,
      provider: model.provider,
      cache,
      promptPositions: opts.inputIds.length + (opts.patches?.length ?? 0) / patchValues,
      newTokens: results[0]?.timings.newTokens ?? 0,
      timeToFirstTokenMs: median(results.map((x) => x.timings.timeToFirstTokenMs)),
      tokensPerSecond: median(results.map((x) => x.timings.tokensPerSecond)),
      totalMs: median(results.map((x) => x.timings.totalMs)),
      modelBytes: model.modelBytes,
    });
  }
  return rows;
}
