/**
 * `exportDataset`: ViGaL's tasks as training data for a cluster RL engine.
 *
 * 1. Plan: n samples, each Snake or Rotation (`mix` alternates, Snake first); a seeded choice of
 *    round(n * valFraction) sample positions forms the validation split.
 * 2. Draw: per game, an ordered stream of unique candidates built in chunks on worker threads
 *    (build.node.ts, pool.node.ts, stream.node.ts); a state seen before, in either split, is skipped, so no state key
 *    is in both splits.
 * 3. Write: each sample becomes one canonical `SampleRecord`, handed to the engine's writer for its
 *    split (writers.node.ts); parquet row groups stream to disk, so memory stays bounded.
 * 4. Commit (target.node.ts): before any work the export claims DIR by creating its staging directory
 *    `.DIR.partial` beside it (same file system; a second export into DIR is refused there); complete
 *    with manifest.json, it is renamed to DIR in one atomic step that never replaces a filled DIR. A
 *    failed or interrupted export leaves DIR absent (or as empty as it was); a killed one leaves at most
 *    the staging directory, whose parquet files lack their footer; check-dataset rejects it.
 */
import { chmodSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GAME_IDS, gameOf, type GameId } from '../games/registry';
import { Rng } from '../util/rng';
import { streamSeed } from '../util/streams';
import { gameBaseSeed, type BuildOptions } from './build.node.ts';
import { contentHash, hashFile, MANIFEST_FILE, MANIFEST_FORMAT, type Manifest } from './manifest.node.ts';
import { inProcessSource, workerSource, type ChunkSource } from './pool.node.ts';
import { SPLITS, type SampleRecord, type Split } from './record';
import { CandidateStream } from './stream.node.ts';
import { claimTarget, commitTarget, ExportError } from './target.node.ts';
import { dataFileName, ENGINES, openEngineWriter, type Engine, type EngineWriter, type WrittenFile } from './writers.node.ts';

export { ExportError };

export type ExportGame = GameId | 'mix';
/** ViGaL's mix: Snake and Rotation alternating (a game registered later joins it only if listed here). */
export const MIX_GAMES: readonly GameId[] = ['snake', 'rotation'];
export const EXPORT_GAMES: readonly ExportGame[] = [...GAME_IDS, 'mix'];

/** Reward file copied beside the data, so an export always carries the reward that matches it. */
export const REWARD_FILE = 'vigal_reward.py';
const REWARD_SOURCE = resolve(dirname(fileURLToPath(import.meta.url)), '../../python', REWARD_FILE);

/** The reward entry point each engine is configured with (documented in docs/engines.md). */
const REWARD_ENTRY: Record<Engine, string> = {
  verl: 'custom_reward_function.path=vigal_reward.py custom_reward_function.name=compute_score',
  easyr1: 'worker.reward.reward_type=batch worker.reward.reward_function=vigal_reward.py:compute_score',
  openrlhf: '--reward.remote_url vigal_reward.py (reward_func)',
  trl: 'reward_funcs=[vigal_reward.trl_reward]',
};

export interface ExportOptions {
  engine: Engine;
  game: ExportGame;
  /** Samples in all (train + val). */
  n: number;
  /** Fraction of samples in the validation split, in [0, 1). */
  valFraction: number;
  /** Export directory: created if missing; must hold no previous files. */
  out: string;
  /** Seed and settings of the samples (`seed` decides everything random). */
  build: BuildOptions;
  /** Worker threads that build samples; 0 builds in-process (default: min(cores, 4)). */
  workers?: number;
  /** Rows per parquet row group (default 512). */
  rowGroupSize?: number;
  /** OpenRLHF: absolute directory its image paths start with (default: the export directory). */
  imageRoot?: string;
  /** Called after each sample is written. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting stops the export between samples and removes its staging directory. */
  signal?: AbortSignal;
}

export function defaultWorkers(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

/** Which game sample i is: the game itself, or for `mix` Snake on even and Rotation on odd positions. */
export function gameAt(game: ExportGame, i: number): GameId {
  if (game !== 'mix') return game;
  return MIX_GAMES[i % MIX_GAMES.length] as GameId;
}

/** Positions 0..n-1 that go to validation: a seeded choice of exactly round(n * valFraction) of them. */
export function validationMask(n: number, valFraction: number, seed: number): Uint8Array {
  const nVal = Math.round(n * valFraction);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(streamSeed(seed, 'exportSplit'));
  const mask = new Uint8Array(n);
  // Partial Fisher-Yates: the first nVal slots become a uniform random subset.
  for (let i = 0; i < nVal; i++) {
    const j = i + rng.int(n - i);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
    mask[order[i]!] = 1;
  }
  return mask;
}

function validate(opts: ExportOptions): void {
  if (!ENGINES.includes(opts.engine)) throw new ExportError(`engine must be one of ${ENGINES.join(', ')}; got '${String(opts.engine)}'`);
  if (!EXPORT_GAMES.includes(opts.game)) throw new ExportError(`game must be one of ${EXPORT_GAMES.join(', ')}; got '${String(opts.game)}'`);
  if (!Number.isInteger(opts.n) || opts.n < 1) throw new ExportError(`n must be a positive integer; got ${opts.n}`);
  if (!(opts.valFraction >= 0 && opts.valFraction < 1)) throw new ExportError(`val fraction must be in [0, 1); got ${opts.valFraction}`);
  const { snake, rotation } = opts.build;
  if (!(Number.isInteger(snake.minLength) && snake.minLength >= 1 && Number.isInteger(snake.maxLength) && snake.maxLength >= snake.minLength)) {
    throw new ExportError(`snake lengths need integers 1 <= min <= max; got ${snake.minLength} and ${snake.maxLength}`);
  }
  if (!(Number.isInteger(snake.board) && snake.board >= 3 && snake.board <= 100))
    throw new ExportError(`board must be an integer in [3, 100]; got ${snake.board}`);
  const sizes: [string, number][] = [
    ['snake', snake.imageSize],
    ['rotation', rotation.imageSize],
    ...Object.entries(opts.build.questions ?? {}).map(([id, q]): [string, number] => [id, q.imageSize]),
  ];
  for (const [name, size] of sizes) {
    if (!(Number.isInteger(size) && size >= 32 && size <= 4096))
      throw new ExportError(`${name} image size must be an integer in [32, 4096] pixels; got ${size}`);
  }
  if (opts.imageRoot !== undefined && !opts.imageRoot.startsWith('/')) throw new ExportError(`image root must be an absolute path; got '${opts.imageRoot}'`);
}

export async function exportDataset(opts: ExportOptions): Promise<Manifest> {
  validate(opts);
  const finalDir = resolve(opts.out);
  const stageDir = claimTarget(finalDir);
  const workers = opts.workers ?? defaultWorkers();
  const source: ChunkSource = workers > 0 ? workerSource(opts.build, workers) : inProcessSource(opts.build);
  const writers: Partial<Record<Split, EngineWriter>> = {};
  try {
    const ctx = { stageDir, imageRoot: opts.imageRoot ?? finalDir, rowGroupSize: opts.rowGroupSize ?? 512 };
    for (const split of SPLITS) writers[split] = openEngineWriter(opts.engine, split, ctx);

    // ---- draw and write, sample by sample
    const seen = new Set<string>();
    const ahead = Math.max(2, workers * 2);
    const streams: Partial<Record<GameId, CandidateStream>> = {};
    const streamFor = (game: GameId): CandidateStream => (streams[game] ??= new CandidateStream(game, source, ahead, seen));
    const valMask = validationMask(opts.n, opts.valFraction, opts.build.seed);
    const counts: Manifest['counts'] = { train: 0, val: 0, byGame: { train: {}, val: {} } };
    const games: GameId[] = opts.game === 'mix' ? [...MIX_GAMES] : [opts.game];
    for (const split of SPLITS) for (const game of games) counts.byGame[split][game] = 0;
    for (let i = 0; i < opts.n; i++) {
      // A loop of resolved awaits never lets timers and signals run: yield to the event loop now and
      // then, so Ctrl-C and the progress bar work even when chunks are built in-process.
      if (i % 64 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      if (opts.signal?.aborted) throw new ExportError('export interrupted');
      const game = gameAt(opts.game, i);
      const c = await streamFor(game).next();
      const split: Split = valMask[i] ? 'val' : 'train';
      const record: SampleRecord = { ...c, split, index: counts[split] };
      writers[split]!.write(record);
      counts[split]++;
      counts.byGame[split][game] = (counts.byGame[split][game] ?? 0) + 1;
      opts.onProgress?.(i + 1, opts.n);
    }

    // ---- close files, hash them, write the manifest
    const files: WrittenFile[] = [];
    const imageFiles: WrittenFile[] = [];
    for (const split of SPLITS) {
      imageFiles.push(...writers[split]!.finish());
      files.push(hashFile(stageDir, writers[split]!.dataFile));
    }
    copyFileSync(REWARD_SOURCE, join(stageDir, REWARD_FILE));
    files.push(hashFile(stageDir, REWARD_FILE));
    const sampling: Manifest['sampling'] = {};
    for (const game of GAME_IDS) {
      const s = streams[game];
      if (s) {
        sampling[game] = {
          baseSeed: gameBaseSeed(opts.build.seed, game),
          chunkSize: gameOf(game).exportChunk,
          chunksUsed: s.chunksUsed,
          duplicatesDropped: s.duplicates,
        };
      }
    }
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      engine: opts.engine,
      game: opts.game,
      n: opts.n,
      seed: opts.build.seed,
      valFraction: opts.valFraction,
      counts,
      options: opts.build,
      sampling,
      dataFiles: { train: dataFileName(opts.engine, 'train'), val: dataFileName(opts.engine, 'val') },
      ...(opts.engine === 'openrlhf' ? { imageRoot: ctx.imageRoot } : {}),
      reward: { file: REWARD_FILE, entry: REWARD_ENTRY[opts.engine] },
      files,
      ...(imageFiles.length > 0 ? { images: { count: imageFiles.length, bytes: imageFiles.reduce((s, f) => s + f.bytes, 0) } } : {}),
      contentHash: contentHash([...files, ...imageFiles]),
      generator: { name: 'vigal-playground', version: '0.1.0', node: process.version, zlib: process.versions.zlib ?? 'unknown' },
    };
    writeFileSync(join(stageDir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
    // The umask may have narrowed the staging directory's mode; the export is an ordinary directory.
    chmodSync(stageDir, 0o755);

    commitTarget(stageDir, finalDir);
    return manifest;
  } catch (err) {
    for (const w of Object.values(writers)) w?.abort();
    rmSync(stageDir, { recursive: true, force: true });
    throw err;
  } finally {
    await source.close();
  }
}
