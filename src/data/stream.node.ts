/**
 * One game's unique candidates, in a fixed order: chunk 0, 1, 2, ... with every state already seen
 * dropped. Chunks are requested `ahead` at a time so that the workers stay busy while the export writes.
 */
import type { GameId } from '../games/registry';
import type { Candidate } from './build.node.ts';
import type { ChunkSource } from './pool.node.ts';

/** Stop after this many chunks in a row add nothing new (a setting with fewer distinct states than asked). */
const MAX_BARREN_CHUNKS = 20;

export class CandidateStream {
  readonly game: GameId;
  private readonly source: ChunkSource;
  private readonly ahead: number;
  private readonly seen: Set<string>;
  private readonly inflight: Promise<Candidate[]>[] = [];
  private nextChunk = 0;
  private buffer: Candidate[] = [];
  private bufferAt = 0;
  private barren = 0;
  /** Chunks consumed so far (recorded in the manifest). */
  chunksUsed = 0;
  /** Candidates dropped because an earlier one showed the same state. */
  duplicates = 0;

  /** `seen` may be shared between streams: keys are game-prefixed, so it only matters within a game. */
  constructor(game: GameId, source: ChunkSource, ahead: number, seen: Set<string> = new Set()) {
    this.game = game;
    this.source = source;
    this.ahead = Math.max(1, ahead);
    this.seen = seen;
  }

  private fill(): void {
    while (this.inflight.length < this.ahead) {
      const p = this.source.build(this.game, this.nextChunk++);
      // Prefetched chunks may be abandoned when the export ends or fails: never an unhandled rejection.
      p.catch(() => undefined);
      this.inflight.push(p);
    }
  }

  async next(): Promise<Candidate> {
    for (;;) {
      while (this.bufferAt < this.buffer.length) {
        const c = this.buffer[this.bufferAt++]!;
        if (this.seen.has(c.stateKey)) {
          this.duplicates++;
          continue;
        }
        this.seen.add(c.stateKey);
        this.barren = 0;
        return c;
      }
      if (this.barren >= MAX_BARREN_CHUNKS) {
        throw new Error(
          `${this.game}: ${MAX_BARREN_CHUNKS} chunks in a row gave no new state (${this.seen.size} distinct so far); ` +
            'ask for fewer samples or widen the setting (board size, snake lengths)',
        );
      }
      this.fill();
      const chunk = await this.inflight.shift()!;
      this.chunksUsed++;
      this.barren++;
      this.buffer = chunk;
      this.bufferAt = 0;
    }
  }
}
