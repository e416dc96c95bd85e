/**
 * manifest.json: what an export contains and how to make it again. Written last, so its presence is
 * what marks an export directory complete. No timestamps or absolute host details beyond the image root:
 * a re-run with the same arguments on the same Node gives a byte-identical manifest.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { GameId } from '../games/registry';
import type { BuildOptions } from './build.node.ts';
import type { Split } from './record';
import type { Engine, WrittenFile } from './writers.node.ts';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'vigal-export/1';

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  engine: Engine;
  game: GameId | 'mix';
  n: number;
  seed: number;
  valFraction: number;
  counts: Record<Split, number> & { byGame: Record<Split, Partial<Record<GameId, number>>> };
  options: BuildOptions;
  /** How samples were drawn: per game, the base seed, chunk size and chunks used; duplicates dropped. */
  sampling: Partial<Record<GameId, { baseSeed: number; chunkSize: number; chunksUsed: number; duplicatesDropped: number }>>;
  /** Data files per split, relative to the export directory. */
  dataFiles: Record<Split, string>;
  /** OpenRLHF only: the directory its image paths start with. */
  imageRoot?: string;
  /** The reward file beside the data, and the entry point each engine calls. */
  reward: { file: string; entry: string };
  /** Every file but the manifest, hashed; images summarised when there are many. */
  files: WrittenFile[];
  images?: { count: number; bytes: number };
  /** sha256 over the sorted lines "path\tsha256\n" of every file of the export except the manifest. */
  contentHash: string;
  generator: { name: string; version: string; node: string; zlib: string };
}

/** sha256 of a file, read in 1 MiB slices (exports run to hundreds of megabytes). */
export function sha256File(path: string): { sha256: string; bytes: number } {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let bytes = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      bytes += n;
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest('hex'), bytes };
}

export function hashFile(dir: string, relPath: string): WrittenFile {
  return { path: relPath, ...sha256File(join(dir, relPath)) };
}

export function contentHash(files: readonly WrittenFile[]): string {
  const lines = files.map((f) => `${f.path}\t${f.sha256}\n`).sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line);
  return hash.digest('hex');
}
