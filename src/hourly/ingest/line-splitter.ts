/**
 * Longest line kept whole (DESIGN 6: a tweet line is a few KB; a longer line is bad input, never worth the memory).
 * Longer lines are reported as an `OverlongLine` and splitting resumes after their '\n'.
 */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** How many leading bytes of an over-long line are kept for the operator to look at. */
export const OVERLONG_HEAD_BYTES = 4096;

/** A line longer than the limit: its full length and its first bytes; the rest was dropped while reading. */
export interface OverlongLine {
  readonly length: number;
  readonly head: Buffer;
}

/** A complete line, or the stand-in for one that was too long. */
export type SplitLine = Buffer | OverlongLine;

export function isOverlong(line: SplitLine): line is OverlongLine {
  return !Buffer.isBuffer(line);
}

function headOf(parts: readonly Buffer[]): Buffer {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  return Buffer.concat(parts, Math.min(total, OVERLONG_HEAD_BYTES));
}

/**
 * Splits bytes into '\n'-terminated lines without decoding them (a spool line is decoded once, whole, by ingest),
 * so a character split across two read chunks stays intact. Lines exclude the '\n'. A line across chunks is
 * kept as pieces and joined once when its '\n' arrives; a line in one chunk is a view of the chunk (no copy).
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  #pending: Buffer[] = [];
  /** Bytes of the unfinished line so far (also counted while an over-long line is being skipped). */
  #pendingBytes = 0;
  /** Set once the unfinished line passed the limit: its pieces are dropped, only this head is kept. */
  #overlongHead: Buffer | null = null;

  constructor(maxLineBytes: number = MAX_LINE_BYTES) {
    this.#maxLineBytes = maxLineBytes;
  }

  /** The complete lines in `chunk` (with any bytes left over from the previous chunk in front). */
  push(chunk: Buffer): SplitLine[] {
    const lines: SplitLine[] = [];
    let start = 0;
    let newline = chunk.indexOf(0x0a);
    while (newline !== -1) {
      lines.push(this.#finish(chunk.subarray(start, newline)));
      start = newline + 1;
      newline = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) this.#keep(chunk.subarray(start));
    return lines;
  }

  /** The last line when the input did not end with '\n', else null. */
  end(): SplitLine | null {
    if (this.#pendingBytes === 0) return null;
    return this.#finish(Buffer.alloc(0));
  }

  #finish(piece: Buffer): SplitLine {
    const length = this.#pendingBytes + piece.length;
    if (this.#overlongHead === null && length <= this.#maxLineBytes) {
      if (this.#pending.length === 0) return piece;
      const line = Buffer.concat([...this.#pending, piece], length);
      this.#reset();
      return line;
    }
    const head = this.#overlongHead ?? headOf([...this.#pending, piece]);
    this.#reset();
    return { length, head };
  }

  #keep(tail: Buffer): void {
    this.#pendingBytes += tail.length;
    if (this.#overlongHead !== null) return;
    if (this.#pendingBytes > this.#maxLineBytes) {
      this.#overlongHead = headOf([...this.#pending, tail]);
      this.#pending = [];
      return;
    }
    // A copy: the caller may reuse the chunk's memory once push() returns.
    this.#pending.push(Buffer.from(tail));
  }

  #reset(): void {
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#overlongHead = null;
  }
}
