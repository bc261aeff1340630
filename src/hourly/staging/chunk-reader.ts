import { closeSync, openSync, readSync } from 'node:fs';
import { DAMAGED_CHUNK_FIX } from './chunk-index.js';

/**
 * How much of a chunk is read at once, and how far before the asked offset. A chunk's lines are in arrival order
 * and are read in ID order, so reads wander over the last few seconds of arrivals: about 1.3 MB at the 10% rate.
 */
const WINDOW_BYTES = 1 << 22;
const LOOK_BACK_BYTES = 1 << 21;

/**
 * Which reads of a read order are isolated: the line's previous and next reads in the same chunk both lie more
 * than LOOK_BACK_BYTES away (a copy that arrived long after its neighbours by ID). The reader fetches such a line
 * alone instead of moving its window there and back, which re-reads two whole windows for one line. A missing
 * neighbour (the first or last read of a chunk) counts as far: a line read alone costs little, a window a lot.
 */
export function isolatedReads(chunkOf: Uint32Array, offsets: Float64Array, chunkCount: number): Uint8Array {
  const isolated = new Uint8Array(chunkOf.length);
  const last = new Int32Array(chunkCount).fill(-1);
  for (let read = 0; read < chunkOf.length; read++) {
    const chunk = chunkOf[read]!;
    const previous = last[chunk]!;
    const far = previous < 0 || Math.abs(offsets[read]! - offsets[previous]!) > LOOK_BACK_BYTES;
    // A read starts isolated when far from its predecessor; a near successor clears that.
    isolated[read] = far ? 1 : 0;
    if (!far) isolated[previous] = 0;
    last[chunk] = read;
  }
  return isolated;
}

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
  #single = Buffer.alloc(0);

  constructor(paths: readonly string[], maxOpen = 16) {
    this.#paths = paths;
    this.#maxOpen = maxOpen;
  }

  /**
   * The `length` bytes at `offset` of chunk `chunk` (a view, valid until the next read). An `isolated` read
   * (isolatedReads) outside the chunk's window is read alone and leaves the window where it is.
   */
  read(chunk: number, offset: number, length: number, isolated = false): Buffer {
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
    if (offset >= entry.start && offset + length <= entry.end) {
      return entry.window.subarray(offset - entry.start, offset - entry.start + length);
    }
    if (isolated) return this.#readAlone(entry, chunk, offset, length);
    this.#fill(entry, chunk, offset, length);
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
    const got = readFully(entry.fd, entry.window, size, start);
    this.#checkLength(got >= offset - start + length, chunk, offset);
    entry.start = start;
    entry.end = start + got;
  }

  #readAlone(entry: OpenChunk, chunk: number, offset: number, length: number): Buffer {
    if (this.#single.length < length) this.#single = Buffer.allocUnsafe(Math.max(length, 2 * this.#single.length));
    this.#checkLength(readFully(entry.fd, this.#single, length, offset) === length, chunk, offset);
    return this.#single.subarray(0, length);
  }

  #checkLength(complete: boolean, chunk: number, offset: number): void {
    if (complete) return;
    throw new Error(
      `Cannot read staging chunk ${this.#paths[chunk]} at offset ${offset}: the file is shorter than its index says; ` +
        DAMAGED_CHUNK_FIX,
    );
  }

  #evict(): void {
    while (this.#open.size > this.#maxOpen) {
      const [oldest, entry] = this.#open.entries().next().value as [number, OpenChunk];
      closeSync(entry.fd);
      this.#open.delete(oldest);
    }
  }
}

/** Reads up to `size` bytes at `position` into the start of `into`; fewer only at the end of the file. */
export function readFully(fd: number, into: Buffer, size: number, position: number): number {
  let got = 0;
  while (got < size) {
    const n = readSync(fd, into, got, size - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}
