import { closeSync, openSync, readSync } from 'node:fs';
import { DAMAGED_CHUNK_FIX } from './chunk-index.js';

/** How much of a chunk is read at once, and how far before the asked offset (copies arrive slightly out of order). */
const WINDOW_BYTES = 1 << 19;
const LOOK_BACK_BYTES = 1 << 17;

interface OpenChunk {
  fd: number;
  window: Buffer;
  start: number;
  end: number;
}

/**
 * Reads lines back from staging chunks by offset, in ID order (DESIGN 6: rows are never all in memory). Reads are
 * synchronous and windowed: consecutive IDs mostly sit close together in a few chunks, so most lines come from a
 * window already in memory. At most `maxOpen` chunks are open at a time.
 */
export class ChunkReader {
  readonly #paths: readonly string[];
  readonly #maxOpen: number;
  readonly #open = new Map<number, OpenChunk>();

  constructor(paths: readonly string[], maxOpen = 16) {
    this.#paths = paths;
    this.#maxOpen = maxOpen;
  }

  /** The `length` bytes at `offset` of chunk `chunk` (a view, valid until the next read). */
  read(chunk: number, offset: number, length: number): Buffer {
    let entry = this.#open.get(chunk);
    if (entry !== undefined) {
      // Refresh its place in the LRU order.
      this.#open.delete(chunk);
      this.#open.set(chunk, entry);
    } else {
      entry = { fd: openSync(this.#paths[chunk]!, 'r'), window: Buffer.alloc(0), start: 0, end: 0 };
      this.#open.set(chunk, entry);
      this.#evict();
    }
    if (offset < entry.start || offset + length > entry.end) this.#fill(entry, chunk, offset, length);
    return entry.window.subarray(offset - entry.start, offset - entry.start + length);
  }

  close(): void {
    for (const entry of this.#open.values()) closeSync(entry.fd);
    this.#open.clear();
  }

  #fill(entry: OpenChunk, chunk: number, offset: number, length: number): void {
    const start = Math.max(0, offset - LOOK_BACK_BYTES);
    const size = Math.max(WINDOW_BYTES, offset - start + length);
    if (entry.window.length < size) entry.window = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = readSync(entry.fd, entry.window, got, size - got, start + got);
      if (n === 0) break;
      got += n;
    }
    if (got < offset - start + length) {
      throw new Error(
        `Cannot read staging chunk ${this.#paths[chunk]} at offset ${offset}: the file is shorter than its index says; ` +
          DAMAGED_CHUNK_FIX,
      );
    }
    entry.start = start;
    entry.end = start + got;
  }

  #evict(): void {
    while (this.#open.size > this.#maxOpen) {
      const [oldest, entry] = this.#open.entries().next().value as [number, OpenChunk];
      closeSync(entry.fd);
      this.#open.delete(oldest);
    }
  }
}
