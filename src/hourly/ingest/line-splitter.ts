/**
 * Splits bytes into '\n'-terminated lines without decoding them (a spool line is decoded once, whole, by ingest),
 * so a character split across two read chunks stays intact. Lines exclude the '\n'.
 */
export class LineSplitter {
  #rest: Buffer | null = null;

  /** The complete lines in `chunk` (with any bytes left over from the previous chunk in front). */
  push(chunk: Buffer): Buffer[] {
    const lines: Buffer[] = [];
    let start = 0;
    let newline = chunk.indexOf(0x0a);
    if (newline !== -1 && this.#rest !== null) {
      lines.push(Buffer.concat([this.#rest, chunk.subarray(0, newline)]));
      this.#rest = null;
      start = newline + 1;
      newline = chunk.indexOf(0x0a, start);
    }
    while (newline !== -1) {
      lines.push(chunk.subarray(start, newline));
      start = newline + 1;
      newline = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) {
      const tail = chunk.subarray(start);
      this.#rest = this.#rest === null ? Buffer.from(tail) : Buffer.concat([this.#rest, tail]);
    }
    return lines;
  }

  /** The last line when the input did not end with '\n', else null. */
  end(): Buffer | null {
    const rest = this.#rest;
    this.#rest = null;
    return rest;
  }
}
